"""Workers that die and workers side by side: the real `naikkelas worker`, each in a process of its own,
against a database of its own (a SQLite file, or a throwaway database on the suite's PostgreSQL server).

- A worker killed with SIGKILL while a job's transaction is open, and another killed after the job's effect
  committed but before its result said so: a worker started afterwards takes both jobs up again once their
  lease has run out, and each effect is there exactly once.
- Two workers started together on one queue of jobs: every job runs once, and both workers ran some.

The database is migrated once for the module; each test queues its jobs through `naikkelas shell`.
"""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest
from django.db import transaction

from naikkelas.core.jobs import job

ROOT = Path(__file__).resolve().parents[2]
MODULE = "tests.core.test_worker_crash"
TIMEOUT = 120
JOBS_SIDE_BY_SIDE = 60
RESULTS = "django_tasks_database_dbtaskresult"  # DBTaskResult's table (the app's former label)


# ---- The jobs (the workers import them from this module) -------------------------------------------------------


def _mark(action: str, key: str) -> None:
    from naikkelas.core.models import AuditLog

    AuditLog.objects.create(action=action, object_type="test", object_id=key)


def _marked(action: str, key: str) -> bool:
    from naikkelas.core.models import AuditLog

    return AuditLog.objects.filter(action=action, object_id=key).exists()


def _stall(signals: str, name: str) -> None:
    """Tell the test where this try is, and wait there for the SIGKILL."""
    (Path(signals) / name).touch()
    time.sleep(TIMEOUT)


LEASE = 1


@job(lease=LEASE)
def write_once(key: str, stall: str, signals: str) -> str:
    """Writes its effect once, however often it is tried, as the platform's tasks do: what it did commits with
    the doing, and a try looks there first. Its first try stalls with the effect's transaction open
    (stall="middle") or after it committed (stall="after")."""
    first = not _marked("test.try", key)
    _mark("test.try", key)
    if _marked("test.effect", key):
        return "already"
    with transaction.atomic():
        _mark("test.effect", key)
        if first and stall == "middle":
            _stall(signals, key)
    if first and stall == "after":
        _stall(signals, key)
    return "done"


@job()
def count_runs(n: int) -> None:
    """Counts every time it is run, effect or not: run twice, it says so."""
    _mark("test.try", str(n))
    time.sleep(0.05)
    with transaction.atomic():
        _mark("test.effect", str(n))


# ---- The database and the processes -----------------------------------------------------------------------------


def base_env() -> dict:
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "NAIKKELAS_ENV"}}
    env.update(DJANGO_SETTINGS_MODULE="naikkelas.settings", DEBUG="false", PYTHONPATH=str(ROOT))
    return env


def on_postgresql() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


def _admin(sql: str) -> None:
    url = urlsplit(os.environ["DATABASE_URL"])._replace(path="/postgres").geturl()
    with psycopg.connect(url, autocommit=True) as con:
        con.execute(sql)


class Database:
    def __init__(self, var: Path):
        self.env = {**base_env(), "NAIKKELAS_VAR": str(var)}
        self.name = f"nk_worker_crash_{os.getpid()}"
        if on_postgresql():
            self.url = urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{self.name}").geturl()
            self.env["DATABASE_URL"] = self.url
            _admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            _admin(f'CREATE DATABASE "{self.name}"')
        self.file = var / "naikkelas.sqlite3"

    def drop(self) -> None:
        if on_postgresql():
            _admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def rows(self, query: str, params=()) -> list[tuple]:
        if on_postgresql():
            with psycopg.connect(self.url, autocommit=True) as con:
                return list(con.execute(query, params).fetchall())
        con = sqlite3.connect(self.file, timeout=20, isolation_level=None)
        try:
            return list(con.execute(query.replace("%s", "?"), params).fetchall())
        finally:
            con.close()

    def jobs(self, task) -> dict[str, tuple[str, int, tuple[str, ...]]]:
        """The task's jobs by their first argument: (status, how many tries, the workers that tried)."""
        found = {}
        for args_kwargs, status, worker_ids in self.rows(
            f"SELECT args_kwargs, status, worker_ids FROM {RESULTS} WHERE task_path = %s",
            [task.module_path],
        ):
            args = (json.loads(args_kwargs) if isinstance(args_kwargs, str) else args_kwargs)["args"]
            workers = json.loads(worker_ids) if isinstance(worker_ids, str) else worker_ids
            found[str(args[0])] = (status, len(workers), tuple(workers))
        return found

    def marks(self, action: str) -> dict[str, int]:
        return dict(self.rows(
            "SELECT object_id, count(*) FROM core_auditlog WHERE action = %s GROUP BY object_id", [action]
        ))


def run(database: Database, *args: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "naikkelas", *args], env=database.env, cwd=ROOT, capture_output=True, text=True,
        timeout=TIMEOUT,
    )
    assert done.returncode == 0, done.stderr


def queue(database: Database, code: str) -> None:
    """Queue jobs in the test's database: `code` runs in `naikkelas shell`, with this module's jobs at hand
    (imported by the module's name, so the jobs name a path the workers can import)."""
    run(database, "shell", "-c", f"from {MODULE} import *; {code}")


def start_worker(database: Database, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "naikkelas", "worker", "--no-startup-delay", "--interval", "0.05", "-v", "0", *args],
        env=database.env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )


def until(condition, *workers: subprocess.Popen) -> None:
    """Wait until `condition` holds, then stop the workers (what they would do next, the relay of their own
    `worker.started`, is not what the test is about)."""
    deadline = time.monotonic() + TIMEOUT
    while not condition():
        for process in workers:
            if process.poll() is not None:
                pytest.fail(f"a worker stopped: {process.stderr.read()}")
        if time.monotonic() > deadline:
            pytest.fail("the workers did not finish their jobs")
        time.sleep(0.05)
    for process in workers:
        kill(process)


def wait_for(path: Path, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not path.exists():
        if process.poll() is not None:
            pytest.fail(f"the worker stopped before {path.name}: {process.stderr.read()}")
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"no {path.name} from the worker")
        time.sleep(0.01)


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    var = tmp_path_factory.mktemp("worker-crash")
    database = Database(var)
    signals = var / "signals"
    signals.mkdir()
    database.signals = signals
    run(database, "migrate", "--verbosity", "0")
    yield database
    database.drop()


# ---- The tests ----------------------------------------------------------------------------------------------


def test_a_job_whose_worker_was_killed_is_done_by_the_next_worker_with_its_effect_once(database):
    signals = str(database.signals)
    # The first worker stalls after the job's effect committed; the next one takes that job up again (its
    # priority puts it first, before the relay of the worker's own start), then stalls in the other job with
    # the effect's transaction open.
    queue(database, f"write_once.using(priority=20).enqueue('after', 'after', {signals!r}); "
                    f"write_once.using(priority=10).enqueue('middle', 'middle', {signals!r})")
    first = start_worker(database)
    wait_for(database.signals / "after", first)
    kill(first)
    assert status(database) == {"after": ("RUNNING", 1), "middle": ("READY", 0)}
    assert database.marks("test.effect") == {"after": 1}

    time.sleep(LEASE)
    second = start_worker(database)
    wait_for(database.signals / "middle", second)
    kill(second)
    assert status(database) == {"after": ("SUCCESSFUL", 2), "middle": ("RUNNING", 1)}
    assert database.marks("test.effect") == {"after": 1}  # the middle one's went with its transaction

    time.sleep(LEASE)
    third = start_worker(database)
    until(lambda: status(database) == {"after": ("SUCCESSFUL", 2), "middle": ("SUCCESSFUL", 2)}, third)
    assert database.marks("test.effect") == {"after": 1, "middle": 1}
    assert database.marks("test.try") == {"after": 2, "middle": 2}


def status(database) -> dict[str, tuple[str, int]]:
    return {key: (state, tries) for key, (state, tries, _who) in database.jobs(write_once).items()}


def kill(process: subprocess.Popen) -> None:
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=TIMEOUT)
    assert process.returncode == -signal.SIGKILL


def test_two_workers_side_by_side_never_run_one_job_twice(database):
    queue(database, f"[count_runs.using(priority=10).enqueue(n) for n in range({JOBS_SIDE_BY_SIDE})]")
    workers = [start_worker(database) for _ in range(2)]

    def finished() -> bool:
        jobs = database.jobs(count_runs).values()
        return len(jobs) == JOBS_SIDE_BY_SIDE and all(state in ("SUCCESSFUL", "FAILED") for state, *_ in jobs)

    until(finished, *workers)

    jobs = database.jobs(count_runs)
    assert {(status, tries) for status, tries, _who in jobs.values()} == {("SUCCESSFUL", 1)}
    tries = database.marks("test.try")
    assert [tries.get(str(n)) for n in range(JOBS_SIDE_BY_SIDE)] == [1] * JOBS_SIDE_BY_SIDE
    assert len({who for _status, _tries, (who,) in jobs.values()}) == 2  # both took jobs, none twice
