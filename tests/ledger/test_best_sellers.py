"""The month's best sellers on the cash book summary: what was paid for this month and not refunded."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from naikkelas.orders.models import Order, Status
from naikkelas.orders.selectors import best_sellers
from naikkelas.orders.services import order_mark_paid
from tests.catalog.factories import make_product
from tests.orders.factories import make_order
from tests.registry.factories import make_business, make_owner

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    return make_owner()


@pytest.fixture
def shop(owner):
    return make_business(owner=owner, name="Keripik Bu Tini")


def _paid(shop, lines) -> Order:
    order = make_order(shop, lines)
    order_mark_paid(order_id=order.pk, via="owner", by=shop.owner)
    return order


def test_best_sellers_count_paid_orders_of_the_month_only(owner, shop):
    # Given paid orders of two products, an unpaid one, a refunded one and one paid last month
    keripik = make_product(shop, name="Keripik Pisang", price=15000)
    kopi = make_product(shop, name="Kopi Menoreh", price=40000)
    _paid(shop, [(keripik, 3)])
    _paid(shop, [(keripik, 1), (kopi, 2)])
    make_order(shop, [(kopi, 10)])  # not paid
    refunded = _paid(shop, [(kopi, 5)])
    Order.objects.filter(pk=refunded.pk).update(status=Status.REFUNDED)
    old = _paid(shop, [(keripik, 20)])
    Order.objects.filter(pk=old.pk).update(paid_at=timezone.now() - dt.timedelta(days=62))
    now = timezone.now()

    # When the month's best sellers are read
    found = best_sellers(actor=owner, business=shop, start=now - dt.timedelta(days=20), end=now + dt.timedelta(days=1))

    # Then the amounts are those paid this month, biggest first
    assert [(row["name"], row["units"], row["amount"]) for row in found] == [
        ("Kopi Menoreh", 2, 80000), ("Keripik Pisang", 4, 60000),
    ]
    assert best_sellers(actor=make_owner(), business=shop, start=now - dt.timedelta(days=20), end=now) == []


def test_the_summary_names_the_best_seller(client, owner, shop):
    keripik = make_product(shop, name="Keripik Pisang", price=15000)
    _paid(shop, [(keripik, 3)])
    client.force_login(owner)
    page = client.get(reverse("ledger:summary", args=[shop.pk])).content.decode()
    assert "Keripik Pisang" in page and "Rp 45.000" in page
