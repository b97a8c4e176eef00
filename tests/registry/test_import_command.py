"""`naikkelas import businesses FILE [--commit] [--skip-invalid] [--officer PHONE]`."""

from pathlib import Path

import pytest
from django.db import connections

from naikkelas.cli import main
from naikkelas.registry.models import Business, ImportBatch
from tests.registry.factories import SLEMAN, make_admin, make_officer, make_owner

pytestmark = pytest.mark.django_db

MIXED = str(Path(__file__).parent / "data" / "umkm_campuran.csv")


@pytest.fixture(autouse=True)
def keep_test_connection(monkeypatch):
    # A management command run from the command line closes every connection when it ends, which would
    # end the test's own transaction on PostgreSQL.
    monkeypatch.setattr(connections, "close_all", lambda: None)


def run(*args) -> int:
    """The console script's exit status."""
    try:
        main(["naikkelas", "import", "businesses", *args])
    except SystemExit as exit:
        return exit.code
    return 0


def test_check_prints_the_report_writes_nothing_and_exits_zero(capsys):
    before = Business.objects.count()
    assert run(MIXED) == 0
    out = capsys.readouterr().out
    assert "Baris data: 12 — baik 7, salah 5" in out
    assert "baris 9: Nomor HP '12345' tidak dikenali" in out
    duplicate = next(line for line in out.splitlines() if line.strip().startswith("baris 13 (Warung Makan Bu Sri)"))
    assert "nomor HP sama dengan baris 4" in duplicate
    assert "Kolom tidak dikenali (tidak dibaca): Keterangan." in out
    assert "Belum ada yang disimpan" in out
    assert Business.objects.count() == before
    assert not ImportBatch.objects.exists()


def test_commit_without_an_officer_is_refused(capsys):
    assert run(MIXED, "--commit") == 1
    assert "--officer" in capsys.readouterr().err
    assert not ImportBatch.objects.exists()


def test_commit_with_bad_rows_is_refused_unless_skip_invalid(capsys):
    admin = make_admin()
    before = Business.objects.count()
    assert run(MIXED, "--commit", "--officer", admin.phone) == 1
    assert "Tidak ada yang disimpan: Ada 5 baris yang salah" in capsys.readouterr().err
    assert Business.objects.count() == before
    assert not ImportBatch.objects.exists()


def test_commit_with_skip_invalid_writes_the_good_rows_and_says_how_many(capsys):
    admin = make_admin()
    assert run(MIXED, "--commit", "--skip-invalid", "--officer", admin.phone) == 0
    # Seven good rows, two of them likely duplicates of row 4 (skipped by default).
    assert "Tersimpan 5 usaha" in capsys.readouterr().out
    batch = ImportBatch.objects.get()
    assert (batch.uploaded_by, batch.status, batch.rows_written) == (admin, ImportBatch.Status.COMMITTED, 5)
    assert Business.objects.filter(import_batch=batch).count() == 5


def test_import_duplicates_keeps_flagged_rows_except_repeated_ids(capsys):
    admin = make_admin()
    assert run(MIXED, "--commit", "--skip-invalid", "--import-duplicates", "--officer", admin.phone) == 0
    assert Business.objects.filter(import_batch__isnull=False).count() == 6


def test_officer_scope_applies_on_the_command_line(tmp_path, capsys):
    officer = make_officer("34.04.12")  # Ngaglik only
    assert run(MIXED, "--officer", officer.phone) == 0
    out = capsys.readouterr().out
    assert "di luar wilayah tugas Anda" in out


def test_an_owner_cannot_import(capsys):
    owner = make_owner()
    assert run(MIXED, "--commit", "--officer", owner.phone) == 1
    assert "Tidak ada petugas atau admin" in capsys.readouterr().err


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "kosong"),
        (b"\x00\x01\x02\xff" * 100, "bukan CSV atau XLSX"),
        (b"PK\x03\x04broken", "XLSX rusak"),
        (b"Nama Usaha;Desa\n", "hanya berisi judul kolom"),
        (b"Alamat;Telepon\nJl. A;0812\n", "Judul kolom tidak ditemukan"),
    ],
)
def test_a_bad_file_exits_non_zero_with_a_clear_message(tmp_path, capsys, content, message):
    path = tmp_path / "buruk.csv"
    path.write_bytes(content)
    assert run(str(path)) == 1
    err = capsys.readouterr().err
    assert "Berkas tidak bisa dibaca" in err
    assert message in err


def test_a_missing_file_exits_non_zero(capsys, tmp_path):
    assert run(str(tmp_path / "tidak-ada.csv")) == 1
    assert "tidak ada" in capsys.readouterr().err


def test_officer_scope_is_not_needed_for_an_officer_of_the_region(capsys):
    officer = make_officer(SLEMAN)
    assert run(MIXED, "--commit", "--skip-invalid", "--officer", officer.phone) == 0
    assert "Tersimpan 5 usaha" in capsys.readouterr().out
