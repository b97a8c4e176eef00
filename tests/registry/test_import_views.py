"""The officer's import pages: upload, preview, commit; and who may see them."""

import io
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from naikkelas.registry.models import Business, ImportBatch
from tests.registry.factories import JATENG, SLEMAN, make_admin, make_officer, make_owner, make_partner

pytestmark = pytest.mark.django_db

MIXED = Path(__file__).parent / "data" / "umkm_campuran.csv"
UPLOAD = reverse("registry:import_upload")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def upload(client, user, content: bytes = MIXED.read_bytes(), name: str = "umkm.csv"):
    client.force_login(user)
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, content, content_type="text/csv")})


def preview_url(batch) -> str:
    return reverse("registry:import_preview", kwargs={"batch_id": batch.pk})


@pytest.fixture
def officer():
    return make_officer(SLEMAN)


@pytest.fixture
def batch(client, officer):
    response = upload(client, officer)
    assert response.status_code == 302
    return ImportBatch.objects.get()


def test_upload_page_shows_the_form_to_an_officer(client, officer):
    client.force_login(officer)
    response = client.get(UPLOAD)
    assert response.status_code == 200
    assert "Unggah dan periksa" in response.content.decode()


def test_upload_stores_the_file_checks_it_and_redirects_to_the_preview(client, officer, media):
    response = upload(client, officer)
    batch = ImportBatch.objects.get()
    assert response.url == preview_url(batch)
    assert (batch.uploaded_by, batch.status, batch.original_name) == (officer, ImportBatch.Status.PREVIEWED, "umkm.csv")
    assert (media / batch.stored_path).read_bytes() == MIXED.read_bytes()
    assert batch.stored_path.startswith("imports/")
    assert batch.report["counts"]["bad"] == 5
    assert not Business.objects.filter(import_batch=batch).exists()


def test_upload_of_a_bad_file_shows_why_and_keeps_nothing(client, officer, media):
    response = upload(client, officer, b"\x00\x01binary\xff" * 50, "data.csv")
    assert response.status_code == 400
    assert "bukan CSV atau XLSX" in response.content.decode()
    assert not ImportBatch.objects.exists()
    assert not any((media / "imports").iterdir())


def test_preview_lists_mapping_bad_rows_and_duplicates(client, batch):
    body = client.get(preview_url(batch)).content.decode()
    assert "Kolom yang ditemukan" in body and "Keterangan" in body
    assert "Nomor HP &#x27;12345&#x27; tidak dikenali" in body
    assert 'name="dup-13"' in body
    assert "dilewati: ID dinas harus unik" in body


def test_commit_without_skipping_bad_rows_is_refused_and_writes_nothing(client, batch):
    response = client.post(preview_url(batch), {"action": "commit"}, follow=True)
    assert "5 baris yang salah" in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEWED
    assert not Business.objects.filter(import_batch=batch).exists()


def test_commit_writes_good_rows_with_the_officers_duplicate_decisions(
    client, batch, media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            preview_url(batch),
            {"action": "commit", "skip_invalid": "on", "dup-13": "import", "dup-15": "import"},
            follow=True,
        )
    assert "Tersimpan 6 usaha" in response.content.decode()
    batch.refresh_from_db()
    assert (batch.status, batch.rows_written) == (ImportBatch.Status.COMMITTED, 6)
    assert batch.report["commit"]["decisions"]["import"] == [13, 15]
    # The upload held NIKs in clear: it goes once the rows are in.
    assert not (media / batch.stored_path).exists()
    assert not any((media / "imports").iterdir())


def test_recheck_reads_the_file_again(client, batch):
    response = client.post(preview_url(batch), {"action": "recheck"}, follow=True)
    assert "diperiksa ulang" in response.content.decode()


def test_an_admin_sees_an_officers_batch(client, batch):
    client.force_login(make_admin())
    assert client.get(preview_url(batch)).status_code == 200


def test_an_officer_of_another_region_gets_404_for_the_batch(client, batch):
    client.force_login(make_officer(JATENG))
    assert client.get(preview_url(batch)).status_code == 404
    assert client.post(preview_url(batch), {"action": "commit", "skip_invalid": "on"}).status_code == 404
    assert not Business.objects.filter(import_batch=batch).exists()


def test_another_officer_of_the_same_region_gets_404_for_the_batch(client, batch):
    client.force_login(make_officer(SLEMAN))
    assert client.get(preview_url(batch)).status_code == 404


@pytest.mark.parametrize("make_user", [make_owner, make_partner])
def test_owners_and_partners_get_404_everywhere(client, batch, make_user):
    client.force_login(make_user())
    assert client.get(UPLOAD).status_code == 404
    assert client.post(UPLOAD, {"file": SimpleUploadedFile("a.csv", MIXED.read_bytes())}).status_code == 404
    assert client.get(preview_url(batch)).status_code == 404
    assert ImportBatch.objects.count() == 1


def test_anonymous_visitors_are_sent_to_log_in_and_nothing_happens(client, batch):
    client.logout()
    login = reverse("accounts:login")
    assert client.get(UPLOAD).url.startswith(login)
    assert client.get(preview_url(batch)).url.startswith(login)
    assert client.post(preview_url(batch), {"action": "commit", "skip_invalid": "on"}).url.startswith(login)
    assert not Business.objects.filter(import_batch=batch).exists()


def test_a_missing_batch_is_404_like_a_forbidden_one(client, officer):
    client.force_login(officer)
    missing = reverse("registry:import_preview", kwargs={"batch_id": "00000000-0000-0000-0000-000000000000"})
    assert client.get(missing).status_code == 404


def test_upload_over_the_size_limit_is_refused(client, officer, settings):
    settings.IMPORT_MAX_BYTES = 100
    response = upload(client, officer)
    assert response.status_code == 400
    assert "terlalu besar" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_upload_of_an_xlsx_file_reaches_the_same_preview(client, officer):
    workbook = openpyxl.Workbook()
    workbook.active.append(["Nama Usaha", "No. HP", "Kecamatan", "Desa"])
    workbook.active.append(["Warung Bu Sri", "0812-3456-7890", "Depok", "Caturtunggal"])
    content = io.BytesIO()
    workbook.save(content)
    response = upload(client, officer, content.getvalue(), "umkm.xlsx")
    batch = ImportBatch.objects.get()
    assert response.url == preview_url(batch)
    assert batch.report["counts"]["good"] == 1
    assert "XLSX" in client.get(preview_url(batch)).content.decode()
