"""What the buyer and the seller are told on WhatsApp, and how money reads."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import RequestFactory
from django.template import Context, Template
from django.utils import timezone

from naikkelas.core.money import rupiah
from naikkelas.orders.messages import buyer_wa_link, progress_steps, seller_order_text, status_text
from naikkelas.orders.models import Delivery, PaymentMethod, Status
from tests.catalog.factories import make_product
from tests.orders.factories import make_order
from tests.registry.factories import make_business

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("amount", "text"),
    [(0, "Rp 0"), (500, "Rp 500"), (15000, "Rp 15.000"), (1234567, "Rp 1.234.567"), (-2500, "-Rp 2.500")],
)
def test_rupiah_groups_thousands_with_dots(amount, text):
    assert rupiah(amount) == text


def test_rupiah_template_filter_formats_and_never_fails():
    template = Template("{% load money %}{{ a|rupiah }}|{{ b|rupiah }}|{{ c|rupiah }}")
    assert template.render(Context({"a": 30000, "b": "abc", "c": None})) == "Rp 30.000||"


@pytest.fixture
def order():
    business = make_business(name="Keripik Bu Tini")
    product = make_product(business, name="Keripik Pisang", price=15000)
    return make_order(business, [(product, 2)], buyer_name="Ani")


def test_status_text_names_the_order_the_total_and_the_link(order):
    text = status_text(order, "https://naikkelas.id/pesanan/abc/")
    assert "Halo Ani," in text
    assert "#1" in text and "Keripik Bu Tini" in text
    assert "Rp 30.000" in text
    assert "https://naikkelas.id/pesanan/abc/" in text


@pytest.mark.parametrize(
    ("status", "words"),
    [
        (Status.NEW, "sudah kami terima"),
        (Status.CONFIRMED, "dikonfirmasi"),
        (Status.PAID, "Pembayaran"),
        (Status.SHIPPED, "siap diambil"),
        (Status.COMPLETED, "selesai"),
        (Status.CANCELLED, "dibatalkan"),
        (Status.REFUNDED, "dikembalikan"),
    ],
)
def test_status_text_says_what_happened_for_each_status(order, status, words):
    order.status = status
    assert words in status_text(order)


def test_status_text_for_a_delivered_order_says_it_was_sent(order):
    order.status, order.delivery = Status.SHIPPED, Delivery.SELLER
    assert "sudah dikirim" in status_text(order)


def test_buyer_wa_link_opens_a_chat_with_the_buyer_and_the_status_page_link(order):
    request = RequestFactory().get("/")
    link = buyer_wa_link(order, request)
    parts = urlsplit(link)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "wa.me", "/6281399990001")
    text = parse_qs(parts.query)["text"][0]
    assert f"http://testserver/pesanan/{order.token}/" in text
    assert "Rp 30.000" in text


def test_seller_order_text_spells_out_each_line_the_total_and_the_buyer(order):
    lines = list(order.lines.all())
    text = seller_order_text(shop=order.business, lines=lines, buyer_name="Ani", note="Tanpa sambal")
    assert text.splitlines() == [
        "Halo Keripik Bu Tini, saya mau pesan:",
        "2 × Keripik Pisang (Rp 15.000) = Rp 30.000",
        "Total: Rp 30.000",
        "Nama: Ani",
        "Catatan: Tanpa sambal",
    ]


def test_progress_puts_sending_before_paying_for_cash_on_delivery(order):
    order.status, order.shipped_at = Status.SHIPPED, timezone.now()
    order.confirmed_at = timezone.now()
    steps = progress_steps(order)
    assert [str(step["label"]) for step in steps] == ["Baru", "Dikonfirmasi", "Dikirim", "Dibayar", "Selesai"]
    assert [step["done"] for step in steps] == [True, True, True, False, False]
    assert [step["current"] for step in steps] == [False, False, True, False, False]


def test_progress_puts_paying_before_sending_for_qris(order):
    order.payment_method, order.status, order.paid_at = PaymentMethod.QRIS, Status.PAID, timezone.now()
    steps = progress_steps(order)
    assert [str(step["label"]) for step in steps] == ["Baru", "Dikonfirmasi", "Dibayar", "Dikirim", "Selesai"]
    assert [step["done"] for step in steps] == [True, False, True, False, False]
