"""An owner downloads everything the platform holds about them: one ZIP, data.json and a CSV per table."""

import csv
import io
import json
import zipfile

import pytest
from django.core.management import call_command
from django.urls import reverse

from naikkelas.catalog.models import Product
from naikkelas.core.models import AuditLog
from naikkelas.registry.identity import nik_read
from tests.partners.factories import make_partner_org
from tests.privacy.factories import make_full_owner
from tests.registry.factories import KRICAK, SLEMAN, make_admin, make_officer, make_partner

pytestmark = pytest.mark.django_db

NIK_A = "3404074501800001"
NIK_B = "3471016602850002"


@pytest.fixture
def two_owners():
    partner = make_partner_org("Pasar Nusantara")
    officer = make_officer(SLEMAN)
    mine = make_full_owner(tag="Alfa", phone="+6281211110001", nik=NIK_A, partner=partner, officer=officer)
    theirs = make_full_owner(tag="Zulu", phone="+6281299990009", nik=NIK_B, village=KRICAK)
    return mine, theirs


def _download(client, user) -> zipfile.ZipFile:
    client.force_login(user)
    response = client.post(reverse("privacy:download"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    assert response["Cache-Control"] == "no-store"
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def _csv(archive, name) -> list[dict]:
    with archive.open(f"{name}.csv") as raw:
        return list(csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")))


def test_the_copy_holds_the_owners_data_in_json_and_csv_and_nothing_of_another_owner(client, two_owners):
    mine, theirs = two_owners
    nik_read(actor=make_admin(), business_id=mine.business.pk, reason="Pencocokan data Dukcapil 2026")
    nik_read(actor=make_admin(), business_id=theirs.business.pk, reason="Surat dinas untuk Zulu")
    archive = _download(client, mine.owner)
    data = json.loads(archive.read("data.json"))
    tables = data["tables"]
    names = set(archive.namelist())
    assert names == {"data.json"} | {f"{table}.csv" for table in tables}

    # Every CSV parses, has the JSON's columns and the same rows.
    for table, rows in tables.items():
        parsed = _csv(archive, table)
        assert len(parsed) == len(rows), table
        if rows:
            assert list(parsed[0]) == list(rows[0]), table

    assert tables["akun"] == [{**tables["akun"][0], "phone": mine.phone, "name": mine.name}]
    [business] = tables["usaha"]
    assert (business["name"], business["owner_name"], business["address"]) == (
        mine.business_name, mine.owner_name, mine.address
    )
    # The NIK only masked, and the file says so.
    assert business["nik_masked"] == "3404********0001"
    assert any("tersamar" in note for note in data["notes"])
    assert [row["reason"] for row in tables["pembacaan_nik"]] == ["Pencocokan data Dukcapil 2026"]
    assert {row["purpose"] for row in tables["persetujuan"]} >= {"registry", "ledger:officer_summary", "partner:pasar-nusantara"}
    assert tables["kesiapan_digital"][0]["answers"]["nib"] == "yes"
    assert tables["profil_toko"][0]["tagline"] == f"Dapur {mine.owner_name}"
    assert [row["name"] for row in tables["produk"]] == ["Keripik Alfa"]
    assert tables["foto_produk"][0]["image_url"].startswith("http://testserver/media/produk/")
    assert tables["pesanan"][0]["buyer_name"] == "Pembeli Alfa"
    assert tables["baris_pesanan"][0]["quantity"] == 2
    assert tables["pengaturan_pembayaran"][0]["bank_account_holder"] == mine.owner_name
    assert tables["buku_kas"][0]["party"] == "Tetangga Alfa"
    assert tables["utang_piutang"][0]["party"] == "Pak Utang Alfa"
    assert tables["berbagi_mitra"][0]["partner"] == "Pasar Nusantara"
    assert tables["berbagi_mitra"][0]["state"] == "granted"
    # Scores with their reasons in words, as on the owner's own risk page.
    [score] = tables["skor_risiko"]
    assert score["tier"] == "waspada"
    assert score["reasons"][0].startswith("Omzet 30 hari terakhir") and "Kab. Sleman" in score["reasons"][0]
    assert tables["bantuan_petugas"][0]["notes"] == f"Dilatih bersama {mine.owner_name}"
    # No secret: the statement link's token stays out.
    assert "token" not in tables["tautan_laporan_keuangan"][0]

    everything = b"".join(archive.read(name) for name in names).decode("utf-8")
    for text in ("Zulu", theirs.phone, NIK_B, NIK_A, "token-Alfa"):
        assert text not in everything


def test_the_other_owner_gets_only_their_own(client, two_owners):
    mine, theirs = two_owners
    archive = _download(client, theirs.owner)
    everything = b"".join(archive.read(name) for name in archive.namelist()).decode("utf-8")
    assert "Zulu" in everything
    assert "Alfa" not in everything and mine.phone not in everything


def test_spreadsheet_formulas_reach_the_csv_as_text_and_the_json_unchanged(client, two_owners):
    mine, _theirs = two_owners
    Product.objects.filter(pk=mine.product.pk).update(name='=HYPERLINK("http://x","klik")')
    archive = _download(client, mine.owner)
    assert _csv(archive, "produk")[0]["name"] == "'=HYPERLINK(\"http://x\",\"klik\")"
    assert json.loads(archive.read("data.json"))["tables"]["produk"][0]["name"] == '=HYPERLINK("http://x","klik")'


def test_the_download_is_audited_with_counts_only(client, two_owners):
    mine, _theirs = two_owners
    _download(client, mine.owner)
    row = AuditLog.objects.get(action="privacy.export")
    assert (row.actor, row.object_id) == (mine.owner, str(mine.owner.pk))
    assert row.changes["rows"]["buku_kas"] == 1
    assert mine.phone not in json.dumps(row.changes)


def test_nobody_else_reaches_the_pages(client, two_owners):
    for url in (reverse("privacy:data"), reverse("privacy:delete")):
        client.logout()
        assert client.get(url)["Location"].startswith(reverse("accounts:login"))
    client.logout()
    assert client.post(reverse("privacy:download"))["Location"].startswith(reverse("accounts:login"))
    for person in (make_officer(SLEMAN), make_admin(), make_partner()):
        client.force_login(person)
        assert client.post(reverse("privacy:download")).status_code == 404
        assert client.get(reverse("privacy:data")).status_code == 404
        assert client.get(reverse("privacy:delete")).status_code == 404
    assert not AuditLog.objects.filter(action="privacy.export").exists()


def test_the_command_writes_the_same_copy_for_a_request_by_letter(tmp_path, two_owners):
    mine, _theirs = two_owners
    out = tmp_path / "salinan.zip"
    call_command("export_owner_data", "0812-1111-0001", str(out), "--reference", "Surat 12/2026", stdout=io.StringIO())
    with zipfile.ZipFile(out) as archive:
        data = json.loads(archive.read("data.json"))
    assert data["tables"]["usaha"][0]["owner_name"] == mine.owner_name
    assert data["tables"]["foto_produk"][0]["image_url"].startswith("/media/produk/")
    row = AuditLog.objects.get(action="privacy.export")
    assert (row.actor, row.object_id, row.reason) == (None, str(mine.owner.pk), "Surat 12/2026")
