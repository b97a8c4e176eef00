"""An owner's own risk: their tier and reasons in plain words with a next step, never another owner's; and the
choice not to be scored, after which they are left out and officers see only that they objected."""

import datetime as dt
import html
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from naikkelas.earlywarning.models import RiskScore
from naikkelas.ledger.models import Entry
from naikkelas.registry.models import Consent
from tests.registry.factories import make_business, make_officer, make_owner

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 29)
FALL = {"feature": "revenue_3m_vs_12m", "value": -0.62, "peer_median": -0.08}
OWED = {"feature": "receivables_growth", "value": 1.4, "peer_median": 0.0}


@pytest.fixture
def owner():
    return make_owner()


@pytest.fixture
def business(owner):
    return make_business(owner=owner, name="Warung Bu Sri")


def text_of(response) -> str:
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_the_owner_sees_the_tier_reasons_and_a_next_step_in_plain_words(client, owner, business):
    RiskScore.objects.create(business=business, as_of=DAY, method="baseline", probability=0.2, tier="rawan",
                             reasons=[OWED, FALL])
    client.force_login(owner)
    text = text_of(client.get(reverse("earlywarning:owner_risk", args=[business.pk])))
    assert "Rawan: beberapa tanda menunjukkan usaha Anda sedang kesulitan." in text
    assert "Piutang bertambah 1,4 kali omzet sebulan dalam 3 bulan" in text
    assert "Tagih piutang yang sudah jatuh tempo" in text  # the step for the weightiest reason


def test_without_a_score_the_owner_is_told_what_it_needs(client, owner, business):
    client.force_login(owner)
    assert "butuh catatan buku kas paling sedikit 90 hari" in text_of(
        client.get(reverse("earlywarning:owner_risk", args=[business.pk]))
    )


def test_an_objection_removes_the_scores_leaves_the_business_out_and_officers_see_only_that(
    client, owner, business, tmp_path, settings
):
    RiskScore.objects.create(business=business, as_of=DAY, method="baseline", probability=0.7, tier="kritis",
                             reasons=[FALL])
    client.force_login(owner)
    response = client.post(reverse("earlywarning:owner_objection", args=[business.pk]), {"tolak": "1"})
    assert response.status_code == 302
    assert not RiskScore.objects.filter(business=business).exists()
    assert Consent.objects.get(business=business, purpose="earlywarning:scoring").granted is False
    assert "Anda menolak penilaian otomatis" in text_of(client.get(reverse("earlywarning:owner_risk", args=[business.pk])))
    # the officer of the region sees one business that objected, and no score of it
    other = make_business(name="Toko Lain")
    RiskScore.objects.create(business=other, as_of=DAY, method="baseline", probability=0.1, tier="waspada", reasons=[])
    client.force_login(make_officer("34"))
    text = text_of(client.get(reverse("earlywarning:watchlist")))
    assert "1 usaha di wilayah Anda menolak penilaian otomatis" in text and "Warung Bu Sri" not in text
    # and scoring leaves it out until the owner takes the objection back
    settings.SNAPSHOT_DIR = tmp_path
    for n in range(120):
        for b in (business, other):
            Entry.objects.create(business=b, direction="in", amount=10_000, date=DAY - dt.timedelta(days=n),
                                 category="sales")
    call_command("snapshot", stdout=StringIO())
    call_command("score", "--as-of", DAY.isoformat(), stdout=StringIO())
    assert set(RiskScore.objects.filter(as_of=DAY).values_list("business_id", flat=True)) == {other.pk}
    client.force_login(owner)
    client.post(reverse("earlywarning:owner_objection", args=[business.pk]), {"tolak": "0"})
    call_command("score", "--as-of", DAY.isoformat(), stdout=StringIO())
    assert set(RiskScore.objects.filter(as_of=DAY).values_list("business_id", flat=True)) == {other.pk, business.pk}


def test_another_owner_cannot_see_or_change_this_businesss_risk(client, business):
    client.force_login(make_owner(phone="+6281299990002"))
    assert client.get(reverse("earlywarning:owner_risk", args=[business.pk])).status_code == 404
    assert client.post(reverse("earlywarning:owner_objection", args=[business.pk]), {"tolak": "1"}).status_code == 404
    assert not Consent.objects.filter(purpose="earlywarning:scoring").exists()
