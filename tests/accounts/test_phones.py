import phonenumbers
import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from naikkelas.accounts.phones import normalize_mobile, normalize_phone

# Operator prefixes in use (Telkomsel, Indosat, XL, Axis, Smartfren, Tri) after the trunk 0.
PREFIXES = [
    "811", "812", "813", "821", "822", "823", "851", "852", "853", "814", "815", "816", "855", "856", "857",
    "858", "817", "818", "819", "859", "877", "878", "831", "832", "833", "838", "881", "882", "883", "884",
    "885", "886", "887", "888", "889", "895", "896", "897", "898", "899",
]  # fmt: skip

mobiles = st.builds(
    lambda prefix, rest: prefix + rest,
    st.sampled_from(PREFIXES),
    st.text(alphabet="0123456789", min_size=7, max_size=9),
)


def spell(nsn: str, lead: str, separator: str, groups: list[int], wrap_area: bool) -> str:
    """Write the number the way people do: 0812-3456-7890, +62 812 3456 7890, (0812) 3456.7890, ..."""
    digits = {"0": "0", "+62": "", "+62 ": "", "62": "", "+62 (0)": ""}[lead] + nsn
    parts, position = [], 0
    for size in groups:
        if position >= len(digits):
            break
        parts.append(digits[position : position + size])
        position += size
    if position < len(digits):
        parts.append(digits[position:])
    if wrap_area:
        parts[0] = f"({parts[0]})"
    body = separator.join(parts)
    return body if lead == "0" else lead + body


@given(st.text(max_size=60))
@settings(max_examples=300)
def test_normalize_phone_never_crashes_on_arbitrary_text(raw):
    # Given any text at all, when it is normalised, then it is E.164 or a clean Indonesian message.
    for normalize in (normalize_phone, normalize_mobile):
        try:
            result = normalize(raw)
        except ValidationError as error:
            assert error.messages and all("Nomor HP" in m or "nomor HP" in m for m in error.messages)
        else:
            assert result.startswith("+") and result[1:].isdigit()


@given(
    mobiles,
    st.sampled_from(["0", "+62", "+62 ", "62", "+62 (0)"]),
    st.sampled_from(["", " ", "-", ".", " - "]),
    st.lists(st.integers(min_value=2, max_value=5), min_size=1, max_size=4),
    st.booleans(),
    st.sampled_from(["", " ", "\t"]),
)
def test_normalize_mobile_gives_one_e164_for_every_common_spelling(nsn, lead, separator, groups, wrap, pad):
    # Given a valid Indonesian mobile number written in one of the usual ways
    raw = pad + spell(nsn, lead, separator, groups, wrap and lead == "0") + pad
    # When it is normalised, then it is the one E.164 form of that number
    assert normalize_mobile(raw) == "+62" + nsn
    assert normalize_phone(raw) == "+62" + nsn


@pytest.mark.parametrize(
    "raw",
    ["0812-3456-7890", "0812 3456 7890", "081234567890", "+62 812-3456-7890", "6281234567890",
     "+62 (0)812 3456 7890", "(0812) 3456-7890", "62.812.3456.7890", "０８１２３４５６７８９０"],
)  # fmt: skip
def test_normalize_mobile_accepts_the_spellings_owners_type(raw):
    assert normalize_mobile(raw) == "+6281234567890"


@pytest.mark.parametrize("raw", ["", "   ", "12345", "0812", "abc", "0812-3456-7890-1234-5678", "+1 202 555"])
def test_normalize_phone_rejects_non_numbers_with_an_indonesian_message(raw):
    with pytest.raises(ValidationError) as caught:
        normalize_phone(raw)
    assert caught.value.messages == ["Nomor HP tidak dikenali. Contoh: 0812-3456-7890."]


@pytest.mark.parametrize("raw", ["0274 512345", "021 5150 5150", "+44 7911 123456"])
def test_normalize_mobile_rejects_landlines_and_foreign_numbers(raw):
    # Given numbers that are real but cannot receive our SMS
    assert phonenumbers.is_valid_number(phonenumbers.parse(raw, "ID"))
    # When used to log in, then they are refused with a clear message
    with pytest.raises(ValidationError) as caught:
        normalize_mobile(raw)
    assert "nomor HP Indonesia" in caught.value.messages[0]
