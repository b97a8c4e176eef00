"""An officer sees a business's monthly cash-book totals only while its owner consents, and never its entries."""

import pytest
from django.urls import reverse

from naikkelas.ledger import services
from naikkelas.ledger.models import Direction
from naikkelas.registry.models import Consent
from tests.registry.factories import CATURTUNGGAL, JATENG, SLEMAN, make_business, make_officer, make_owner

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    return make_owner()


@pytest.fixture
def business(owner):
    made = make_business(owner=owner, village=CATURTUNGGAL, name="Warung Bu Sri")
    services.entry_record(
        actor=owner, business=made, direction=Direction.IN, amount=125000, date=services.business_today(made),
        category="sales", note="Arisan RT rahasia",
    )
    return made


def _summary(client, user, business):
    client.force_login(user)
    return client.get(reverse("ledger:officer_summary", args=[business.pk]))


def test_the_regions_officer_sees_the_totals_only_after_the_owner_consents(client, owner, business):
    officer = make_officer(SLEMAN)
    assert _summary(client, officer, business).status_code == 404

    client.force_login(owner)
    client.post(reverse("ledger:officer_consent", args=[business.pk]), {"izinkan": "1"})

    page = _summary(client, officer, business)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Rp 125.000" in text
    assert "Arisan RT rahasia" not in text  # totals, never the entries
    consent = Consent.objects.get(business=business, purpose="ledger:officer_summary")
    assert (consent.granted, consent.version) == (True, services.OFFICER_SUMMARY_VERSION)


def test_withdrawing_consent_closes_the_summary_again(client, owner, business):
    officer = make_officer(SLEMAN)
    services.officer_summary_consent(actor=owner, business=business, granted=True)
    assert _summary(client, officer, business).status_code == 200

    client.force_login(owner)
    client.post(reverse("ledger:officer_consent", args=[business.pk]), {"izinkan": "0"})

    assert _summary(client, officer, business).status_code == 404


def test_an_officer_elsewhere_or_another_owner_never_sees_it(client, owner, business):
    services.officer_summary_consent(actor=owner, business=business, granted=True)
    assert _summary(client, make_officer(JATENG), business).status_code == 404
    assert _summary(client, make_owner(), business).status_code == 404


def test_only_the_owner_can_give_the_consent(client, business):
    client.force_login(make_officer(SLEMAN))
    response = client.post(reverse("ledger:officer_consent", args=[business.pk]), {"izinkan": "1"})
    assert response.status_code == 404
    assert not Consent.objects.filter(business=business, purpose="ledger:officer_summary").exists()
