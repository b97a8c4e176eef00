"""orders.services.orders_erase_buyer_contacts: orders kept as records, without what only served delivery."""

import pytest
from django.core.exceptions import ValidationError

from naikkelas.orders import services
from naikkelas.orders.models import Order, Status
from tests.catalog.factories import make_product
from tests.orders.factories import make_order
from tests.registry.factories import make_business, make_owner

pytestmark = pytest.mark.django_db


@pytest.fixture
def business():
    return make_business(owner=make_owner())


def test_buyers_phone_address_and_note_go_and_the_rest_of_the_order_stays(business):
    product = make_product(business)
    done = make_order(business, [(product, 2)], status=Status.COMPLETED, buyer_address="Gg. Mawar 1", note="pagi")

    assert services.orders_erase_buyer_contacts(actor=None, business=business) == 1

    done = Order.objects.get(pk=done.pk)
    assert (done.buyer_phone, done.buyer_address, done.note) == ("", "", "")
    assert (done.buyer_name, done.total, done.lines.get().quantity) == ("Ani Pembeli", 30000, 2)


def test_refused_while_an_order_is_unfinished(business):
    waiting = make_order(business, status=Status.SHIPPED)
    with pytest.raises(ValidationError) as refused:
        services.orders_erase_buyer_contacts(actor=None, business=business)
    assert refused.value.code == "orders_unfinished"
    assert Order.objects.get(pk=waiting.pk).buyer_phone == "+6281399990001"
