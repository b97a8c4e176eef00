"""Retries and leases for the background work (django-tasks, database backend; run by `naikkelas worker`).

Every task of the platform is declared with `@job(...)` instead of django-tasks' `@task()`: the same task,
carrying how often it may be tried (`attempts`) and how long one try may take before its worker is taken
for dead (`lease`, seconds). A job is one row of django_tasks_db's DBTaskResult from its first try to its
last; the worker (core/management/commands/worker.py) claims it for each try, which appends the worker's id
to `worker_ids`, so `len(worker_ids)` is the number of tries so far, crashed ones included.

- A try that raises puts the row back to READY with `run_after` set to a backoff: base × 4^(n−1) seconds
  after the n-th try, capped, somewhere in the upper half of that (jitter, so jobs that failed together do
  not come back together), the error kept in `exception_class_path` and `traceback` for the admin. After
  the last allowed try the row stays FAILED with its error.
- A row RUNNING for longer than its lease lost its worker (SIGKILL, power loss): a worker puts it back to
  READY when it starts and every half minute on its loop, or FAILED if that was its last try.
- A job's effect happens once because each task is idempotent by its own state: what it has done is
  committed together with the doing, and a try looks there first (the outbox marks events relayed in the
  relay's transaction; a webhook delivery is DELIVERED in the transaction that records the attempt; the
  nightly scoring replaces a day's scores in one transaction and is not run for a day that has them; the
  dashboard refresh swaps in a whole new set of figures in one transaction; a nightly run books the next
  night only when none is waiting). So a try that is repeated, because its worker died after the effect
  committed but before the row said SUCCESSFUL, changes nothing. The one effect outside the database, a
  webhook's POST, can go twice if the worker dies between sending and recording it; the partner knows it
  by its delivery id.

The defaults below can be changed in settings: TASK_MAX_ATTEMPTS, TASK_RETRY_BASE_SECONDS,
TASK_RETRY_CAP_SECONDS, TASK_LEASE_SECONDS. Log lines name the job, its task and the exception's class,
never its message (which may quote a person's data); the full traceback is in the row, for admins only.
"""

import datetime as dt
import logging
import random
from dataclasses import dataclass
from traceback import format_exception

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.compat import DEFAULT_TASK_BACKEND_ALIAS, DEFAULT_TASK_PRIORITY, DEFAULT_TASK_QUEUE_NAME, Task
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import retry

from naikkelas.core.audit import audit_record

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
RETRY_BASE_SECONDS = 30
RETRY_FACTOR = 4  # 30 s, 2 min, 8 min, 32 min
RETRY_CAP_SECONDS = 60 * 60
LEASE_SECONDS = 30 * 60  # longer than any relay or webhook batch takes; nightly jobs set their own

READY, RUNNING, FAILED = "READY", "RUNNING", "FAILED"


class WorkerLost(Exception):
    """Recorded on a job whose worker stopped in the middle of a try (no result within the lease)."""


def default_attempts() -> int:
    return int(getattr(settings, "TASK_MAX_ATTEMPTS", MAX_ATTEMPTS))


def default_lease() -> float:
    return float(getattr(settings, "TASK_LEASE_SECONDS", LEASE_SECONDS))


def retry_delay(tries: int, *, rand=random.random) -> dt.timedelta:
    """How long to wait after the `tries`-th failed try: base × 4^(tries−1) seconds, capped, then a random
    point in the upper half of that ("equal jitter"), so the wait still grows."""
    base = float(getattr(settings, "TASK_RETRY_BASE_SECONDS", RETRY_BASE_SECONDS))
    cap = float(getattr(settings, "TASK_RETRY_CAP_SECONDS", RETRY_CAP_SECONDS))
    delay = min(cap, base * RETRY_FACTOR ** min(max(tries, 1) - 1, 30))
    return dt.timedelta(seconds=delay / 2 + rand() * delay / 2)


@dataclass(frozen=True, slots=True, kw_only=True)
class Job(Task):
    """A django-tasks Task with its retry policy; None takes the platform's default."""

    attempts: int | None = None
    lease: float | None = None

    def attempt_limit(self) -> int:
        return self.attempts or default_attempts()

    def lease_seconds(self) -> float:
        return self.lease or default_lease()


def job(
    function=None,
    *,
    attempts: int | None = None,
    lease: float | None = None,
    priority: int = DEFAULT_TASK_PRIORITY,
    queue_name: str = DEFAULT_TASK_QUEUE_NAME,
    backend: str = DEFAULT_TASK_BACKEND_ALIAS,
    takes_context: bool = False,
):
    """`@job()` declares a background task (as django-tasks' `@task()` does) that the worker retries."""

    def declare(func) -> Job:
        return Job(
            func=func, priority=priority, queue_name=queue_name, backend=backend, takes_context=takes_context,
            run_after=None, attempts=attempts, lease=lease,
        )

    return declare(function) if function else declare


def _policy(result: DBTaskResult) -> tuple[int, float]:
    """(allowed tries, lease in seconds) of the job in `result`; the defaults for a plain task or a task
    that can no longer be imported."""
    try:
        task = import_string(result.task_path)
    except (ImportError, SuspiciousOperation):
        return default_attempts(), default_lease()
    if isinstance(task, Job):
        return task.attempt_limit(), task.lease_seconds()
    return default_attempts(), default_lease()


def tries(result: DBTaskResult) -> int:
    return len(result.worker_ids or ())


def _failure(error: BaseException) -> dict:
    return {
        "exception_class_path": f"{type(error).__module__}.{type(error).__qualname__}",
        "traceback": "".join(format_exception(error)),
        "return_value": None,
    }


@retry()
def _settle(result: DBTaskResult, changes: dict) -> bool:
    """Apply `changes` to the job only while the try it saw is still the current one (RUNNING since the same
    moment): a try that outlived its lease may have been handed to another worker meanwhile, and two workers
    recovering at once must put a job back once. Retried like django-tasks-db's own writes (a locked
    SQLite)."""
    return bool(
        DBTaskResult.objects.filter(pk=result.pk, status=RUNNING, started_at=result.started_at).update(**changes)
    )


def record_failure(result: DBTaskResult, error: BaseException) -> bool:
    """The try of `result` (claimed by this worker) raised `error`: put it back for a later try, or leave it
    FAILED if that was the last; True when it will be tried again."""
    limit, _lease = _policy(result)
    done = tries(result)
    now = timezone.now()
    failure = _failure(error)
    again = done < limit
    if again:
        delay = retry_delay(done)
        changes = {"status": READY, "run_after": now + delay, "finished_at": None, **failure}
    else:
        changes = {"status": FAILED, "finished_at": now, **failure}
    if not _settle(result, changes):
        logger.warning("job %s (%s): try %s ended after its lease; left to the worker that took it over",
                       result.pk, result.task_path, done)
        return False
    for field, value in changes.items():
        setattr(result, field, value)
    if again:
        logger.warning("job %s (%s) failed on try %s of %s (%s); next try in %s s",
                       result.pk, result.task_path, done, limit, failure["exception_class_path"],
                       int(delay.total_seconds()))
    else:
        logger.error("job %s (%s) failed on its last try, %s of %s (%s); left FAILED",
                     result.pk, result.task_path, done, limit, failure["exception_class_path"])
    return again


def recover(*, backend_name: str | None = None, now: dt.datetime | None = None) -> int:
    """Put back every job whose worker died in the middle of a try (RUNNING for longer than its lease): READY
    at once, or FAILED if that was its last try. Returns how many were put back or failed."""
    now = now or timezone.now()
    running = DBTaskResult.objects.running()
    if backend_name:
        running = running.filter(backend_name=backend_name)
    recovered = 0
    for result in running.only("id", "task_path", "started_at", "worker_ids"):
        limit, lease = _policy(result)
        if result.started_at is None or result.started_at > now - dt.timedelta(seconds=lease):
            continue
        done = tries(result)
        failure = _failure(WorkerLost(f"no result from try {done} within its lease of {int(lease)} s"))
        again = done < limit
        changes = {"status": READY, "run_after": now, **failure} if again else {
            "status": FAILED, "finished_at": now, **failure
        }
        if _settle(result, changes):
            recovered += 1
            logger.warning("job %s (%s): its worker stopped during try %s of %s; %s",
                           result.pk, result.task_path, done, limit, "tried again" if again else "left FAILED")
    return recovered


@transaction.atomic
def rerun(*, actor=None, result_id) -> DBTaskResult:
    """Run a FAILED job again as a new job (same task, same arguments, every try again); the failed row stays
    as the record of what went wrong. Raises DBTaskResult.DoesNotExist for anything but a failed job."""
    failed = DBTaskResult.objects.failed().get(pk=result_id)
    task = import_string(failed.task_path)
    fresh = task.using(queue_name=failed.queue_name, priority=failed.priority).enqueue(
        *failed.args_kwargs["args"], **failed.args_kwargs["kwargs"]
    )
    rerun_row = DBTaskResult.objects.get(pk=fresh.id)
    audit_record(actor=actor, action="job.rerun", obj=failed, changes={"rerun": str(rerun_row.pk)})
    return rerun_row
