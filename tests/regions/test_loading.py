import time

import pytest

from naikkelas.regions.loading import load_all
from naikkelas.regions.models import Region, Sector

pytestmark = pytest.mark.django_db


def test_loading_gives_every_kemendagri_region_at_each_level():
    counts = {level: Region.objects.filter(level=level).count() for level in Region.Level}
    assert counts == {
        Region.Level.PROVINCE: 38,
        Region.Level.REGENCY: 514,
        Region.Level.DISTRICT: 7285,
        Region.Level.VILLAGE: 83762,
    }


def test_loading_gives_the_whole_kbli_2020_tree():
    assert Sector.objects.count() == 2710
    assert Sector.objects.filter(level=Sector.Level.KELOMPOK).count() == 1789
    assert Sector.objects.get(code="47111").kategori == "G"


def test_every_region_hangs_under_the_region_its_code_names():
    village = Region.objects.select_related("parent__parent__parent").get(code="34.71.01.1001")
    assert [village.parent_id, village.parent.parent_id, village.parent.parent.parent_id] == [
        "34.71.01",
        "34.71",
        "34",
    ]
    assert Region.objects.filter(level__gt=1, parent__isnull=True).count() == 0


@pytest.mark.parametrize(
    ("province", "zone"),
    [
        ("34", "Asia/Jakarta"),  # DI Yogyakarta: WIB
        ("61", "Asia/Jakarta"),  # Kalimantan Barat: WIB
        ("51", "Asia/Makassar"),  # Bali: WITA
        ("65", "Asia/Makassar"),  # Kalimantan Utara: WITA
        ("82", "Asia/Jayapura"),  # Maluku Utara: WIT
        ("96", "Asia/Jayapura"),  # Papua Barat Daya: WIT
    ],
)
def test_each_province_knows_its_time_zone(province, zone):
    assert Region.objects.get(code=province).timezone == zone


def test_no_province_is_left_without_a_zone():
    assert not Region.objects.filter(level=Region.Level.PROVINCE, timezone="").exists()


def test_loading_again_adds_nothing_and_keeps_what_is_there():
    assert load_all() == {"regions": 0, "sectors": 0}
    assert Region.objects.count() == 91599


def test_names_are_searchable_without_administrative_prefixes():
    assert Region.objects.get(code="34.04").search_name == "sleman"
    assert Region.objects.get(code="34.71").search_name == "yogyakarta"


def test_a_fresh_load_takes_under_thirty_seconds():
    # The budget for a first load on SQLite; measured on an empty table inside the test's transaction.
    for level in sorted(Region.Level, reverse=True):
        Region.objects.filter(level=level)._raw_delete(Region.objects.db)
    assert not Region.objects.exists()
    started = time.perf_counter()
    added = load_all()["regions"]
    assert added == 91599
    assert time.perf_counter() - started < 30
