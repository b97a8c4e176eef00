"""Killing a command in the middle of its work, for the crash tests (tests/*/test_*_crash.py).

A crash test starts the real `naikkelas` command in a process of its own, against a database of its own (a
SQLite file, or a throwaway database on the suite's PostgreSQL server, like tests/core/test_backup.py), waits
for a signal that the command is truly in the middle of its work, kills it with SIGKILL (nothing runs after
it: no `finally`, no rollback by the process itself), and then looks at what is left. Each test counts where
its kills landed (before the work, in the middle of it, after it) and asserts that at least one landed in the
middle, so that it cannot pass by testing nothing.

The database is migrated and seeded once per run (`python -m tests.crash seed`) and copied for each test
module: on SQLite a file copy, on PostgreSQL `CREATE DATABASE ... TEMPLATE`.
"""

import atexit
import functools
import itertools
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest

ROOT = Path(__file__).resolve().parents[1]
# Every crash database has the four regions down to Caturtunggal (loading all 91,599 would cost seconds and
# prove nothing more), and an admin who imports.
CATURTUNGGAL = "34.04.07.2001"
ADMIN_PHONE = "+6281200000001"
STEP_TIMEOUT = 120
SQLITE_FILE = "naikkelas.sqlite3"
_numbers = itertools.count(1)


def base_env() -> dict:
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "NAIKKELAS_ENV"}}
    env.update(DJANGO_SETTINGS_MODULE="naikkelas.settings", DEBUG="false", PYTHONPATH=str(ROOT))
    return env


def _server_url() -> str:
    return os.environ.get("DATABASE_URL", "")


def on_postgresql() -> bool:
    return _server_url().startswith(("postgres://", "postgresql://"))


def _admin(sql: str) -> None:
    """A statement on the suite's PostgreSQL server, outside any database of ours."""
    url = urlsplit(_server_url())._replace(path="/postgres").geturl()
    with psycopg.connect(url, autocommit=True) as con:
        con.execute(sql)


class CrashDatabase:
    """A database of the test's own, shared with the commands it starts: `env` is what they run with."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.var = workdir / "var"
        self.var.mkdir(parents=True, exist_ok=True)
        self.engine = "postgresql" if on_postgresql() else "sqlite"
        self.name = f"nk_crash_{os.getpid()}_{next(_numbers)}"
        self.env = {**base_env(), "NAIKKELAS_VAR": str(self.var), "TMPDIR": str(self._tmp())}
        if self.engine == "postgresql":
            self.url = urlsplit(_server_url())._replace(path=f"/{self.name}").geturl()
            self.env["DATABASE_URL"] = self.url
        self.file = self.var / SQLITE_FILE
        self._probing = None

    def _tmp(self) -> Path:
        """The commands' temporary folder: what a killed command leaves there stays in the test's own folder."""
        tmp = self.workdir / "tmp"
        tmp.mkdir(exist_ok=True)
        return tmp

    def create(self) -> "CrashDatabase":
        template = _template(self.engine)
        if self.engine == "postgresql":
            _admin(f'CREATE DATABASE "{self.name}" TEMPLATE "{template}"')
        else:
            shutil.copyfile(template, self.file)
        return self

    def drop(self) -> None:
        if self._probing is not None:
            self._probing.close()
        if self.engine == "postgresql":
            _admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def connect(self):
        """A connection of the test's own, in autocommit: each statement sees what others committed."""
        if self.engine == "postgresql":
            return psycopg.connect(self.url, autocommit=True)
        return sqlite3.connect(self.file, timeout=20, isolation_level=None)

    def rows(self, query: str, params=()) -> list[tuple]:
        """`query` (with %s placeholders on both engines) on a fresh connection."""
        con = self.connect()
        try:
            if self.engine == "sqlite":
                query = query.replace("%s", "?")
            return list(con.execute(query, params).fetchall())
        finally:
            con.close()

    def value(self, query: str, params=()):
        return self.rows(query, params)[0][0]

    def execute(self, *queries: str) -> None:
        con = self.connect()
        try:
            for query in queries:
                con.execute(query)
        finally:
            con.close()

    def _probe(self, query: str, params) -> int:
        """A count from pg_stat_activity, on a connection kept open: the signals are polled every few
        milliseconds, faster than a connection is made."""
        if self._probing is None:
            self._probing = psycopg.connect(self.url, autocommit=True)
        return self._probing.execute(query, params).fetchone()[0]

    def writing(self) -> bool:
        """Whether another connection holds a write transaction open: on PostgreSQL a transaction that has
        written (it has an id), on SQLite the write lock (a BEGIN IMMEDIATE of ours is refused at once)."""
        if self.engine == "postgresql":
            return bool(self._probe(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND backend_xid IS NOT NULL "
                "AND pid <> pg_backend_pid()", [self.name],
            ))
        con = sqlite3.connect(self.file, timeout=0, isolation_level=None)
        try:
            con.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            if "locked" in str(error) or "busy" in str(error):
                return True
            raise
        else:
            con.execute("ROLLBACK")
            return False
        finally:
            con.close()

    def copying(self, table: str) -> bool:
        """PostgreSQL: whether another connection is in a COPY into `table` (the bulk loads' way of writing)."""
        return bool(self._probe(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND query LIKE %s AND pid <> pg_backend_pid()",
            [self.name, f'COPY "{table}"%'],
        ))

    def lock_free(self, statement: str, seconds: float = 10) -> None:
        """Run `statement` (a write that needs the rows a killed command was writing) in a transaction rolled
        back: it must not wait on anything the killed command held for longer than `seconds`."""
        con = self.connect()
        try:
            if self.engine == "postgresql":
                con.execute(f"SET lock_timeout = '{int(seconds * 1000)}ms'")
                con.execute("BEGIN")
            else:
                con.execute(f"PRAGMA busy_timeout = {int(seconds * 1000)}")
                con.execute("BEGIN IMMEDIATE")
            con.execute(statement)
            con.execute("ROLLBACK")
        finally:
            con.close()

    def integrity(self) -> str:
        if self.engine == "sqlite":
            return self.value("PRAGMA integrity_check")
        return "ok"


@functools.cache
def _template(engine: str) -> str:
    """A migrated database to copy, made once per run (the path of a SQLite file, or a PostgreSQL name)."""
    workdir = Path(tempfile.mkdtemp(prefix="nk-crash-template-"))
    atexit.register(shutil.rmtree, workdir, ignore_errors=True)
    env = {**base_env(), "NAIKKELAS_VAR": str(workdir)}
    name = f"nk_crash_template_{os.getpid()}"
    if engine == "postgresql":
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        _admin(f'CREATE DATABASE "{name}"')
        atexit.register(_admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        env["DATABASE_URL"] = urlsplit(_server_url())._replace(path=f"/{name}").geturl()
    step("tests.crash", "seed", env=env)
    return name if engine == "postgresql" else str(workdir / SQLITE_FILE)


def crash_database(tmp_path_factory) -> CrashDatabase:
    return CrashDatabase(tmp_path_factory.mktemp("crash")).create()


# ---- Processes ----------------------------------------------------------------------------------------------


def naikkelas(*args: str, env: dict, timeout: float = STEP_TIMEOUT) -> subprocess.CompletedProcess:
    """The real command, run to its end."""
    return subprocess.run(
        [sys.executable, "-m", "naikkelas", *args], env=env, cwd=ROOT, capture_output=True, text=True,
        timeout=timeout,
    )


def step(module: str, *args: str, env: dict) -> str:
    """One of a test module's own steps (`python -m tests.<app>.<module> STEP ...`), run to its end; its output."""
    done = subprocess.run(
        [sys.executable, "-m", module, *args], env=env, cwd=ROOT, capture_output=True, text=True,
        timeout=STEP_TIMEOUT,
    )
    assert done.returncode == 0, f"{args[0]} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def start(*args: str, env: dict, module: str = "naikkelas") -> subprocess.Popen:
    """The real command (or a test module's step), started; its output goes to files (a pipe nobody reads
    could stall it)."""
    out = tempfile.TemporaryFile("w+")
    err = tempfile.TemporaryFile("w+")
    process = subprocess.Popen([sys.executable, "-m", module, *args], env=env, cwd=ROOT, stdout=out, stderr=err)
    process.out, process.err = out, err
    return process


def output(process: subprocess.Popen) -> tuple[str, str]:
    texts = []
    for file in (process.out, process.err):
        file.seek(0)
        texts.append(file.read())
    return texts[0], texts[1]


def stderr_so_far(process: subprocess.Popen) -> str:
    process.err.flush()
    process.err.seek(0)
    return process.err.read()


def wait_for(
    process: subprocess.Popen, condition: Callable[[], bool], *, seconds: float = 60, poll: float = 0.002
) -> bool:
    """Poll `condition` until it holds (True) or the process ends first (False)."""
    deadline = time.monotonic() + seconds
    while True:
        if condition():
            return True
        if process.poll() is not None:
            return False
        if time.monotonic() > deadline:
            process.kill()
            process.wait()
            pytest.fail(f"timed out waiting for the command:\n{output(process)}")
        time.sleep(poll)


def kill(process: subprocess.Popen) -> bool:
    """SIGKILL; whether it was still running (False: it had ended by itself)."""
    running = process.poll() is None
    if running:
        os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    return running and process.returncode == -signal.SIGKILL


class Landings(Counter):
    """Where each kill landed: "before" the work, in the "middle" of it, "after" it."""

    def summary(self, what: str) -> str:
        return f"{what}: kills landed before {self['before']}, in the middle {self['middle']}, after {self['after']}"

    def assert_some_in_the_middle(self, what: str) -> None:
        print(self.summary(what))
        assert self["middle"] >= 1, self.summary(what)


# ---- The seed, run as `python -m tests.crash seed` ------------------------------------------------------------


def _seed() -> None:
    from django.core.management import call_command

    from naikkelas.accounts.models import User
    from tests.registry.factories import make_caturtunggal

    call_command("migrate", verbosity=0)
    make_caturtunggal()
    User.objects.create_user(ADMIN_PHONE, password="sandi-panjang-untuk-uji-1", role=User.Role.ADMIN)


if __name__ == "__main__":
    import django

    django.setup()
    {"seed": _seed}[sys.argv[1]](*sys.argv[2:])
