"""What the cash book records by itself: paid orders, refunds, partner sales; and the owner's own entries.

The state machine drives the real order services (placing, paying by the owner or by repeated gateway
callbacks, confirming, shipping, completing a COD delivery, cancelling, refunding) and checks after every
step that the cash book's order postings equal the orders paid minus the orders refunded.
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from naikkelas.catalog.models import ShopProfile
from naikkelas.ledger import selectors, services
from naikkelas.ledger.models import Direction, Entry, Source
from naikkelas.orders.models import Order, Status
from naikkelas.orders.services import OrderError, order_mark_paid, order_place, order_transition
from tests.catalog.factories import make_product
from tests.registry.factories import make_business, make_owner

pytestmark = pytest.mark.django_db


def _book(business) -> int:
    """The net of the order postings in `business`'s cash book."""
    sums = Entry.objects.filter(business=business, source=Source.ORDER).values("direction").annotate(s=Sum("amount"))
    by = {row["direction"]: row["s"] for row in sums}
    return by.get(Direction.IN, 0) - by.get(Direction.OUT, 0)


SEEN = {"paid": 0, "refunded": 0}  # how often the checks met paid and refunded orders: they must have


class CashBookMachine(RuleBasedStateMachine):
    orders = Bundle("orders")

    def __init__(self):
        super().__init__()
        self.owner = make_owner()
        self.shop = make_business(owner=self.owner, name="Toko Buku Kas")
        ShopProfile.objects.create(business=self.shop)
        self.product = make_product(self.shop, name="Keripik", price=12500, stock=0, made_to_order=True)
        self.callbacks = 0

    @rule(target=orders, quantity=st.integers(1, 5), method=st.sampled_from(("cod", "qris", "transfer")))
    def place(self, quantity, method):
        order = order_place(
            business_id=self.shop.pk, lines=[(self.product.pk, quantity)], buyer_name="Ani",
            buyer_phone="081234567890", buyer_address="", buyer_village_code=None, delivery="pickup",
            payment_method=method,
        )
        return order.pk

    @rule(order_id=orders, repeats=st.integers(1, 3))
    def gateway_pays(self, order_id, repeats):
        # The same callback (one event id) arriving again, as gateways do.
        self.callbacks += 1
        for _ in range(repeats):
            order_mark_paid(order_id=order_id, via=f"gateway:uji:{self.callbacks}")

    @rule(order_id=orders)
    def owner_marks_paid(self, order_id):
        order_mark_paid(order_id=order_id, by=self.owner, via="owner")

    @rule(order_id=orders, to=st.sampled_from((Status.CONFIRMED, Status.SHIPPED, Status.COMPLETED, Status.CANCELLED, Status.REFUNDED)))
    def move(self, order_id, to):
        try:
            order_transition(actor=self.owner, order_id=order_id, to=to)
        except OrderError:
            pass  # not allowed from where the order is: nothing changes

    @invariant()
    def the_book_holds_paid_minus_refunded(self):
        orders = Order.objects.filter(business=self.shop, paid_at__isnull=False)
        paid = sum(orders.values_list("total", flat=True))
        refunded = sum(orders.filter(status=Status.REFUNDED).values_list("total", flat=True))
        assert _book(self.shop) == paid - refunded
        SEEN["paid"] += paid > 0
        SEEN["refunded"] += refunded > 0


def test_the_cash_book_equals_orders_paid_minus_refunded_whatever_happens():
    run_state_machine_as_test(
        CashBookMachine,
        settings=settings(
            max_examples=20, stateful_step_count=25, deadline=None, suppress_health_check=[HealthCheck.too_slow]
        ),
    )
    assert SEEN["paid"] and SEEN["refunded"], SEEN


@pytest.fixture
def owner():
    return make_owner()


@pytest.fixture
def business(owner):
    return make_business(owner=owner, name="Warung Bu Sri")


def _record(owner, business, **changes):
    fields = {
        "actor": owner, "business": business, "direction": Direction.IN, "amount": 15000,
        "date": services.business_today(business), "category": "sales", "method": "cash",
    }
    return services.entry_record(**{**fields, **changes})


def test_a_form_sent_twice_is_recorded_once(owner, business):
    first = _record(owner, business, client_id="3f1c9a4e-0b7d-4c2a-9e51-7a2d1c0b9f00")
    again = _record(owner, business, client_id="3f1c9a4e-0b7d-4c2a-9e51-7a2d1c0b9f00")
    assert again.pk == first.pk
    assert Entry.objects.filter(business=business).count() == 1


def test_bad_entries_are_refused_with_a_message_and_nothing_written(owner, business):
    tomorrow = services.business_today(business) + dt.timedelta(days=1)
    for changes, field in (
        ({"amount": 0}, "amount"), ({"amount": -5}, "amount"), ({"amount": "15000"}, "amount"),
        ({"date": tomorrow}, "date"), ({"category": "judi"}, "category"), ({"method": "emas"}, "method"),
        ({"direction": "kiri"}, "direction"), ({"note": "x" * 201}, "note"),
    ):
        with pytest.raises(ValidationError) as refused:
            _record(owner, business, **changes)
        assert field in refused.value.message_dict
    assert not Entry.objects.exists()


def test_only_the_owner_keeps_the_books(business):
    with pytest.raises(ValidationError):
        _record(make_owner(), business)
    assert not Entry.objects.exists()


def test_automatic_postings_cannot_be_deleted_by_hand(owner, business):
    services.order_post(
        business_id=business.pk, order_id=7, number=1, amount=30000, day=services.business_today(business),
        payment_method="qris", refund=False,
    )
    posted = Entry.objects.get(business=business)
    with pytest.raises(ValidationError):
        services.entry_delete(actor=owner, entry=posted)
    assert Entry.objects.filter(pk=posted.pk).exists()


def test_a_partner_day_sent_again_replaces_the_figure(business):
    day = dt.date(2026, 11, 2)
    services.channel_sales_post(business_id=business.pk, partner_id=1, partner_name="Pasar", day=day, amount=90000, orders=3)
    services.channel_sales_post(business_id=business.pk, partner_id=1, partner_name="Pasar", day=day, amount=120000, orders=4)
    [entry] = Entry.objects.filter(business=business)
    assert (entry.amount, entry.source, entry.direction) == (120000, Source.PARTNER, Direction.IN)
    services.channel_sales_post(business_id=business.pk, partner_id=1, partner_name="Pasar", day=day, amount=0, orders=0)
    assert not Entry.objects.exists()


def test_totals_give_cash_on_hand_and_the_period(owner, business):
    today = services.business_today(business)
    _record(owner, business, amount=50000)
    _record(owner, business, amount=20000, direction=Direction.OUT, category="stock")
    _record(owner, business, amount=7000, date=today - dt.timedelta(days=40))
    everything = selectors.totals(business)
    recent = selectors.totals(business, start=today - dt.timedelta(days=30))
    assert (everything.money_in, everything.money_out, everything.net) == (57000, 20000, 37000)
    assert (recent.money_in, recent.net, recent.entries) == (50000, 30000, 2)
