"""Debts and receivables ("kasbon"): paid in parts, never beyond what is owed, reminded on WhatsApp."""

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from naikkelas.ledger import selectors, services
from naikkelas.ledger.models import Debt, Direction, Entry
from tests.registry.factories import make_business, make_owner

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    return make_owner()


@pytest.fixture
def business(owner):
    return make_business(owner=owner, name="Warung Bu Sri")


def _debt(owner, business, **changes) -> Debt:
    fields = {
        "actor": owner, "business": business, "kind": Debt.Kind.RECEIVABLE, "party": "Pak Darto",
        "phone": "0812-3456-7890", "amount": 100000, "date": services.business_today(business),
    }
    return services.debt_record(**{**fields, **changes})


def _pay(owner, debt, amount, **changes):
    return services.debt_pay(actor=owner, debt=debt, amount=amount, date=services.business_today(debt.business), **changes)


def test_a_receivable_is_paid_in_parts_and_each_part_enters_the_cash_book(owner, business):
    debt = _debt(owner, business)

    _pay(owner, debt, 30000)
    _pay(owner, debt, 50000)

    debt.refresh_from_db()
    assert (debt.paid, debt.remaining, debt.settled) == (80000, 20000, False)
    assert selectors.totals(business).money_in == 80000
    _pay(owner, debt, 20000)
    debt.refresh_from_db()
    assert debt.settled


def test_paying_more_than_remains_is_refused_saying_how_much_remains(owner, business):
    debt = _debt(owner, business)
    _pay(owner, debt, 80000)

    with pytest.raises(ValidationError) as refused:
        _pay(owner, debt, 30000)

    assert "Rp 20.000" in refused.value.message_dict["amount"][0]
    debt.refresh_from_db()
    assert debt.paid == 80000
    assert Entry.objects.filter(business=business).count() == 1


def test_paying_a_debt_of_the_business_is_money_out(owner, business):
    debt = _debt(owner, business, kind=Debt.Kind.PAYABLE, party="Toko Grosir Makmur", phone="")
    _pay(owner, debt, 45000)
    [entry] = Entry.objects.filter(business=business)
    assert (entry.direction, entry.amount, entry.category) == (Direction.OUT, 45000, "stock")


def test_a_payment_form_sent_twice_is_recorded_once(owner, business):
    debt = _debt(owner, business)
    first = _pay(owner, debt, 10000, client_id="9b2e6d1a-77aa-4c1e-8f00-3d2b1c0a9e11")
    again = _pay(owner, debt, 10000, client_id="9b2e6d1a-77aa-4c1e-8f00-3d2b1c0a9e11")
    debt.refresh_from_db()
    assert (again.pk, debt.paid) == (first.pk, 10000)


def test_bad_debts_are_refused_and_nothing_written(owner, business):
    today = services.business_today(business)
    for changes, field in (
        ({"amount": 0}, "amount"), ({"party": " "}, "party"), ({"phone": "12345"}, "phone"),
        ({"kind": "hibah"}, "kind"), ({"due_date": today - dt.timedelta(days=1)}, "due_date"),
        ({"date": today + dt.timedelta(days=1)}, "date"),
    ):
        with pytest.raises(ValidationError) as refused:
            _debt(owner, business, **changes)
        assert field in refused.value.message_dict
    assert not Debt.objects.exists()


def test_another_owner_cannot_record_or_pay(owner, business):
    debt = _debt(owner, business)
    stranger = make_owner()
    with pytest.raises(ValidationError):
        _debt(stranger, business)
    with pytest.raises(ValidationError):
        services.debt_pay(actor=stranger, debt=debt, amount=1000, date=services.business_today(business))
    debt.refresh_from_db()
    assert (Debt.objects.count(), debt.paid) == (1, 0)


def _link_parts(link: str) -> tuple[str, str]:
    parts = urlsplit(link)
    return parts.path.strip("/"), parse_qs(parts.query)["text"][0]


def test_the_reminder_is_a_whatsapp_link_to_the_person_with_what_remains(owner, business):
    debt = _debt(owner, business, due_date=dt.date.today() + dt.timedelta(days=7))
    _pay(owner, debt, 25000)
    debt.refresh_from_db()

    link = services.debt_reminder_link(debt, business_name=business.name)

    assert link.startswith("https://wa.me/")
    number, text = _link_parts(link)
    assert number == "6281234567890"
    assert "Pak Darto" in text and "Warung Bu Sri" in text and "Rp 75.000" in text and "Jatuh tempo" in text


def test_no_reminder_without_a_phone_for_a_payable_or_once_settled(owner, business):
    assert services.debt_reminder_link(_debt(owner, business, phone=""), business_name="x") == ""
    payable = _debt(owner, business, kind=Debt.Kind.PAYABLE)
    assert services.debt_reminder_link(payable, business_name="x") == ""
    settled = _debt(owner, business, amount=5000)
    _pay(owner, settled, 5000)
    settled.refresh_from_db()
    assert services.debt_reminder_link(settled, business_name="x") == ""


# The owner and business are the same for every number: each example adds one debt of its own.
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    # Telkomsel, Indosat, XL, Tri and Smartfren mobile prefixes, 10 or 11 digits after the trunk 0.
    subscriber=st.from_regex(r"8(1[1-3]|2[1-3]|5[2357]|77|95|81)[0-9]{7,8}", fullmatch=True),
    written=st.sampled_from(("0{n}", "+62{n}", "62{n}", "0{a}-{b}", "+62 {a} {b}")),
)
def test_the_reminder_reaches_the_same_indonesian_number_however_it_was_written(owner, business, subscriber, written):
    # Given a mobile number written as people write it
    a, b = subscriber[:3], subscriber[3:]
    phone = written.format(n=subscriber, a=a, b=b)
    debt = services.debt_record(
        actor=owner, business=business, kind=Debt.Kind.RECEIVABLE, party="Bu Ani", phone=phone, amount=1000,
        date=services.business_today(business),
    )
    # Then the link goes to 62 followed by the number without its trunk 0
    number, _text = _link_parts(services.debt_reminder_link(debt, business_name="Warung"))
    assert number == "62" + subscriber
