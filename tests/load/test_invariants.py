"""The load scenario's judgement (tests/load/invariants.py) holds for honest work and catches each kind of
damage it is there to catch: stock sold twice or lost, an order paid twice, a paid order missing from the cash
book or posted twice, a saved entry lost, a buyer told "paid" twice."""

import json

import pytest
from django.utils import timezone

from naikkelas.catalog.models import Product, ShopProfile
from naikkelas.ledger import services as ledger_services
from naikkelas.ledger.models import Entry
from naikkelas.orders.models import Order, OrderLine
from naikkelas.orders.services import order_place, order_transition
from naikkelas.payments import services as payment_services
from naikkelas.payments.models import GatewayEvent
from tests.catalog.factories import make_product
from tests.load import invariants
from tests.load.forms import Forms
from tests.payments.factories import make_gateway
from tests.registry.factories import make_business, make_owner

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene():
    owner = make_owner()
    shop = make_business(owner=owner, name="Keripik Bu Tini")
    ShopProfile.objects.create(business=shop)
    products = [make_product(shop, name="Keripik", price=15000, stock=5), make_product(shop, name="Kopi", price=40000, stock=3)]
    fixture = {
        "started_at": timezone.now().isoformat(),
        "shops": [{"id": shop.pk, "products": [p.pk for p in products]}],
        "baseline": invariants.stock_baseline([p.pk for p in products]),
    }
    return owner, shop, products, fixture


def place(shop, lines):
    return order_place(
        business_id=shop.pk, lines=lines, buyer_name="Ani Pembeli", buyer_phone="0813-9999-0001", buyer_address="",
        buyer_village_code="", delivery="pickup", payment_method="qris",
    )


def honest_work(owner, shop, products):
    keripik, kopi = products
    paid = place(shop, [(keripik.pk, 2), (kopi.pk, 1)])
    gateway = make_gateway()
    for event_id in ("e1", "e1", "e2"):  # a retried callback, and a second payment of a paid order
        body = json.dumps({"event_id": event_id, "type": "payment.succeeded", "order_token": paid.token,
                           "amount": paid.total}).encode()
        payment_services.gateway_callback(gateway=gateway, event=payment_services.parse_callback(body), body=body)
    cancelled = place(shop, [(keripik.pk, 3)])
    order_transition(actor=owner, order_id=cancelled.pk, to="cancelled")
    place(shop, [(kopi.pk, 2)])  # waits for payment
    entry = ledger_services.entry_record(
        actor=owner, business=shop, direction="in", amount=5000, date=timezone.localdate(), category="sales",
        method="cash", client_id="3b0f1a3c-9a53-4a8e-9d9b-3f6c1c1f2a10",
    )
    return paid, entry


def problems_after(fixture, tally=None):
    return invariants.check(fixture, tally or {})[0]


def test_honest_work_passes_and_is_counted(scene):
    owner, shop, products, fixture = scene
    paid, _ = honest_work(owner, shop, products)

    problems, figures = invariants.check(
        fixture, {"paid": {paid.token: 1}, "entries": ["3b0f1a3c-9a53-4a8e-9d9b-3f6c1c1f2a10"]}
    )

    assert problems == []
    assert figures["placed"] == 3 and figures["paid"] == 1 and figures["cancelled"] == 1
    assert figures["cash_book_order_sales"] == paid.total == figures["paid_total"]
    assert figures["products_sold_out"] == 1  # the kopi: 1 paid, 2 waiting


def test_a_unit_sold_twice_or_lost_is_caught(scene):
    owner, shop, products, fixture = scene
    honest_work(owner, shop, products)
    keripik, kopi = products
    Product.objects.filter(pk=keripik.pk).update(stock=keripik.stock)  # the shelf forgot what was taken
    OrderLine.objects.filter(product=kopi).update(stock_taken=0)  # an order took units without counting them

    problems = problems_after(fixture)

    assert any(f"product {keripik.pk}" in p for p in problems)
    assert any(f"product {kopi.pk}" in p for p in problems)


def test_an_order_paid_twice_is_caught(scene):
    owner, shop, products, fixture = scene
    paid, _ = honest_work(owner, shop, products)
    GatewayEvent.objects.filter(event_id="e2").update(outcome="paid")

    assert any(f"order {paid.pk}: paid by 2 gateway events" in p for p in problems_after(fixture))
    assert any("told 'paid' 2 times" in p for p in problems_after(fixture, {"paid": {paid.token: 2}}))


def test_a_paid_order_missing_from_the_cash_book_or_posted_twice_is_caught(scene):
    owner, shop, products, fixture = scene
    paid, _ = honest_work(owner, shop, products)
    Entry.objects.filter(source_key=f"order:{paid.pk}:sale").delete()
    assert any(f"order {paid.pk}: paid {paid.total}, cash book sales []" in p for p in problems_after(fixture))

    waiting = Order.objects.filter(business=shop, paid_at__isnull=True, status="new").get()
    Order.objects.filter(pk=waiting.pk).update(paid_at=timezone.now())
    assert any(f"order {waiting.pk}: paid" in p for p in problems_after(fixture))


def test_a_lost_entry_is_caught(scene):
    owner, shop, products, fixture = scene
    honest_work(owner, shop, products)
    entries = ["3b0f1a3c-9a53-4a8e-9d9b-3f6c1c1f2a10", "0d6b6c1e-1111-4c8e-9d9b-3f6c1c1f2a10"]

    assert problems_after(fixture, {"entries": entries}) == [
        "cash-book entry 0d6b6c1e-1111-4c8e-9d9b-3f6c1c1f2a10: saved 0 times"
    ]


def test_forms_are_read_as_a_browser_sends_them():
    html = """<form method="post" action="/beli/"><input type="hidden" name="csrfmiddlewaretoken" value="t">
      <input name="quantity" value="1"><input type="radio" name="pay" value="qris">
      <input type="radio" name="pay" value="cod" checked><select name="province"><option value="">— pilih —</option>
      <option value="34">DIY</option></select><select name="lang"><option value="id">ID</option>
      <option value="en" selected>EN</option></select><textarea name="note">x</textarea></form>
      <form action="/cari/"><input name="q"></form>"""

    forms = Forms(html)

    assert len(forms.forms) == 1
    assert forms.find("/beli/")["fields"] == {
        "csrfmiddlewaretoken": "t", "quantity": "1", "pay": "cod", "province": "", "lang": "en", "note": "x",
    }
