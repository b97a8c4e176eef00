"""The receipt: the same facts on the printable page and in the PDF, times in the business's zone."""

import re
from datetime import datetime, timezone as dt_timezone

import pytest

from naikkelas.orders.models import PaymentMethod, Status
from naikkelas.orders.receipts import latin1, pdf_filename, receipt_for, receipt_pdf_bytes
from tests.catalog.factories import make_product
from tests.orders.factories import make_order
from tests.registry.factories import make_business

pytestmark = pytest.mark.django_db

# Kota Makassar, Sulawesi Selatan: WITA (UTC+8), unlike the server's WIB.
MAKASSAR_VILLAGE = "73.71.01.1001"
NOON_UTC = datetime(2025, 3, 12, 4, 5, tzinfo=dt_timezone.utc)


@pytest.fixture
def order():
    business = make_business(name="Keripik Bu Tini", phone="+6281234500001")
    product = make_product(business, name="Keripik Pisang", price=15000)
    return make_order(business, [(product, 2)], buyer_name="Ani Pembeli", created_at=NOON_UTC)


def _text(pdf: bytes) -> str:
    # Uncompressed content streams hold the text as Latin-1 strings, with "(", ")" and "\\" escaped.
    strings = re.findall(rb"\(((?:[^()\\]|\\.)*)\) Tj", pdf)
    return "\n".join(re.sub(rb"\\(.)", rb"\1", found).decode("latin-1") for found in strings)


def test_the_receipt_pdf_is_a_pdf_with_the_order_number_lines_and_total(order):
    pdf = receipt_pdf_bytes(order, compress=False)
    assert pdf.startswith(b"%PDF")
    assert b"/Type /Page" in pdf
    text = _text(pdf)
    assert "Struk pesanan #1" in text
    assert "Keripik Bu Tini" in text and "Keripik Pisang" in text
    assert "Rp 30.000" in text
    assert "Ani Pembeli" in text
    assert "Bayar di tempat (COD)" in text


def test_the_compressed_receipt_pdf_is_still_a_whole_pdf(order):
    pdf = receipt_pdf_bytes(order)
    assert pdf.startswith(b"%PDF") and pdf.rstrip().endswith(b"%%EOF")
    assert len(re.findall(rb"/Type /Page\b", pdf)) >= 1


def test_times_are_in_the_businesss_own_zone(order):
    assert receipt_for(order).created == "12 Maret 2025 11:05 WIB"
    order.business.village_id = MAKASSAR_VILLAGE
    assert receipt_for(order).created == "12 Maret 2025 12:05 WITA"


def test_a_paid_transfer_order_shows_the_unique_code_and_when_it_was_paid(order):
    order.payment_method, order.status = PaymentMethod.TRANSFER, Status.PAID
    order.unique_code, order.total, order.paid_at = 7, order.subtotal + 7, NOON_UTC
    receipt = receipt_for(order)
    assert (receipt.payment_method, receipt.status, receipt.paid_at) == (
        "Transfer bank", "Dibayar", "12 Maret 2025 11:05 WIB"
    )
    text = _text(receipt_pdf_bytes(order, compress=False))
    assert "Kode unik transfer" in text and "Rp 30.007" in text and "Dibayar: 12 Maret 2025 11:05 WIB" in text


def test_names_outside_latin1_never_break_the_pdf(order):
    order.buyer_name = "Şeyma “Ani” — 王 😀"
    order.note = "Tolong\x00 cepat…"
    pdf = receipt_pdf_bytes(order, compress=False)
    assert pdf.startswith(b"%PDF")
    assert 'Seyma "Ani" - ? ?' in _text(pdf)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Keripik Pisang", "Keripik Pisang"), ("Café", "Café"), ("Ğ", "G"), ("a–b", "a-b"), ("王", "?"), ("\x07x", "x")],
)
def test_latin1_keeps_what_it_can(text, expected):
    assert latin1(text) == expected


def test_the_pdf_file_name_names_the_shop_and_the_number(order):
    assert pdf_filename(order) == f"struk-{order.business.slug}-1.pdf"
