"""Help for businesses at risk: an officer plans it (kept with the risk the business stood at), records it as
given and follows it up; bad input is explained and writes nothing; what became of the business shows beside
the help; and each kind of help is set against similar businesses that got none, with counts."""

import datetime as dt
import html
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from django.utils import timezone

from naikkelas.core.text import clean_text
from naikkelas.earlywarning import selectors, services
from naikkelas.earlywarning.models import Closure, Intervention, RiskScore
from tests.registry.factories import make_business, make_officer

pytestmark = pytest.mark.django_db

SLEMAN_VILLAGE = "34.04.07.2001"
FALL = {"feature": "revenue_3m_vs_12m", "value": -0.62, "peer_median": -0.08}


def today():
    return timezone.localdate()


def score(business, probability, tier, day, method="baseline"):
    return RiskScore.objects.create(business=business, as_of=day, method=method, probability=probability, tier=tier,
                                    reasons=[FALL])


def text_of(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def officer():
    return make_officer("34.04")


@pytest.fixture
def business():
    return make_business(name="Warung Sleman", village=SLEMAN_VILLAGE, sector_code="47111")


def test_an_officer_plans_help_that_keeps_the_risk_of_the_day_and_sees_it_on_the_business_page(client, officer, business):
    score(business, 0.3, "rawan", today() - dt.timedelta(days=40))
    score(business, 0.45, "kritis", today() - dt.timedelta(days=1))
    client.force_login(officer)
    page = text_of(client.get(reverse("earlywarning:business_risk", args=[business.pk])))
    assert "Kritis" in page and "Peluang tutup dalam 90 hari: 45%" in page
    assert "Omzet 3 bulan terakhir turun 62%" in page
    assert "<svg" in page and 'class="sparkline"' in page  # the history's line: two days scored
    assert re.search(r'<input type="radio" name="kind" value="market"[^>]* checked>', page)  # the suggested kind

    response = client.post(reverse("earlywarning:plan_help", args=[business.pk]),
                           {"kind": "market", "scheduled_on": str(today() + dt.timedelta(days=7))})
    planned = Intervention.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("earlywarning:help_detail", args=[planned.pk])
    assert (planned.status, planned.assigned_to, planned.tier_before, planned.risk_before) == ("planned", officer, "kritis", 0.45)
    assert planned.scored_on == today() - dt.timedelta(days=1)
    page = text_of(client.get(reverse("earlywarning:business_risk", args=[business.pk])))
    assert "Akses pasar lewat marketplace atau katalog mitra" in page and "Direncanakan" in page


def test_bad_help_is_explained_and_writes_nothing(client, officer, business):
    elsewhere = make_officer("33")
    client.force_login(officer)
    url = reverse("earlywarning:plan_help", args=[business.pk])
    response = client.post(url, {"kind": "miracle"})
    assert response.status_code == 400 and "Pilih jenis bantuan." in text_of(response)
    response = client.post(url, {"kind": "training", "assigned_to": elsewhere.pk})
    assert response.status_code == 400 and "Petugas ini tidak bertugas di wilayah usaha tersebut." in text_of(response)
    response = client.post(url, {"kind": "training", "scheduled_on": str(today() + dt.timedelta(days=400))})
    assert response.status_code == 400 and "Jadwal paling lambat setahun dari hari ini." in text_of(response)
    response = client.post(url, {"kind": "training", "scheduled_on": "31/02/2026"})
    assert response.status_code == 400 and "Tanggal tidak dikenali." in text_of(response)
    assert not Intervention.objects.exists()


def test_help_can_go_to_another_officer_of_the_region(client, officer, business):
    colleague = make_officer("34.04.07")
    client.force_login(officer)
    client.post(reverse("earlywarning:plan_help", args=[business.pk]), {"kind": "financing", "assigned_to": colleague.pk})
    assert Intervention.objects.get().assigned_to == colleague
    client.force_login(colleague)
    assert "Rujukan pembiayaan (KUR)" in text_of(client.get(reverse("earlywarning:help_list") + "?saya=1"))


def test_help_is_recorded_then_followed_up_and_its_outcome_shows(client, officer, business):
    planned_on = today() - dt.timedelta(days=200)
    score(business, 0.45, "kritis", planned_on)
    client.force_login(officer)
    client.post(reverse("earlywarning:plan_help", args=[business.pk]), {"kind": "debts"})
    item = Intervention.objects.get()
    Intervention.objects.filter(pk=item.pk).update(scored_on=planned_on)
    url = reverse("earlywarning:help_detail", args=[item.pk])

    follow_first = client.post(url, {"aksi": "tindak-lanjut", "follow_up_on": str(today()), "follow_up_notes": "dicek"})
    assert "Catat dulu bantuan yang sudah dilakukan" in text_of(follow_first)
    future = client.post(url, {"aksi": "catat", "done_on": str(today() + dt.timedelta(days=1)), "notes": "x"})
    assert future.status_code == 400 and "Tanggal bantuan tidak boleh di masa depan." in text_of(future)
    empty = client.post(url, {"aksi": "catat", "done_on": str(today()), "notes": "   "})
    assert empty.status_code == 400 and "Tulis apa yang sudah dilakukan." in text_of(empty)
    item.refresh_from_db()
    assert item.status == "planned" and item.done_on is None

    done_on = planned_on + dt.timedelta(days=10)
    assert client.post(url, {"aksi": "catat", "done_on": str(done_on), "notes": "Menagih 3 pelanggan bersama pemilik"}).status_code == 302
    early = client.post(url, {"aksi": "tindak-lanjut", "follow_up_on": str(done_on - dt.timedelta(days=1)),
                              "follow_up_notes": "cek"})
    assert "Tindak lanjut tidak bisa sebelum bantuan dilakukan." in text_of(early)
    client.post(url, {"aksi": "tindak-lanjut", "follow_up_on": str(done_on + dt.timedelta(days=30)),
                      "follow_up_notes": "Dua pelanggan sudah membayar"})
    item.refresh_from_db()
    assert (item.status, item.done_on, item.follow_up_notes) == ("done", done_on, "Dua pelanggan sudah membayar")

    score(business, 0.12, "waspada", today() - dt.timedelta(days=1))
    outcome = selectors.outcome(item)
    assert outcome.risk_fell is True and outcome.survived is True  # 200 days on, not closed
    page = text_of(client.get(url))
    assert "Risiko: 45% saat direncanakan, 12% per" in page and "(turun)" in page and "Masih buka 6 bulan kemudian." in page

    assert "Hanya bantuan yang masih direncanakan" in text_of(client.post(url, {"aksi": "batal"}, follow=True))


def test_a_business_that_closed_within_six_months_did_not_survive(officer, business):
    seen = today() - dt.timedelta(days=100)
    item = Intervention.objects.create(business=business, kind="market", status="done", done_on=seen, scored_on=seen,
                                       tier_before="kritis", risk_before=0.5)
    assert selectors.outcome(item).survived is None  # six months have not passed, and it is open
    Closure.objects.create(business=business, closed_on=seen + dt.timedelta(days=60), source="officer")
    assert selectors.outcome(item).survived is False


def test_planned_help_can_be_cancelled_but_not_recorded_afterwards(client, officer, business):
    item = Intervention.objects.create(business=business, kind="training", assigned_to=officer)
    client.force_login(officer)
    url = reverse("earlywarning:help_detail", args=[item.pk])
    client.post(url, {"aksi": "batal"})
    item.refresh_from_db()
    assert item.status == "cancelled"
    response = client.post(url, {"aksi": "catat", "done_on": str(today()), "notes": "x"})
    assert "Bantuan ini sudah dibatalkan." in text_of(response)


def test_an_officer_records_a_closure_which_takes_the_business_out_of_help(client, officer, business):
    client.force_login(officer)
    url = reverse("earlywarning:record_closure", args=[business.pk])
    response = client.post(url, {"closed_on": str(today() + dt.timedelta(days=3))})
    assert response.status_code == 400 and "Tanggal tutup tidak boleh di masa depan." in text_of(response)
    assert not Closure.objects.exists()
    client.post(url, {"closed_on": str(today() - dt.timedelta(days=3))})
    closure = Closure.objects.get()
    assert (closure.business, closure.source, closure.recorded_by) == (business, "officer", officer)
    page = text_of(client.get(reverse("earlywarning:business_risk", args=[business.pk])))
    assert "Usaha ini tercatat tutup pada" in page and "Rencanakan bantuan" not in page


def test_officers_never_reach_help_outside_their_regions(client, business):
    item = Intervention.objects.create(business=business, kind="training")
    client.force_login(make_officer("33"))
    assert client.get(reverse("earlywarning:help_detail", args=[item.pk])).status_code == 404
    assert client.post(reverse("earlywarning:help_detail", args=[item.pk]), {"aksi": "batal"}).status_code == 404
    assert "Warung Sleman" not in text_of(client.get(reverse("earlywarning:help_list")))
    item.refresh_from_db()
    assert item.status == "planned"


def test_each_kind_of_help_is_set_against_similar_businesses_without_help_with_counts(client, officer):
    seen = today() - dt.timedelta(days=200)
    ends = seen + dt.timedelta(days=selectors.SURVIVAL_DAYS)

    def at_risk(n, name, kategori_code="47111", tier="kritis", closes=False):
        made = []
        for i in range(n):
            b = make_business(name=f"{name} {i}", village=SLEMAN_VILLAGE, sector_code=kategori_code)
            score(b, 0.5, tier, seen)
            if closes:
                Closure.objects.create(business=b, closed_on=ends - dt.timedelta(days=10), source="officer")
            made.append(b)
        return made

    helped = at_risk(9, "Dibantu") + at_risk(3, "Dibantu tutup", closes=True)
    at_risk(10, "Serupa") + at_risk(10, "Serupa tutup", closes=True)
    at_risk(5, "Lain sektor", kategori_code="10794", closes=True)  # another kategori: not similar
    at_risk(5, "Lain tingkat", tier="aman", closes=True)  # another tier: not similar
    for b in helped:
        Intervention.objects.create(business=b, kind="market", status="done", done_on=seen + dt.timedelta(days=5),
                                    scored_on=seen, tier_before="kritis", risk_before=0.5, method_before="baseline")
    recent = make_business(name="Baru dibantu", village=SLEMAN_VILLAGE, sector_code="47111")
    Intervention.objects.create(business=recent, kind="market", status="done", done_on=today(), scored_on=today(),
                                tier_before="kritis", risk_before=0.5, method_before="baseline")

    market = {effect.kind: effect for effect in selectors.effects(actor=officer)}["market"]
    assert (market.helped, market.helped_open, market.waiting, market.similar) == (12, 9, 1, 20)
    assert market.similar_open_share == pytest.approx(0.5) and not market.too_few
    assert selectors.effects(actor=make_officer("33"))[0].helped == 0  # another region's officer sees none of it

    client.force_login(officer)
    page = text_of(client.get(reverse("earlywarning:help_list")))
    assert "9 (75%)" in page and "50%" in page


def test_with_few_helped_the_shares_are_not_shown(client, officer):
    seen = today() - dt.timedelta(days=200)
    b = make_business(name="Satu-satunya", village=SLEMAN_VILLAGE, sector_code="47111")
    score(b, 0.5, "kritis", seen)
    Intervention.objects.create(business=b, kind="training", status="done", done_on=seen, scored_on=seen,
                                tier_before="kritis", risk_before=0.5, method_before="baseline")
    training = {effect.kind: effect for effect in selectors.effects(actor=officer)}["training"]
    assert (training.helped, training.helped_open, training.too_few) == (1, 1, True)
    client.force_login(officer)
    assert "(100%)" not in text_of(client.get(reverse("earlywarning:help_list")))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(notes=st.text(max_size=2100), days=st.integers(-800, 30))
def test_any_record_of_help_is_either_kept_whole_or_refused_with_a_reason(officer, business, notes, days):
    item = Intervention.objects.create(business=business, kind="training", assigned_to=officer)
    done_on = today() + dt.timedelta(days=days)
    try:
        services.record_help(actor=officer, intervention=item, done_on=done_on, notes=notes)
    except ValidationError as error:
        assert error.message_dict and all(error.message_dict.values())
        item.refresh_from_db()
        assert (item.status, item.done_on, item.notes) == ("planned", None, "")
    else:
        item.refresh_from_db()
        assert (item.status, item.done_on) == ("done", done_on) and item.notes == clean_text(notes, multiline=True)
        assert 0 < len(item.notes) <= services.NOTES_MAX and done_on <= today()


def test_help_given_a_month_ago_and_not_followed_up_is_flagged(client, officer, business):
    old = Intervention.objects.create(business=business, kind="market", status="done",
                                      done_on=today() - dt.timedelta(days=31), notes="Didaftarkan")
    recent = Intervention.objects.create(business=business, kind="training", status="done",
                                         done_on=today() - dt.timedelta(days=3), notes="Pelatihan")
    client.force_login(officer)
    page = text_of(client.get(reverse("earlywarning:help_list") + "?status=tindak-lanjut"))
    assert page.count("Perlu tindak lanjut</span>") == 1
    assert reverse("earlywarning:help_detail", args=[old.pk]) in page
    assert reverse("earlywarning:help_detail", args=[recent.pk]) not in page
    Intervention.objects.filter(pk=old.pk).update(follow_up_on=today(), follow_up_notes="Sudah dicek")
    assert "Perlu tindak lanjut</span>" not in text_of(client.get(reverse("earlywarning:help_list")))
