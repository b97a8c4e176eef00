"""The catalogue sync of the partner API: GET /businesses, /businesses/{id}, /products, /products/{id}.

Rows are stamped with explicit times (a queryset update skips auto_now) so that order and windows are exact;
the settle delay is 0 unless a test is about it.
"""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from hypothesis import HealthCheck, given, settings as hypothesis_settings, strategies as st

from naikkelas.catalog import services as catalog_services
from naikkelas.catalog.models import Product, ProductPhoto, ShopProfile
from naikkelas.partners import services as partner_services
from naikkelas.partners.models import ApiKey, Share
from naikkelas.registry.models import Business
from tests.catalog.factories import make_product
from tests.partners.factories import Api, make_key, make_partner_org, share
from tests.registry.factories import KRICAK, make_business, make_owner

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"
T0 = datetime(2026, 1, 5, 1, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def no_settle_delay(settings):
    settings.PARTNER_SYNC_SETTLE_SECONDS = 0
    settings.PARTNER_API_RATE_LIMIT = 100_000


def stamp(obj, moment: datetime) -> None:
    """Set updated_at as if the row had last changed at `moment`."""
    type(obj).objects.filter(pk=obj.pk).update(updated_at=moment)
    obj.refresh_from_db()


def open_shop(name: str = "Keripik Bu Sri", **fields) -> Business:
    business = make_business(name=name, owner=make_owner(), **fields)
    ShopProfile.objects.create(business=business)
    return business


def add_photo(product: Product) -> ProductPhoto:
    photo = ProductPhoto(product=product, width=40, height=30)
    photo.image.save("foto.webp", ContentFile(b"RIFF"), save=False)
    photo.thumb.save("foto.webp", ContentFile(b"RIFF"), save=False)
    photo.save()
    return photo


@pytest.fixture
def partner():
    return make_partner_org()


@pytest.fixture
def api(partner):
    return Api(make_key(partner, ApiKey.Scope.READ))


@pytest.fixture
def shop(partner):
    business = open_shop()
    share(business, partner)
    return business


def walk(api, path: str, params: dict | None = None, limit: int = 100) -> tuple[list[dict], str]:
    """Every item of a walk, page by page; and the walk's next_updated_since."""
    params = {**(params or {}), "limit": limit}
    items, cursor = [], None
    while True:
        response = api.get(path, {**params, **({"cursor": cursor} if cursor else {})})
        assert response.status_code == 200, response.content
        body = response.json()
        items += body["items"]
        cursor = body["next_cursor"]
        if cursor is None:
            return items, body["next_updated_since"]


def iso(moment: datetime) -> str:
    """A time as the API writes it: UTC, to the millisecond."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def ids(items: list[dict]) -> list[int]:
    return [item["id"] for item in items]


# -- products ------------------------------------------------------------------------------------------------


def test_product_list_gives_each_shared_product_with_absolute_addresses(api, shop):
    # Given a shared shop with a product that has a photo, and one made to order
    product = make_product(shop, name="Keripik Pisang", price=15000, stock=7, weight_grams=250, category="Camilan")
    photo = add_photo(product)
    catering = make_product(shop, name="Nasi Kotak", price=25000, stock=0, made_to_order=True)

    # When the partner lists the products
    response = api.get("/products")

    # Then each comes with the documented fields
    assert response.status_code == 200
    items = {item["id"]: item for item in response.json()["items"]}
    assert items[product.pk] == {
        "id": product.pk,
        "business_id": shop.pk,
        "deleted": False,
        "name": "Keripik Pisang",
        "description": "",
        "price": 15000,
        "currency": "IDR",
        "stock": 7,
        "made_to_order": False,
        "availability": "in_stock",
        "unit": "pcs",
        "weight_grams": 250,
        "category": "Camilan",
        "url": f"http://testserver/{shop.slug}/{product.pk}/",
        "image_url": f"http://testserver/media/{photo.image.name}",
        "updated_at": items[product.pk]["updated_at"],
    }
    assert items[catering.pk]["stock"] is None
    assert items[catering.pk]["availability"] == "in_stock"
    assert items[catering.pk]["image_url"] is None


def test_out_of_stock_product_is_listed_as_out_of_stock(api, shop):
    product = make_product(shop, stock=0)

    item = api.get(f"/products/{product.pk}").json()

    assert (item["stock"], item["availability"]) == (0, "out_of_stock")


def test_product_detail_gives_a_shared_product(api, shop):
    product = make_product(shop, name="Bakpia Kacang Hijau")

    response = api.get(f"/products/{product.pk}")

    assert response.status_code == 200
    assert response.json()["name"] == "Bakpia Kacang Hijau"


def test_incremental_sync_gives_only_what_changed_since(api, shop):
    # Given two products, one changed before the last sync and one after
    old, new = make_product(shop, name="Lama"), make_product(shop, name="Baru")
    stamp(old, T0)
    stamp(new, T0 + timedelta(hours=2))

    # When the partner asks for changes since an hour after T0
    items, _ = walk(api, "/products", {"updated_since": (T0 + timedelta(hours=1)).isoformat()})

    # Then only the newer product comes
    assert ids(items) == [new.pk]


def test_products_come_in_order_of_change_then_id(api, shop):
    first, second, third = (make_product(shop, name=name) for name in ("a", "b", "c"))
    stamp(first, T0 + timedelta(minutes=5))
    stamp(second, T0)
    stamp(third, T0)

    items, _ = walk(api, "/products")

    assert ids(items) == [second.pk, third.pk, first.pk]


def test_naive_and_malformed_updated_since_are_refused_with_a_problem(api, shop):
    for value in ("2026-01-05T08:00:00", "kemarin", "2026-13-45T00:00:00Z", "1767225600", "0.5"):
        response = api.get("/products", {"updated_since": value})

        assert response.status_code == 422, value
        assert response["Content-Type"] == PROBLEM
        assert response.json()["errors"][0]["loc"][-1] == "updated_since"


def test_updated_since_beyond_the_calendar_is_refused_not_a_server_error(api, shop):
    response = api.get("/products", {"updated_since": "0001-01-01T00:00:00+23:59"})

    assert response.status_code == 422
    assert response["Content-Type"] == PROBLEM


def test_an_unknown_parameter_is_refused_rather_than_ignored(api, shop):
    # A misspelt updated_since must not quietly become a full pull.
    response = api.get("/products", {"update_since": T0.isoformat()})

    assert response.status_code == 422
    assert response["Content-Type"] == PROBLEM
    assert response.json()["errors"][0]["loc"] == ["query", "update_since"]
    assert api.get("/products", {"updated_since": T0.isoformat()}).status_code == 200


def test_limit_outside_1_to_500_is_refused(api, shop):
    for limit in (0, 501, -1):
        response = api.get("/products", {"limit": limit})

        assert response.status_code == 422
        assert response["Content-Type"] == PROBLEM


def test_a_cursor_not_issued_by_the_site_is_refused(api, shop):
    for cursor in ("abc", "eyJrIjoicHJvZHVjdHMifQ:1v:abc", "x" * 50):
        response = api.get("/products", {"cursor": cursor})

        assert response.status_code == 422
        assert response["Content-Type"] == PROBLEM
        assert response.json()["errors"] == [{"loc": ["query", "cursor"], "msg": response.json()["detail"]}]


def test_a_cursor_of_businesses_is_refused_by_products(api, shop, partner):
    second = open_shop("Batik Kricak", village=KRICAK)
    share(second, partner)
    cursor = api.get("/businesses", {"limit": 1}).json()["next_cursor"]

    response = api.get("/products", {"cursor": cursor})

    assert cursor is not None
    assert response.status_code == 422


def test_a_cursor_with_other_filters_is_refused(api, shop):
    for _ in range(3):
        make_product(shop)
    cursor = api.get("/products", {"limit": 1, "updated_since": T0.isoformat()}).json()["next_cursor"]

    response = api.get("/products", {"cursor": cursor, "updated_since": (T0 + timedelta(days=1)).isoformat()})
    same = api.get("/products", {"cursor": cursor, "updated_since": T0.isoformat()})

    assert response.status_code == 422
    assert same.status_code == 200


@pytest.fixture
def many_products(shop):
    """23 products, several sharing one updated_at, so the walk's tie-break on id matters."""
    products = [make_product(shop, name=f"Produk {n}") for n in range(23)]
    for n, product in enumerate(products):
        stamp(product, T0 + timedelta(seconds=n // 4))
    return products


@given(limit=st.integers(min_value=1, max_value=30))
@hypothesis_settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_cursor_pagination_walks_every_product_exactly_once(api, many_products, limit):
    items, _ = walk(api, "/products", limit=limit)

    expected = sorted(many_products, key=lambda p: (p.updated_at, p.pk))
    assert ids(items) == [product.pk for product in expected]


def test_a_product_stamped_inside_the_settle_window_comes_with_the_next_sync(api, shop, settings):
    # Given a settle delay of 10 s, a settled product, and one stamped 2 s ago (its transaction may not
    # have committed when the sync reads)
    settings.PARTNER_SYNC_SETTLE_SECONDS = 10
    settled, fresh = make_product(shop, name="Lama"), make_product(shop, name="Baru")
    stamp(settled, timezone.now() - timedelta(minutes=1))
    stamp(fresh, timezone.now() - timedelta(seconds=2))

    # When the partner syncs, then syncs again from next_updated_since once the window has passed
    first, next_since = walk(api, "/products", {"updated_since": T0.isoformat()})
    settings.PARTNER_SYNC_SETTLE_SECONDS = 0
    second, _ = walk(api, "/products", {"updated_since": next_since})

    # Then the fresh product is not served before it settles, and is not skipped after
    assert ids(first) == [settled.pk]
    assert ids(second) == [fresh.pk]
    assert datetime.fromisoformat(next_since) < fresh.updated_at


def test_next_updated_since_is_the_same_on_every_page_of_a_walk(api, many_products):
    horizons = set()
    cursor = None
    while True:
        body = api.get("/products", {"limit": 7, **({"cursor": cursor} if cursor else {})}).json()
        horizons.add(body["next_updated_since"])
        cursor = body["next_cursor"]
        if cursor is None:
            break

    assert len(horizons) == 1


def test_deleted_and_hidden_products_appear_as_tombstones_in_incremental_sync(api, shop):
    # Given a product deleted and one hidden by the owner after the last sync
    owner = shop.owner
    deleted, hidden, kept = make_product(shop, name="Hapus"), make_product(shop, name="Sembunyi"), make_product(shop)
    catalog_services.product_delete(actor=owner, product=deleted)
    catalog_services.product_set_active(actor=owner, product=hidden, active=False)

    # When the partner syncs changes
    items, _ = walk(api, "/products", {"updated_since": T0.isoformat()})

    # Then both come as tombstones with their reasons; the other product as a product
    by_id = {item["id"]: item for item in items}
    deleted.refresh_from_db()
    assert by_id[deleted.pk] == {
        "id": deleted.pk,
        "business_id": shop.pk,
        "deleted": True,
        "reason": "deleted",
        "updated_at": iso(deleted.updated_at),
    }
    assert by_id[hidden.pk]["deleted"] is True
    assert by_id[hidden.pk]["reason"] == "hidden"
    assert by_id[kept.pk]["deleted"] is False


def test_full_pull_lists_no_tombstones(api, shop):
    hidden, kept = make_product(shop, is_active=False), make_product(shop)
    catalog_services.product_delete(actor=shop.owner, product=make_product(shop))

    items, _ = walk(api, "/products")

    assert ids(items) == [kept.pk]
    assert hidden.pk not in ids(items)


def test_hidden_and_deleted_products_are_404_in_detail(api, shop):
    hidden = make_product(shop, is_active=False)
    deleted = catalog_services.product_delete(actor=shop.owner, product=make_product(shop))

    for product in (hidden, deleted):
        response = api.get(f"/products/{product.pk}")

        assert response.status_code == 404
        assert response["Content-Type"] == PROBLEM


def test_products_of_one_business_for_a_full_pull(api, shop, partner):
    other = open_shop("Batik Kricak", village=KRICAK)
    share(other, partner)
    mine, theirs = make_product(shop), make_product(other)

    items, _ = walk(api, "/products", {"business_id": other.pk})

    assert ids(items) == [theirs.pk]
    assert mine.pk not in ids(items)


# -- what a partner without a share sees: nothing ------------------------------------------------------------


@pytest.fixture
def not_shared(partner):
    """A public shop with a product that shares with another partner, not with `partner`."""
    business = open_shop("Batik Kricak", village=KRICAK)
    share(business, make_partner_org("Pasar Lain"))
    return business, make_product(business, name="Batik Tulis")


def test_a_business_that_does_not_share_is_404_like_a_missing_one(api, shop, not_shared):
    business, product = not_shared
    missing = Business.objects.order_by("-pk").first().pk + 1000

    for path in (f"/businesses/{business.pk}", f"/businesses/{missing}"):
        response = api.get(path)
        assert response.status_code == 404
        assert response["Content-Type"] == PROBLEM
    assert api.get(f"/businesses/{shop.pk}").status_code == 200


def test_a_product_of_a_business_that_does_not_share_is_404_like_a_missing_one(api, shop, not_shared):
    _business, product = not_shared
    mine = make_product(shop)

    refused, missing = api.get(f"/products/{product.pk}"), api.get(f"/products/{product.pk + 1000}")

    assert refused.status_code == missing.status_code == 404
    assert refused.json()["title"] == missing.json()["title"]
    assert api.get(f"/products/{mine.pk}").status_code == 200


def test_lists_leave_out_a_business_that_does_not_share(api, shop, not_shared):
    business, product = not_shared
    mine = make_product(shop)

    for params in ({}, {"updated_since": T0.isoformat()}):
        businesses, _ = walk(api, "/businesses", params)
        products, _ = walk(api, "/products", params)

        assert ids(businesses) == [shop.pk]
        assert ids(products) == [mine.pk]


def test_products_of_a_business_that_does_not_share_are_404(api, shop, not_shared):
    business, _product = not_shared

    response = api.get("/products", {"business_id": business.pk})

    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM
    assert api.get("/products", {"business_id": shop.pk}).status_code == 200


def test_an_invited_or_declined_business_is_not_shared(api, partner):
    for state in (Share.State.INVITED, Share.State.DECLINED):
        business = open_shop(f"Usaha {state}")
        Share.objects.create(business=business, partner=partner, state=state)
        product = make_product(business)

        assert api.get(f"/businesses/{business.pk}").status_code == 404
        assert api.get(f"/products/{product.pk}").status_code == 404


def test_a_shared_business_without_a_public_shop_is_not_listed(api, partner):
    # Given a business that shares but has not opened its shop
    business = make_business(name="Belum Buka", owner=make_owner())
    share(business, partner)
    product = make_product(business)

    # Then the partner sees neither it nor its products
    assert api.get(f"/businesses/{business.pk}").status_code == 404
    assert api.get(f"/products/{product.pk}").status_code == 404
    assert walk(api, "/businesses")[0] == []


def test_without_a_key_the_catalogue_is_refused(shop):
    make_product(shop)

    for path in ("/businesses", "/products", f"/businesses/{shop.pk}"):
        response = Api(None).get(path)

        assert response.status_code == 401
        assert response["Content-Type"] == PROBLEM


# -- businesses ----------------------------------------------------------------------------------------------


def test_business_list_describes_each_shared_shop(api, shop):
    response = api.get("/businesses")

    assert response.status_code == 200
    [item] = response.json()["items"]
    share_row = Share.objects.get(business=shop)
    assert item == {
        "id": shop.pk,
        "deleted": False,
        "name": "Keripik Bu Sri",
        "slug": shop.slug,
        "url": f"http://testserver/{shop.slug}/",
        "sector": None,
        "village_code": "34.04.07.2001",
        "district_code": "34.04.07",
        "regency_code": "34.04",
        "province_code": "34",
        "place": item["place"],
        "shared_since": iso(share_row.granted_at),
        "updated_at": item["updated_at"],
    }
    assert item["place"].startswith("Caturtunggal, Depok, Sleman")


def test_business_detail_matches_its_list_entry(api, shop):
    listed = api.get("/businesses").json()["items"][0]

    detail = api.get(f"/businesses/{shop.pk}")

    assert detail.status_code == 200
    assert detail.json() == listed


def test_withdrawn_consent_appears_as_tombstone_on_the_next_sync(api, shop, partner):
    # Given a partner that synced the business
    make_product(shop)
    _, since = walk(api, "/businesses", {"updated_since": T0.isoformat()})

    # When the owner withdraws consent
    partner_services.share_withdraw(actor=shop.owner, business=shop, partner=partner)

    # Then the next sync gives a tombstone, and the business and its products are gone from every operation
    items, _ = walk(api, "/businesses", {"updated_since": since})
    withdrawn = Share.objects.get(business=shop, partner=partner)
    assert items == [
        {
            "id": shop.pk,
            "deleted": True,
            "reason": "consent_withdrawn",
            "updated_at": iso(withdrawn.changed_at),
        }
    ]
    assert api.get(f"/businesses/{shop.pk}").status_code == 404
    assert walk(api, "/products", {"updated_since": since})[0] == []
    assert api.get("/products", {"business_id": shop.pk}).status_code == 404


def test_withdrawn_business_is_not_in_a_full_pull(api, shop, partner):
    partner_services.share_withdraw(actor=shop.owner, business=shop, partner=partner)

    assert walk(api, "/businesses")[0] == []


def test_a_business_that_shares_again_appears_with_its_new_shared_since(api, shop, partner):
    # Given a business that withdrew, and a partner that synced the tombstone
    partner_services.share_withdraw(actor=shop.owner, business=shop, partner=partner)
    _, since = walk(api, "/businesses", {"updated_since": T0.isoformat()})

    # When the owner shares again
    partner_services.share_grant(actor=shop.owner, business=shop, partner=partner)

    # Then the next sync lists it with the new shared_since, and its catalogue can be pulled in full
    [item], _ = walk(api, "/businesses", {"updated_since": since})
    assert item["deleted"] is False
    assert datetime.fromisoformat(item["shared_since"]) > datetime.fromisoformat(since)
    assert api.get("/products", {"business_id": shop.pk}).status_code == 200


def test_a_shop_opened_after_sharing_appears_in_the_next_sync(api, partner):
    business = make_business(name="Baru Buka", owner=make_owner())
    share(business, partner)
    _, since = walk(api, "/businesses", {"updated_since": T0.isoformat()})

    catalog_services.shop_open(business)
    items, _ = walk(api, "/businesses", {"updated_since": since})

    assert ids(items) == [business.pk]


def test_business_pagination_walks_every_business_exactly_once(api, partner):
    shops = [open_shop(f"Toko {n}") for n in range(7)]
    for business in shops:
        share(business, partner)
    # Ties on the change time everywhere (share, business, shop): the id decides the order.
    Share.objects.filter(partner=partner).update(changed_at=T0)
    Business.objects.filter(pk__in=[business.pk for business in shops]).update(updated_at=T0)
    ShopProfile.objects.filter(business__in=shops).update(updated_at=T0)

    for limit in (1, 2, 3, 7, 8):
        items, _ = walk(api, "/businesses", limit=limit)
        assert ids(items) == sorted(business.pk for business in shops)
