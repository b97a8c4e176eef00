import csv
import io

import pytest
from django.urls import reverse

from naikkelas.core.models import AuditLog
from tests.registry.factories import (
    CATURTUNGGAL,
    JATENG,
    KRICAK,
    SLEMAN,
    make_admin,
    make_business,
    make_officer,
    make_owner,
)

pytestmark = pytest.mark.django_db
LIST = reverse("registry:officer_list")
EXPORT = reverse("registry:officer_export")
NIK = "3471140209790001"


@pytest.fixture
def registry():
    return {
        "warung": make_business(village=CATURTUNGGAL, name="Warung Bu Sri", nik=NIK, phone="+6281234567890"),
        "keripik": make_business(village=CATURTUNGGAL, name="Keripik Tempe Sari", sector_code="10794"),
        "batik": make_business(village=KRICAK, name="Batik Kricak"),
    }


@pytest.fixture
def officer(client):
    user = make_officer(SLEMAN)
    client.force_login(user)
    return user


def _detail(business):
    return reverse("registry:business_detail", args=[business.pk])


def test_officer_list_shows_the_businesses_in_the_officers_regions_with_counts(client, officer, registry):
    response = client.get(LIST)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Warung Bu Sri" in body and "Keripik Tempe Sari" in body
    assert "Batik Kricak" not in body
    assert "2 usaha dalam wilayah Anda" in body
    assert "Caturtunggal, Depok, Sleman, DI Yogyakarta" in body


def test_officer_list_filters_by_name_and_sector(client, officer, registry):
    body = client.get(LIST, {"q": "keripik"}).content.decode()
    assert "Keripik Tempe Sari" in body and "Warung Bu Sri" not in body
    body = client.get(LIST, {"sector": "10794"}).content.decode()
    assert "Keripik Tempe Sari" in body and "Warung Bu Sri" not in body


def test_officer_list_filters_by_region_with_the_picker(client, officer, registry):
    body = client.get(LIST, {"region_province": "34", "region_regency": "34.71"}).content.decode()
    assert "Warung Bu Sri" not in body and "Batik Kricak" not in body
    body = client.get(LIST, {"region_province": "34", "region_regency": "34.04"}).content.decode()
    assert "Warung Bu Sri" in body


def test_officer_list_ignores_invalid_filters_with_a_message_instead_of_failing(client, officer, registry):
    response = client.get(LIST, {"sector": "=cmd", "readiness": "9"})
    assert response.status_code == 200
    assert "Tulis kode KBLI" in response.content.decode()


def test_officer_list_pages_keep_the_filters(client, officer):
    for n in range(51):
        make_business(village=CATURTUNGGAL, name=f"Warung {n}")
    make_business(village=CATURTUNGGAL, name="Zz Toko Lain")
    body = client.get(LIST, {"q": "warung"}).content.decode()
    assert "?q=warung&amp;page=2" in body
    second = client.get(LIST, {"q": "warung", "page": 2}).content.decode()
    assert "Halaman 2 dari 2" in second
    assert "Warung 9<" in second and "Zz Toko Lain" not in second


def test_business_detail_shows_the_nik_masked_only(client, officer, registry):
    body = client.get(_detail(registry["warung"])).content.decode()
    assert "3471********0001" in body
    assert NIK not in body
    assert "Warung Bu Sri" in body


def test_business_detail_refuses_an_officer_outside_the_region_and_owners_with_404(client, registry):
    client.force_login(make_officer(JATENG))
    assert client.get(_detail(registry["warung"])).status_code == 404
    owner = make_owner()
    mine = make_business(owner=owner, name="Punyaku")
    client.force_login(owner)
    assert client.get(_detail(mine)).status_code == 404
    assert client.get(_detail(registry["warung"])).status_code == 404


def test_business_detail_of_a_missing_business_is_the_same_404(client, officer, registry):
    forbidden = client.get(_detail(registry["batik"]))
    missing = client.get(reverse("registry:business_detail", args=[10**9]))
    assert forbidden.status_code == missing.status_code == 404


def test_admin_sees_every_business_in_the_list(client, registry):
    client.force_login(make_admin())
    body = client.get(LIST).content.decode()
    assert all(name in body for name in ("Warung Bu Sri", "Keripik Tempe Sari", "Batik Kricak"))


def test_officer_pages_refuse_owners_and_send_anonymous_visitors_to_log_in(client, registry):
    client.force_login(make_owner())
    for url in (LIST, EXPORT):
        assert client.get(url).status_code == 404
    client.logout()
    for url in (LIST, EXPORT, _detail(registry["warung"])):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def _rows(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def test_officer_export_gives_the_officers_businesses_as_csv_with_masked_nik(client, officer, registry):
    response = client.get(EXPORT)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = _rows(response)
    assert {row["nama_usaha"] for row in rows} == {"Warung Bu Sri", "Keripik Tempe Sari"}
    warung = next(row for row in rows if row["nama_usaha"] == "Warung Bu Sri")
    assert warung["nik_tersamar"] == "3471********0001"
    assert warung["no_hp"] == "0812-3456-7890"
    assert (warung["desa"], warung["kecamatan"], warung["kabupaten_kota"]) == ("Caturtunggal", "Depok", "Sleman")


def test_officer_export_follows_the_list_filters(client, officer, registry):
    rows = _rows(client.get(EXPORT, {"q": "keripik"}))
    assert [row["nama_usaha"] for row in rows] == ["Keripik Tempe Sari"]


def test_officer_export_escapes_formula_cells(client, officer):
    make_business(village=CATURTUNGGAL, name="=cmd|' /C calc'!A0", address="@SUM(1+1)")
    rows = _rows(client.get(EXPORT))
    assert rows[0]["nama_usaha"] == "'=cmd|' /C calc'!A0"
    assert rows[0]["alamat"] == "'@SUM(1+1)"


def test_officer_export_is_recorded_in_the_audit_log(client, officer, registry):
    _rows(client.get(EXPORT, {"q": "warung"}))
    entry = AuditLog.objects.get(action="business.export")
    assert entry.actor == officer
    assert entry.changes == {"filters": {"q": "warung"}, "rows": 1}
