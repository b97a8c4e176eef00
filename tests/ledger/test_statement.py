"""The statement for a loan: its figures for a known book, the period it may cover, the PDF, and the links an
owner sends: they open the PDF while valid and nothing once expired, revoked or unknown; nobody else reaches
the owner's pages."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings as hypothesis_settings, strategies as st

from naikkelas.ledger.models import Category, Debt, Direction, Entry, Source, StatementShare
from naikkelas.ledger.statement import period_from, statement_for
from naikkelas.ledger.statement_pdf import amount_text, statement_pdf_bytes
from tests.registry.factories import make_business, make_owner

pytestmark = pytest.mark.django_db

JANUARY, JUNE_END = dt.date(2024, 1, 1), dt.date(2024, 6, 30)
PERIOD = {"dari": "2024-01", "sampai": "2024-06"}


@pytest.fixture
def owner():
    return make_owner()


@pytest.fixture
def business(owner):
    return make_business(owner=owner, name="Warung Bu Sri", nib="1234567890123", address="Jl. Kaliurang km 5")


@pytest.fixture
def signed_in(client, owner):
    client.force_login(owner)
    return client


def add(business, direction, amount, date, category, **fields) -> Entry:
    return Entry.objects.create(
        business=business, direction=direction, amount=amount, date=date, category=category, **fields
    )


@pytest.fixture
def book(business):
    """January to June 2024, with money before and after it and debts paid in parts:

    income   sales 500.000 + 300.000 + 30.000 (a receivable paid) - 50.000 (a refund) = 780.000; other 20.000
    expenses stock 200.000, wages 100.000, rent 150.000                              = 450.000
    profit   350.000; cash at 30 June: 1.000.000 (December) + 350.000               = 1.350.000
    receivable 80.000 less 30.000 paid in April = 50.000; payable 120.000, paid only in August: 120.000 open
    """
    add(business, Direction.IN, 1_000_000, dt.date(2023, 12, 20), Category.SALES)
    add(business, Direction.IN, 500_000, dt.date(2024, 1, 5), Category.SALES)
    add(business, Direction.IN, 300_000, dt.date(2024, 6, 30), Category.SALES)
    add(business, Direction.OUT, 50_000, dt.date(2024, 2, 3), Category.SALES, source=Source.ORDER, source_key="order:9:refund")
    add(business, Direction.IN, 20_000, dt.date(2024, 3, 3), Category.OTHER)
    add(business, Direction.OUT, 200_000, dt.date(2024, 1, 10), Category.STOCK)
    add(business, Direction.OUT, 100_000, dt.date(2024, 4, 30), Category.WAGES)
    add(business, Direction.OUT, 150_000, dt.date(2024, 5, 1), Category.RENT)
    receivable = Debt.objects.create(
        business=business, kind=Debt.Kind.RECEIVABLE, party="Pak Darto", amount=80_000, paid=30_000, date=dt.date(2024, 3, 1)
    )
    add(business, Direction.IN, 30_000, dt.date(2024, 4, 1), Category.SALES, source=Source.DEBT,
        source_key=f"debt:{receivable.pk}:form:a")
    payable = Debt.objects.create(
        business=business, kind=Debt.Kind.PAYABLE, party="Toko Beras", amount=120_000, paid=20_000, date=dt.date(2024, 2, 1)
    )
    add(business, Direction.OUT, 20_000, dt.date(2024, 8, 1), Category.STOCK, source=Source.DEBT,
        source_key=f"debt:{payable.pk}:form:b")
    # After the period: neither its money nor its debts count.
    add(business, Direction.IN, 999_000, dt.date(2024, 7, 1), Category.SALES)
    Debt.objects.create(business=business, kind=Debt.Kind.RECEIVABLE, party="Bu Tini", amount=70_000, date=dt.date(2024, 9, 1))
    return business


# -- the figures ---------------------------------------------------------------------------------------------


def test_statement_figures_follow_the_book_and_the_debts_at_the_period_end(book):
    statement = statement_for(book, start=JANUARY, end=JUNE_END)

    assert [(line.label, line.amount) for line in statement.income] == [
        ("Penjualan", 780_000), ("Pendapatan lain-lain", 20_000)
    ]
    assert statement.income_total == 800_000
    assert [(line.label, line.amount) for line in statement.expenses] == [
        ("Beban beli stok/bahan", 200_000), ("Beban gaji/upah", 100_000), ("Beban sewa", 150_000)
    ]
    assert statement.expenses_total == 450_000
    assert statement.profit == 350_000
    assert statement.cash == 1_350_000
    assert statement.receivables == 50_000
    assert statement.payables == 120_000
    assert statement.equity == 1_350_000 + 50_000 - 120_000


def test_a_quiet_period_shows_zero_sales_and_no_expenses(business):
    statement = statement_for(business, start=JANUARY, end=JUNE_END)

    assert [(line.label, line.amount) for line in statement.income] == [("Penjualan", 0)]
    assert statement.expenses == [] and statement.profit == 0 and statement.cash == 0


# -- the period ----------------------------------------------------------------------------------------------

TODAY = dt.date(2025, 3, 15)


def test_a_period_of_twelve_months_is_taken_and_one_ending_this_month_ends_today():
    assert period_from("2024-01", "2024-12", today=TODAY) == (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    assert period_from("2024-04", "2025-03", today=TODAY) == (dt.date(2024, 4, 1), TODAY)


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("2024-01", "2025-01", "paling panjang 12 bulan"),
        ("2024-06", "2024-05", "tidak boleh sebelum bulan awal"),
        ("2025-04", "2025-05", "belum tiba"),
        ("Januari", "2024-05", "bulan awal"),
        ("2024-01", "2024-13", "bulan akhir"),
    ],
)
def test_a_period_too_long_reversed_or_unreadable_is_refused_with_what_to_change(start, end, message):
    with pytest.raises(ValidationError) as refused:
        period_from(start, end, today=TODAY)

    assert message in " ".join(refused.value.messages)


@hypothesis_settings(max_examples=200, deadline=None)
@given(st.text(max_size=12), st.text(max_size=12))
def test_any_typed_period_is_refused_or_within_twelve_months_and_not_in_the_future(start_text, end_text):
    try:
        start, end = period_from(start_text, end_text, today=TODAY)
    except ValidationError as refused:
        assert refused.messages
    else:
        assert start <= end <= TODAY
        assert (end.year * 12 + end.month) - (start.year * 12 + start.month) < 12


# -- the PDF -------------------------------------------------------------------------------------------------


def test_amounts_read_in_rupiah_with_losses_in_parentheses():
    assert amount_text(1_234_567) == "Rp 1.234.567"
    assert amount_text(-1_234_567) == "(Rp 1.234.567)"
    assert amount_text(0) == "Rp 0"


def pdf_text(pdf: bytes) -> str:
    """The words of an uncompressed PDF, lines joined by spaces (its strings are Latin-1, with "(", ")" and
    "\\" escaped)."""
    strings = re.findall(rb"\(((?:[^()\\]|\\.)*)\) Tj", pdf)
    return " ".join(re.sub(rb"\\(.)", rb"\1", found).decode("latin-1") for found in strings)


def test_the_pdf_is_a4_in_indonesian_with_the_totals(book):
    pdf = statement_pdf_bytes(statement_for(book, start=JANUARY, end=JUNE_END), compress=False)
    text = pdf_text(pdf)

    assert pdf.startswith(b"%PDF")
    assert b"/MediaBox [0 0 595.28 841.89]" in pdf  # A4
    for words in ("LAPORAN LABA RUGI", "LAPORAN POSISI KEUANGAN", "CATATAN ATAS LAPORAN KEUANGAN", "(SAK EMKM)",
                  "NIB 1234567890123", "1 Januari 2024 - 30 Juni 2024", "Jl. Kaliurang km 5"):
        assert words in text
    for label, amount in [("Jumlah pendapatan", 800_000), ("Jumlah beban", 450_000), ("LABA (RUGI)", 350_000),
                          ("Kas", 1_350_000), ("Piutang usaha", 50_000), ("Utang usaha", 120_000),
                          ("Ekuitas", 1_280_000)]:
        assert f"{label} {amount_text(amount)}" in text


def test_a_loss_is_written_in_parentheses_in_the_pdf(business):
    add(business, Direction.OUT, 75_000, dt.date(2024, 2, 2), Category.TRANSPORT)

    text = pdf_text(statement_pdf_bytes(statement_for(business, start=JANUARY, end=JUNE_END), compress=False))

    assert "Beban transportasi Rp 75.000" in text
    assert "RUGI (Rp 75.000)" in text


# -- the owner's page ----------------------------------------------------------------------------------------


def statement_url(name: str, business, query: dict | None = None, *args) -> str:
    url = reverse(f"ledger:{name}", args=[business.pk, *args])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_the_owner_sees_the_figures_and_downloads_the_pdf(signed_in, book):
    page = signed_in.get(statement_url("statement", book, PERIOD))
    download = signed_in.get(statement_url("statement_pdf", book, PERIOD))

    assert page.status_code == 200
    body = page.content.decode()
    assert "Rp 800.000" in body and "Rp 350.000" in body and "Rp 1.280.000" in body
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith('attachment; filename="laporan-keuangan-')
    assert download.content.startswith(b"%PDF")


def test_a_period_longer_than_twelve_months_is_refused_on_the_page_and_for_the_pdf(signed_in, business):
    too_long = {"dari": "2023-01", "sampai": "2024-06"}

    page = signed_in.get(statement_url("statement", business, too_long))
    download = signed_in.get(statement_url("statement_pdf", business, too_long))

    assert page.status_code == 400 and "paling panjang 12 bulan" in page.content.decode()
    assert download.status_code == 400 and download["Content-Type"].startswith("text/html")


def test_another_owner_gets_404_on_every_owner_page_and_writes_nothing(client, book):
    share = StatementShare.objects.create(
        business=book, token="t" * 32, start=JANUARY, end=JUNE_END, expires_at=timezone.now() + dt.timedelta(days=3)
    )
    client.force_login(make_owner())

    answers = [
        client.get(statement_url("statement", book, PERIOD)).status_code,
        client.get(statement_url("statement_pdf", book, PERIOD)).status_code,
        client.post(statement_url("statement_share", book), {**PERIOD, "hari": "7"}).status_code,
        client.post(statement_url("statement_revoke", book, None, share.pk)).status_code,
    ]

    assert answers == [404, 404, 404, 404]
    assert list(StatementShare.objects.values_list("pk", "revoked_at")) == [(share.pk, None)]


# -- the link ------------------------------------------------------------------------------------------------


def make_link(client, business, days="7") -> str:
    response = client.post(statement_url("statement_share", business), {**PERIOD, "hari": days}, follow=True)
    assert response.status_code == 200
    found = re.search(r'value="(https?://[^"]+/laporan/[^"]+/)"', response.content.decode())
    assert found, "the new link is shown"
    return found.group(1)


def test_a_link_opens_the_pdf_for_anyone_without_caching_or_indexing(signed_in, client, book):
    link = make_link(signed_in, book)
    signed_in.logout()

    response = client.get(link)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"] == "noindex"
    share = StatementShare.objects.get()
    assert (share.start, share.end) == (JANUARY, JUNE_END)
    assert dt.timedelta(days=6, hours=23) < share.expires_at - timezone.now() <= dt.timedelta(days=7)


def test_the_new_link_is_shown_once_with_a_whatsapp_message(signed_in, book):
    shown = signed_in.post(statement_url("statement_share", book), {**PERIOD, "hari": "3"}, follow=True).content.decode()
    again = signed_in.get(statement_url("statement", book, PERIOD)).content.decode()
    token = StatementShare.objects.get().token

    assert token in shown and "https://wa.me/?text=" in shown
    assert token not in again
    assert "Tautan yang masih berlaku" in again and "Cabut" in again


def test_an_expired_link_is_404(signed_in, client, book):
    link = make_link(signed_in, book)
    StatementShare.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))

    assert client.get(link).status_code == 404


def test_a_revoked_link_is_404_and_leaves_the_list(signed_in, client, book):
    link = make_link(signed_in, book)
    share = StatementShare.objects.get()

    revoked = signed_in.post(statement_url("statement_revoke", book, None, share.pk), follow=True)

    assert revoked.status_code == 200 and "Belum ada tautan yang berlaku" in revoked.content.decode()
    assert client.get(link).status_code == 404


def test_an_unknown_token_is_404(client, book):
    assert client.get(reverse("ledger:statement_public", args=["x" * 32])).status_code == 404
    assert client.get(reverse("ledger:statement_public", args=["kurang"])).status_code == 404


@pytest.mark.parametrize("days", ["0", "31", "tujuh", ""])
def test_a_link_valid_for_less_than_one_or_more_than_thirty_days_is_refused(signed_in, book, days):
    response = signed_in.post(statement_url("statement_share", book), {**PERIOD, "hari": days}, follow=True)

    assert "Masa berlaku tautan 1 sampai 30 hari" in response.content.decode()
    assert not StatementShare.objects.exists()


def test_a_link_for_a_period_too_long_is_refused(signed_in, book):
    response = signed_in.post(
        statement_url("statement_share", book), {"dari": "2023-01", "sampai": "2024-06", "hari": "7"}, follow=True
    )

    assert "paling panjang 12 bulan" in response.content.decode()
    assert not StatementShare.objects.exists()
