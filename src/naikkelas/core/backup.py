"""Backing up the whole database while the site is in use, and restoring a backup (`naikkelas backup` and
`naikkelas restore`).

A backup must be the database as it stood at one moment, even while orders, payments and cash-book entries
keep being written. Copying the file is not that: it can catch a page half-written, and in WAL mode the latest
commits live in the -wal file beside it. So:

- SQLite: the online backup API, from a connection of its own, in one step (`pages=-1`). One step is one read
  transaction, so the copy is one snapshot; WAL lets the writers go on meanwhile. (A copy in several steps
  would start over whenever another process wrote in between, and under steady writes might never finish.)
  The copy is switched out of WAL mode, so the backup is one self-contained file.
- PostgreSQL: `pg_dump --format=custom`, which reads every table in one snapshot (a repeatable-read
  transaction) without blocking writers; `pg_restore` reads it back.

Either way the backup is written under a temporary name beside the target and renamed once complete and on
disk, so a backup cut short (disk full, killed) never sits under the expected name looking whole.

A restore replaces what the database holds, so it refuses a file that is not a backup of this engine (or not
of this app), and a database that has any table unless forced. Restore only while the site is stopped: PostgreSQL
drops and recreates every table of the backup in one transaction (tables the backup does not have are left
alone); SQLite copies the backup into the live file with the backup API, which other open connections see.
"""

import os
import shutil
import sqlite3
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from django.db import connections
from django.utils.translation import gettext as _

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"
ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
# How long the SQLite copy waits for a writer's lock (the live database's own busy timeout is the same).
SQLITE_TIMEOUT_SECONDS = 20
# pg_restore drops and recreates every object in one transaction: all of the backup, or nothing changed.
PG_RESTORE_FLAGS = [
    "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error",
]


class BackupError(Exception):
    """Why a backup or a restore was refused or failed, in words an operator can act on."""


@dataclass(frozen=True)
class Result:
    path: Path
    size: int  # bytes of the backup file
    seconds: float


def backup(path, *, using: str = "default") -> Result:
    """Write a consistent backup of the database `using` to `path` (replaced if it exists)."""
    connection = connections[using]
    engine = _engine(connection)
    target = Path(path).absolute()
    if not target.parent.is_dir():
        raise BackupError(_("Folder %(folder)s tidak ada.") % {"folder": target.parent})
    if target.is_dir():
        raise BackupError(_("%(path)s adalah folder; sebutkan nama berkas cadangannya.") % {"path": target})
    if engine == "sqlite":
        _refuse_live_file(connection, target)
    started = time.monotonic()
    # mkstemp makes the file readable by its owner alone, which suits a copy of everything.
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    partial = Path(name)
    try:
        if engine == "sqlite":
            _sqlite_copy(_sqlite_backup, connection, partial)
        else:
            _pg_backup(connection, partial)
        _sync(partial)
        os.replace(partial, target)
        _sync_folder(target.parent)
    finally:
        for leftover in (partial, Path(f"{partial}-journal"), Path(f"{partial}-wal"), Path(f"{partial}-shm")):
            leftover.unlink(missing_ok=True)
    return Result(path=target, size=target.stat().st_size, seconds=round(time.monotonic() - started, 2))


def restore(path, *, force: bool = False, using: str = "default") -> Result:
    """Replace what the database `using` holds with the backup at `path`. Refuses a file that is not a backup
    of this engine, and a database that already has tables unless `force`."""
    connection = connections[using]
    engine = _engine(connection)
    source = Path(path).absolute()
    if not source.is_file():
        raise BackupError(_("Berkas %(path)s tidak ada.") % {"path": source})
    _check_kind(source, engine)
    if engine == "sqlite":
        _refuse_live_file(connection, source)
        _check_sqlite_backup(source)
    else:
        _check_pg_backup(connection, source)
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    if tables and not force:
        raise BackupError(
            _("Basis data tujuan sudah berisi %(n)s tabel. Tambahkan --force untuk menimpanya dengan cadangan.")
            % {"n": len(tables)}
        )
    if engine == "sqlite":
        _sqlite_database(connection)  # refuses an in-memory database before its only connection is closed
    started = time.monotonic()
    # Our own connection goes first: it must not hold a lock the restore waits for, nor keep a stale schema.
    connection.close()
    if engine == "sqlite":
        _sqlite_copy(_sqlite_restore, connection, source)
    else:
        _pg_restore(connection, source)
    return Result(path=source, size=source.stat().st_size, seconds=round(time.monotonic() - started, 2))


# ---- Checks ------------------------------------------------------------------------------------------------


def _engine(connection) -> str:
    if connection.vendor not in ENGINE_NAMES:
        raise BackupError(
            _("Mesin basis data %(vendor)s tidak didukung; hanya SQLite dan PostgreSQL.")
            % {"vendor": connection.vendor}
        )
    return connection.vendor


def _check_kind(source: Path, engine: str) -> None:
    """By the file's first bytes: SQLite's header or pg_dump's custom-format magic."""
    with source.open("rb") as f:
        head = f.read(len(SQLITE_MAGIC))
    found = "sqlite" if head == SQLITE_MAGIC else "postgresql" if head.startswith(PGDUMP_MAGIC) else None
    if found == engine:
        return
    if found is None:
        raise BackupError(
            _("%(path)s bukan berkas cadangan basis data %(engine)s.")
            % {"path": source, "engine": ENGINE_NAMES[engine]}
        )
    raise BackupError(
        _("%(path)s adalah cadangan %(found)s, sedangkan basis data ini %(engine)s.")
        % {"path": source, "found": ENGINE_NAMES[found], "engine": ENGINE_NAMES[engine]}
    )


def _not_ours(source: Path) -> BackupError:
    return BackupError(_("%(path)s bukan cadangan Naik Kelas (tidak ada tabel django_migrations).") % {"path": source})


def _sqlite_database(connection) -> Path:
    if connection.is_in_memory_db():
        raise BackupError(_("Basis data SQLite di memori tidak bisa dicadangkan atau dipulihkan."))
    return Path(connection.settings_dict["NAME"]).absolute()


def _refuse_live_file(connection, path: Path) -> None:
    """A backup renamed over the live file, or a restore from it, would destroy the database."""
    if connection.is_in_memory_db():
        return  # no file to mistake; refused later, as what cannot be backed up or restored
    live = _sqlite_database(connection)
    if path.resolve() in {live.resolve(), Path(f"{live}-wal").resolve(), Path(f"{live}-shm").resolve()}:
        raise BackupError(_("%(path)s adalah berkas basis data yang sedang dipakai.") % {"path": path})


def _open_read_only(source: Path) -> sqlite3.Connection:
    return sqlite3.connect(source.resolve().as_uri() + "?mode=ro", uri=True, timeout=SQLITE_TIMEOUT_SECONDS)


def _check_sqlite_backup(source: Path) -> None:
    """A whole, undamaged SQLite file of this app, checked before the live database is overwritten with it."""
    try:
        check = _open_read_only(source)
        try:
            ours = check.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'django_migrations'"
            ).fetchone()
            problems = [row[0] for row in check.execute("PRAGMA quick_check").fetchall()]
        finally:
            check.close()
    except sqlite3.DatabaseError as error:
        raise BackupError(_("%(path)s rusak: %(error)s") % {"path": source, "error": error}) from None
    if problems != ["ok"]:
        raise BackupError(_("%(path)s rusak: %(error)s") % {"path": source, "error": "; ".join(problems[:3])})
    if not ours:
        raise _not_ours(source)


def _check_pg_backup(connection, source: Path) -> None:
    """pg_restore reads the file's table of contents: it must, and it must list Django's migration table."""
    _program("pg_restore")  # a missing program is not a damaged file
    try:
        listing = _run(connection, "pg_restore", ["--list", str(source)], connect=False)
    except BackupError as error:
        raise BackupError(_("%(path)s rusak: %(error)s") % {"path": source, "error": error}) from None
    # Lines read "215; 1259 39306 TABLE public django_migrations postgres"; those starting with ";" are comments.
    entries = [line.split() for line in listing.splitlines() if not line.startswith(";")]
    if not any("TABLE" in fields and "django_migrations" in fields for fields in entries):
        raise _not_ours(source)


# ---- SQLite -------------------------------------------------------------------------------------------------


def _sqlite_copy(copy, connection, path: Path) -> None:
    try:
        copy(connection, path)
    except sqlite3.Error as error:
        raise BackupError(_("Penyalinan SQLite gagal: %(error)s") % {"error": error}) from None


def _sqlite_backup(connection, partial: Path) -> None:
    # A connection of its own: Django's may be inside a transaction, and the copy must see only what is committed.
    source = sqlite3.connect(_sqlite_database(connection), timeout=SQLITE_TIMEOUT_SECONDS)
    try:
        copy = sqlite3.connect(partial)
        try:
            source.backup(copy, pages=-1)
            # The header copied from a WAL database says WAL; a backup is one file, readable on its own.
            copy.execute("PRAGMA journal_mode=DELETE")
        finally:
            copy.close()
    finally:
        source.close()


def _sqlite_restore(connection, source: Path) -> None:
    backup_file = _open_read_only(source)
    try:
        live = sqlite3.connect(_sqlite_database(connection), timeout=SQLITE_TIMEOUT_SECONDS)
        try:
            # Into a WAL database the backup API copies only pages of the same size; out of WAL it takes the
            # backup's page size. (With other connections open the mode stays WAL: the same sizes still copy.)
            live.execute("PRAGMA journal_mode=DELETE")
            backup_file.backup(live, pages=-1)
            live.execute("PRAGMA journal_mode=WAL")  # as the site's connections set it anyway
        finally:
            live.close()
    finally:
        backup_file.close()


# ---- PostgreSQL ---------------------------------------------------------------------------------------------


def _program(program: str) -> str:
    executable = shutil.which(program)
    if executable is None:
        raise BackupError(
            _("%(program)s tidak ditemukan. Pasang klien PostgreSQL (versi server atau lebih baru).")
            % {"program": program}
        )
    return executable


def _run(connection, program: str, arguments: list[str], *, connect: bool = True) -> str:
    """Run a PostgreSQL client program against the database as Django's dbshell would connect (user, host, port;
    password, service and SSL files through the environment, never on the command line)."""
    executable = _program(program)
    settings_dict = connection.settings_dict
    extra_env = connection.client.settings_to_cmd_args_env(settings_dict, [])[1]
    argv = [executable]
    if connect:
        for flag, key in (("--username", "USER"), ("--host", "HOST"), ("--port", "PORT")):
            if settings_dict.get(key):
                argv.append(f"{flag}={settings_dict[key]}")
        argv.append(f"--dbname={settings_dict['NAME']}")
    argv += arguments
    done = subprocess.run(argv, env={**os.environ, **(extra_env or {})}, capture_output=True, text=True)
    if done.returncode != 0:
        error = (done.stderr or done.stdout).strip() or f"exit {done.returncode}"
        raise BackupError(_("%(program)s gagal: %(error)s") % {"program": program, "error": error})
    return done.stdout


def _pg_backup(connection, partial: Path) -> None:
    _run(connection, "pg_dump", ["--format=custom", f"--file={partial}"])


def _pg_restore(connection, source: Path) -> None:
    _run(connection, "pg_restore", [*PG_RESTORE_FLAGS, str(source)])


# ---- Files --------------------------------------------------------------------------------------------------


def _sync(path: Path) -> None:
    with path.open("rb") as f:
        os.fsync(f.fileno())


def _sync_folder(folder: Path) -> None:
    """So the rename itself survives a power cut; not every system can open a folder for this."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
