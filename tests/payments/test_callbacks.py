"""Signed payment gateway callbacks: refused unless signed and fresh, acted on once per event id, and never
paying an order twice, whatever the order in which events arrive."""

import json
import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from naikkelas.orders.models import PaymentMethod, Status
from naikkelas.payments.models import GatewayEvent
from naikkelas.payments.services import parse_callback, payment_confirm
from naikkelas.payments.signing import sign
from tests.catalog.factories import make_product
from tests.orders.factories import make_order
from tests.payments.factories import GATEWAY_SECRET, callback_body, make_gateway, make_settings, post_callback
from tests.registry.factories import make_business, make_owner

pytestmark = pytest.mark.django_db


@pytest.fixture
def gateway():
    return make_gateway()


@pytest.fixture
def order():
    business = make_business(owner=make_owner())
    make_settings(business)
    return make_order(business, [(make_product(business, price=15000), 1)], payment_method=PaymentMethod.QRIS)


def _reload(order):
    order.refresh_from_db()
    return order


def test_a_valid_callback_pays_the_order_once(client, gateway, order):
    response = post_callback(client, callback_body(order, event_id="evt-1"))
    assert response.status_code == 200
    assert response.json() == {"event_id": "evt-1", "outcome": "paid", "repeat": False}
    order = _reload(order)
    assert order.status == Status.PAID and order.paid_at is not None
    assert order.paid_via == "gateway:uji:evt-1" and order.paid_by is None
    event = GatewayEvent.objects.get()
    assert (event.gateway, event.event_id, event.order, event.kind, event.outcome) == (
        gateway, "evt-1", order, "payment.succeeded", "paid"
    )
    assert len(event.body_sha256) == 64


def test_the_same_event_again_answers_200_and_changes_nothing(client, gateway, order):
    body = callback_body(order, event_id="evt-1")
    post_callback(client, body)
    paid_at = _reload(order).paid_at
    again = post_callback(client, body)
    assert again.status_code == 200
    assert again.json() == {"event_id": "evt-1", "outcome": "paid", "repeat": True}
    assert _reload(order).paid_at == paid_at
    assert GatewayEvent.objects.count() == 1


def test_another_event_for_an_order_already_paid_does_not_pay_it_twice(client, gateway, order):
    post_callback(client, callback_body(order, event_id="evt-1"))
    paid = _reload(order)
    response = post_callback(client, callback_body(order, event_id="evt-2"))
    assert response.status_code == 200 and response.json()["outcome"] == "ignored: already paid"
    again = _reload(order)
    assert (again.paid_at, again.paid_via) == (paid.paid_at, paid.paid_via)
    assert GatewayEvent.objects.get(event_id="evt-2").outcome == "ignored: already paid"


def test_a_payment_arriving_after_the_order_was_cancelled_is_ignored(client, gateway, order):
    order.status = Status.CANCELLED
    order.save(update_fields=["status"])
    response = post_callback(client, callback_body(order, event_id="evt-late"))
    assert response.status_code == 200 and response.json()["outcome"] == "ignored: order cancelled"
    order = _reload(order)
    assert order.status == Status.CANCELLED and order.paid_at is None
    assert GatewayEvent.objects.get().order == order


def test_an_owner_confirmation_first_leaves_a_later_gateway_event_ignored(client, gateway, order):
    payment_confirm(actor=order.business.owner, order_id=order.pk)
    confirmed = _reload(order)
    response = post_callback(client, callback_body(order, event_id="evt-1"))
    assert response.json()["outcome"] == "ignored: already paid"
    assert _reload(order).paid_via == "owner" and _reload(order).paid_at == confirmed.paid_at


def test_a_bad_signature_is_refused_with_401_and_nothing_is_recorded(client, gateway, order):
    body = callback_body(order)
    wrong_secret = post_callback(client, body, secret="bukan-rahasia-yang-benar-0123456789")
    assert wrong_secret.status_code == 401 and wrong_secret.json()["error"] == "signature"
    timestamp = int(time.time())
    signed_for_another_body = sign(GATEWAY_SECRET, timestamp, body)
    changed = callback_body(order, event_id="evt-9")
    response = post_callback(client, changed, timestamp=timestamp, signature=signed_for_another_body)
    assert response.status_code == 401
    assert not GatewayEvent.objects.exists() and _reload(order).paid_at is None


def test_a_callback_without_signature_headers_is_refused(client, gateway, order):
    response = client.post(
        reverse("payments:callback", args=["uji"]), data=callback_body(order), content_type="application/json"
    )
    assert response.status_code == 401 and response.json()["error"] == "missing"
    assert not GatewayEvent.objects.exists()


def test_a_callback_signed_six_minutes_ago_is_refused_as_a_replay(client, gateway, order):
    response = post_callback(client, callback_body(order), timestamp=int(time.time()) - 6 * 60)
    assert response.status_code == 401 and response.json()["error"] == "stale"
    assert not GatewayEvent.objects.exists() and _reload(order).paid_at is None


def test_an_unknown_or_inactive_gateway_gets_404(client, order):
    make_gateway("mati", is_active=False)
    assert post_callback(client, callback_body(order), gateway="tidak-ada").status_code == 404
    assert post_callback(client, callback_body(order), gateway="mati").status_code == 404
    assert not GatewayEvent.objects.exists() and _reload(order).paid_at is None


def test_a_wrong_amount_is_recorded_as_ignored_and_the_order_is_not_paid(client, gateway, order):
    response = post_callback(client, callback_body(order, amount=order.total - 1))
    assert response.status_code == 200 and response.json()["outcome"] == "ignored: amount mismatch"
    assert _reload(order).paid_at is None
    assert GatewayEvent.objects.get().outcome == "ignored: amount mismatch"


def test_an_unknown_order_token_is_recorded_as_ignored(client, gateway):
    body = json.dumps({"event_id": "e", "type": "payment.succeeded", "order_token": "x" * 22, "amount": 1}).encode()
    response = post_callback(client, body)
    assert response.status_code == 200 and response.json()["outcome"] == "ignored: unknown order"
    assert GatewayEvent.objects.get().order is None


def test_an_event_type_the_platform_does_not_handle_is_recorded_and_ignored(client, gateway, order):
    body = json.dumps({"event_id": "e-2", "type": "payment.refunded", "order_token": order.token}).encode()
    response = post_callback(client, body)
    assert response.status_code == 200 and response.json()["outcome"] == "ignored: unhandled type"
    assert _reload(order).paid_at is None


@pytest.mark.parametrize(
    ("body", "error"),
    [
        (b"not json", "malformed_json"),
        (b"\xff\xfe{}", "malformed_json"),
        (b"[1, 2]", "malformed_json"),
        (b'{"type": "payment.succeeded"}', "missing_event_id"),
        (b'{"event_id": "", "type": "payment.succeeded"}', "missing_event_id"),
        (b'{"event_id": "e"}', "missing_type"),
        (b'{"event_id": "e", "type": "payment.succeeded", "amount": 15000}', "missing_order_token"),
        (b'{"event_id": "e", "type": "payment.succeeded", "order_token": "t"}', "invalid_amount"),
        (b'{"event_id": "e", "type": "payment.succeeded", "order_token": "t", "amount": "15000"}', "invalid_amount"),
        (b'{"event_id": "e", "type": "payment.succeeded", "order_token": "t", "amount": 15000.0}', "invalid_amount"),
        (b'{"event_id": "e", "type": "payment.succeeded", "order_token": "t", "amount": true}', "invalid_amount"),
        (b'{"event_id": "e", "type": "payment.succeeded", "order_token": "t", "amount": -5}', "invalid_amount"),
        (
            b'{"event_id": "e", "type": "payment.succeeded", "order_token": "t", "amount": 5, "paid_at": "kemarin"}',
            "invalid_paid_at",
        ),
        (
            b'{"event_id": "e", "type": "payment.succeeded", "order_token": "t", "amount": 5, '
            b'"paid_at": "2025-01-31T10:15:00"}',
            "invalid_paid_at",
        ),
        (b'{"event_id": "' + b"e" * 101 + b'", "type": "payment.succeeded"}', "invalid_event_id"),
    ],
)
def test_a_malformed_body_gets_400_with_a_message_and_nothing_is_written(client, gateway, order, body, error):
    response = post_callback(client, body)
    assert response.status_code == 400
    assert response.json()["error"] == error and response.json()["message"]
    assert not GatewayEvent.objects.exists() and _reload(order).paid_at is None


def test_the_callback_only_answers_post(client, gateway):
    assert client.get(reverse("payments:callback", args=["uji"])).status_code == 405


def test_the_callback_needs_no_csrf_token(gateway, order):
    strict = Client(enforce_csrf_checks=True)
    assert post_callback(strict, callback_body(order)).status_code == 200
    assert _reload(order).paid_at is not None


# ---- Concurrency (PostgreSQL) -----------------------------------------------------------------------------


def _in_threads(count: int, work) -> list:
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(index: int) -> None:
        try:
            barrier.wait()
            results[index] = work(index)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_callback_arriving_many_times_at_once_pays_exactly_once(regions):
    make_gateway()
    business = make_business(owner=make_owner())
    order = make_order(business, [(make_product(business), 1)], payment_method=PaymentMethod.QRIS)
    body = callback_body(order, event_id="evt-race")

    responses = _in_threads(8, lambda index: post_callback(Client(), body))

    assert [response.status_code for response in responses] == [200] * 8
    outcomes = sorted((response.json()["outcome"], response.json()["repeat"]) for response in responses)
    assert outcomes == [("paid", False)] + [("paid", True)] * 7
    assert GatewayEvent.objects.count() == 1
    assert _reload(order).status == Status.PAID


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_different_events_for_one_order_at_once_pay_it_exactly_once(regions):
    make_gateway()
    business = make_business(owner=make_owner())
    order = make_order(business, [(make_product(business), 1)], payment_method=PaymentMethod.QRIS)

    responses = _in_threads(8, lambda index: post_callback(Client(), callback_body(order, event_id=f"evt-{index}")))

    outcomes = sorted(response.json()["outcome"] for response in responses)
    assert outcomes == ["ignored: already paid"] * 7 + ["paid"]
    assert GatewayEvent.objects.count() == 8
    paid = _reload(order)
    winner = GatewayEvent.objects.get(outcome="paid")
    assert paid.status == Status.PAID and paid.paid_via == f"gateway:uji:{winner.event_id}"


def test_a_payment_for_a_cash_on_delivery_order_on_its_way_is_recorded_and_it_stays_shipped(client, gateway):
    business = make_business(owner=make_owner())
    order = make_order(business, [(make_product(business), 1)], payment_method=PaymentMethod.COD, status=Status.SHIPPED)
    response = post_callback(client, callback_body(order, event_id="evt-cod"))
    assert response.json()["outcome"] == "paid"
    order = _reload(order)
    assert order.status == Status.SHIPPED and order.paid_at is not None


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=5),
    max_leaves=12,
)
callback_like = st.fixed_dictionaries(
    {},
    optional={
        "event_id": json_values | st.text(max_size=120),
        "type": st.just("payment.succeeded") | json_values,
        "order_token": json_values | st.text(max_size=40),
        "amount": json_values | st.integers(),
        "paid_at": json_values | st.just("2026-01-01T07:00:00+07:00"),
    },
)


@given(data=callback_like | json_values)
def test_parse_callback_either_reads_an_event_or_says_what_is_wrong(data):
    """Open-ended input: any JSON gives an event or a ValidationError with a message, never anything else."""
    try:
        event = parse_callback(json.dumps(data).encode())
    except ValidationError as error:
        assert error.code and error.messages[0]
        return
    assert event.event_id.strip() and event.type.strip()
    if event.type == "payment.succeeded":
        assert isinstance(event.amount, int) and event.amount > 0 and event.order_token


@given(body=st.binary(max_size=200))
def test_parse_callback_never_crashes_on_arbitrary_bytes(body):
    try:
        parse_callback(body)
    except ValidationError as error:
        assert error.code
