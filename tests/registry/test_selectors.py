import pytest

from naikkelas.registry import services
from naikkelas.registry.selectors import business_counts, business_list, business_page, claimable_businesses
from tests.registry.factories import (
    CATURTUNGGAL,
    JATENG,
    KRICAK,
    MIROTO,
    SLEMAN,
    make_admin,
    make_business,
    make_imported,
    make_officer,
    make_owner,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry():
    return {
        "warung": make_business(name="Warung Bu Sri", sector_code="47112", annual_sales=50_000_000),
        "keripik": make_business(name="Keripik Tempe Sari", sector_code="10794", nib="1234567890123"),
        "batik": make_business(village=KRICAK, name="Batik Kricak", sector_code="14120", annual_sales=3 * 10**9),
        "bandeng": make_business(
            village=MIROTO, name="Bandeng Presto Semarang", sector_code="10794", phone="+6281298765432"
        ),
    }


def _names(queryset):
    return {b.name for b in queryset}


def test_business_list_gives_an_officer_only_their_regions(registry):
    assert _names(business_list(actor=make_officer(SLEMAN))) == {"Warung Bu Sri", "Keripik Tempe Sari"}
    assert _names(business_list(actor=make_officer(SLEMAN, JATENG))) == {
        "Warung Bu Sri",
        "Keripik Tempe Sari",
        "Bandeng Presto Semarang",
    }


def test_business_list_gives_an_admin_everything_and_an_owner_only_their_own(registry):
    assert len(business_list(actor=make_admin())) == 4
    owner = make_owner()
    mine = make_business(village=KRICAK, owner=owner, name="Punyaku")
    assert list(business_list(actor=owner)) == [mine]


def test_business_list_region_filter_cannot_widen_an_officers_scope(registry):
    officer = make_officer(SLEMAN)
    assert _names(business_list(actor=officer, region="34.71")) == set()
    assert _names(business_list(actor=officer, region="34")) == {"Warung Bu Sri", "Keripik Tempe Sari"}


def test_business_list_searches_by_name_nib_and_phone(registry):
    admin = make_admin()
    assert _names(business_list(actor=admin, q="keripik")) == {"Keripik Tempe Sari"}
    assert _names(business_list(actor=admin, q="1234567890123")) == {"Keripik Tempe Sari"}
    assert _names(business_list(actor=admin, q="0812-9876-5432")) == {"Bandeng Presto Semarang"}


def test_business_list_filters_by_sector_size_and_readiness(registry):
    admin = make_admin()
    assert _names(business_list(actor=admin, sector="1079")) == {"Keripik Tempe Sari", "Bandeng Presto Semarang"}
    assert _names(business_list(actor=admin, sector="G")) == {"Warung Bu Sri"}
    assert _names(business_list(actor=admin, size="small")) == {"Batik Kricak"}
    services.readiness_record(
        actor=admin,
        business=registry["batik"],
        answers={"nib": "yes", "catalogue": "yes", "payments": [], "channels": [], "books": "none", "bank": "no"},
    )
    assert _names(business_list(actor=admin, readiness="2")) == {"Batik Kricak"}
    assert len(business_list(actor=admin, readiness="none")) == 3


def test_business_counts_add_up_to_the_list(registry):
    counts = business_counts(actor=make_officer(SLEMAN))
    assert counts["total"] == 2
    assert counts["not_assessed"] == 2
    assert sum(counts["by_level"].values()) == 0
    assert counts["claimed"] == 0


def test_business_page_pages_through_the_list_fifty_at_a_time():
    for n in range(55):
        make_business(village=CATURTUNGGAL, name=f"Usaha {n}")
    officer = make_officer(SLEMAN)
    first, second = business_page(actor=officer, page=1), business_page(actor=officer, page=2)
    assert (len(first.object_list), len(second.object_list)) == (50, 5)
    assert first.paginator.count == 55
    assert not {b.pk for b in first} & {b.pk for b in second}
    assert business_page(actor=officer, page="junk").number == 1


def test_claimable_businesses_are_unowned_with_the_owners_phone_and_not_declined():
    owner = make_owner()
    mine = make_imported(phone=owner.phone)
    declined = make_imported(phone=owner.phone, name="Bukan Punyaku")
    make_imported(phone="+6281311112222", name="Nomor lain")
    make_business(owner=make_owner(), phone=owner.phone, name="Sudah ada pemilik")
    services.business_claim_decline(actor=owner, business_id=declined.pk)
    assert list(claimable_businesses(actor=owner)) == [mine]


def test_claimable_businesses_is_empty_for_officers():
    officer = make_officer(SLEMAN)
    make_imported(phone=officer.phone)
    assert not claimable_businesses(actor=officer).exists()
