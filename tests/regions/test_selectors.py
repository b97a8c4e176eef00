import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from naikkelas.regions.models import Region
from naikkelas.regions.selectors import region_children, region_get, region_label, region_search, under_regions_q
from naikkelas.registry.models import Business
from tests.registry.factories import CATURTUNGGAL, KRICAK, MIROTO, make_business

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_places():
    return {
        code: make_business(village=code, name=f"Usaha {code}").pk for code in (CATURTUNGGAL, KRICAK, MIROTO)
    }


def _villages(codes):
    businesses = Business.objects.filter(under_regions_q(codes, field="village__code"))
    return set(businesses.values_list("village_id", flat=True))


def test_under_regions_q_matches_a_region_and_everything_inside_it(three_places):
    assert _villages(["34.04"]) == {CATURTUNGGAL}
    assert _villages(["34"]) == {CATURTUNGGAL, KRICAK}
    assert _villages([CATURTUNGGAL]) == {CATURTUNGGAL}
    assert _villages(["34.04", "33"]) == {CATURTUNGGAL, MIROTO}


def test_under_regions_q_rejects_codes_that_only_share_leading_characters(three_places):
    # "3" and "34.0" are prefixes of the strings but not regions that contain them.
    assert _villages(["3"]) == set()
    assert _villages(["34.0"]) == set()
    assert _villages(["34.04.0"]) == set()


def test_under_regions_q_with_no_codes_matches_nothing(three_places):
    assert _villages([]) == set()


def test_region_children_lists_provinces_then_the_children_of_a_region():
    provinces = list(region_children(None))
    assert len(provinces) == 38
    assert {r.level for r in provinces} == {Region.Level.PROVINCE}
    assert len(region_children("34")) == 5
    districts = list(region_children("34.04"))
    assert len(districts) == 17
    assert [d.name for d in districts] == sorted(d.name for d in districts)
    assert region_children("99.99").count() == 0


def test_region_label_reads_like_an_address():
    assert region_label(region_get(CATURTUNGGAL)) == "Caturtunggal, Depok, Sleman, DI Yogyakarta"
    # A city keeps "Kota" so it is not mistaken for the regency of the same name.
    assert region_label(region_get(KRICAK)) == "Kricak, Tegalrejo, Kota Yogyakarta, DI Yogyakarta"
    assert region_label(region_get("31")) == "DKI Jakarta"


def test_region_search_finds_a_village_by_the_start_of_its_name():
    codes = [r.code for r in region_search("caturtung")]
    assert CATURTUNGGAL in codes


def test_region_search_puts_the_exact_name_first_and_accepts_any_case_and_prefix():
    results = region_search("Desa Caturtunggal")
    assert results[0].code == CATURTUNGGAL


def test_region_search_narrows_by_the_places_above_the_village():
    # Many villages are called Depok; "depok sleman" has none, "depok jawa barat" only West Java's.
    west_java = region_search("depok jawa barat")
    assert west_java and all(r.code.startswith("32.") for r in west_java)
    assert [r.code for r in region_search("caturtunggal sleman")] == [CATURTUNGGAL]


def test_region_search_returns_only_villages_and_at_most_the_limit():
    results = region_search("sumber")
    assert 0 < len(results) <= 20
    assert {r.level for r in results} == {Region.Level.VILLAGE}


@pytest.mark.parametrize("query", ["", "  ", "ab", "a b", "%%", "__"])
def test_region_search_finds_nothing_for_too_short_or_wildcard_queries(query):
    assert region_search(query) == []


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=60))
def test_region_search_never_fails_on_any_text(text):
    results = region_search(text)
    assert len(results) <= 20
    assert all(r.level == Region.Level.VILLAGE for r in results)
