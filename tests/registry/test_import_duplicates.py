"""What counts as a likely duplicate: the same identifiers, or a similar name in the same village."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from naikkelas.registry.importing.duplicates import name_key, similar_names
from naikkelas.registry.importing.rows import Row
from naikkelas.registry.importing.scratch import Scratch


def test_name_key_ignores_case_punctuation_accents_legal_form_and_word_order():
    assert name_key("CV. Toko  Maju-Jaya") == name_key("toko jaya maju") == "jaya maju toko"
    assert name_key("Kopi Café") == name_key("KOPI CAFE")


def test_similar_names_flags_the_same_name_written_differently_and_a_typo():
    rows = [
        (4, name_key("Warung Makan Bu Sri")),
        (9, name_key("warung makan bu sri.")),
        (12, name_key("Warung Makan Bu Sir")),
    ]
    verdicts = similar_names(rows, known=())
    assert verdicts == [(9, "name", 4, None, None), (12, "name", 4, None, None)]


def test_similar_names_leaves_different_businesses_alone():
    rows = [(4, name_key("Toko Berkah")), (5, name_key("Toko Berkah Jaya Abadi")), (6, name_key("Bengkel Berkah"))]
    assert similar_names(rows, known=()) == []


def test_similar_names_compares_with_businesses_already_registered_in_the_village():
    known = [(name_key("Keripik Pak Joko"), 41, "Keripik Pak Joko")]
    verdicts = similar_names([(7, name_key("Keripik Pak Joko."))], known=known)
    assert verdicts == [(7, "name", None, 41, "Keripik Pak Joko")]


def _scratch_with(tmp_path, identifiers):
    """A scratch file holding one row per (nib, phone, agency id) triple, rows numbered from 2."""
    scratch = Scratch(tmp_path / "scratch.sqlite3")
    rows = [
        (number, Row(name=f"Usaha {number}", village_id="33.01.01.2001", nib=nib, phone=phone, external_ref=ref))
        for number, (nib, phone, ref) in enumerate(identifiers, start=2)
    ]
    scratch.add(rows, "abcdef0123")
    return scratch


def _first_holders(identifiers, position, kind, fold=lambda value: value):
    """The verdicts expected for one identifier: each row pointing at the first row with its value."""
    first, expected = {}, []
    for number, values in enumerate(identifiers, start=2):
        value = values[position]
        if not value:
            continue
        key = fold(value)
        if key in first:
            expected.append((number, kind, first[key]))
        else:
            first[key] = number
    return expected


_NIBS = st.sampled_from(["", "1234567890123", "9876543210987", "5555555555555"])
_PHONES = st.sampled_from(["", "+6281234567890", "+6285712345678"])
_REFS = st.sampled_from([None, "UMKM-1", "umkm-1", "UMKM-2"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(identifiers=st.lists(st.tuples(_NIBS, _PHONES, _REFS), max_size=30))
def test_repeats_flag_every_later_row_with_the_first_row_holding_the_same_identifier(tmp_path, identifiers):
    # given rows repeating NIBs, phones and agency ids (agency ids compared without case)
    scratch = _scratch_with(tmp_path, identifiers)
    try:
        # when the repeats are looked for
        for column, kind in (("k_nib", "nib"), ("k_phone", "phone"), ("k_ref", "ref")):
            scratch.repeats(column, kind)
        found = sorted(scratch.db.execute("SELECT row, kind, other_row FROM dups"))
    finally:
        scratch.remove()
    # then every later holder points at the first one, and no row is flagged for a value it alone has
    expected = sorted(
        _first_holders(identifiers, 0, "nib")
        + _first_holders(identifiers, 1, "phone")
        + _first_holders(identifiers, 2, "ref", fold=str.lower)
    )
    assert found == expected


def test_names_by_village_come_sorted_by_village_then_row(tmp_path):
    # given rows of two villages stored out of village order
    scratch = Scratch(tmp_path / "scratch.sqlite3")
    try:
        scratch.add(
            [
                (2, Row(name="Toko Maju", village_id="33.01.01.2002")),
                (3, Row(name="CV Warung Sri", village_id="33.01.01.2001")),
                (4, Row(name="Toko Jaya", village_id="33.01.01.2002")),
            ],
            "abcdef0123",
        )
        # when they are read for the name comparison
        listed = list(scratch.names_by_village())
    finally:
        scratch.remove()
    # then each village's rows come together, in row order, with their name keys
    assert listed == [
        ("33.01.01.2001", 3, "sri warung"),
        ("33.01.01.2002", 2, "maju toko"),
        ("33.01.01.2002", 4, "jaya toko"),
    ]
