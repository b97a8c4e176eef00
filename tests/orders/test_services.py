"""Placing orders, moving them through the lifecycle, and recording payments (orders/services.py)."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from naikkelas.catalog.models import Product, ShopProfile
from naikkelas.core.models import AuditLog
from naikkelas.orders import services
from naikkelas.orders.models import Order, OrderLine
from naikkelas.orders.services import OrderError, order_mark_paid, order_place, order_transition
from tests.catalog.factories import make_product
from tests.registry.factories import CATURTUNGGAL, SLEMAN, make_business, make_officer, make_owner

pytestmark = pytest.mark.django_db


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
    return make_product(shop, name="Keripik Pisang Manis", price=15000, stock=10)


@pytest.fixture
def kopi(shop):
    return make_product(shop, name="Kopi Menoreh", price=40000, stock=3, unit="bungkus")


def place(shop, lines, **overrides):
    fields = {
        "business_id": shop.pk,
        "lines": lines,
        "buyer_name": "Ani Pembeli",
        "buyer_phone": "0813-9999-0001",
        "buyer_address": "",
        "buyer_village_code": "",
        "delivery": "pickup",
        "payment_method": "cod",
        **overrides,
    }
    return order_place(**fields)


def stock(product) -> int:
    return Product.objects.values_list("stock", flat=True).get(pk=product.pk)


def error_of(call) -> OrderError:
    with pytest.raises(OrderError) as caught:
        call()
    return caught.value


# ---- Placing an order ---------------------------------------------------------------------------------------


def test_order_place_takes_stock_and_copies_names_and_prices_from_the_database(shop, keripik, kopi):
    # Given a shop with two products; when a buyer orders 2 and 1
    order = place(shop, [(keripik.pk, 2), (kopi.pk, 1)], buyer_phone="0813 9999 0001", buyer_name="  Ani   Pembeli ")
    # Then the order holds both lines at the database's prices and the stock went down
    assert (order.number, order.status, order.business_id) == (1, "new", shop.pk)
    assert order.buyer_name == "Ani Pembeli" and order.buyer_phone == "+6281399990001"
    lines = list(order.lines.values_list("name", "unit", "unit_price", "quantity", "line_total"))
    assert lines == [("Keripik Pisang Manis", "pcs", 15000, 2, 30000), ("Kopi Menoreh", "bungkus", 40000, 1, 40000)]
    assert order.subtotal == order.total == 70000 and order.unique_code == 0
    assert stock(keripik) == 8 and stock(kopi) == 2
    assert len(order.token) >= 20
    assert AuditLog.objects.filter(action="order.place", object_id=str(order.pk)).exists()


def test_order_numbers_count_up_per_shop(shop, keripik):
    other = make_business(owner=make_owner(), name="Batik Bu Sri")
    ShopProfile.objects.create(business=other)
    batik = make_product(other, name="Batik", price=100000, stock=5)
    assert [place(shop, [(keripik.pk, 1)]).number for _ in range(3)] == [1, 2, 3]
    assert place(other, [(batik.pk, 1)]).number == 1


def test_order_place_merges_a_product_listed_twice_into_one_line(shop, keripik):
    order = place(shop, [(keripik.pk, 2), (keripik.pk, 3)])
    assert list(order.lines.values_list("quantity", "line_total")) == [(5, 75000)]
    assert stock(keripik) == 5


def test_order_place_rejects_when_stock_runs_out_and_writes_nothing(shop, keripik, kopi):
    # Given 10 keripik and 3 kopi; when an order wants 2 keripik and 4 kopi
    error = error_of(lambda: place(shop, [(keripik.pk, 2), (kopi.pk, 4)]))
    # Then it names the product and what is left, and nothing changed: not even the keripik line's stock
    assert "Kopi Menoreh" in error.messages[0] and "tinggal 3 bungkus" in error.messages[0]
    assert error.code == "short"
    assert stock(keripik) == 10 and stock(kopi) == 3
    assert not Order.objects.exists() and not OrderLine.objects.exists()
    assert not AuditLog.objects.filter(action="order.place").exists()


def test_order_place_counts_merged_lines_against_the_stock(shop, kopi):
    error = error_of(lambda: place(shop, [(kopi.pk, 2), (kopi.pk, 2)]))
    assert "tinggal 3" in error.messages[0]
    assert stock(kopi) == 3 and not Order.objects.exists()


def test_order_place_says_sold_out_when_nothing_is_left(shop):
    habis = make_product(shop, name="Rengginang", stock=0)
    assert error_of(lambda: place(shop, [(habis.pk, 1)])).messages == ["Stok Rengginang habis."]


def test_order_place_can_take_the_last_unit(shop, kopi):
    place(shop, [(kopi.pk, 3)])
    assert stock(kopi) == 0


def test_made_to_order_products_take_no_stock(shop):
    kue = make_product(shop, name="Kue Ulang Tahun", price=250000, stock=0, made_to_order=True)
    order = place(shop, [(kue.pk, 2)])
    assert order.total == 500000 and stock(kue) == 0


def test_order_place_refuses_a_hidden_product(shop, keripik):
    keripik.is_active = False
    keripik.save()
    error = error_of(lambda: place(shop, [(keripik.pk, 1)]))
    assert "Keripik Pisang Manis sedang tidak dijual" in error.messages[0]
    assert stock(keripik) == 10 and not Order.objects.exists()


def test_order_place_refuses_another_shops_product_and_a_missing_one(shop, keripik):
    other = make_business(owner=make_owner(), name="Batik Bu Sri")
    ShopProfile.objects.create(business=other)
    batik = make_product(other, name="Batik", stock=5)
    for lines in ([(keripik.pk, 1), (batik.pk, 1)], [(999999, 1)]):
        assert error_of(lambda: place(shop, lines)).code == "unknown_product"
    assert stock(batik) == 5 and stock(keripik) == 10 and not Order.objects.exists()


def test_order_place_refuses_a_shop_that_is_not_accepting_orders(shop, keripik):
    ShopProfile.objects.filter(business=shop).update(accepting_orders=False)
    assert error_of(lambda: place(shop, [(keripik.pk, 1)])).code == "not_accepting"
    assert stock(keripik) == 10


def test_order_place_refuses_a_business_without_a_shop_or_that_does_not_exist(keripik):
    plain = make_business(owner=make_owner(), name="Tanpa Toko")
    product = make_product(plain, stock=5)
    assert error_of(lambda: place(plain, [(product.pk, 1)])).code == "not_accepting"
    assert error_of(lambda: order_place(
        business_id=999999, lines=[(product.pk, 1)], buyer_name="Ani", buyer_phone="081399990001",
        buyer_address="", buyer_village_code="", delivery="pickup", payment_method="cod",
    )).code == "no_shop"
    assert stock(product) == 5


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"lines": []}, "empty"),
        ({"lines": [(0, 0)]}, "bad_quantity"),
        ({"lines": [("x", 1)]}, "bad_line"),
        ({"lines": [(1,)]}, "bad_line"),
        ({"lines": "KEY:1000"}, "bad_line"),
        ({"lines": [(n, 1) for n in range(1, 102)]}, "too_many_lines"),
        ({"buyer_name": "A"}, "bad_name"),
        ({"buyer_name": "x" * 121}, "bad_name"),
        ({"buyer_phone": "12"}, "bad_phone"),
        ({"buyer_phone": ""}, "bad_phone"),
        ({"delivery": "drone"}, "bad_delivery"),
        ({"payment_method": "kartu"}, "bad_payment_method"),
        ({"delivery": "seller", "buyer_address": "  "}, "no_address"),
        ({"buyer_address": "x" * 256}, "bad_address"),
        ({"buyer_village_code": "34.04"}, "bad_village"),
        ({"buyer_village_code": "99.99.99.9999"}, "bad_village"),
        ({"note": "x" * 501}, "bad_note"),
    ],
)
def test_order_place_rejects_bad_input_with_a_message_and_writes_nothing(shop, keripik, overrides, code):
    fields = dict(overrides)
    error = error_of(lambda: place(shop, fields.pop("lines", [(keripik.pk, 1)]), **fields))
    assert error.code == code and error.messages[0]
    assert isinstance(error, ValidationError)
    assert stock(keripik) == 10 and not Order.objects.exists()


@pytest.mark.parametrize("quantity", [0, -1, 1000, True, 1.5, "2.0", None])
def test_order_place_takes_whole_quantities_from_1_to_999(shop, keripik, quantity):
    assert error_of(lambda: place(shop, [(keripik.pk, quantity)])).code == "bad_quantity"
    assert stock(keripik) == 10


def test_order_place_refuses_merged_lines_above_999(shop):
    lots = make_product(shop, name="Kerupuk", stock=5000)
    assert error_of(lambda: place(shop, [(lots.pk, 600), (lots.pk, 600)])).code == "bad_quantity"
    assert stock(lots) == 5000


def test_order_place_keeps_a_delivery_address_and_village(shop, keripik):
    order = place(
        shop, [(keripik.pk, 1)], delivery="seller", buyer_address="Jl. Kaliurang km 5\x00",
        buyer_village_code=CATURTUNGGAL, note="Tolong\ndibungkus rapi",
    )
    assert order.buyer_address == "Jl. Kaliurang km 5" and order.buyer_village_id == CATURTUNGGAL
    assert order.note == "Tolong\ndibungkus rapi"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    name=st.one_of(st.text(max_size=130), st.sampled_from(["Ani", "Ni Luh Putu Ayu", "  B  "])),
    phone=st.one_of(st.text(max_size=20), st.sampled_from(["081399990001", "+62 813-9999-0001", "62274512345"])),
    address=st.text(max_size=260),
    note=st.text(max_size=510),
    quantity=st.one_of(st.integers(-5, 1005), st.text(max_size=4), st.none()),
)
def test_order_place_answers_any_input_with_an_order_or_an_order_error(
    shop, keripik, name, phone, address, note, quantity
):
    before_stock, before_orders = stock(keripik), Order.objects.count()
    try:
        order = place(
            shop, [(keripik.pk, quantity)], buyer_name=name, buyer_phone=phone, buyer_address=address, note=note,
        )
    except OrderError as error:
        assert error.messages and all(message.strip() for message in error.messages)
        assert stock(keripik) == before_stock and Order.objects.count() == before_orders
    else:
        assert stock(keripik) == before_stock - order.lines.get().quantity
        assert 2 <= len(order.buyer_name) <= 120 and "\x00" not in order.buyer_address + order.note
        if stock(keripik) < 50:
            Product.objects.filter(pk=keripik.pk).update(stock=1000)


# ---- Bank transfer codes -----------------------------------------------------------------------------------


def test_transfer_orders_get_the_smallest_free_unique_code_added_to_the_total(shop, owner, keripik):
    first = place(shop, [(keripik.pk, 1)], payment_method="transfer")
    second = place(shop, [(keripik.pk, 1)], payment_method="transfer")
    cod = place(shop, [(keripik.pk, 1)], payment_method="cod")
    assert (first.unique_code, second.unique_code, cod.unique_code) == (1, 2, 0)
    assert (first.total, second.total, cod.total) == (15001, 15002, 15000)
    # When the first is cancelled its code is free again; a paid one no longer holds its code either
    order_transition(actor=owner, order_id=first.pk, to="cancelled")
    assert place(shop, [(keripik.pk, 1)], payment_method="transfer").unique_code == 1
    order_mark_paid(order_id=second.pk, by=owner, via="owner")
    assert place(shop, [(keripik.pk, 1)], payment_method="transfer").unique_code == 2


def test_transfer_codes_are_per_shop(shop, keripik):
    other = make_business(owner=make_owner(), name="Batik Bu Sri")
    ShopProfile.objects.create(business=other)
    batik = make_product(other, name="Batik", stock=5)
    place(shop, [(keripik.pk, 1)], payment_method="transfer")
    assert place(other, [(batik.pk, 1)], payment_method="transfer").unique_code == 1


def test_a_shop_with_999_open_transfers_refuses_another_and_writes_nothing(shop, keripik, monkeypatch):
    monkeypatch.setattr(services, "UNIQUE_CODE_MAX", 2)
    place(shop, [(keripik.pk, 1)], payment_method="transfer")
    place(shop, [(keripik.pk, 1)], payment_method="transfer")
    assert error_of(lambda: place(shop, [(keripik.pk, 1)], payment_method="transfer")).code == "no_unique_code"
    assert stock(keripik) == 8 and Order.objects.count() == 2


# ---- Moving through the lifecycle --------------------------------------------------------------------------


def test_cancelling_returns_the_stock_exactly_once(shop, owner, keripik, kopi):
    # Given an order of 2 keripik and 3 kopi (a line listed twice)
    order = place(shop, [(keripik.pk, 2), (kopi.pk, 1), (kopi.pk, 2)])
    assert (stock(keripik), stock(kopi)) == (8, 0)
    # When the owner cancels it, and then clicks cancel again
    cancelled = order_transition(actor=owner, order_id=order.pk, to="cancelled")
    error = error_of(lambda: order_transition(actor=owner, order_id=order.pk, to="cancelled"))
    # Then the units came back once, and the second click was refused
    assert cancelled.status == "cancelled" and cancelled.cancelled_at and cancelled.stock_returned
    assert (stock(keripik), stock(kopi)) == (10, 3)
    assert error.code == "not_allowed"
    audit = AuditLog.objects.get(action="order.transition", object_id=str(order.pk))
    assert audit.changes == {"status": ["new", "cancelled"], "stock_returned": True} and audit.actor == owner


def test_stock_is_returned_once_even_if_asked_twice(shop, keripik):
    order = place(shop, [(keripik.pk, 4)])
    assert services._return_stock(order) is True
    assert services._return_stock(order) is False
    assert stock(keripik) == 10


def test_cancelling_a_made_to_order_line_returns_nothing_for_it(shop, owner, keripik):
    kue = make_product(shop, name="Kue", stock=0, made_to_order=True)
    order = place(shop, [(kue.pk, 2), (keripik.pk, 1)])
    order_transition(actor=owner, order_id=order.pk, to="cancelled")
    assert stock(kue) == 0 and stock(keripik) == 10


def test_cancelling_gives_back_what_each_line_took_even_after_the_product_changed_kind(shop, owner, keripik):
    kue = make_product(shop, name="Kue", stock=0, made_to_order=True)
    order = place(shop, [(kue.pk, 2), (keripik.pk, 3)])
    # The owner starts counting the cake's stock and stops counting the chips' before the order is cancelled
    type(kue).objects.filter(pk=kue.pk).update(made_to_order=False, stock=4)
    type(keripik).objects.filter(pk=keripik.pk).update(made_to_order=True)
    order_transition(actor=owner, order_id=order.pk, to="cancelled")
    assert stock(kue) == 4 and stock(keripik) == 10


def test_cancelling_an_order_whose_product_was_deleted_returns_the_rest(shop, owner, keripik, kopi):
    order = place(shop, [(keripik.pk, 1), (kopi.pk, 1)])
    kopi.delete()
    order_transition(actor=owner, order_id=order.pk, to="cancelled")
    assert stock(keripik) == 10
    assert order.lines.filter(product__isnull=True, name="Kopi Menoreh").exists()


def test_a_refund_before_shipping_returns_the_stock_after_shipping_does_not(shop, owner, keripik):
    early = place(shop, [(keripik.pk, 2)], payment_method="qris")
    late = place(shop, [(keripik.pk, 3)], payment_method="qris")
    for order in (early, late):
        assert order_mark_paid(order_id=order.pk, by=owner, via="owner")
    order_transition(actor=owner, order_id=late.pk, to="shipped")
    assert stock(keripik) == 5
    assert order_transition(actor=owner, order_id=early.pk, to="refunded").stock_returned
    refunded = order_transition(actor=owner, order_id=late.pk, to="refunded")
    assert refunded.status == "refunded" and not refunded.stock_returned
    assert stock(keripik) == 7


def test_a_qris_order_walks_confirmed_paid_shipped_completed(shop, owner, keripik):
    order = place(shop, [(keripik.pk, 1)], payment_method="qris")
    order_transition(actor=owner, order_id=order.pk, to="confirmed")
    # Not sent before it is paid
    assert error_of(lambda: order_transition(actor=owner, order_id=order.pk, to="shipped")).code == "not_allowed"
    assert order_mark_paid(order_id=order.pk, by=owner, via="owner")
    order_transition(actor=owner, order_id=order.pk, to="shipped")
    done = order_transition(actor=owner, order_id=order.pk, to="completed")
    assert done.status == "completed" and done.paid_via == "owner"
    assert done.created_at <= done.confirmed_at <= done.paid_at <= done.shipped_at <= done.completed_at
    assert stock(keripik) == 9


def test_completing_an_unpaid_cod_order_records_the_cash_as_received(shop, owner, keripik):
    order = place(shop, [(keripik.pk, 1)], payment_method="cod")
    order_transition(actor=owner, order_id=order.pk, to="confirmed")
    shipped = order_transition(actor=owner, order_id=order.pk, to="shipped")
    assert shipped.paid_at is None
    done = order_transition(actor=owner, order_id=order.pk, to="completed")
    assert done.paid_at == done.completed_at and done.paid_by == owner and done.paid_via == "cod"
    # A completed COD order is a paid one: it can be refunded (the goods stay with the buyer: no stock back)
    refunded = order_transition(actor=owner, order_id=order.pk, to="refunded")
    assert refunded.status == "refunded" and stock(keripik) == 9


def test_a_refused_cod_parcel_is_cancelled_and_its_stock_returned(shop, owner, keripik):
    order = place(shop, [(keripik.pk, 4)], payment_method="cod")
    order_transition(actor=owner, order_id=order.pk, to="confirmed")
    order_transition(actor=owner, order_id=order.pk, to="shipped")
    assert error_of(lambda: order_transition(actor=owner, order_id=order.pk, to="refunded")).code == "not_allowed"
    cancelled = order_transition(actor=owner, order_id=order.pk, to="cancelled")
    assert cancelled.stock_returned and stock(keripik) == 10


def test_the_owner_pays_through_mark_paid_not_a_transition(shop, owner, keripik):
    order = place(shop, [(keripik.pk, 1)])
    error = error_of(lambda: order_transition(actor=owner, order_id=order.pk, to="paid"))
    assert error.code == "use_mark_paid" and "Tandai lunas" in error.messages[0]
    assert Order.objects.get(pk=order.pk).status == "new"


@pytest.mark.parametrize("to", ["", "lost", "NEW", None])
def test_an_unknown_status_is_refused(shop, owner, keripik, to):
    order = place(shop, [(keripik.pk, 1)])
    assert error_of(lambda: order_transition(actor=owner, order_id=order.pk, to=to)).code == "bad_status"


def test_only_the_shops_owner_may_move_its_orders(shop, owner, keripik):
    order = place(shop, [(keripik.pk, 1)])
    for stranger in (make_owner(), make_officer(SLEMAN), None):
        error = error_of(lambda: order_transition(actor=stranger, order_id=order.pk, to="cancelled"))
        assert error.code == "not_found"
    assert error_of(lambda: order_transition(actor=owner, order_id=999999, to="cancelled")).code == "not_found"
    assert Order.objects.get(pk=order.pk).status == "new" and stock(keripik) == 9


def test_a_transition_lands_only_if_the_order_is_still_as_read(shop, owner, keripik, monkeypatch):
    """Two clicks at once: both read "new"; the other one's change lands between this one's check and its
    update, whose WHERE clause then matches no row."""
    order = place(shop, [(keripik.pk, 2)])
    original_filter = Order.objects.filter

    def racing_filter(*args, **kwargs):
        if "status" in kwargs and "paid_at__isnull" in kwargs:
            original_filter(pk=order.pk).update(status="confirmed")
        return original_filter(*args, **kwargs)

    monkeypatch.setattr(Order.objects, "filter", racing_filter)
    error = error_of(lambda: order_transition(actor=owner, order_id=order.pk, to="cancelled"))
    monkeypatch.undo()
    assert error.code == "stale" and "Muat ulang" in error.messages[0]
    assert not Order.objects.get(pk=order.pk).stock_returned and stock(keripik) == 8


# ---- Recording payments ------------------------------------------------------------------------------------


def test_mark_paid_pays_a_new_order_once(shop, owner, keripik):
    order = place(shop, [(keripik.pk, 1)], payment_method="qris")
    assert order_mark_paid(order_id=order.pk, by=owner, via="owner") is True
    paid = Order.objects.get(pk=order.pk)
    assert paid.status == "paid" and paid.paid_at and paid.paid_by == owner and paid.paid_via == "owner"
    # A repeat (a second click, a replayed callback) changes nothing
    assert order_mark_paid(order_id=order.pk, by=None, via="gateway:xendit:evt-2") is False
    again = Order.objects.get(pk=order.pk)
    assert (again.paid_at, again.paid_via, again.paid_by) == (paid.paid_at, "owner", owner)
    assert AuditLog.objects.filter(action="order.paid", object_id=str(order.pk)).count() == 1


def test_mark_paid_from_a_gateway_records_no_person(shop, keripik):
    order = place(shop, [(keripik.pk, 1)], payment_method="qris")
    assert order_mark_paid(order_id=order.pk, via="gateway:xendit:evt-1")
    paid = Order.objects.get(pk=order.pk)
    assert paid.paid_by is None and paid.paid_via == "gateway:xendit:evt-1"


def test_mark_paid_changes_nothing_on_a_cancelled_order(shop, owner, keripik):
    order = place(shop, [(keripik.pk, 1)], payment_method="qris")
    order_transition(actor=owner, order_id=order.pk, to="cancelled")
    assert order_mark_paid(order_id=order.pk, by=owner, via="owner") is False
    assert Order.objects.get(pk=order.pk).paid_at is None
    assert order_mark_paid(order_id=999999, via="owner") is False


def test_mark_paid_on_a_cod_parcel_on_its_way_keeps_it_shipped(shop, owner, keripik):
    order = place(shop, [(keripik.pk, 1)], payment_method="cod")
    order_transition(actor=owner, order_id=order.pk, to="confirmed")
    order_transition(actor=owner, order_id=order.pk, to="shipped")
    assert order_mark_paid(order_id=order.pk, by=owner, via="owner") is True
    paid = Order.objects.get(pk=order.pk)
    assert paid.status == "shipped" and paid.paid_at and paid.paid_via == "owner"
    assert order_mark_paid(order_id=order.pk, by=owner, via="owner") is False
    # Completing it now keeps the payment as recorded
    done = order_transition(actor=owner, order_id=order.pk, to="completed")
    assert done.paid_at == paid.paid_at and done.paid_via == "owner"


def test_mark_paid_needs_a_source(shop, keripik):
    order = place(shop, [(keripik.pk, 1)])
    assert error_of(lambda: order_mark_paid(order_id=order.pk, via=" ")).code == "no_via"
    assert Order.objects.get(pk=order.pk).paid_at is None
