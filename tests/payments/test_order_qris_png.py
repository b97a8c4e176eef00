"""The QRIS image on a buyer's order page: a dynamic code for exactly the order's total."""

import io

import pytest
import zxingcpp
from django.urls import reverse
from PIL import Image

from naikkelas.orders.models import PaymentMethod, Status
from naikkelas.payments import qris
from tests.catalog.factories import make_product
from tests.orders.factories import make_order
from tests.payments.factories import make_settings
from tests.registry.factories import make_business, make_owner

pytestmark = pytest.mark.django_db


@pytest.fixture
def business():
    business = make_business(owner=make_owner())
    make_settings(business)
    return business


def _url(order) -> str:
    return reverse("payments:order_qris_png", args=[order.token])


def test_the_order_qris_png_decodes_to_a_dynamic_qris_for_the_order_total(client, business):
    order = make_order(business, [(make_product(business, price=15000), 2)], payment_method=PaymentMethod.QRIS)
    response = client.get(_url(order))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "private, no-store"
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(response.content)))
    assert len(found) == 1
    code = qris.decode(found[0].text)
    assert code.amount == order.total == 30000
    assert code.get("01") == "12"
    assert code.merchant_name == "BIOLBE"


@pytest.mark.parametrize("status", [Status.PAID, Status.CANCELLED, Status.REFUNDED, Status.COMPLETED])
def test_the_order_qris_png_is_gone_once_the_order_is_paid_or_cancelled(client, business, status):
    order = make_order(business, [(make_product(business), 1)], payment_method=PaymentMethod.QRIS, status=status)
    assert client.get(_url(order)).status_code == 404


def test_there_is_no_qris_png_for_an_order_paid_another_way(client, business):
    order = make_order(business, [(make_product(business), 1)], payment_method=PaymentMethod.COD)
    assert client.get(_url(order)).status_code == 404


def test_there_is_no_qris_png_when_the_shop_removed_its_qris(client, business):
    order = make_order(business, [(make_product(business), 1)], payment_method=PaymentMethod.QRIS)
    make_settings(business, qris=False)
    assert client.get(_url(order)).status_code == 404


def test_a_made_up_token_gets_404(client, business):
    assert client.get(reverse("payments:order_qris_png", args=["bukan-token-sungguhan"])).status_code == 404
