"""ledger.services.books_detach: the books stay, the links and counterparties' phones go."""

import datetime as dt

import pytest
from django.utils import timezone

from naikkelas.ledger import services
from naikkelas.ledger.models import Debt, Entry, StatementShare
from tests.registry.factories import make_business, make_owner

pytestmark = pytest.mark.django_db


def test_entries_and_debts_stay_statement_links_and_debtors_phones_go():
    owner = make_owner()
    business = make_business(owner=owner)
    today = timezone.localdate()
    services.entry_record(actor=owner, business=business, direction="in", amount=5000, date=today, category="sales")
    services.debt_record(actor=owner, business=business, kind="receivable", party="Pak Joko", amount=9000, date=today, phone="+6281355550001")
    StatementShare.objects.create(business=business, token="t", start=today, end=today, expires_at=timezone.now() + dt.timedelta(days=1))

    services.books_detach(actor=owner, business=business)

    assert Entry.objects.filter(business_id=business.pk).count() == 1
    assert list(Debt.objects.filter(business=business).values_list("party", "amount", "phone")) == [("Pak Joko", 9000, "")]
    assert not StatementShare.objects.filter(business=business).exists()
