"""The pure QRIS module against the published vectors in tests/payments/vectors.tsv (see SOURCE.md)."""

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from naikkelas.payments.qris import QrisError, crc16, decode, to_dynamic

VECTORS = {
    row["kind"]: row["payload"]
    for row in csv.DictReader((Path(__file__).parent / "vectors.tsv").open(encoding="utf-8"), delimiter="\t")
}
STATIC = VECTORS["static-valid"]


def test_crc_is_ccitt_false():
    assert crc16(VECTORS["crc-check"].encode()) == "29B1"


def test_decode_reads_the_published_static_code():
    qris = decode(STATIC)
    assert not qris.is_dynamic
    assert (qris.merchant_name, qris.city) == ("BIOLBE", "KAB. MALANG")
    assert (qris.nmid, qris.criteria, qris.mcc) == ("ID1021125405972", "UMI", "5499")
    assert qris.amount is None
    assert qris.as_dict()["26"]["00"] == "ID.CO.TELKOM.WWW"


def test_decode_reports_a_code_without_the_national_template():
    with pytest.raises(QrisError) as caught:
        decode(VECTORS["dynamic-incomplete"])
    assert caught.value.code == "no_51"


def test_decode_wants_the_crc_in_upper_case_hex():
    with pytest.raises(QrisError):
        decode(STATIC[:-4] + STATIC[-4:].lower())


def test_decode_refuses_a_code_whose_crc_does_not_match():
    broken = STATIC[:-1] + ("0" if STATIC[-1] != "0" else "1")
    with pytest.raises(QrisError) as caught:
        decode(broken)
    assert caught.value.code == "bad_crc"


def test_to_dynamic_sets_type_amount_and_a_fresh_crc_and_keeps_the_merchant():
    dynamic = to_dynamic(STATIC, 15000)
    qris = decode(dynamic)
    assert qris.is_dynamic
    assert qris.amount == 15000
    assert dynamic[-4:] == crc16(dynamic[:-4].encode())
    assert (qris.merchant_name, qris.nmid) == ("BIOLBE", "ID1021125405972")
    # Everything but tags 01, 54 and 63 is the static code's, in the same order.
    static_fields = [f for f in decode(STATIC).fields if f[0] not in ("01", "63")]
    assert [f for f in qris.fields if f[0] not in ("01", "54", "63")] == static_fields


def test_to_dynamic_of_a_dynamic_code_replaces_its_amount():
    assert decode(to_dynamic(to_dynamic(STATIC, 15000), 20000)).amount == 20000


@pytest.mark.parametrize("amount", [0, -5, 10**13, 1.5, True, "15000"])
def test_to_dynamic_refuses_amounts_that_are_not_positive_whole_rupiah(amount):
    with pytest.raises(QrisError):
        to_dynamic(STATIC, amount)


@given(st.text(max_size=300))
def test_decode_of_any_text_gives_a_code_or_a_clear_error(text):
    try:
        decode(text)
    except QrisError as error:
        assert error.code and str(error)


@given(st.integers(min_value=0, max_value=len(STATIC) - 1), st.characters(min_codepoint=32, max_codepoint=126))
def test_any_single_character_change_is_caught(position, char):
    changed = STATIC[:position] + char + STATIC[position + 1 :]
    if changed != STATIC:
        with pytest.raises(QrisError):
            decode(changed)


def test_the_module_imports_no_django():
    probe = "import sys, naikkelas.payments.qris; print(any(m.split('.')[0] == 'django' for m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def _naikkelas(*args):
    return subprocess.run([sys.executable, "-m", "naikkelas", "qris", *args], capture_output=True, text=True)


def test_cli_decode_prints_the_fields_as_json():
    result = _naikkelas("decode", STATIC)
    assert result.returncode == 0, result.stderr
    fields = json.loads(result.stdout)
    assert (fields["merchant_name"], fields["nmid"], fields["dynamic"]) == ("BIOLBE", "ID1021125405972", False)


def test_cli_dynamic_prints_a_code_for_the_exact_amount():
    result = _naikkelas("dynamic", STATIC, "--amount", "15000")
    assert result.returncode == 0, result.stderr
    assert decode(result.stdout.strip()).amount == 15000


def test_cli_refuses_an_invalid_payload_with_a_clear_message_and_a_non_zero_exit():
    result = _naikkelas("decode", VECTORS["dynamic-incomplete"])
    assert result.returncode != 0
    assert "tag 51" in result.stderr
