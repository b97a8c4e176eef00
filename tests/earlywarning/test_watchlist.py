"""The officers' watchlist: the businesses of their regions only, riskiest first, each with its reasons in words;
filters by tier and region."""

import datetime as dt
import html

import pytest
from django.urls import reverse

from naikkelas.earlywarning.models import RiskModel, RiskScore
from tests.registry.factories import make_business, make_officer

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 29)
REASON = {"feature": "revenue_3m_vs_12m", "value": -0.62, "peer_median": -0.08}


def scored(business, probability, tier, method="baseline", day=DAY, reasons=(REASON,)):
    return RiskScore.objects.create(business=business, as_of=day, method=method, probability=probability, tier=tier,
                                    reasons=list(reasons))


@pytest.fixture
def world():
    sleman = make_business(name="Warung Sleman", village="34.04.07.2001")
    kota = make_business(name="Toko Kota", village="34.71.01.1001")
    bali = make_business(name="Warung Bali", village="51.71.01.1001")
    return sleman, kota, bali


def page(client, user, query=""):
    client.force_login(user)
    response = client.get(reverse("earlywarning:watchlist") + query)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_an_officer_sees_the_businesses_of_their_regions_riskiest_first_with_reasons(client, world):
    sleman, kota, bali = world
    scored(sleman, 0.62, "kritis")
    scored(kota, 0.08, "waspada", reasons=())
    scored(bali, 0.9, "kritis")
    scored(sleman, 0.2, "rawan", day=DAY - dt.timedelta(days=1))  # an older day is not shown
    text = page(client, make_officer("34"))
    assert text.index("Warung Sleman") < text.index("Toko Kota")
    assert "Warung Bali" not in text
    assert "Peluang tutup dalam 90 hari: 62%" in text
    assert "Omzet 3 bulan terakhir turun 62% dibanding setahun terakhir; median usaha sejenis di Kab. Sleman: turun 8%." in text
    assert "Bantuan yang cocok" in text and "Akses pasar: daftarkan ke marketplace atau katalog mitra" in text


def test_the_learned_models_scores_are_shown_where_the_day_has_them(client, world):
    sleman, kota, _bali = world
    scored(sleman, 0.62, "kritis")
    assert "Skor dari rumus dasar" in page(client, make_officer("34"))
    model = RiskModel.objects.create(trained_until=dt.date(2026, 8, 31), rows=1, closing_rows=1, text="",
                                     evaluation={"model": {"auc": 0.9134, "median_lead_days": 81.5}})
    RiskScore.objects.create(business=sleman, as_of=DAY, method="model", model=model, probability=0.03, tier="aman")
    text = page(client, make_officer("34"))
    assert "Peluang tutup dalam 90 hari: 3%" in text and "Peluang tutup dalam 90 hari: 62%" not in text
    assert f"Skor dari model versi {model.pk}, dilatih dengan penutupan usaha sampai 31 Agustus 2026." in text
    assert "AUC 0,91, peringatan datang median 82 hari sebelum usaha tutup." in text


def test_filters_by_tier_and_region(client, world):
    sleman, kota, _bali = world
    scored(sleman, 0.62, "kritis")
    scored(kota, 0.08, "waspada")
    officer = make_officer("34")
    assert "Toko Kota" not in page(client, officer, "?tingkat=kritis")
    text = page(client, officer, "?wilayah=34.71")
    assert "Toko Kota" in text and "Warung Sleman" not in text


def test_without_scores_the_page_says_when_they_come(client, world):
    assert "Skor dihitung tiap malam" in page(client, make_officer("34"))


def test_filters_by_sector(client, world):
    sleman, kota, _bali = world
    sleman.sector_id = "47111"  # retail: kategori G
    sleman.save(update_fields=["sector"])
    scored(sleman, 0.62, "kritis")
    scored(kota, 0.3, "rawan")
    text = page(client, make_officer("34"), "?sektor=G")
    assert "Warung Sleman" in text and "Toko Kota" not in text
    assert "Toko Kota" not in page(client, make_officer("34"), "?sektor=g")  # as typed in an address, too


def test_newly_risen_keeps_those_worse_than_a_month_before(client, world):
    sleman, kota, _bali = world
    month_ago = DAY - dt.timedelta(days=30)
    scored(sleman, 0.62, "kritis")
    scored(sleman, 0.08, "waspada", day=month_ago)  # rose
    scored(kota, 0.5, "kritis")
    scored(kota, 0.45, "kritis", day=month_ago)  # was already there
    newcomer = make_business(name="Baru Dinilai", village="34.04.07.2001")
    scored(newcomer, 0.7, "kritis")  # no score a month ago: nothing to have risen from
    text = page(client, make_officer("34"), "?baru_naik=1")
    assert "Warung Sleman" in text and "Toko Kota" not in text and "Baru Dinilai" not in text
    assert "Toko Kota" in page(client, make_officer("34"))


def test_each_business_has_its_risk_line_and_a_page_with_its_history(client, world):
    sleman, kota, _bali = world
    for days_back, probability in ((60, 0.04), (30, 0.2), (0, 0.62)):
        scored(sleman, probability, "kritis", day=DAY - dt.timedelta(days=days_back))
    scored(kota, 0.3, "rawan")
    text = page(client, make_officer("34"))
    assert text.count('class="sparkline"') == 1  # Toko Kota has one day only: no line
    detail = reverse("earlywarning:business_risk", args=[sleman.pk])
    assert f'href="{detail}"' in text
    client.force_login(make_officer("34"))
    history = html.unescape(client.get(detail).content.decode())
    assert "Riwayat risiko" in history and "62%" in history and "20%" in history and "4%" in history


def test_the_next_page_keeps_the_filters(client, world):
    for n in range(51):
        scored(make_business(name=f"Usaha {n}", village="34.04.07.2001"), 0.5, "kritis")
    client.force_login(make_officer("34"))
    first = client.get(reverse("earlywarning:watchlist") + "?tingkat=kritis&sektor=G").content.decode()
    assert 'href="?tingkat=kritis&amp;sektor=G&amp;page=2"' not in first  # none of them is in kategori G
    first = client.get(reverse("earlywarning:watchlist") + "?tingkat=kritis&wilayah=34.04").content.decode()
    assert 'href="?tingkat=kritis&amp;wilayah=34.04&amp;page=2"' in first
    second = html.unescape(client.get(reverse("earlywarning:watchlist") + "?tingkat=kritis&wilayah=34.04&page=2").content.decode())
    assert "2 / 2" in second and second.count('<li class="card">') == 1
