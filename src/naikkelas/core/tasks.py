"""Background work of core, run by `naikkelas worker` (django-tasks with its database backend), and the
booking of nightly tasks: each run books the next before it does its work (so a run that fails for good
still leaves the next night booked), and a worker that starts books one if none is waiting, so a chain
survives a crash and never doubles. Every task is declared with `job` (core/jobs.py): the worker retries it
with backoff and takes it up again when its worker died."""

import datetime as dt

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from naikkelas.core import outbox
from naikkelas.core.jobs import job


@job()
def outbox_relay() -> int:
    return outbox.relay()


def next_at(hour: int, now: dt.datetime | None = None) -> dt.datetime:
    """The next `hour`:00 in the platform's time zone, later than `now`."""
    local = timezone.localtime(now or timezone.now())
    night = local.replace(hour=hour, minute=0, second=0, microsecond=0)
    return night if night > local else night + dt.timedelta(days=1)


def book_nightly(nightly, hour: int, now: dt.datetime | None = None) -> bool:
    """Book the task `nightly` for the next `hour`:00 unless a run is already waiting; True if booked now.

    A run waiting for its retry is READY too, so a worker that starts meanwhile books nothing, and the retry
    finds the next night booked already by its first try."""
    if DBTaskResult.objects.filter(task_path=nightly.module_path, status="READY").exists():
        return False
    nightly.using(run_after=next_at(hour, now)).enqueue()
    return True
