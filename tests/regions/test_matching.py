import pytest

from naikkelas.regions import matching
from naikkelas.regions.matching import RegionMatcher, Resolver, normalize_code, region_matcher

pytestmark = pytest.mark.django_db

CATURTUNGGAL = "34.04.07.2001"
CONDONGCATUR = "34.04.07.2003"


@pytest.fixture(scope="module")
def matcher(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        return RegionMatcher.from_database()


def test_normalize_code_accepts_dotted_plain_and_spaced_codes():
    assert normalize_code("34.04.07.2001") == CATURTUNGGAL
    assert normalize_code("3404072001") == CATURTUNGGAL
    assert normalize_code(" 34 04 07 2001 ") == CATURTUNGGAL
    assert normalize_code("340407") == "34.04.07"


def test_normalize_code_rejects_what_cannot_be_a_code():
    assert normalize_code("") == ""
    assert normalize_code("Sleman") == ""
    assert normalize_code("12345") == ""


def test_matcher_holds_the_whole_region_tree(matcher):
    assert len(matcher) == 38 + 514 + 7_285 + 83_762


def test_resolve_takes_a_village_code_alone(matcher):
    assert matcher.resolve(code="3404072001").code == CATURTUNGGAL


def test_resolve_rejects_an_unknown_code_with_a_reason(matcher):
    match = matcher.resolve(code="99.99.99.9999")
    assert match.code == ""
    assert "tidak dikenal" in match.error


@pytest.mark.parametrize(
    "names",
    [
        {"province": "DI Yogyakarta", "regency": "Kabupaten Sleman", "district": "Depok", "village": "Condongcatur"},
        {"province": "DIY", "regency": "Kab. Sleman", "district": "Kec. Depok", "village": "Desa Condong Catur"},
        {
            "province": "daerah istimewa yogyakarta",
            "regency": "KABUPATEN SLEMAN",
            "district": "DEPOK",
            "village": "CONDONGCATUR",
        },
        {"regency": "Kab.Sleman", "district": "Depok", "village": "Condongcatur"},
        {"province": "Yogyakarta", "regency": "Sleeman", "district": "Depk", "village": "Condongcatr"},
    ],
)
def test_resolve_finds_a_village_by_names_in_their_usual_spellings(matcher, names):
    match = matcher.resolve(**names)
    assert (match.code, match.error) == (CONDONGCATUR, "")


def test_resolve_tells_kota_from_kabupaten_of_the_same_name(matcher):
    # Kota Bandung has no district Cileunyi; Kabupaten Bandung has.
    place = {"province": "Jawa Barat", "district": "Cileunyi", "village": "Cileunyi Kulon"}
    found = matcher.resolve(regency="Kab. Bandung", **place)
    refused = matcher.resolve(regency="Kota Bandung", **place)
    assert found.code.startswith("32.04.")
    assert refused.code == ""
    assert "Kota Bandung" in refused.error


def test_resolve_uses_lower_levels_to_settle_a_bare_regency_name(matcher):
    match = matcher.resolve(province="Jawa Barat", regency="Bandung", district="Cileunyi", village="Cileunyi Kulon")
    assert match.code.startswith("32.04.")


def test_resolve_never_matches_a_name_outside_its_parent(matcher):
    # Depok is a district of Sleman and a city in Jawa Barat; Caturtunggal is only in Sleman's Depok.
    match = matcher.resolve(province="Jawa Barat", district="Depok", village="Caturtunggal")
    assert match.code == ""
    assert match.error


def test_resolve_names_the_level_that_was_not_found(matcher):
    match = matcher.resolve(province="DIY", regency="Sleman", district="Depok", village="Kampung Antah Berantah")
    assert match.code == ""
    assert "Desa/kelurahan 'Kampung Antah Berantah' tidak ditemukan di Depok" in match.error


def test_resolve_refuses_an_ambiguous_village_name_and_says_what_to_add(matcher):
    match = matcher.resolve(village="Sukamaju")
    assert match.code == ""
    assert "lebih dari satu" in match.error


def test_resolve_narrows_missing_levels_to_the_officers_regions(matcher):
    assert matcher.resolve(district="Depok", village="Caturtunggal", roots=("34.04",)).code == CATURTUNGGAL
    assert matcher.resolve(village="Caturtunggal", roots=("34.04.07",)).code == CATURTUNGGAL


def test_resolve_requires_a_village_when_no_village_code_is_given(matcher):
    match = matcher.resolve(province="DIY", regency="Sleman", district="Depok")
    assert match.code == ""
    assert "Desa/kelurahan kosong" in match.error


def test_resolve_accepts_a_district_code_with_a_village_name(matcher):
    assert matcher.resolve(code="34.04.07", village="Caturtunggal").code == CATURTUNGGAL


def test_resolver_answers_repeated_rows_without_touching_the_database(matcher, django_assert_num_queries):
    resolver = Resolver(matcher, roots=())
    with django_assert_num_queries(0):
        for _ in range(3):
            assert resolver.resolve("", "DIY", "Kab. Sleman", "Depok", "Caturtunggal").code == CATURTUNGGAL
            assert resolver.resolve("3404072003", "", "", "", "").code == CONDONGCATUR


def test_region_matcher_is_read_once_per_process(django_assert_num_queries):
    matching.forget_region_matcher()
    first = region_matcher()
    with django_assert_num_queries(0):
        assert region_matcher() is first


def test_resolver_answers_another_spelling_of_a_known_row_without_searching_again(matcher, monkeypatch):
    # Given a row already resolved
    resolver = Resolver(matcher, roots=())
    first = resolver.resolve("", "DIY", "Kab. Sleman", "Kec. Depok", "Desa Caturtunggal")
    calls = []
    monkeypatch.setattr(resolver.matcher, "resolve", lambda **kwargs: calls.append(kwargs))
    # When the same places come spelled the other ways agencies write them
    again = [
        resolver.resolve("", "DIY", "KABUPATEN SLEMAN", "Depok", "Caturtunggal"),
        resolver.resolve("", "DIY", "Kabupaten  Sleman", "DEPOK", "desa caturtunggal"),
    ]
    # Then they get the same village, and the tree is not searched again
    assert first.code == CATURTUNGGAL
    assert [match.code for match in again] == [CATURTUNGGAL, CATURTUNGGAL]
    assert calls == []


def test_resolver_tells_a_cell_of_only_punctuation_from_an_empty_cell(matcher):
    # Given a resolver that found the village with the district left empty
    resolver = Resolver(matcher, roots=())
    assert resolver.resolve("", "DIY", "Sleman", "", "Caturtunggal").code == CATURTUNGGAL
    # When the district cell holds only punctuation (which normalises to nothing)
    match = resolver.resolve("", "DIY", "Sleman", "?", "Caturtunggal")
    # Then the row is refused, quoting the cell as written
    assert match.code == ""
    assert "Kecamatan '?' tidak ditemukan" in match.error


def test_resolver_quotes_each_refused_spelling_as_written(matcher):
    resolver = Resolver(matcher, roots=())
    first = resolver.resolve("", "DIY", "Sleman", "Depok", "Kampung Antah")
    second = resolver.resolve("", "DIY", "Sleman", "Depok", "Desa Kampung Antah")
    assert "'Kampung Antah'" in first.error
    assert "'Desa Kampung Antah'" in second.error
