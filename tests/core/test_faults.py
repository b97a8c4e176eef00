"""The database going away under a view (core.middleware.DatabaseUnavailableMiddleware): a 503 with Retry-After,
a standalone page in Indonesian or JSON for the API, logged at ERROR with the request id and without the
request's body; and nothing is lost, because the failed request's transaction rolls back while what was
committed before stays."""

import json
import logging
from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError, connection, transaction
from django.http import HttpResponse
from django.urls import path

from naikkelas.accounts.models import User
from naikkelas.catalog.models import Product
from naikkelas.orders.models import Order, OrderLine
from tests.orders.test_checkout import _checkout, _fill_cart, shop  # noqa: F401 (shop is a fixture)
from tests.registry.factories import make_owner

pytestmark = pytest.mark.django_db


def _lost(request):
    raise OperationalError("server closed the connection unexpectedly")


def _gone(request):
    raise InterfaceError("connection already closed")


def _locked(request):
    raise OperationalError("database is locked")


def _broken(request):
    raise ValueError("not a database problem")


def _killed_mid_write(request):
    """Writes inside a transaction, then the database server drops this connection (PostgreSQL only)."""
    with transaction.atomic():
        make_owner(phone="+6281299990001")
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(pg_backend_pid())")
        make_owner(phone="+6281299990002")
    return HttpResponse("not reached")


def _fine(request):
    return HttpResponse("ok")


# The URLs of these tests (pytest.mark.urls below).
urlpatterns = [
    path("hilang/", _lost),
    path("tutup/", _gone),
    path("terkunci/", _locked),
    path("rusak/", _broken),
    path("baik/", _fine),
    path("putus/", _killed_mid_write),
    path("api/v1/hilang/", _lost),
]

on_these_urls = pytest.mark.urls(__name__)


@on_these_urls
@pytest.mark.parametrize("url", ["/hilang/", "/tutup/", "/terkunci/"])
def test_a_view_that_loses_the_database_answers_a_503_page_in_indonesian(client, url):
    response = client.get(url)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert "Layanan sedang terganggu" in body
    assert "Data Anda aman" in body
    assert "/static/css/site.css" in body or "css/site.css" in body
    assert "traceback" not in body.lower() and "connection" not in body and "locked" not in body


@on_these_urls
def test_the_503_page_renders_without_touching_the_database_for_a_signed_in_user(client, django_assert_num_queries):
    client.force_login(make_owner())
    # base.html would look the user up for the menu; the 503 page does not.
    with django_assert_num_queries(0):
        response = client.get("/hilang/")
    assert response.status_code == 503
    assert "Layanan sedang terganggu" in response.content.decode()


@on_these_urls
def test_the_api_and_callers_asking_for_json_get_json(client):
    for response in (client.get("/api/v1/hilang/"), client.get("/hilang/", HTTP_ACCEPT="application/json")):
        assert response.status_code == 503
        assert response["Retry-After"] == "30"
        assert response["Content-Type"] == "application/json"
        data = json.loads(response.content)
        assert data["error"] == "service_unavailable"
        assert "coba lagi" in data["detail"]


@on_these_urls
def test_other_errors_and_good_views_are_left_alone(client):
    assert client.get("/baik/").status_code == 200
    with pytest.raises(ValueError):
        client.get("/rusak/")


@on_these_urls
def test_the_error_is_logged_with_the_request_id_and_without_the_body(client, caplog):
    with caplog.at_level(logging.ERROR, logger="naikkelas.core.middleware"):
        response = client.post("/hilang/?telp=081234567890", {"name": "Ani Pembeli", "phone": "081399990001"})
    assert response.status_code == 503
    records = [record for record in caplog.records if record.name == "naikkelas.core.middleware"]
    assert len(records) == 1
    record = records[0]
    assert record.levelno == logging.ERROR
    assert record.request_id == response["X-Request-ID"]
    text = caplog.text
    assert "/hilang/" in text and "server closed the connection" in text
    for secret in ("Ani Pembeli", "081399990001", "081234567890", "telp="):
        assert secret not in text


@pytest.mark.django_db(transaction=True)
def test_a_failure_mid_order_writes_nothing_and_keeps_the_order_committed_before(client, regions, shop):  # noqa: F811
    _fill_cart(client, shop, [(shop.pisang, 2)])
    assert _checkout(client, shop).status_code == 302
    first = Order.objects.get()

    # The second order fails after its rows are written, inside order_place's transaction.
    _fill_cart(client, shop, [(shop.pisang, 3), (shop.singkong, 1)])
    lost = OperationalError("server closed the connection unexpectedly")
    with mock.patch("naikkelas.orders.services.audit_record", side_effect=lost) as audit:
        response = _checkout(client, shop)
    assert audit.called  # it did get as far as the write
    assert response.status_code == 503
    assert response["Retry-After"] == "30"

    assert list(Order.objects.values_list("pk", flat=True)) == [first.pk]
    assert OrderLine.objects.filter(order=first).count() == 1 and OrderLine.objects.count() == 1
    stock = dict(Product.objects.filter(pk__in=[shop.pisang.pk, shop.singkong.pk]).values_list("pk", "stock"))
    assert stock == {shop.pisang.pk: 8, shop.singkong.pk: 3}

    # The buyer tries again once the database is back, and the order goes through.
    assert _checkout(client, shop).status_code == 302
    assert Order.objects.count() == 2
    stock = dict(Product.objects.filter(pk__in=[shop.pisang.pk, shop.singkong.pk]).values_list("pk", "stock"))
    assert stock == {shop.pisang.pk: 5, shop.singkong.pk: 2}


@on_these_urls
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_connection_the_server_drops_mid_request_answers_503_and_writes_nothing(client):
    kept = make_owner(phone="+6281299990000")  # committed before
    try:
        response = client.get("/putus/")
    finally:
        connection.close()  # the test client keeps Django from closing the dead connection at the request's end
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Layanan sedang terganggu" in response.content.decode()
    assert list(User.objects.values_list("pk", flat=True)) == [kept.pk]
