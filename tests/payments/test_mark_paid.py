"""The owner's "paid" button: records who confirmed the payment and when; only on the owner's own orders."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from naikkelas.core.models import AuditLog
from naikkelas.orders.models import Status
from naikkelas.payments import services
from tests.catalog.factories import make_product
from tests.orders.factories import make_order
from tests.registry.factories import SLEMAN, make_admin, make_business, make_officer, make_owner

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    return make_owner()


@pytest.fixture
def order(owner):
    business = make_business(owner=owner)
    return make_order(business, [(make_product(business), 2)])


def _url(order) -> str:
    return reverse("payments:mark_paid", args=[order.business_id, order.number])


def _detail(order) -> str:
    return reverse("orders:owner_detail", args=[order.business_id, order.number])


def test_the_owner_marks_an_order_paid_with_who_and_when(client, owner, order):
    client.force_login(owner)
    response = client.post(_url(order))
    assert response.status_code == 302 and response["Location"] == _detail(order)
    order.refresh_from_db()
    assert order.status == Status.PAID
    assert order.paid_by == owner and order.paid_at is not None and order.paid_via == "owner"
    assert AuditLog.objects.filter(action="order.paid", actor=owner, object_id=str(order.pk)).exists()


def test_marking_an_order_paid_twice_says_so_and_keeps_the_first_payment(client, owner, order):
    client.force_login(owner)
    client.post(_url(order))
    order.refresh_from_db()
    first = order.paid_at
    response = client.post(_url(order), follow=True)
    assert "sudah lunas" in response.content.decode()
    order.refresh_from_db()
    assert order.paid_at == first


def test_a_cancelled_order_cannot_be_marked_paid(client, owner, order):
    order.status = Status.CANCELLED
    order.save()
    client.force_login(owner)
    response = client.post(_url(order), follow=True)
    assert "tidak bisa ditandai lunas" in response.content.decode()
    order.refresh_from_db()
    assert order.status == Status.CANCELLED and order.paid_at is None


@pytest.mark.parametrize("make", [make_owner, lambda: make_officer(SLEMAN), make_admin])
def test_nobody_but_the_shops_owner_can_mark_its_order_paid(client, order, make):
    client.force_login(make())
    assert client.post(_url(order)).status_code == 404
    order.refresh_from_db()
    assert order.status == Status.NEW and order.paid_at is None and order.paid_by is None


def test_anonymous_visitors_are_sent_to_log_in_and_nothing_changes(client, order):
    response = client.post(_url(order))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    order.refresh_from_db()
    assert order.paid_at is None


def test_the_paid_button_only_answers_post(client, owner, order):
    client.force_login(owner)
    assert client.get(_url(order)).status_code == 405
    order.refresh_from_db()
    assert order.paid_at is None


def test_payment_confirm_refuses_an_actor_who_does_not_own_the_shop(order):
    with pytest.raises(ValidationError) as caught:
        services.payment_confirm(actor=make_owner(), order_id=order.pk)
    assert caught.value.code == "not_owner"
    order.refresh_from_db()
    assert order.paid_at is None
