"""What a shop offers at checkout, and the dynamic QRIS made for one order."""

import pytest

from naikkelas.orders.models import PaymentMethod, Status
from naikkelas.payments import qris, selectors
from naikkelas.payments.models import PaymentSettings
from tests.catalog.factories import make_product
from tests.orders.factories import make_order
from tests.payments.factories import STATIC_QRIS, make_settings
from tests.registry.factories import make_business, make_owner

pytestmark = pytest.mark.django_db


@pytest.fixture
def business():
    return make_business(owner=make_owner())


def test_settings_for_a_shop_without_settings_is_an_unsaved_cash_on_delivery_default(business):
    settings = selectors.settings_for(business)
    assert settings._state.adding and settings.cod_enabled and not settings.qris_enabled
    assert not PaymentSettings.objects.exists()


@pytest.mark.parametrize(
    ("qris_on", "transfer_on", "cod_on", "expected"),
    [
        (False, False, True, ["cod"]),
        (True, False, True, ["qris", "cod"]),
        (True, True, True, ["qris", "transfer", "cod"]),
        (False, True, False, ["transfer"]),
        (True, False, False, ["qris"]),
    ],
)
def test_methods_for_offers_what_the_owner_set_up(business, qris_on, transfer_on, cod_on, expected):
    make_settings(business, qris=qris_on, transfer=transfer_on, cod=cod_on)
    assert selectors.methods_for(business) == expected
    assert all(method in PaymentMethod.values for method in expected)


def test_methods_for_a_shop_that_never_saved_settings_is_cash_on_delivery(business):
    assert selectors.methods_for(business) == [PaymentMethod.COD]


def test_transfer_is_not_offered_while_the_bank_details_are_incomplete(business):
    PaymentSettings.objects.create(business=business, bank_name="BRI", bank_account_number="0123456789")
    assert selectors.methods_for(business) == ["cod"]
    assert selectors.transfer_details(business) is None


def test_order_qris_payload_is_the_shops_code_for_exactly_the_order_total(business):
    make_settings(business)
    order = make_order(business, [(make_product(business, price=12500), 3)], payment_method=PaymentMethod.QRIS)
    code = qris.decode(selectors.order_qris_payload(order))
    assert code.get("01") == "12" and code.amount == order.total == 37500
    assert code.nmid == qris.decode(STATIC_QRIS).nmid


@pytest.mark.parametrize("status", [Status.PAID, Status.SHIPPED, Status.COMPLETED, Status.CANCELLED, Status.REFUNDED])
def test_order_qris_payload_is_empty_once_the_order_no_longer_waits_for_payment(business, status):
    make_settings(business)
    order = make_order(business, [(make_product(business), 1)], payment_method=PaymentMethod.QRIS, status=status)
    assert selectors.order_qris_payload(order) == ""


def test_order_qris_payload_is_empty_for_other_methods_and_for_a_shop_without_qris(business):
    product = make_product(business)
    cod_order = make_order(business, [(product, 1)])
    qris_order = make_order(business, [(product, 1)], payment_method=PaymentMethod.QRIS)
    make_settings(business)
    assert selectors.order_qris_payload(cod_order) == ""
    make_settings(business, qris=False)
    assert selectors.order_qris_payload(qris_order) == ""
