"""The debts and receivables pages ("kasbon"): who gets in, recording a debt and its payments through the pages
(once, however often a form is sent), what is refused and left unwritten, and the WhatsApp reminder."""

import datetime as dt
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from naikkelas.ledger import services
from naikkelas.ledger.models import Debt, Direction, Entry, Method, Source
from tests.registry.factories import make_business, make_owner

pytestmark = pytest.mark.django_db

FORM_ID = "c0ffee00-1234-4abc-8def-00000000d0b1"
PAY_ID = "c0ffee00-1234-4abc-8def-00000000ba1a"


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


@pytest.fixture
def debt(owner, business):
    return make_debt(owner, business)


def make_debt(owner, business, **changes) -> Debt:
    fields = {
        "actor": owner, "business": business, "kind": Debt.Kind.RECEIVABLE, "party": "Pak Darto",
        "phone": "0812-3456-7890", "amount": 100000, "date": services.business_today(business),
    }
    return services.debt_record(**{**fields, **changes})


def url(name: str, business, *args, query: str = "") -> str:
    return reverse(f"ledger:{name}", args=[business.pk, *args]) + query


def today(business) -> str:
    return services.business_today(business).isoformat()


def debt_data(business, **overrides) -> dict:
    return {
        "kind": Debt.Kind.RECEIVABLE, "party": "Bu Ani", "phone": "0813-1111-2222", "amount": "Rp 50.000",
        "date": today(business), "due_date": "", "note": "Ambil beras 5 kg", "client_id": FORM_ID, **overrides,
    }


def pay_data(business, **overrides) -> dict:
    return {"amount": "30.000", "date": today(business), "method": Method.CASH, "client_id": PAY_ID, **overrides}


def client_id_of(body: str) -> str:
    return re.search(r'name="client_id" value="([^"]+)"', body).group(1)


def text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


# -- who gets in ---------------------------------------------------------------------------------------------

def pages(business, debt) -> list[str]:
    return [
        url("debt_list", business),
        url("debt_create", business, query=f"?id={FORM_ID}"),
        url("debt_detail", business, debt.pk, query=f"?id={PAY_ID}"),
    ]


def test_owner_sees_each_debt_page(signed_in, business, debt):
    for page in pages(business, debt):
        response = signed_in.get(page)
        assert response.status_code == 200, page
        assert "Warung Bu Sri" in response.content.decode()


def test_another_owner_gets_the_404_of_a_missing_debt_page(client, business, debt):
    client.force_login(make_owner())
    for page in pages(business, debt):
        assert client.get(page).status_code == 404, page
    # ... the same answer as a debt or a business that does not exist
    assert client.get(reverse("ledger:debt_detail", args=[business.pk, debt.pk + 1000])).status_code == 404
    assert client.get(reverse("ledger:debt_list", args=[business.pk + 1000])).status_code == 404


def test_anonymous_visitor_is_sent_to_log_in(client, business, debt):
    for page in pages(business, debt):
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"].startswith(reverse("accounts:login"))


def test_a_debt_of_another_business_is_missing_from_this_books_routes(signed_in, business):
    elsewhere_owner = make_owner()
    elsewhere = make_debt(elsewhere_owner, make_business(owner=elsewhere_owner, name="Batik Kricak"))
    assert signed_in.get(url("debt_detail", business, elsewhere.pk, query=f"?id={PAY_ID}")).status_code == 404
    assert signed_in.post(url("debt_detail", business, elsewhere.pk), pay_data(business)).status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.paid == 0 and not Entry.objects.exists()


def test_another_owner_cannot_record_or_pay_through_the_pages(client, business, debt):
    client.force_login(make_owner())
    assert client.post(url("debt_create", business), debt_data(business)).status_code == 404
    assert client.post(url("debt_detail", business, debt.pk), pay_data(business)).status_code == 404
    debt.refresh_from_db()
    assert (Debt.objects.count(), debt.paid, Entry.objects.count()) == (1, 0, 0)


# -- the list ------------------------------------------------------------------------------------------------

def test_the_list_shows_both_sides_with_what_remains_and_marks_the_overdue(signed_in, owner, business):
    # Given a receivable past its due date, partly paid, a payable not yet due, and a settled receivable
    day = services.business_today(business)
    late = make_debt(owner, business, date=day - dt.timedelta(days=30), due_date=day - dt.timedelta(days=1))
    services.debt_pay(actor=owner, debt=late, amount=40000, date=day)
    make_debt(owner, business, kind=Debt.Kind.PAYABLE, party="Toko Grosir Makmur", phone="", amount=250000,
              due_date=day + dt.timedelta(days=7))
    settled = make_debt(owner, business, party="Bu Ani", amount=5000)
    services.debt_pay(actor=owner, debt=settled, amount=5000, date=day)
    # When the owner opens the list
    response = signed_in.get(url("debt_list", business))
    body = response.content.decode()
    # Then each side shows its people, what remains and the totals; the late one is marked
    assert re.search(r'id="piutang-sisa">Rp 60.000<', body)
    assert re.search(r'id="utang-sisa">Rp 250.000<', body)
    page = text(response)
    assert "Pak Darto" in page and "Toko Grosir Makmur" in page and "dari Rp 100.000" in page
    assert page.count("Lewat jatuh tempo") == 3  # the piutang's count heading, the utang's, and Pak Darto's mark
    assert body.count("is-overdue") == 1
    assert "Sudah lunas (1)" in page and "Bu Ani" in page


def test_an_empty_list_says_there_is_nothing_owed(signed_in, business):
    page = text(signed_in.get(url("debt_list", business)))
    assert "Tidak ada piutang yang belum dibayar." in page and "Tidak ada utang yang belum dibayar." in page


def test_the_home_of_the_book_links_to_the_debts(signed_in, business):
    assert url("debt_list", business) in signed_in.get(url("home", business)).content.decode()


# -- recording a debt ----------------------------------------------------------------------------------------

def test_opening_the_form_leads_to_an_address_with_a_fresh_id_and_the_chosen_kind(signed_in, business):
    response = signed_in.get(url("debt_create", business, query="?jenis=payable"))
    assert response.status_code == 302
    assert re.fullmatch(r".*\?jenis=payable&id=[0-9a-f-]{36}", response["Location"])
    body = signed_in.get(response["Location"]).content.decode()
    assert re.search(r'<input type="radio" name="kind" value="payable"[^>]*checked', body)


def test_owner_records_a_receivable_and_lands_on_its_page(signed_in, business):
    response = signed_in.post(url("debt_create", business, query=f"?id={FORM_ID}"), debt_data(business), follow=True)
    debt = Debt.objects.get()
    assert (debt.kind, debt.party, debt.phone) == ("receivable", "Bu Ani", "+6281311112222")
    assert (debt.amount, debt.paid) == (50000, 0)
    assert response.redirect_chain[0][0] == url("debt_detail", business, debt.pk)
    assert "Piutang Bu Ani sebesar Rp 50.000 tercatat." in text(response)
    assert not Entry.objects.exists()  # a kasbon moves no money until it is paid


def test_a_resent_debt_form_is_stored_once(signed_in, business):
    # Given the form as shown, with the id it was given
    form = signed_in.get(url("debt_create", business), follow=True)
    action = form.redirect_chain[-1][0]
    data = debt_data(business, client_id=client_id_of(form.content.decode()))
    # When it is sent, then sent again
    first = signed_in.post(action, data)
    second = signed_in.post(action, data)
    # Then both lead to the same debt, and there is one
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Debt.objects.count() == 1
    # ... and going back to the form says it is already stored
    again = text(signed_in.get(action))
    assert "Formulir ini sudah tersimpan. Menyimpannya lagi tidak menambah catatan." in again


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"amount": "lima puluh ribu"}, "Tulis jumlah dalam rupiah tanpa sen, mis. 15000 atau 15.000."),
        ({"party": " "}, "Tulis nama orangnya"),
        ({"phone": "12345"}, "Nomor HP tidak dikenali. Contoh: 0812-3456-7890."),
        ({"kind": "hibah"}, "Pilih: orang lain berutang ke saya, atau saya berutang."),
        ({"date": "2999-01-01"}, "Tanggal harus hari ini atau sebelumnya."),
        ({"due_date": "2001-01-01"}, "Jatuh tempo tidak boleh sebelum tanggal utangnya."),
    ],
)
def test_a_bad_debt_form_is_shown_again_with_the_reason_and_nothing_written(signed_in, business, changes, message):
    response = signed_in.post(url("debt_create", business, query=f"?id={FORM_ID}"), debt_data(business, **changes))
    assert response.status_code == 200
    assert message in text(response)
    assert 'value="Ambil beras 5 kg"' in response.content.decode()  # what was typed stays
    assert not Debt.objects.exists()


# -- paying --------------------------------------------------------------------------------------------------

def test_a_partial_payment_through_the_page_enters_the_cash_book(signed_in, business, debt):
    # Given the debt's page, with the payment form's own id
    page = signed_in.get(url("debt_detail", business, debt.pk), follow=True)
    action = page.redirect_chain[-1][0]
    # When the owner records part of it
    response = signed_in.post(action, pay_data(business, client_id=client_id_of(page.content.decode())), follow=True)
    # Then the debt is paid in part and the money is in the cash book
    debt.refresh_from_db()
    assert (debt.paid, debt.remaining) == (30000, 70000)
    [entry] = Entry.objects.all()
    assert (entry.direction, entry.amount, entry.source, entry.party) == (Direction.IN, 30000, Source.DEBT, "Pak Darto")
    page = text(response)
    assert "Pembayaran Rp 30.000 tercatat." in page
    assert "Rp 70.000" in page and "Bayar piutang: Pak Darto" in page  # what remains, and the payment listed


def test_paying_the_rest_settles_the_debt_and_the_form_goes_away(signed_in, business, debt):
    signed_in.post(url("debt_detail", business, debt.pk), pay_data(business, amount="100.000"))
    debt.refresh_from_db()
    assert debt.settled
    response = signed_in.get(url("debt_detail", business, debt.pk))
    assert response.status_code == 200
    assert "Sudah lunas" in text(response) and 'name="amount"' not in response.content.decode()


def test_overpayment_shows_how_much_remains_and_writes_nothing(signed_in, owner, business, debt):
    # Given a debt with Rp 20.000 left
    services.debt_pay(actor=owner, debt=debt, amount=80000, date=services.business_today(business))
    # When the owner tries to record more than that
    response = signed_in.post(url("debt_detail", business, debt.pk, query=f"?id={PAY_ID}"), pay_data(business))
    # Then the page says how much remains, and nothing more is paid or in the book
    assert response.status_code == 200
    assert "Terlalu banyak: sisa yang belum dibayar hanya Rp 20.000." in text(response)
    debt.refresh_from_db()
    assert debt.paid == 80000
    assert Entry.objects.count() == 1


def test_a_resent_payment_form_is_recorded_once(signed_in, business, debt):
    action = url("debt_detail", business, debt.pk, query=f"?id={PAY_ID}")
    first = signed_in.post(action, pay_data(business))
    second = signed_in.post(action, pay_data(business))
    assert first.status_code == second.status_code == 302
    debt.refresh_from_db()
    assert (debt.paid, Entry.objects.count()) == (30000, 1)
    # ... and going back to the form says the payment is already stored
    again = text(signed_in.get(action))
    assert "Pembayaran ini sudah tersimpan. Menyimpannya lagi tidak menambah catatan." in again


def test_after_a_payment_the_next_form_gets_a_new_id(signed_in, business, debt):
    action = url("debt_detail", business, debt.pk, query=f"?id={PAY_ID}")
    response = signed_in.post(action, pay_data(business), follow=True)
    next_id = client_id_of(response.content.decode())
    assert next_id != PAY_ID
    signed_in.post(response.redirect_chain[-1][0], pay_data(business, client_id=next_id, amount="10.000"))
    debt.refresh_from_db()
    assert (debt.paid, Entry.objects.count()) == (40000, 2)


def test_a_bad_payment_amount_is_refused_and_nothing_written(signed_in, business, debt):
    action = url("debt_detail", business, debt.pk, query=f"?id={PAY_ID}")
    response = signed_in.post(action, pay_data(business, amount="0"))
    assert response.status_code == 200
    assert "Jumlah harus lebih dari 0." in text(response)
    debt.refresh_from_db()
    assert debt.paid == 0 and not Entry.objects.exists()


def test_paying_a_payable_is_money_out(signed_in, owner, business):
    payable = make_debt(owner, business, kind=Debt.Kind.PAYABLE, party="Toko Grosir Makmur", phone="")
    action = url("debt_detail", business, payable.pk, query=f"?id={PAY_ID}")
    signed_in.post(action, pay_data(business, method=Method.TRANSFER))
    [entry] = Entry.objects.all()
    assert (entry.direction, entry.amount, entry.method) == (Direction.OUT, 30000, Method.TRANSFER)


# -- the reminder --------------------------------------------------------------------------------------------

def reminder_of(body: str) -> str | None:
    found = re.search(r'<a [^>]*href="(https://wa\.me/[^"]+)"', body)
    return found.group(1).replace("&amp;", "&") if found else None


def test_a_receivable_with_a_phone_has_a_whatsapp_reminder_with_what_remains(signed_in, owner, business, debt):
    services.debt_pay(actor=owner, debt=debt, amount=25000, date=services.business_today(business))
    body = signed_in.get(url("debt_detail", business, debt.pk, query=f"?id={PAY_ID}")).content.decode()
    link = reminder_of(body)
    assert link is not None and "Kirim pengingat lewat WhatsApp" in body
    parts = urlsplit(link)
    message = parse_qs(parts.query)["text"][0]
    assert parts.path == "/6281234567890"
    assert "Pak Darto" in message and "Warung Bu Sri" in message and "Rp 75.000" in message


def test_no_reminder_for_a_payable_or_without_a_phone(signed_in, owner, business):
    payable = make_debt(owner, business, kind=Debt.Kind.PAYABLE, party="Toko Grosir Makmur")
    no_phone = make_debt(owner, business, phone="")
    for debt in (payable, no_phone):
        body = signed_in.get(url("debt_detail", business, debt.pk, query=f"?id={PAY_ID}")).content.decode()
        assert reminder_of(body) is None
        assert "Kirim pengingat lewat WhatsApp" not in body
