"""The commit: the previewed rows written in one transaction, all of them or none.

The check left every good row in the scratch file exactly as it will be stored (scratch.py); the commit
copies them into the registry in row order. Rules (the preview page and the command say the same):
- A file with bad rows is refused unless the officer chose to skip them (`skip_invalid`).
- A row the preview flagged as a likely duplicate is skipped unless the officer chose "import anyway" for
  it (or for all: `decisions["default"] = "import"`). A row repeating an agency id is always skipped: the
  registry keeps those unique.
- Identifiers (NIB, NIK, phone, agency id) of every row the preview did not flag are looked up again in the
  database while writing; a business registered since the preview with the same identifier stops the
  commit (ChangedSincePreview), so nothing slips in unseen. Names are compared at the preview only.
- Any error rolls the whole transaction back: no business, no change to the batch, no audit row.

Imported businesses have no owner yet (the owner claims theirs by phone), `source="import"` and the batch.
"""

import json
from collections.abc import Callable, Iterator

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from naikkelas.core.audit import audit_record
from naikkelas.core.bulk import bulk_insert_rows, db_value
from naikkelas.registry.importing.duplicates import DatabaseIdentifiers
from naikkelas.registry.importing.errors import ChangedSincePreview, CommitRefused
from naikkelas.registry.importing.scratch import JSON_COLUMNS, RECORD_COLUMNS, Scratch
from naikkelas.registry.models import Business, ImportBatch, Source

BATCH_SIZE = 5_000
# SQLite's page cache for the length of a commit (the default is 2 MB). A million rows update a dozen
# indexes of several hundred MB; a bigger cache keeps more of their pages at hand. Bounded, so memory
# stays flat however long the file is.
SQLITE_COMMIT_CACHE_KB = 64 * 1024
ATTNAMES = ("owner_id", "readiness_level", "source", "import_batch_id", "created_at", "updated_at") + RECORD_COLUMNS
_JSON_POSITIONS = tuple(RECORD_COLUMNS.index(name) for name in JSON_COLUMNS)
_BANK_POSITION = RECORD_COLUMNS.index("has_bank_account")
# Positions (in RECORD_COLUMNS) of the identifiers compared again at commit: nib, nik hash, phone, agency id.
_KEY_POSITIONS = tuple(RECORD_COLUMNS.index(name) for name in ("nib", "nik_hash", "phone", "external_ref"))


class _Flags:
    """Membership in the preview's flagged rows, read alongside the stored rows: both in ascending order."""

    def __init__(self, flagged: Iterator[tuple[int, bool]]):
        self._flagged = flagged
        self._current = next(flagged, None)

    def get(self, number: int) -> bool | None:
        """None when the row was not flagged; else whether it is locked (repeats an agency id)."""
        while self._current is not None and self._current[0] < number:
            self._current = next(self._flagged, None)
        if self._current is not None and self._current[0] == number:
            return self._current[1]
        return None


class _Records:
    """Scratch rows into Business rows in database form (core.bulk.bulk_insert_rows)."""

    def __init__(self, batch: ImportBatch):
        now = db_value(Business, "created_at")(timezone.now())
        self.fixed = (None, None, Source.IMPORT, db_value(Business, "import_batch_id")(batch.pk), now, now)
        self.to_json = db_value(Business, "channels")
        self.json: dict[str, object] = {}

    def convert(self, stored: tuple) -> tuple:
        record = list(stored)
        for position in _JSON_POSITIONS:
            text = record[position]
            value = self.json.get(text)
            if value is None:
                value = self.json[text] = self.to_json(json.loads(text))
            record[position] = value
        bank = record[_BANK_POSITION]
        if bank is not None:
            record[_BANK_POSITION] = bool(bank)  # SQLite gave it back as 0 or 1
        return self.fixed + tuple(record)


def run_commit(
    *,
    batch: ImportBatch,
    actor,
    scratch_path,
    skip_invalid: bool = False,
    decisions: dict | None = None,
    on_progress: Callable[[str, int], None] | None = None,
) -> dict:
    """Write the previewed batch's businesses as `actor` (the one audited). Returns what was written and
    skipped; raises CommitRefused (or ChangedSincePreview) with nothing written."""
    report = batch.report
    if batch.status != ImportBatch.Status.PREVIEWED:
        raise CommitRefused(
            _("Impor ini sudah tidak bisa disimpan (status: %(status)s).") % {"status": batch.get_status_display()}
        )
    if report.get("batch") != batch.pk.hex:
        raise CommitRefused(_("Pratinjau ini bukan untuk impor ini; periksa ulang berkasnya."))
    bad = report["counts"]["bad"]
    if bad and not skip_invalid:
        raise CommitRefused(
            _("Ada %(n)s baris yang salah. Perbaiki berkasnya, atau pilih untuk melewati baris yang salah.")
            % {"n": f"{bad:,}".replace(",", ".")}
        )
    decisions = decisions or {}
    default_import = decisions.get("default") == "import"
    import_rows = set(decisions.get("import", ()))
    skip_rows = set(decisions.get("skip", ()))
    try:
        scratch = Scratch(scratch_path, create=False)
    except FileNotFoundError:
        raise CommitRefused(_("Hasil pratinjau sudah tidak ada; periksa ulang berkasnya.")) from None
    try:
        with _sqlite_cache(SQLITE_COMMIT_CACHE_KB), transaction.atomic():
            # Read the status again under lock: a second click on "Simpan" waits here for the first commit
            # and then finds the batch committed, instead of writing every business twice.
            current = ImportBatch.objects.select_for_update().only("status").get(pk=batch.pk)
            if current.status != ImportBatch.Status.PREVIEWED:
                raise CommitRefused(_("Impor ini sudah disimpan atau sedang disimpan."))
            result = _write_all(
                batch=batch,
                scratch=scratch,
                wants_import=lambda n: n in import_rows or (default_import and n not in skip_rows),
                on_progress=on_progress,
            )
            result["skipped_bad"] = bad
            batch.status = ImportBatch.Status.COMMITTED
            batch.committed_at = timezone.now()
            batch.rows_written = result["written"]
            batch.report = {**report, "commit": {**result, "skip_invalid": skip_invalid, "decisions": decisions}}
            batch.save(update_fields=["status", "committed_at", "rows_written", "report"])
            audit_record(
                actor=actor, action="import.commit", obj=batch, changes={"file": report["file"]["name"], **result}
            )
    finally:
        scratch.db.close()
    return result


def _write_all(*, batch, scratch: Scratch, wants_import, on_progress) -> dict:
    flags = _Flags(scratch.flagged_rows())
    identifiers = DatabaseIdentifiers(exclude_batch_id=batch.pk)
    records = _Records(batch)
    written = skipped_duplicates = imported_duplicates = 0
    pending: list[tuple] = []
    unflagged: list[tuple] = []
    for number, *stored in scratch.records():
        locked = flags.get(number)
        if locked is None:
            unflagged.append((number, *(stored[p] for p in _KEY_POSITIONS)))
        elif locked or not wants_import(number):
            skipped_duplicates += 1
            continue
        else:
            imported_duplicates += 1
        pending.append(records.convert(stored))
        if len(pending) >= BATCH_SIZE:
            written += _flush(pending, unflagged, identifiers)
            pending, unflagged = [], []
            if on_progress:
                on_progress("commit", written)
    written += _flush(pending, unflagged, identifiers)
    if on_progress:
        on_progress("commit", written)
    return {"written": written, "skipped_duplicates": skipped_duplicates, "imported_duplicates": imported_duplicates}


def _flush(pending: list[tuple], unflagged: list[tuple], identifiers: DatabaseIdentifiers) -> int:
    if unflagged:
        clashes = identifiers.find(unflagged)
        if clashes:
            rows = sorted({number for number, *_rest in clashes})
            raise ChangedSincePreview(
                _(
                    "Sejak pratinjau ada usaha baru yang sama dengan baris %(rows)s. Tidak ada yang disimpan; "
                    "periksa ulang berkas ini."
                )
                % {"rows": ", ".join(str(n) for n in rows[:10]) + (" …" if len(rows) > 10 else "")}
            )
    return bulk_insert_rows(Business, ATTNAMES, pending) if pending else 0


class _sqlite_cache:
    """Raise SQLite's page cache on this connection for a block, then put it back."""

    def __init__(self, kilobytes: int):
        self.kilobytes = kilobytes
        self.previous = None

    def __enter__(self):
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size")
                self.previous = cursor.fetchone()[0]
                cursor.execute(f"PRAGMA cache_size = -{int(self.kilobytes)}")
        return self

    def __exit__(self, *exc):
        if self.previous is not None:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = {int(self.previous)}")
        return False
