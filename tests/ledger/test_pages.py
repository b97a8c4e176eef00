"""The owner's cash book pages: who gets in, recording money in and out (once, however often the form is sent),
what is refused and left unwritten, deleting, and the summaries on the business's own calendar."""

import datetime as dt
import re
from datetime import timezone as dt_timezone

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings as hypothesis_settings, strategies as st

from naikkelas.ledger.forms import parse_amount
from naikkelas.ledger.models import Category, Direction, Entry, Method, Source
from naikkelas.ledger.services import channel_sales_post, order_post
from tests.registry.factories import make_business, make_owner

pytestmark = pytest.mark.django_db

GURABESI = "91.71.01.1001"  # Kota Jayapura, Papua: WIT
# Wednesday 31 January 2024, 23:30 in Jakarta and already Thursday 1 February, 01:30, in Jayapura.
LATE_JANUARY_IN_JAKARTA = dt.datetime(2024, 1, 31, 16, 30, tzinfo=dt_timezone.utc)


@pytest.fixture
def owner():
    return make_owner()


@pytest.fixture
def business(owner):
    return make_business(owner=owner, name="Warung Bu Sri")


@pytest.fixture
def signed_in(client, owner):
    client.force_login(owner)
    return client


def url(name: str, business, *args, query: str = "") -> str:
    return reverse(f"ledger:{name}", args=[business.pk, *args]) + query


def add(business, direction=Direction.IN, amount=10000, date=None, category=None, **fields) -> Entry:
    category = category or (Category.SALES if direction == Direction.IN else Category.STOCK)
    return Entry.objects.create(
        business=business, direction=direction, amount=amount, date=date or timezone.localdate(),
        category=category, **fields,
    )


def form_data(**overrides) -> dict:
    return {
        "amount": "15.000", "date": timezone.localdate().isoformat(), "category": Category.SALES,
        "method": Method.CASH, "note": "Nasi bungkus", "party": "", "client_id": "c0ffee00-1234-4abc-8def-000000000001",
        **overrides,
    }


def client_id_of(body: str) -> str:
    return re.search(r'name="client_id" value="([^"]+)"', body).group(1)


def new_form(client, business, direction: str = "in"):
    """The form as "Uang masuk" / "Uang keluar" opens it: redirected to an address with a fresh id."""
    response = client.get(url("entry_create", business, query=f"?arah={direction}"), follow=True)
    assert response.status_code == 200
    return response


def text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


# -- who gets in ---------------------------------------------------------------------------------------------

FORM_ID = "c0ffee00-1234-4abc-8def-00000000abcd"
PAGES = [
    ("home", ()), ("entry_list", ()), ("entry_create", ()), ("summary", ()),
]


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_owner_sees_each_page_of_their_book(signed_in, business, name, args):
    query = f"?arah=in&id={FORM_ID}" if name == "entry_create" else ""
    response = signed_in.get(url(name, business, *args, query=query))
    assert response.status_code == 200
    assert "Warung Bu Sri" in response.content.decode()


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_another_owner_gets_the_404_of_a_missing_book(client, business, name, args):
    client.force_login(make_owner())
    assert client.get(url(name, business, *args)).status_code == 404
    # ... the same answer as a business that does not exist
    missing = reverse(f"ledger:{name}", args=[business.pk + 1000])
    assert client.get(missing).status_code == 404


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_anonymous_visitor_is_sent_to_log_in(client, business, name, args):
    response = client.get(url(name, business, *args))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_another_owner_cannot_record_in_someone_elses_book(client, business):
    client.force_login(make_owner())
    response = client.post(url("entry_create", business, query="?arah=in"), form_data())
    assert response.status_code == 404
    assert not Entry.objects.exists()


def test_another_owner_cannot_delete_an_entry(client, business):
    entry = add(business)
    client.force_login(make_owner())
    assert client.get(url("entry_delete", business, entry.pk)).status_code == 404
    assert client.post(url("entry_delete", business, entry.pk)).status_code == 404
    assert Entry.objects.filter(pk=entry.pk).exists()


def test_an_entry_of_another_business_is_missing_from_this_books_routes(signed_in, owner, business):
    elsewhere = add(make_business(owner=make_owner(), name="Batik Kricak"))
    assert signed_in.post(url("entry_delete", business, elsewhere.pk)).status_code == 404
    assert Entry.objects.filter(pk=elsewhere.pk).exists()


# -- recording ------------------------------------------------------------------------------------------------

def test_owner_records_a_sale_and_returns_home_with_a_message(signed_in, owner, business):
    response = signed_in.post(url("entry_create", business, query="?arah=in"), form_data(), follow=True)
    entry = Entry.objects.get()
    assert (entry.direction, entry.amount, entry.category, entry.source) == ("in", 15000, "sales", Source.MANUAL)
    assert entry.created_by == owner and entry.note == "Nasi bungkus"
    assert response.redirect_chain[-1][0] == url("home", business)
    assert "Uang masuk Rp 15.000 tercatat." in text(response)


def test_owner_records_an_expense(signed_in, business):
    data = form_data(amount="Rp 20.000", category=Category.STOCK, party="Toko Beras Makmur", note="Beras 10 kg")
    signed_in.post(url("entry_create", business, query="?arah=out"), data)
    entry = Entry.objects.get()
    assert (entry.direction, entry.amount, entry.category, entry.party) == ("out", 20000, "stock", "Toko Beras Makmur")


def test_a_resubmitted_form_is_stored_once(signed_in, business):
    # Given the form as shown, with the id it was given
    form = new_form(signed_in, business)
    action = form.redirect_chain[-1][0]
    data = form_data(client_id=client_id_of(form.content.decode()))
    # When it is sent, then sent again (back and send, a double tap, a dropped answer)
    first = signed_in.post(action, data)
    second = signed_in.post(action, data)
    # Then both answers bring the owner home, and the book holds one entry
    assert first.status_code == second.status_code == 302
    assert second["Location"] == url("home", business)
    assert Entry.objects.count() == 1


def test_each_form_opened_gets_its_own_id_so_two_sales_are_two_entries(signed_in, business):
    ids = {client_id_of(new_form(signed_in, business).content.decode()) for _ in range(2)}
    assert len(ids) == 2
    for client_id in ids:
        signed_in.post(url("entry_create", business), form_data(client_id=client_id))
    assert Entry.objects.count() == 2


def test_the_form_keeps_its_id_in_its_address_so_going_back_finds_the_same_form(signed_in, business):
    # Given a form opened and sent
    form = new_form(signed_in, business)
    address = form.redirect_chain[-1][0]
    client_id = client_id_of(form.content.decode())
    assert f"id={client_id}" in address
    signed_in.post(address, form_data(client_id=client_id, amount="Rp 15.000", note="Nasi bungkus"))
    # When the owner goes back to it (the browser may fetch it again)
    again = signed_in.get(address)
    body = again.content.decode()
    # Then it is the same form, showing what it stored and that saving it again adds nothing
    assert client_id_of(body) == client_id
    assert 'value="Rp 15.000"' in body and 'value="Nasi bungkus"' in body
    assert "Formulir ini sudah tersimpan. Menyimpannya lagi tidak menambah catatan." in text(again)
    signed_in.post(address, form_data(client_id=client_id_of(body), amount="Rp 15.000"))
    assert Entry.objects.count() == 1


def test_a_form_address_with_a_broken_id_gets_a_fresh_one(signed_in, business):
    response = signed_in.get(url("entry_create", business, query="?arah=out&id=<bad>"))
    assert response.status_code == 302
    assert re.fullmatch(r".*\?arah=out&id=[0-9a-f-]{36}", response["Location"])


def test_the_form_starts_from_today_and_the_usual_category_of_its_direction(signed_in, business, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: LATE_JANUARY_IN_JAKARTA)
    papua = make_business(owner=business.owner, village=GURABESI, name="Noken Papua")
    money_in = new_form(signed_in, papua, "in").content.decode()
    money_out = new_form(signed_in, papua, "out").content.decode()
    # Already 1 February in Jayapura
    assert 'name="date" value="2024-02-01"' in money_in
    assert re.search(r'<option value="sales" selected>', money_in)
    assert re.search(r'<option value="stock" selected>', money_out)
    # Money in offers no stock purchase; money out offers no sale
    assert 'value="stock"' not in money_in and 'value="sales"' not in money_out
    assert re.search(r'value="cash"[^>]*checked', money_in)


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("15000", 15000), ("15.000", 15000), ("Rp 15.000", 15000), ("Rp15.000", 15000), ("rp. 15.000", 15000),
        ("15 000", 15000), ("Rp 15.000,-", 15000), ("Rp 15.000,00", 15000), ("  1.250.000 ", 1250000), ("7", 7),
    ],
)
def test_amounts_are_read_as_owners_write_them(typed, amount):
    assert parse_amount(typed) == amount


@pytest.mark.parametrize("typed", ["", "abc", "15,5", "1.5", "15.00", "-5000", "0", "Rp 0", "Rp", "1.000.0", "10" * 8])
def test_amounts_that_are_not_whole_rupiah_are_refused(typed):
    from django.forms import ValidationError

    with pytest.raises(ValidationError):
        parse_amount(typed)


@hypothesis_settings(max_examples=200)
@given(st.integers(min_value=1, max_value=10**12), st.sampled_from(["", "Rp ", "Rp", "rp. "]), st.booleans())
def test_any_whole_amount_written_with_or_without_dots_reads_back(amount, prefix, dots):
    written = f"{amount:,}".replace(",", ".") if dots else str(amount)
    assert parse_amount(prefix + written) == amount


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"amount": "lima ribu"}, "amount", "Tulis jumlah dalam rupiah tanpa sen"),
        ({"amount": ""}, "amount", "Tulis jumlahnya."),
        ({"amount": "0"}, "amount", "Jumlah harus lebih dari 0."),
        ({"date": "2099-01-01"}, "date", "Tanggal tidak boleh di masa depan."),
        ({"date": "1999-12-31"}, "date", "Tanggal terlalu lama"),
        ({"date": "kemarin"}, "date", "Tanggal tidak dikenali."),
        ({"category": "stock"}, "category", "Pilih kategori."),
        ({"method": "emas"}, "method", "Pilih cara bayar."),
        ({"note": "x" * 201}, "note", "201"),
        ({"client_id": "bukan id!"}, None, "Formulir tidak dikenali."),
    ],
)
def test_bad_input_shows_the_form_again_with_a_clear_message_and_writes_nothing(
    signed_in, business, overrides, field, message
):
    response = signed_in.post(url("entry_create", business, query="?arah=in"), form_data(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    if field:
        assert field in response.context["form"].errors
    assert not Entry.objects.exists()


def test_a_refused_form_keeps_what_was_typed_and_its_id(signed_in, business):
    data = form_data(amount="lima ribu", note="Nasi bungkus 20")
    body = signed_in.post(url("entry_create", business), data).content.decode()
    assert 'value="lima ribu"' in body and 'value="Nasi bungkus 20"' in body
    assert client_id_of(body) == data["client_id"]


def test_only_get_and_post_are_answered(signed_in, business):
    assert signed_in.put(url("entry_create", business, query=f"?id={FORM_ID}")).status_code == 405
    assert signed_in.post(url("home", business)).status_code == 405


# -- deleting -------------------------------------------------------------------------------------------------

def test_owner_deletes_a_manual_entry_after_confirming(signed_in, business):
    entry = add(business, amount=12345, note="Salah ketik")
    confirm = signed_in.get(url("entry_delete", business, entry.pk))
    assert "Hapus catatan ini?" in text(confirm) and "Rp 12.345" in text(confirm)
    assert Entry.objects.filter(pk=entry.pk).exists()  # asking is not deleting
    response = signed_in.post(url("entry_delete", business, entry.pk), follow=True)
    assert not Entry.objects.filter(pk=entry.pk).exists()
    assert "Catatan Rp 12.345 dihapus." in text(response)


def test_an_automatic_entry_says_where_it_comes_from_and_is_not_deleted(signed_in, business):
    order_post(
        business_id=business.pk, order_id=77, number=12, amount=30000, day=timezone.localdate(),
        payment_method="qris", refund=False,
    )
    entry = Entry.objects.get()
    page = signed_in.get(url("entry_delete", business, entry.pk))
    assert "dibuat otomatis dari pesanan" in text(page)
    assert "Ya, hapus catatan" not in text(page)
    response = signed_in.post(url("entry_delete", business, entry.pk), follow=True)
    assert Entry.objects.filter(pk=entry.pk).exists()
    assert "dibuat otomatis dari pesanan" in text(response)


# -- the home page, the list and the summaries ----------------------------------------------------------------

def test_home_shows_cash_on_hand_and_the_latest_entries_signed(signed_in, business):
    add(business, amount=50000, date=dt.date(2023, 3, 1), note="Modal awal")
    add(business, direction=Direction.OUT, amount=20000, note="Beras", party="Toko Makmur")
    page = text(signed_in.get(url("home", business)))
    assert "Uang kas sekarang Rp 30.000" in page
    assert "−Rp 20.000" in page and "+Rp 50.000" in page
    assert "Beras · Toko Makmur" in page
    assert "1 Mar 2023" in page  # dates in Indonesian


def test_summaries_follow_the_business_calendar(signed_in, owner, monkeypatch):
    # Given a business in Jayapura, where it is already Thursday 1 February while Jakarta is on 31 January
    monkeypatch.setattr(timezone, "now", lambda: LATE_JANUARY_IN_JAKARTA)
    papua = make_business(owner=owner, village=GURABESI, name="Noken Papua")
    add(papua, amount=100000, date=dt.date(2024, 2, 1))  # today there
    add(papua, direction=Direction.OUT, amount=30000, date=dt.date(2024, 2, 1))
    add(papua, amount=40000, date=dt.date(2024, 1, 31))  # yesterday: this week (from Monday 29 Jan), not this month
    add(papua, amount=5000, date=dt.date(2024, 1, 28))  # last Sunday: last week
    add(papua, direction=Direction.OUT, amount=1000, date=dt.date(2023, 12, 1))
    for page in ("home", "summary"):
        response = signed_in.get(url(page, papua))
        periods = {p.key: p.totals for p in response.context["periods"]}
        assert (periods["today"].money_in, periods["today"].money_out, periods["today"].net) == (100000, 30000, 70000)
        assert (periods["week"].money_in, periods["week"].money_out, periods["week"].net) == (140000, 30000, 110000)
        assert (periods["month"].money_in, periods["month"].money_out) == (100000, 30000)
        assert response.context["cash"].net == 145000 - 31000
        assert "Untung Rp 70.000" in text(response)


def test_a_loss_is_called_a_loss(signed_in, business):
    add(business, direction=Direction.OUT, amount=25000)
    assert "Rugi -Rp 25.000" in text(signed_in.get(url("home", business)))


def test_summary_charts_count_sales_per_day_and_money_in_and_out_per_month(signed_in, owner, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: LATE_JANUARY_IN_JAKARTA)
    papua = make_business(owner=owner, village=GURABESI, name="Noken Papua")
    add(papua, amount=100000, date=dt.date(2024, 2, 1))
    add(papua, amount=50000, date=dt.date(2024, 2, 1), method=Method.QRIS)
    add(papua, amount=7000, date=dt.date(2024, 2, 1), category=Category.OTHER)  # money in, but not a sale
    add(papua, amount=20000, date=dt.date(2024, 1, 3))  # within 30 days
    add(papua, amount=9000, date=dt.date(2024, 1, 2))  # 31 days back: outside the daily chart
    add(papua, direction=Direction.OUT, amount=30000, date=dt.date(2023, 3, 15))  # 11 months back: inside
    add(papua, direction=Direction.OUT, amount=99000, date=dt.date(2023, 2, 28))  # 12 months back: outside
    response = signed_in.get(url("summary", papua))
    body = response.content.decode()
    assert response.context["daily_total"] == 170000
    daily = re.search(r'<section class="ledger-chart" aria-labelledby="grafik-harian">(.*?)</section>', body, re.S)
    values = [int(v) for v in re.findall(r'data-value="(\d+)"', daily.group(1))]
    assert len(values) == 30 and values[-1] == 150000 and sum(values) == 170000
    months = {label: (money_in, money_out) for label, money_in, money_out, _ in response.context["months"]}
    assert len(months) == 12
    assert months["Februari 2024"] == (157000, 0)
    assert months["Januari 2024"] == (29000, 0)
    assert months["Maret 2023"] == (0, 30000)
    assert "Februari 2023" not in months
    assert 'role="img"' in body and "<title>Penjualan per hari, 30 hari terakhir</title>" in body


def test_list_is_filtered_by_month_with_the_months_totals(signed_in, business):
    add(business, amount=11000, date=dt.date(2024, 5, 2), note="Mei satu")
    add(business, direction=Direction.OUT, amount=4000, date=dt.date(2024, 5, 31), note="Mei dua")
    add(business, amount=99000, date=dt.date(2024, 6, 1), note="Gajian pembeli")
    response = signed_in.get(url("entry_list", business, query="?bulan=2024-05"))
    page = text(response)
    assert "Catatan Mei 2024" in page
    assert "Mei satu" in page and "Mei dua" in page and "Gajian pembeli" not in page
    totals = response.context["totals"]
    assert (totals.money_in, totals.money_out, totals.net) == (11000, 4000, 7000)
    everything = signed_in.get(url("entry_list", business, query="?bulan=bukan-bulan"))
    assert everything.context["totals"].entries == 3


def test_list_is_paginated(signed_in, business):
    Entry.objects.bulk_create(
        Entry(business=business, direction="in", amount=1000 + i, date=dt.date(2024, 5, 1), category="sales")
        for i in range(55)
    )
    first = signed_in.get(url("entry_list", business))
    second = signed_in.get(url("entry_list", business, query="?halaman=2"))
    assert len(first.context["page"].object_list) == 50 and len(second.context["page"].object_list) == 5
    assert "Halaman 1 dari 2" in text(first)


def test_partner_sales_show_where_they_come_from(signed_in, business):
    channel_sales_post(
        business_id=business.pk, partner_id=3, partner_name="Pasar <Nusantara>", day=timezone.localdate(),
        amount=45000, orders=3,
    )
    body = signed_in.get(url("home", business)).content.decode()
    assert "Laporan mitra" in body
    assert "Pasar &lt;Nusantara&gt;" in body and "Pasar <Nusantara>" not in body
