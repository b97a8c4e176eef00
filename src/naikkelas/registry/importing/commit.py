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

Two ways of writing, the same rules:
- SQLite: the scratch file is attached to the registry's connection and SQLite copies the rows itself
  (`INSERT ... SELECT`), the identifiers looked up again by a join; no row passes through Python. The
  scratch holds every value already as Django stores it on SQLite (JSON text, booleans as 0/1).
- PostgreSQL (and SQLite when asked, see USE_SQLITE_COPY): the rows are read back batch by batch and sent
  with core.bulk (COPY on PostgreSQL).
"""

import itertools
import json
from collections.abc import Callable, Iterator

from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from naikkelas.core.audit import audit_record
from naikkelas.core.bulk import bulk_insert_rows, db_value
from naikkelas.registry.importing.duplicates import DatabaseIdentifiers
from naikkelas.registry.importing.errors import ChangedSincePreview, CommitRefused
from naikkelas.registry.importing.scratch import JSON_COLUMNS, RECORD_COLUMNS, Scratch
from naikkelas.registry.models import Business, ImportBatch, Source

BATCH_SIZE = 5_000
# The SQLite path copies the rows in ranges of this many row numbers, to report progress between them.
SQLITE_CHUNK_ROWS = 100_000
# Off only to exercise the batch-by-batch path on SQLite (tests): it is the PostgreSQL path.
USE_SQLITE_COPY = True
_ALIAS_PREFIX = "nk_scratch_"
_attachments = itertools.count()
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
            alias = _attach(scratch.path, batch) if connection.vendor == "sqlite" and USE_SQLITE_COPY else None
            if alias is not None:
                result = _copy_all(
                    alias=alias,
                    batch=batch,
                    scratch=scratch,
                    default_import=default_import,
                    import_rows=import_rows,
                    skip_rows=skip_rows,
                    on_progress=on_progress,
                )
            else:
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
            _refuse_changed({number for number, *_rest in clashes})
    return bulk_insert_rows(Business, ATTNAMES, pending) if pending else 0


def _refuse_changed(numbers) -> None:
    rows = sorted(numbers)
    raise ChangedSincePreview(
        _(
            "Sejak pratinjau ada usaha baru yang sama dengan baris %(rows)s. Tidak ada yang disimpan; "
            "periksa ulang berkas ini."
        )
        % {"rows": ", ".join(str(n) for n in rows[:10]) + (" …" if len(rows) > 10 else "")}
    )


# -- SQLite: the rows copied by SQLite itself -----------------------------------------------------------------


def _copy_all(
    *, alias: str, batch, scratch: Scratch, default_import: bool, import_rows, skip_rows, on_progress
) -> dict:
    """The same rules as _write_all, in SQL over the attached scratch file. Runs inside the commit's
    transaction: the attached file is only read, the registry written, so a rollback undoes everything."""
    imported_duplicates, skipped_duplicates = scratch.decide(
        default_import=default_import, import_rows=import_rows, skip_rows=skip_rows
    )
    first, last = scratch.row_range()
    written = 0
    with connection.cursor() as cursor:
        _recheck_identifiers(cursor, alias)
        now = db_value(Business, "created_at")(timezone.now())
        fixed = [None, None, Source.IMPORT, db_value(Business, "import_batch_id")(batch.pk), now, now]
        quote = connection.ops.quote_name
        by_attname = {f.attname: f.column for f in Business._meta.concrete_fields}
        columns = ", ".join(quote(by_attname[name]) for name in ATTNAMES)
        selected = ", ".join(["%s"] * len(fixed) + [f"r.{name}" for name in RECORD_COLUMNS])
        sql = (
            f"INSERT INTO main.{quote(Business._meta.db_table)} ({columns}) SELECT {selected} FROM {alias}.rows r "
            f"WHERE r.row BETWEEN %s AND %s "
            f"AND NOT EXISTS (SELECT 1 FROM {alias}.flag f WHERE f.row = r.row AND f.write = 0) ORDER BY r.row"
        )
        for start in range(first, last + 1, SQLITE_CHUNK_ROWS):
            written += _copy_range(cursor, sql, [*fixed, start, start + SQLITE_CHUNK_ROWS - 1])
            if on_progress:
                on_progress("commit", written)
    return {"written": written, "skipped_duplicates": skipped_duplicates, "imported_duplicates": imported_duplicates}


def _copy_range(cursor, sql: str, params: list) -> int:
    cursor.execute(sql, params)
    return cursor.rowcount


def _recheck_identifiers(cursor, alias: str) -> None:
    """Refuse when a business registered since the preview shares an identifier with a row the preview
    did not flag (the flagged ones were shown to the officer). At most 11 rows per identifier are needed
    for the message (the first ten, and whether there are more)."""
    table = f"main.{connection.ops.quote_name(Business._meta.db_table)}"
    clashes: set[int] = set()
    for _kind, column in DatabaseIdentifiers.LOOKUPS:
        cursor.execute(
            f"SELECT r.row FROM {alias}.rows r WHERE r.{column} IS NOT NULL AND r.{column} <> '' "
            f"AND NOT EXISTS (SELECT 1 FROM {alias}.flag f WHERE f.row = r.row) "
            f"AND EXISTS (SELECT 1 FROM {table} b WHERE b.{column} = r.{column}) ORDER BY r.row LIMIT 11"
        )
        clashes.update(number for (number,) in cursor.fetchall())
    if clashes:
        _refuse_changed(clashes)


def _attach(path: str, batch) -> str | None:
    """Attach the scratch file to the registry's connection, for the rest of the transaction; None when
    SQLite refuses (at most 10 files attached), and the commit then takes the batch-by-batch path.

    SQLite allows ATTACH inside a transaction but not DETACH of a file read in it: the file is detached
    once the transaction has committed. A file left attached by a transaction that was rolled back is
    detached by the next commit, when SQLite lets it."""
    alias = f"{_ALIAS_PREFIX}{batch.pk.hex[:12]}_{next(_attachments)}"
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA database_list")
        for _seq, name, _file in cursor.fetchall():
            if name.startswith(_ALIAS_PREFIX):
                try:
                    cursor.execute(f"DETACH DATABASE {name}")
                except DatabaseError:  # still read by the enclosing transaction: detached when it ends
                    pass
        try:
            cursor.execute(f"ATTACH DATABASE %s AS {alias}", [path])
        except DatabaseError:
            return None
    transaction.on_commit(lambda: _detach(alias))
    return alias


def _detach(alias: str) -> None:
    with connection.cursor() as cursor:
        try:
            cursor.execute(f"DETACH DATABASE {alias}")
        except DatabaseError:
            # Still read by a transaction that outlives this callback (tests run callbacks inside theirs);
            # the next commit on this connection detaches it.
            pass


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
