"""Orders from partner platforms through the API: placing them (idempotently), reading them back, and the
status changes a partner may report. Every refusal is checked for what it did not do."""

import itertools
import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from naikkelas.catalog.models import Product, ShopProfile
from naikkelas.core.models import IdempotentRequest, OutboxEvent
from naikkelas.orders import lifecycle
from naikkelas.orders.models import Order
from naikkelas.orders.services import order_mark_paid, order_transition
from naikkelas.partners import orders as partner_orders
from naikkelas.partners import services
from naikkelas.partners.models import ApiKey, Share
from tests.catalog.factories import make_product
from tests.orders.factories import make_order
from tests.partners.factories import Api, make_key, make_partner_org, share
from tests.registry.factories import make_business, make_owner

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


@pytest.fixture
def owner():
    return make_owner()


@pytest.fixture
def shop(owner):
    business = make_business(owner=owner, name="Keripik Bu Tini")
    ShopProfile.objects.create(business=business)
    return business


@pytest.fixture
def keripik(shop):
    return make_product(shop, name="Keripik Pisang", price=15000, stock=10)


@pytest.fixture
def partner(shop):
    made = make_partner_org("Pasar Nusantara")
    share(shop, made)
    return made


@pytest.fixture
def api(partner):
    return Api(make_key(partner, ApiKey.Scope.WRITE))


@pytest.fixture
def settled(monkeypatch):
    """Lists serve changes at once (instead of 5 seconds later)."""
    monkeypatch.setattr(partner_orders, "SETTLE", timedelta(0))


def order_body(shop, product, *, ref: str = "PN-1001", quantity: int = 2, **overrides) -> dict:
    return {
        "business_id": shop.pk,
        "external_ref": ref,
        "lines": [{"product_id": product.pk, "quantity": quantity}],
        "buyer": {"name": "Ani Pembeli", "phone": "081399990001", "address": "Jl. Kaliurang km 5", "village_code": None},
        "delivery": "courier",
        "payment_method": "cod",
        "note": "",
        **overrides,
    }


def post_order(api, body, key: str | None = "kunci-1"):
    return api.post("/orders", body, headers={"Idempotency-Key": key} if key is not None else {})


def stock(product) -> int:
    return Product.objects.values_list("stock", flat=True).get(pk=product.pk)


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith(PROBLEM)
    problem = response.json()
    assert problem["status"] == status and problem["title"]
    return problem


# ---- placing -----------------------------------------------------------------------------------------------


def test_a_partner_order_lands_in_the_shops_order_book_with_its_channel_and_reference(api, partner, shop, keripik):
    # When the partner sends its buyer's order
    response = post_order(api, order_body(shop, keripik))
    # Then it is placed: 201 with the order as the shop sees it, the stock taken
    assert response.status_code == 201, response.content
    placed = response.json()
    assert placed["status"] == "new" and placed["number"] == 1 and placed["external_ref"] == "PN-1001"
    assert placed["lines"] == [
        {"product_id": keripik.pk, "name": "Keripik Pisang", "unit": "pcs", "unit_price": 15000, "quantity": 2, "line_total": 30000}
    ]
    assert (placed["total"], placed["currency"], placed["paid"]) == (30000, "IDR", False)
    assert placed["buyer"]["phone"] == "+6281399990001"
    assert placed["actions"] == ["paid", "cancelled"]
    order = Order.objects.get(pk=placed["id"])
    assert (order.channel, order.external_ref, order.business_id) == (f"partner:{partner.slug}", "PN-1001", shop.pk)
    assert stock(keripik) == 8
    # And the platform side hears of it through the outbox
    event = OutboxEvent.objects.get(topic="order.status_changed")
    assert event.payload["channel"] == f"partner:{partner.slug}" and event.payload["external_ref"] == "PN-1001"


def test_the_same_order_posted_twice_with_one_key_makes_one_order_and_the_same_answer(api, shop, keripik):
    body = order_body(shop, keripik)
    first = post_order(api, body)
    # When the partner, unsure the first went through, sends it again with the same key
    again = post_order(api, body)
    # Then it gets the first answer again, marked as a replay, and nothing more happened
    assert (again.status_code, again.content) == (first.status_code, first.content) == (201, first.content)
    assert again["Idempotent-Replayed"] == "true" and not first.has_header("Idempotent-Replayed")
    assert Order.objects.count() == 1 and stock(keripik) == 8
    assert OutboxEvent.objects.filter(topic="order.status_changed").count() == 1


def test_the_same_key_with_another_body_is_refused_and_changes_nothing(api, shop, keripik):
    post_order(api, order_body(shop, keripik, quantity=2))
    # When another order is sent under the key already used
    refused = post_order(api, order_body(shop, keripik, ref="PN-1002", quantity=3))
    # Then it is refused with a problem saying so, and no second order was made
    problem = assert_problem(refused, 422)
    assert "Idempotency-Key" in problem["title"]
    assert Order.objects.count() == 1 and stock(keripik) == 8


def test_a_refusal_is_kept_under_its_key_and_replayed(api, shop, keripik):
    # Given an order the shop cannot fill (10 in stock, 12 wanted)
    body = order_body(shop, keripik, quantity=12)
    first = assert_problem(post_order(api, body), 422)
    assert "Keripik Pisang" in first["detail"]
    # When stock arrives and the same request is sent again under the same key
    Product.objects.filter(pk=keripik.pk).update(stock=50)
    again = post_order(api, body)
    # Then the first answer stands (a new attempt needs a new key), and no order was made
    assert again.status_code == 422 and again.json() == first and again["Idempotent-Replayed"] == "true"
    assert not Order.objects.exists()
    assert post_order(api, body, key="kunci-2").status_code == 201


def test_a_server_error_is_not_kept_and_the_retry_places_the_order(partner, shop, keripik, monkeypatch):
    api = Api(make_key(partner), client=Client(raise_request_exception=False))
    real = partner_orders.partner_order_place
    calls = []

    def flaky(**kwargs):
        calls.append(1)
        if len(calls) == 1:
            real(**kwargs)  # the work is done...
            raise RuntimeError("the database went away")  # ...and then the request fails
        return real(**kwargs)

    monkeypatch.setattr(partner_orders, "partner_order_place", flaky)
    body = order_body(shop, keripik)
    failed = post_order(api, body)
    # Then the failure is a 500 whose work was rolled back, and the key is free again
    assert failed.status_code == 500
    assert not Order.objects.exists() and stock(keripik) == 10 and not IdempotentRequest.objects.exists()
    # And the retry with the same key places the order once
    retried = post_order(api, body)
    assert retried.status_code == 201 and not retried.has_header("Idempotent-Replayed")
    assert Order.objects.count() == 1 and stock(keripik) == 8


@pytest.mark.parametrize("key", [None, "", " ", "x" * 256, "kunci é"])
def test_placing_without_a_usable_idempotency_key_is_refused(api, shop, keripik, key):
    problem = assert_problem(post_order(api, order_body(shop, keripik), key=key), 422)
    assert any("Idempotency-Key" in str(error["loc"]) for error in problem["errors"])
    assert not Order.objects.exists() and stock(keripik) == 10


def test_the_same_reference_under_another_key_points_at_the_existing_order(api, shop, keripik):
    placed = post_order(api, order_body(shop, keripik)).json()
    # When the partner sends the same order of its own under a new key
    duplicate = post_order(api, order_body(shop, keripik), key="kunci-baru")
    # Then it is refused as a conflict that names the order it already made, and nothing more is taken
    problem = assert_problem(duplicate, 409)
    assert f"/api/v1/orders/{placed['id']}" in problem["detail"]
    assert duplicate["Location"] == f"/api/v1/orders/{placed['id']}"
    assert Order.objects.count() == 1 and stock(keripik) == 8


def test_another_partner_may_use_the_same_reference(api, shop, keripik):
    post_order(api, order_body(shop, keripik))
    other = make_partner_org("Toko Desa")
    share(shop, other)
    response = post_order(Api(make_key(other)), order_body(shop, keripik))
    assert response.status_code == 201 and Order.objects.count() == 2


def test_an_order_goes_through_the_shops_own_checks(api, shop, keripik):
    # A product of another shop, a hidden product, a bad phone, a delivery without address: each refused
    elsewhere = make_product(make_business(owner=make_owner(), name="Toko Lain"), name="Kopi", stock=5)
    hidden = make_product(shop, name="Rengginang", stock=5, is_active=False)
    cases = [
        order_body(shop, elsewhere, ref="R1"),
        order_body(shop, hidden, ref="R2"),
        order_body(shop, keripik, ref="R3", buyer={"name": "Ani", "phone": "12", "address": "Jl. A"}),
        order_body(shop, keripik, ref="R4", buyer={"name": "Ani", "phone": "081399990001", "address": ""}),
    ]
    for number, body in enumerate(cases):
        assert_problem(post_order(api, body, key=f"k{number}"), 422)
    assert not Order.objects.exists() and stock(keripik) == 10 and stock(hidden) == 5


def test_a_shop_that_stopped_taking_orders_refuses_partner_orders_too(api, shop, keripik):
    ShopProfile.objects.filter(business=shop).update(accepting_orders=False)
    assert_problem(post_order(api, order_body(shop, keripik)), 422)
    assert not Order.objects.exists()


# ---- who may -----------------------------------------------------------------------------------------------


def test_a_read_only_key_cannot_place_an_order_or_change_a_status(partner, shop, keripik, api):
    reader = Api(make_key(partner, ApiKey.Scope.READ, name="pembaca"))
    refused = post_order(reader, order_body(shop, keripik))
    assert_problem(refused, 403)
    assert not Order.objects.exists() and not IdempotentRequest.objects.exists()
    # And it cannot cancel an order the write key placed, though it may read it
    placed = post_order(api, order_body(shop, keripik)).json()
    assert_problem(reader.post(f"/orders/{placed['id']}/status", {"status": "cancelled"}), 403)
    assert Order.objects.get(pk=placed["id"]).status == "new"
    assert reader.get(f"/orders/{placed['id']}").status_code == 200


def test_a_revoked_key_is_refused(partner, shop, keripik):
    made = services.api_key_create(actor=None, partner=partner, name="lama", scope=ApiKey.Scope.WRITE)
    services.api_key_revoke(actor=None, key=made.key)
    response = post_order(Api(made.secret), order_body(shop, keripik))
    assert_problem(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert not Order.objects.exists()


def test_a_business_that_does_not_share_is_a_404_like_a_missing_one(api, partner, shop, keripik):
    stranger = make_business(owner=make_owner(), name="Warung Tidak Berbagi")
    ShopProfile.objects.create(business=stranger)
    product = make_product(stranger, name="Gethuk", stock=5)
    not_shared = assert_problem(post_order(api, order_body(stranger, product)), 404)
    missing = assert_problem(post_order(api, order_body(stranger, product, business_id=10**9), key="k2"), 404)
    assert (not_shared["title"], not_shared["detail"]) == (missing["title"], missing["detail"])
    assert not Order.objects.exists() and stock(product) == 5


def test_after_the_owner_withdraws_the_partner_no_longer_sees_or_moves_its_orders(api, partner, shop, owner, keripik, settled):
    placed = post_order(api, order_body(shop, keripik)).json()
    services.share_withdraw(actor=owner, business=shop, partner=partner)
    assert_problem(api.get(f"/orders/{placed['id']}"), 404)
    assert_problem(api.post(f"/orders/{placed['id']}/status", {"status": "cancelled"}), 404)
    assert api.get("/orders").json()["items"] == []
    assert Order.objects.get(pk=placed["id"]).status == "new"


def test_a_partner_sees_only_its_own_orders(api, partner, shop, keripik, settled):
    # Given the shop's own order, another partner's order and this partner's order, all at the same shop
    own = make_order(shop, [(keripik, 1)])
    other = make_partner_org("Toko Desa")
    share(shop, other)
    theirs = post_order(Api(make_key(other)), order_body(shop, keripik, ref="X-1")).json()
    mine = post_order(api, order_body(shop, keripik, ref="M-1")).json()
    # Then the list shows only this partner's, and the others are 404 to it
    assert [item["id"] for item in api.get("/orders").json()["items"]] == [mine["id"]]
    for order_id in (own.pk, theirs["id"]):
        assert_problem(api.get(f"/orders/{order_id}"), 404)
        assert_problem(api.post(f"/orders/{order_id}/status", {"status": "cancelled"}), 404)
    assert Order.objects.get(pk=own.pk).status == "new" and Order.objects.get(pk=theirs["id"]).status == "new"


# ---- reading back ------------------------------------------------------------------------------------------


def _orders(api, shop, product, count: int) -> list[int]:
    return [post_order(api, order_body(shop, product, ref=f"R-{n}", quantity=1), key=f"k-{n}").json()["id"] for n in range(count)]


def test_pages_walk_every_order_once_and_end_with_the_time_to_sync_from(api, shop, keripik, settled):
    ids = _orders(api, shop, keripik, 7)
    seen, cursor, pages = [], None, 0
    while True:
        params = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        page = api.get("/orders", params).json()
        pages += 1
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
        assert page["next_updated_since"] is None
    assert seen == ids and pages == 3
    assert page["next_updated_since"] is not None


def test_updated_since_brings_only_orders_changed_since(api, shop, owner, keripik, settled):
    first, second = _orders(api, shop, keripik, 2)
    since = api.get("/orders").json()["next_updated_since"]
    assert api.get("/orders", {"updated_since": since}).json()["items"] == []
    # When the owner confirms the first order
    order_transition(actor=owner, order_id=first, to="confirmed")
    # Then the next sync brings it alone, with its new status
    items = api.get("/orders", {"updated_since": since}).json()["items"]
    assert [(item["id"], item["status"]) for item in items] == [(first, "confirmed")]


def test_changes_of_the_last_seconds_wait_until_they_settle(api, partner, shop, keripik):
    # Given an order placed just now (the default settle time applies)
    _orders(api, shop, keripik, 1)
    assert api.get("/orders").json()["items"] == []
    # Then a sync now does not serve it yet, and hands back a time before it to sync from
    now = timezone.now()
    page = partner_orders.partner_order_page(partner, now=now)
    assert page.items == [] and page.next_updated_since < Order.objects.get().updated_at
    # And the next sync from that time, once the change has settled, brings it
    later = partner_orders.partner_order_page(partner, updated_since=page.next_updated_since, now=now + timedelta(seconds=6))
    assert [order.external_ref for order in later.items] == ["R-0"]


@pytest.mark.parametrize("params", [
    {"cursor": "bukan-cursor"},
    {"cursor": "eyJ1IjoxLCJpIjoxfQ"},  # a well-formed document of the wrong shape
    {"updated_since": "2026-01-01T00:00:00"},  # no time zone
    {"updated_since": "kemarin"},
    {"limit": 0},
    {"limit": 501},
    {"status": "hilang"},
])
def test_bad_list_parameters_are_refused_with_a_problem(api, params):
    assert_problem(api.get("/orders", params), 422)


@pytest.mark.parametrize("since", ["1024-02-03T08:46:49.5088-16:21", "0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00"])
def test_any_iso_time_with_a_zone_is_a_valid_starting_point(api, shop, keripik, settled, since):
    # Offsets PostgreSQL does not keep, and moments off the calendar once in UTC, are still answered
    _orders(api, shop, keripik, 1)
    response = api.get("/orders", {"updated_since": since})
    assert response.status_code == 200, response.content
    assert len(response.json()["items"]) == (0 if since.startswith("9999") else 1)


def test_filters_by_business_and_status(api, shop, owner, keripik, settled):
    first, second = _orders(api, shop, keripik, 2)
    order_transition(actor=owner, order_id=first, to="confirmed")
    assert [i["id"] for i in api.get("/orders", {"status": "confirmed"}).json()["items"]] == [first]
    assert [i["id"] for i in api.get("/orders", {"business_id": shop.pk}).json()["items"]] == [second, first]
    assert api.get("/orders", {"business_id": shop.pk + 1000}).json()["items"] == []


# ---- status, both ways -------------------------------------------------------------------------------------


def set_status(api, order_id, status):
    return api.post(f"/orders/{order_id}/status", {"status": status})


def last_event() -> OutboxEvent:
    return OutboxEvent.objects.filter(topic="order.status_changed").latest("id")


def test_a_partner_cancels_before_shipping_and_the_stock_comes_back(api, shop, keripik):
    placed = post_order(api, order_body(shop, keripik)).json()
    response = set_status(api, placed["id"], "cancelled")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "cancelled" and response.json()["actions"] == []
    assert stock(keripik) == 10
    event = last_event()
    assert (event.payload["previous_status"], event.payload["status"], event.payload["id"]) == ("new", "cancelled", placed["id"])
    assert OutboxEvent.objects.filter(topic="stock.changed").latest("id").payload["stock"] == 10


def test_setting_the_status_an_order_already_has_changes_nothing(api, shop, keripik):
    placed = post_order(api, order_body(shop, keripik)).json()
    set_status(api, placed["id"], "cancelled")
    events = OutboxEvent.objects.count()
    again = set_status(api, placed["id"], "cancelled")
    assert again.status_code == 200 and again.json()["status"] == "cancelled"
    assert OutboxEvent.objects.count() == events and stock(keripik) == 10


@pytest.mark.parametrize("status", ["confirmed", "shipped"])
def test_the_shops_own_steps_are_refused_to_a_partner(api, shop, keripik, status):
    placed = post_order(api, order_body(shop, keripik)).json()
    problem = assert_problem(set_status(api, placed["id"], status), 409)
    assert "toko" in problem["detail"]
    assert Order.objects.get(pk=placed["id"]).status == "new"


def test_a_partner_cannot_cancel_once_the_shop_has_shipped_but_can_complete(api, shop, owner, keripik):
    placed = post_order(api, order_body(shop, keripik)).json()
    # Given the owner confirms and ships it (the platform hears both by webhook)
    order_transition(actor=owner, order_id=placed["id"], to="confirmed")
    order_transition(actor=owner, order_id=placed["id"], to="shipped")
    assert (last_event().payload["previous_status"], last_event().payload["status"]) == ("confirmed", "shipped")
    assert api.get(f"/orders/{placed['id']}").json()["actions"] == ["paid", "completed"]
    # When the partner tries to cancel: refused, nothing changes
    problem = assert_problem(set_status(api, placed["id"], "cancelled"), 409)
    assert "Dikirim" in problem["detail"]
    assert Order.objects.get(pk=placed["id"]).status == "shipped" and stock(keripik) == 8
    # When its buyer confirms receipt: completed, and the COD cash is recorded with it
    done = set_status(api, placed["id"], "completed").json()
    assert (done["status"], done["paid"]) == ("completed", True)
    assert (last_event().payload["status"], last_event().payload["paid"]) == ("completed", True)


def test_a_partner_records_the_payment_it_took_and_may_refund_only_that(api, partner, shop, keripik):
    paid_here = post_order(api, order_body(shop, keripik, payment_method="qris")).json()
    paid_at_shop = post_order(api, order_body(shop, keripik, ref="PN-2", payment_method="qris"), key="k2").json()
    # When the partner says its checkout took the money for the first order
    response = set_status(api, paid_here["id"], "paid").json()
    assert (response["status"], response["paid"], response["actions"]) == ("paid", True, ["refunded"])
    assert Order.objects.get(pk=paid_here["id"]).paid_via == f"partner:{partner.slug}"
    assert (last_event().payload["previous_status"], last_event().payload["status"]) == ("new", "paid")
    # And the shop recorded the second one's payment itself
    assert order_mark_paid(order_id=paid_at_shop["id"], via="owner")
    # Then the partner may refund the first (the stock comes back) but not the second
    assert set_status(api, paid_here["id"], "refunded").json()["status"] == "refunded"
    problem = assert_problem(set_status(api, paid_at_shop["id"], "refunded"), 409)
    assert "mitra" in problem["detail"]
    assert Order.objects.get(pk=paid_at_shop["id"]).status == "paid" and stock(keripik) == 8


def test_an_unknown_status_is_refused_by_the_schema(api, shop, keripik):
    placed = post_order(api, order_body(shop, keripik)).json()
    assert_problem(set_status(api, placed["id"], "hilang"), 422)
    assert_problem(api.post(f"/orders/{placed['id']}/status", {"status": True}), 422)
    assert Order.objects.get(pk=placed["id"]).status == "new"


# ---- the partner's table, written out by hand ---------------------------------------------------------------

STATES = ["new", "confirmed", "paid", "shipped", "completed", "cancelled", "refunded"]


def expected_partner_targets(status: str, method: str, paid: bool, by_partner: bool) -> set[str]:
    """docs/API.md: paid (new, confirmed; shipped COD unpaid), cancelled (new, confirmed), completed
    (shipped), refunded (where the lifecycle allows it, only for money the partner took)."""
    targets = set()
    if status in ("new", "confirmed") or (status == "shipped" and method == "cod" and not paid):
        targets.add("paid")
    if status in ("new", "confirmed"):
        targets.add("cancelled")
    if status == "shipped":
        targets.add("completed")
    if by_partner and (status in ("paid", "completed") or (status == "shipped" and paid)):
        targets.add("refunded")
    return targets


@pytest.mark.parametrize(
    ("status", "method", "paid", "by_partner"),
    [case for case in itertools.product(STATES, ["qris", "cod", "transfer"], [False, True], [False, True]) if case[2] or not case[3]],
)
def test_what_a_partner_may_set_follows_the_documented_table(status, method, paid, by_partner):
    got = lifecycle.channel_targets(status, payment_method=method, paid=paid, paid_by_channel=by_partner)
    assert set(got) == expected_partner_targets(status, method, paid, by_partner)
    # And never anything the lifecycle itself forbids, nor the shop's own steps
    for to in got:
        assert to == "paid" or lifecycle.can_transition(status, to, payment_method=method, paid=paid)
    assert not got & {"confirmed", "shipped", "new"}


def test_share_states_other_than_granted_hide_the_business(api, partner, shop, keripik):
    for state in (Share.State.INVITED, Share.State.DECLINED, Share.State.WITHDRAWN):
        Share.objects.filter(business=shop, partner=partner).update(state=state)
        assert_problem(post_order(api, order_body(shop, keripik), key=f"k-{state}"), 404)
    assert not Order.objects.exists()


def test_the_answer_is_json_the_schema_describes(api, shop, keripik):
    placed = post_order(api, order_body(shop, keripik))
    assert placed["Content-Type"] == "application/json; charset=utf-8"
    document = json.loads(placed.content)
    assert set(document) >= {"id", "status", "lines", "buyer", "created_at", "updated_at", "actions"}
    assert document == api.get(f"/orders/{document['id']}").json() | {"updated_at": document["updated_at"]}


# ---- at the same instant, on PostgreSQL ---------------------------------------------------------------------

CATURTUNGGAL_TREE = (
    ("34", 1, "Daerah Istimewa Yogyakarta", "Asia/Jakarta"),
    ("34.04", 2, "Kabupaten Sleman", ""),
    ("34.04.07", 3, "Depok", ""),
    ("34.04.07.2001", 4, "Caturtunggal", ""),
)


def _transactional_shop():
    """A shared shop with a product, made from scratch: a transactional test starts from emptied tables, so it
    makes the four regions it needs instead of loading all 91,599."""
    from naikkelas.regions.models import Region

    parent = None
    for code, level, name, zone in CATURTUNGGAL_TREE:
        parent, _ = Region.objects.get_or_create(
            code=code, defaults={"level": level, "parent": parent, "name": name, "search_name": name.lower(), "timezone": zone}
        )
    business = make_business(owner=make_owner(), name="Keripik Serentak")
    ShopProfile.objects.create(business=business)
    partner = make_partner_org("Pasar Serentak")
    share(business, partner)
    return business, make_product(business, name="Keripik Pisang", stock=100), make_key(partner)


def _at_once(requests: list) -> list:
    """Run each of `requests` (callables returning a response) in its own thread and connection, all released
    at the same instant; returns (status, body) of each."""
    import threading

    from django.db import connections

    barrier = threading.Barrier(len(requests), timeout=60)
    results = [None] * len(requests)

    def run(index: int) -> None:
        try:
            barrier.wait()
            response = requests[index]()
            results[index] = (response.status_code, response.content)
        except Exception as error:  # noqa: BLE001 - shown in the assertion below
            results[index] = ("error", repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(len(requests))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not any(thread.is_alive() for thread in threads), "a request hung"
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_key_sent_many_times_at_once_places_one_order():
    shop, product, key = _transactional_shop()
    body = order_body(shop, product)
    # When 8 copies of one request arrive at the same instant
    results = _at_once([lambda: post_order(Api(key), body) for _ in range(8)])
    # Then one order was placed; every answer is that order, or "still in progress" (409)
    assert Order.objects.count() == 1 and stock(product) == 98
    statuses = [status for status, _ in results]
    assert set(statuses) <= {201, 409}, results
    created = {content for status, content in results if status == 201}
    assert len(created) == 1, results
    # And a retry once it is done gets that same order
    again = post_order(Api(key), body)
    assert (again.status_code, again.content, again["Idempotent-Replayed"]) == (201, created.pop(), "true")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_reference_under_many_keys_at_once_places_one_order():
    shop, product, key = _transactional_shop()
    body = order_body(shop, product)
    results = _at_once([lambda n=n: post_order(Api(key), body, key=f"kunci-{n}") for n in range(8)])
    assert Order.objects.count() == 1 and stock(product) == 98
    assert sorted(status for status, _ in results) == [201] + [409] * 7, results
    order_id = Order.objects.get().pk
    for status, content in results:
        if status == 409:
            assert f"/api/v1/orders/{order_id}" in json.loads(content)["detail"]
