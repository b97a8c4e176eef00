"""What orders tell the edges through the outbox: `order.status_changed` on every change of status or payment,
`stock.changed` whenever an order takes units or gives them back, written in the same transaction."""

from datetime import timedelta

import pytest
from django.utils import timezone

from naikkelas.catalog.models import Product, ShopProfile
from naikkelas.core.models import OutboxEvent
from naikkelas.orders.models import Order
from naikkelas.orders.services import OrderError, order_channel_transition, order_mark_paid, order_place, order_transition
from tests.catalog.factories import make_product
from tests.registry.factories import make_business, make_owner

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
    return make_product(shop, name="Keripik Pisang", price=15000, stock=10)


@pytest.fixture
def kue(shop):
    return make_product(shop, name="Kue Pesanan", price=50000, stock=0, made_to_order=True)


def place(shop, lines, **overrides):
    fields = {
        "business_id": shop.pk, "lines": lines, "buyer_name": "Ani Pembeli", "buyer_phone": "081399990001",
        "buyer_address": "", "buyer_village_code": "", "delivery": "pickup", "payment_method": "cod", **overrides,
    }
    return order_place(**fields)


def events(topic: str) -> list[OutboxEvent]:
    return list(OutboxEvent.objects.filter(topic=topic).order_by("id"))


def test_placing_an_order_announces_it_as_new_and_the_stock_it_took(shop, keripik, kue):
    # Given a stocked product and a made-to-order one, and a product last touched a day ago
    Product.objects.filter(pk=keripik.pk).update(updated_at=timezone.now() - timedelta(days=1))
    # When a partner's order for both is placed
    order = place(shop, [(keripik.pk, 3), (kue.pk, 1)], channel="partner:pasar", external_ref="INV-1")
    # Then one order.status_changed event names the order, where it came from, and no previous status
    [placed] = events("order.status_changed")
    assert placed.key == f"order:{order.pk}" and placed.business_id == shop.pk
    assert placed.payload == {
        "id": order.pk, "business_id": shop.pk, "number": 1, "channel": "partner:pasar", "external_ref": "INV-1",
        "status": "new", "previous_status": None, "paid": False, "at": order.created_at.isoformat(),
    }
    # And only the stocked product's stock change is announced, with what is left
    [stock] = events("stock.changed")
    assert stock.key == f"product:{keripik.pk}" and stock.business_id == shop.pk
    assert {k: stock.payload[k] for k in ("id", "business_id", "stock", "made_to_order")} == {
        "id": keripik.pk, "business_id": shop.pk, "stock": 7, "made_to_order": False,
    }
    # And the product's updated_at moved, so partners syncing by it see the new stock
    keripik.refresh_from_db()
    assert keripik.stock == 7 and timezone.now() - keripik.updated_at < timedelta(minutes=1)
    assert stock.payload["at"] == keripik.updated_at.isoformat()


def test_an_order_that_cannot_be_placed_announces_nothing(shop, keripik):
    # Given 10 units; when an order for two lines fails on the second (too many units)
    other = make_product(shop, name="Kopi", stock=1)
    with pytest.raises(OrderError):
        place(shop, [(keripik.pk, 2), (other.pk, 5)])
    # Then no event was written, not even for the line that had taken its units before the failure
    assert not OutboxEvent.objects.exists()
    assert Product.objects.get(pk=keripik.pk).stock == 10


def test_the_owners_steps_are_announced_with_the_previous_status(shop, owner, keripik):
    # Given a partner's order
    order = place(shop, [(keripik.pk, 1)], channel="partner:pasar", external_ref="INV-2")
    # When the owner confirms it and ships it (COD)
    order_transition(actor=owner, order_id=order.pk, to="confirmed")
    order_transition(actor=owner, order_id=order.pk, to="shipped")
    # Then each step is an event, in order, with where it came from
    steps = [(e.payload["previous_status"], e.payload["status"]) for e in events("order.status_changed")]
    assert steps == [(None, "new"), ("new", "confirmed"), ("confirmed", "shipped")]
    assert {e.payload["channel"] for e in events("order.status_changed")} == {"partner:pasar"}
    assert {e.key for e in events("order.status_changed")} == {f"order:{order.pk}"}


def test_cancelling_announces_the_status_and_the_stock_given_back(shop, owner, keripik):
    # Given an order that took 4 of 10 units
    order = place(shop, [(keripik.pk, 4)])
    # When the owner cancels it
    order_transition(actor=owner, order_id=order.pk, to="cancelled")
    # Then the cancellation and the returned stock are announced, the stock event last with the full 10
    assert [e.payload["status"] for e in events("order.status_changed")] == ["new", "cancelled"]
    assert [e.payload["stock"] for e in events("stock.changed")] == [6, 10]
    assert Product.objects.get(pk=keripik.pk).stock == 10


def test_a_refused_step_announces_nothing(shop, owner, keripik):
    order = place(shop, [(keripik.pk, 1)])
    before = OutboxEvent.objects.count()
    # When the owner tries to complete an order that was never shipped
    with pytest.raises(OrderError) as refused:
        order_transition(actor=owner, order_id=order.pk, to="completed")
    # Then it is refused, and nothing is announced
    assert refused.value.code == "not_allowed"
    assert OutboxEvent.objects.count() == before


def test_a_payment_is_announced_as_new_to_paid(shop, keripik):
    order = place(shop, [(keripik.pk, 1)], payment_method="qris")
    # When a gateway confirms the payment
    assert order_mark_paid(order_id=order.pk, via="gateway:midtrans:evt1")
    # Then the move to paid is announced
    last = events("order.status_changed")[-1]
    assert (last.payload["previous_status"], last.payload["status"], last.payload["paid"]) == ("new", "paid", True)
    # And a second confirmation changes and announces nothing
    assert not order_mark_paid(order_id=order.pk, via="gateway:midtrans:evt2")
    assert len(events("order.status_changed")) == 2


def test_cash_recorded_on_a_cod_parcel_on_its_way_is_announced_with_the_status_unchanged(shop, owner, keripik):
    order = place(shop, [(keripik.pk, 1)])
    order_transition(actor=owner, order_id=order.pk, to="confirmed")
    order_transition(actor=owner, order_id=order.pk, to="shipped")
    # When the owner records the cash while the parcel is on its way
    assert order_mark_paid(order_id=order.pk, by=owner, via="owner")
    # Then the event says the order is still shipped, and now paid
    last = events("order.status_changed")[-1]
    assert (last.payload["previous_status"], last.payload["status"], last.payload["paid"]) == ("shipped", "shipped", True)


def test_completing_an_unpaid_cod_order_announces_it_paid(shop, owner, keripik):
    order = place(shop, [(keripik.pk, 1)])
    for step in ("confirmed", "shipped", "completed"):
        order_transition(actor=owner, order_id=order.pk, to=step)
    last = events("order.status_changed")[-1]
    assert (last.payload["previous_status"], last.payload["status"], last.payload["paid"]) == ("shipped", "completed", True)


def test_a_channel_moves_only_its_own_orders_and_its_steps_are_announced(shop, keripik):
    # Given an order from the shop's own pages and one from a partner
    own = place(shop, [(keripik.pk, 1)])
    theirs = place(shop, [(keripik.pk, 2)], channel="partner:pasar", external_ref="INV-3")
    # When the partner cancels its order
    order_channel_transition(channel="partner:pasar", order_id=theirs.pk, to="cancelled")
    # Then it is cancelled, announced, and its units are back
    assert Order.objects.get(pk=theirs.pk).status == "cancelled"
    assert events("order.status_changed")[-1].payload["previous_status"] == "new"
    assert Product.objects.get(pk=keripik.pk).stock == 9
    # But the shop's own order is not the partner's to touch: "not found", and nothing changes
    with pytest.raises(OrderError) as refused:
        order_channel_transition(channel="partner:pasar", order_id=own.pk, to="cancelled")
    assert refused.value.code == "not_found"
    assert Order.objects.get(pk=own.pk).status == "new"


def test_a_reference_names_one_order_per_channel(shop, keripik):
    place(shop, [(keripik.pk, 1)], channel="partner:pasar", external_ref="INV-9")
    # When the same channel sends the same reference again
    with pytest.raises(OrderError) as refused:
        place(shop, [(keripik.pk, 1)], channel="partner:pasar", external_ref="INV-9")
    # Then it is refused, before any stock is taken
    assert refused.value.code == "duplicate_external_ref"
    assert Product.objects.get(pk=keripik.pk).stock == 9
    # But another channel may use the same reference for its own order
    assert place(shop, [(keripik.pk, 1)], channel="partner:lain", external_ref="INV-9").external_ref == "INV-9"


def test_a_reference_without_a_channel_is_refused(shop, keripik):
    with pytest.raises(OrderError) as refused:
        place(shop, [(keripik.pk, 1)], external_ref="INV-10")
    assert refused.value.code == "bad_external_ref"
    assert not Order.objects.exists()
