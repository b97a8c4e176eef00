"""Stock bookkeeping under any sequence of placing, paying, moving, cancelling, refunding and restocking.

A hypothesis state machine drives the real services against the database and checks, after every step:
    stock >= 0                        for every product
    received == stock + sold          where received = initial stock + units restocked, and
                                      sold = units in orders whose stock was not returned
    a made-to-order product's stock never moves.
"""

import pytest
from django.db.models import Sum
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from naikkelas.catalog.models import Product, ShopProfile
from naikkelas.catalog.services import product_restock
from naikkelas.orders.models import Order, OrderLine
from naikkelas.orders.services import OrderError, order_mark_paid, order_place, order_transition
from tests.catalog.factories import make_product
from tests.registry.factories import make_business, make_owner

pytestmark = pytest.mark.django_db

INITIAL = (3, 5, 0)  # stock of the three counted products; a fourth is made to order
METHODS = ("cod", "qris", "transfer")


class StockMachine(RuleBasedStateMachine):
    orders = Bundle("orders")

    def __init__(self):
        super().__init__()
        self.owner = make_owner()
        self.shop = make_business(owner=self.owner, name="Toko Mesin Keadaan")
        ShopProfile.objects.create(business=self.shop)
        self.products = [
            make_product(self.shop, name=f"Produk {n}", price=1000 * (n + 1), stock=stock)
            for n, stock in enumerate(INITIAL)
        ]
        self.made_to_order = make_product(self.shop, name="Kue Pesanan", price=50000, stock=7, made_to_order=True)
        self.received = {product.pk: product.stock for product in self.products}
        self.expected_stock = dict(self.received)

    def _pk(self, index: int) -> int:
        return self.made_to_order.pk if index == len(self.products) else self.products[index].pk

    @rule(
        target=orders,
        lines=st.lists(st.tuples(st.integers(0, len(INITIAL)), st.integers(1, 4)), min_size=1, max_size=4),
        method=st.sampled_from(METHODS),
    )
    def place(self, lines, method):
        wanted: dict[int, int] = {}
        for index, quantity in lines:
            wanted[self._pk(index)] = wanted.get(self._pk(index), 0) + quantity
        enough = all(
            quantity <= self.expected_stock[pk] for pk, quantity in wanted.items() if pk != self.made_to_order.pk
        )
        try:
            order = order_place(
                business_id=self.shop.pk,
                lines=[(self._pk(index), quantity) for index, quantity in lines],
                buyer_name="Pembeli Uji",
                buyer_phone="081399990001",
                buyer_address="",
                buyer_village_code="",
                delivery="pickup",
                payment_method=method,
            )
        except OrderError as error:
            assert not enough and error.code == "short", (error.code, wanted, self.expected_stock)
            return None
        assert enough, (wanted, self.expected_stock)
        for pk, quantity in wanted.items():
            if pk in self.expected_stock:
                self.expected_stock[pk] -= quantity
        return order.pk

    def _move(self, order_id, to):
        if order_id is None:
            return
        before = Order.objects.get(pk=order_id)
        try:
            after = order_transition(actor=self.owner, order_id=order_id, to=to)
        except OrderError as error:
            assert error.code == "not_allowed", error.code
            assert Order.objects.get(pk=order_id).status == before.status
            return
        returned_now = after.stock_returned and not before.stock_returned
        assert returned_now == (to == "cancelled" or (before.status == "paid" and to == "refunded"))
        if returned_now:
            for pk, quantity in OrderLine.objects.filter(order_id=order_id).values_list("product_id", "quantity"):
                if pk in self.expected_stock:
                    self.expected_stock[pk] += quantity

    @rule(order_id=orders)
    def pay(self, order_id):
        if order_id is not None:
            before = Order.objects.get(pk=order_id)
            paid = order_mark_paid(order_id=order_id, by=self.owner, via="owner")
            assert paid == (before.paid_at is None and before.status not in ("cancelled", "refunded", "completed")
                            and (before.status != "shipped" or before.payment_method == "cod")), before.status

    @rule(order_id=orders)
    def confirm(self, order_id):
        self._move(order_id, "confirmed")

    @rule(order_id=orders)
    def ship(self, order_id):
        self._move(order_id, "shipped")

    @rule(order_id=orders)
    def complete(self, order_id):
        self._move(order_id, "completed")

    @rule(order_id=orders)
    def cancel(self, order_id):
        self._move(order_id, "cancelled")

    @rule(order_id=orders)
    def refund(self, order_id):
        self._move(order_id, "refunded")

    @rule(index=st.integers(0, len(INITIAL) - 1), quantity=st.integers(1, 5))
    def restock(self, index, quantity):
        pk = self.products[index].pk
        product_restock(product_id=pk, quantity=quantity)
        self.received[pk] += quantity
        self.expected_stock[pk] += quantity

    @invariant()
    def stock_is_never_negative_and_every_unit_is_accounted_for(self):
        stock = dict(Product.objects.filter(business=self.shop).values_list("pk", "stock"))
        sold = dict(
            OrderLine.objects.filter(order__business=self.shop, order__stock_returned=False)
            .values("product_id")
            .annotate(units=Sum("quantity"))
            .values_list("product_id", "units")
        )
        assert all(units >= 0 for units in stock.values()), stock
        for pk, received in self.received.items():
            assert received == stock[pk] + sold.get(pk, 0), (pk, received, stock[pk], sold.get(pk, 0))
            assert stock[pk] == self.expected_stock[pk]
        assert stock[self.made_to_order.pk] == 7


def test_stock_stays_non_negative_and_received_equals_stock_plus_sold():
    run_state_machine_as_test(
        StockMachine,
        settings=settings(
            max_examples=20,
            stateful_step_count=20,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
