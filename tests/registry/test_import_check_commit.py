"""The preview judges every row and writes nothing; the commit writes exactly the good rows, all or none."""

import shutil
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from naikkelas.core import crypto
from naikkelas.core.models import AuditLog
from naikkelas.registry.importing import commit as commit_module
from naikkelas.registry.importing.check import run_check
from naikkelas.registry.importing.commit import run_commit
from naikkelas.registry.importing.errors import ChangedSincePreview, CommitRefused, ImportFileError
from naikkelas.registry.importing.scratch import import_slug
from naikkelas.registry.models import Business, ImportBatch, Source
from naikkelas.registry.services import nik_fields
from tests.registry.factories import CATURTUNGGAL, KRICAK, SLEMAN, make_admin, make_business, make_officer

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
MIXED = DATA / "umkm_campuran.csv"
GOOD_ROWS = {4, 5, 6, 13, 14, 15, 16}
BAD_ROWS = {7, 8, 9, 10, 11}


class Import:
    """One file through check and commit, the way the web flow and the command drive them."""

    def __init__(self, tmp_path, path, actor):
        self.path, self.actor = path, actor
        self.batch_id = uuid.uuid4()
        self.scratch = tmp_path / f"{self.batch_id.hex}.scratch.sqlite3"
        self.batch = None

    def check(self) -> dict:
        report = run_check(
            path=self.path,
            actor=self.actor,
            original_name=Path(self.path).name,
            batch_id=self.batch_id,
            scratch_path=self.scratch,
        )
        self.batch = ImportBatch.objects.create(
            id=self.batch_id, uploaded_by=self.actor, original_name="x.csv", stored_path=str(self.path), report=report
        )
        return report

    def commit(self, **options) -> dict:
        return run_commit(batch=self.batch, actor=self.actor, scratch_path=self.scratch, **options)


@pytest.fixture
def admin():
    return make_admin()


@pytest.fixture
def existing():
    """A business already registered whose NIB row 14 of the file repeats."""
    return make_business(village="34.04.07.2002", name="Laundry Lama", nib="5555555555555")


ON_SQLITE = "sqlite" in settings.DATABASES["default"]["ENGINE"]


@pytest.fixture(params=["sqlite copy", "batches"] if ON_SQLITE else ["batches"])
def commit_path(request, monkeypatch):
    """Both ways of writing: on SQLite the scratch rows are copied by SQLite itself; the batch-by-batch
    path (PostgreSQL's) is forced on SQLite too, so both keep the same rules."""
    monkeypatch.setattr(commit_module, "USE_SQLITE_COPY", request.param == "sqlite copy")
    if request.param == "sqlite copy":
        # This variant must really copy inside SQLite, not fall back to the batches.
        def no_batches(**_kwargs):
            raise AssertionError("the SQLite copy fell back to writing batch by batch")

        monkeypatch.setattr(commit_module, "_write_all", no_batches)
    return request.param


@pytest.fixture
def mixed(tmp_path, admin, existing, commit_path):
    return Import(tmp_path, MIXED, admin)


def test_check_counts_good_bad_empty_and_duplicate_rows(mixed):
    report = mixed.check()
    assert report["counts"] == {"rows": 12, "good": 7, "bad": 5, "empty": 1, "duplicates": 3}
    assert report["file"]["header_row"] == 3
    assert report["file"]["delimiter"] == ";"


def test_check_lists_every_bad_row_with_its_reasons_in_indonesian(mixed):
    reasons = {item["row"]: " ".join(item["reasons"]) for item in mixed.check()["bad_rows"]}
    assert set(reasons) == BAD_ROWS
    assert "rumus" in reasons[7]
    assert "Kampung Antah" in reasons[8] and "tidak ditemukan" in reasons[8]
    assert "Nomor HP '12345' tidak dikenali" in reasons[9]
    assert "NIK" in reasons[10] and "NIB '123' harus 13 angka" in reasons[10]
    assert "Kode KBLI '99999' tidak dikenal" in reasons[11]
    assert "ya atau tidak" in reasons[11] and "uang" in reasons[11] and "bukan tahun" in reasons[11]


def test_check_lists_duplicates_in_the_file_and_in_the_database(mixed, existing):
    duplicates = {item["row"]: item for item in mixed.check()["duplicates"]}
    assert set(duplicates) == {13, 14, 15}
    assert {(m["kind"], m.get("row")) for m in duplicates[13]["matches"]} == {("phone", 4), ("name", 4)}
    assert duplicates[14]["matches"] == [{"kind": "nib", "business_id": existing.pk, "business_name": "Laundry Lama"}]
    assert [(m["kind"], m["row"]) for m in duplicates[15]["matches"]] == [("ref", 4)]


def test_check_shows_the_column_mapping_and_unknown_columns(mixed):
    columns = mixed.check()["columns"]
    assert {m["column"]: m["field"] for m in columns["mapping"]}["No. HP/WA"] == "phone"
    assert columns["unknown_columns"] == ["Keterangan"]
    assert columns["ignored_columns"] == ["No"]


def test_check_writes_no_business(mixed):
    before = Business.objects.count()
    mixed.check()
    assert Business.objects.count() == before


def test_commit_refuses_a_file_with_bad_rows_unless_told_to_skip_them(mixed):
    mixed.check()
    before = Business.objects.count()
    with pytest.raises(CommitRefused) as error:
        mixed.commit()
    assert "5 baris yang salah" in str(error.value)
    assert Business.objects.count() == before
    mixed.batch.refresh_from_db()
    assert mixed.batch.status == ImportBatch.Status.PREVIEWED


def test_commit_writes_exactly_the_good_rows_that_are_not_duplicates(mixed, admin):
    mixed.check()
    result = mixed.commit(skip_invalid=True)
    assert result == {"written": 4, "skipped_bad": 5, "skipped_duplicates": 3, "imported_duplicates": 0}
    written = Business.objects.filter(import_batch=mixed.batch)
    assert sorted(written.values_list("external_ref", flat=True)) == ["SLM-001", "SLM-002", "SLM-003", "SLM-012"]
    mixed.batch.refresh_from_db()
    assert (mixed.batch.status, mixed.batch.rows_written) == (ImportBatch.Status.COMMITTED, 4)
    assert AuditLog.objects.filter(action="import.commit", object_id=str(mixed.batch.pk), actor=admin).exists()


def test_commit_stores_clean_values_for_the_owner_to_claim(mixed):
    mixed.check()
    mixed.commit(skip_invalid=True)
    business = Business.objects.get(external_ref="SLM-001")
    assert business.owner is None
    assert business.source == Source.IMPORT
    assert business.phone == "+6281234567890"
    assert business.village_id == CATURTUNGGAL
    assert business.sector_id == "56102"
    assert (business.capital, business.annual_sales, business.size_class) == (25_000_000, 150_000_000, "micro")
    assert (business.founded_year, business.employees, business.has_bank_account) == (2015, 3, True)
    assert Business.objects.get(external_ref="SLM-002").annual_sales == 1_500_000


def test_commit_stores_nik_only_as_registry_services_would(mixed):
    mixed.check()
    mixed.commit(skip_invalid=True)
    business = Business.objects.get(external_ref="SLM-001")
    expected = nik_fields("3404014101800001")
    assert (business.nik_hash, business.nik_masked) == (expected["nik_hash"], expected["nik_masked"])
    assert crypto.decrypt(business.nik_ciphertext) == "3404014101800001"
    assert not Business.objects.filter(nik_ciphertext__contains="3404014101800001").exists()


def test_commit_imports_a_duplicate_the_officer_chose_to_keep_but_never_a_repeated_agency_id(mixed):
    mixed.check()
    result = mixed.commit(skip_invalid=True, decisions={"default": "skip", "import": [13, 15]})
    assert result["written"] == 5
    assert result["imported_duplicates"] == 1
    assert Business.objects.filter(import_batch=mixed.batch, name="Warung Makan Bu Sri").count() == 2
    assert not Business.objects.filter(name="Kedai Kopi Senja").exists()


def test_commit_with_default_import_keeps_every_duplicate_except_repeated_ids(mixed):
    mixed.check()
    assert mixed.commit(skip_invalid=True, decisions={"default": "import"})["written"] == 6


def test_commit_rolls_everything_back_when_a_write_fails_midway(mixed, monkeypatch):
    mixed.check()
    before = Business.objects.count()
    monkeypatch.setattr(commit_module, "BATCH_SIZE", 2)
    monkeypatch.setattr(commit_module, "SQLITE_CHUNK_ROWS", 4)
    calls = []

    def failing(real):
        def write(*args, **kwargs):
            calls.append(1)
            if len(calls) == 2:
                raise RuntimeError("disk full")
            return real(*args, **kwargs)

        return write

    monkeypatch.setattr(commit_module, "bulk_insert_rows", failing(commit_module.bulk_insert_rows))
    monkeypatch.setattr(commit_module, "_copy_range", failing(commit_module._copy_range))
    with pytest.raises(RuntimeError):
        mixed.commit(skip_invalid=True)
    assert len(calls) == 2
    assert Business.objects.count() == before
    mixed.batch.refresh_from_db()
    assert mixed.batch.status == ImportBatch.Status.PREVIEWED
    assert not AuditLog.objects.filter(action="import.commit").exists()


def test_commit_stops_when_a_business_registered_since_the_preview_repeats_a_row(mixed):
    mixed.check()
    make_business(village="34.04.12.2004", name="Roti Lain", phone="+6285890901010")
    before = Business.objects.count()
    with pytest.raises(ChangedSincePreview) as error:
        mixed.commit(skip_invalid=True)
    assert "16" in str(error.value)
    assert Business.objects.count() == before


def test_commit_refuses_a_batch_already_committed(mixed):
    mixed.check()
    mixed.commit(skip_invalid=True)
    with pytest.raises(CommitRefused):
        mixed.commit(skip_invalid=True)
    assert Business.objects.filter(import_batch=mixed.batch).count() == 4


def test_commit_refuses_a_stale_copy_of_a_batch_committed_meanwhile(mixed):
    mixed.check()
    stale = ImportBatch.objects.get(pk=mixed.batch.pk)
    mixed.commit(skip_invalid=True)
    with pytest.raises(CommitRefused, match="sudah disimpan"):
        run_commit(batch=stale, actor=mixed.actor, scratch_path=mixed.scratch, skip_invalid=True)
    assert Business.objects.filter(import_batch=mixed.batch).count() == 4


def test_second_import_of_the_same_file_finds_every_row_already_registered(tmp_path, admin, existing):
    first = Import(tmp_path, MIXED, admin)
    first.check()
    first.commit(skip_invalid=True)
    second = Import(tmp_path, MIXED, admin)
    report = second.check()
    assert report["counts"]["duplicates"] == 7
    assert second.commit(skip_invalid=True)["written"] == 0


def test_officer_rows_outside_their_regions_are_bad_rows(tmp_path):
    path = tmp_path / "dua.csv"
    path.write_text(
        "Nama Usaha,Kode Wilayah,No HP\n"
        f"Warung Sleman,{CATURTUNGGAL},081211112222\n"
        f"Warung Kota,{KRICAK},081233334444\n",
        encoding="utf-8",
    )
    officer = make_officer(SLEMAN)
    run = Import(tmp_path, path, officer)
    report = run.check()
    assert report["counts"]["good"] == 1
    assert report["bad_rows"][0]["row"] == 3
    assert "di luar wilayah tugas Anda" in report["bad_rows"][0]["reasons"][0]
    assert report["scope"] == [SLEMAN]


def test_officer_of_a_regency_may_leave_out_the_province_and_regency(tmp_path):
    path = tmp_path / "kec.csv"
    path.write_text("Nama Usaha;Kecamatan;Desa\nWarung;Depok;Caturtunggal\n", encoding="utf-8")
    run = Import(tmp_path, path, make_officer(SLEMAN))
    assert run.check()["counts"]["good"] == 1
    run.commit()
    assert Business.objects.get(name="Warung").village_id == CATURTUNGGAL


def test_imported_slugs_are_unique_without_looking_them_up(tmp_path, admin):
    path = tmp_path / "sama.csv"
    path.write_text(
        "Nama Usaha,Kode Wilayah,Kode Usaha\n" + "".join(f"Warung Sri,{CATURTUNGGAL},R{i}\n" for i in range(5)),
        encoding="utf-8",
    )
    make_business(name="Warung Sri")
    run = Import(tmp_path, path, admin)
    run.check()
    run.commit(decisions={"default": "import"})
    slugs = list(Business.objects.filter(import_batch=run.batch).values_list("slug", flat=True))
    assert len(set(slugs)) == 5
    assert all(slug.startswith("warung-sri--") for slug in slugs)
    assert import_slug("Warung Sri", "abc", 35) == "warung-sri--abcz"


def test_check_refuses_a_header_only_file(tmp_path, admin):
    path = tmp_path / "judul.csv"
    path.write_text("Nama Usaha;Desa;Kecamatan\n", encoding="utf-8")
    with pytest.raises(ImportFileError) as error:
        Import(tmp_path, path, admin).check()
    assert "hanya berisi judul kolom" in str(error.value)


def test_check_leaves_no_scratch_file_behind_when_it_refuses(tmp_path, admin):
    path = tmp_path / "judul.csv"
    path.write_text("Nama Usaha;Desa\n", encoding="utf-8")
    run = Import(tmp_path, path, admin)
    with pytest.raises(ImportFileError):
        run.check()
    assert not run.scratch.exists()


def test_commit_needs_the_scratch_file_of_the_check(mixed):
    mixed.check()
    shutil.move(mixed.scratch, str(mixed.scratch) + ".moved")
    with pytest.raises(CommitRefused, match="periksa ulang"):
        mixed.commit(skip_invalid=True)


@pytest.mark.django_db(transaction=True)
def test_commit_in_its_own_transaction_leaves_nothing_attached_and_commits_again(tmp_path, regions, monkeypatch):
    from concurrent.futures import ThreadPoolExecutor

    admin = make_admin()
    make_business(village="34.04.07.2002", name="Laundry Lama", nib="5555555555555")
    if ON_SQLITE:
        monkeypatch.setattr(commit_module, "_write_all", None)  # SQLite copies; the batch path must not run

    def scenario():
        # A thread of its own has a connection of its own, as a web worker has: the test database's
        # shared in-memory cache keeps files attached by earlier (rolled back) tests locked on this one.
        from django.db import connection

        try:
            return steps(connection)
        finally:
            connection.close()  # PostgreSQL drops the test database only once every session has gone

    def steps(connection):
        # given a file checked and committed in its own transaction, the way the web flow runs it
        first = Import(tmp_path, MIXED, admin)
        first.check()
        written = first.commit(skip_invalid=True)["written"]
        # then the scratch file is no longer attached to the registry's connection
        attached = ["main"]
        if ON_SQLITE:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA database_list")
                attached = [name for _seq, name, _file in cursor.fetchall()]
        # and a second import of the same file commits too, every good row now already registered
        second = Import(tmp_path, MIXED, admin)
        duplicates = second.check()["counts"]["duplicates"]
        again = second.commit(skip_invalid=True, decisions={"default": "skip"})["written"]
        return written, attached, duplicates, again

    with ThreadPoolExecutor(max_workers=1) as pool:
        written, attached, duplicates, again = pool.submit(scenario).result()
    assert written == 4
    assert "main" in attached and not [name for name in attached if name.startswith("nk_scratch")]
    assert (duplicates, again) == (len(GOOD_ROWS), 0)
    assert Business.objects.filter(source=Source.IMPORT).count() == written
