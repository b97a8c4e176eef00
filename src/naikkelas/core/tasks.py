"""Background work of core, run by `naikkelas worker` (django-tasks with its database backend), and the
booking of nightly tasks: each run books the next, and a worker that starts books one if none is waiting,
so a chain survives a crash and never doubles."""

import datetime as dt

from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from naikkelas.core import outbox


@task()
def outbox_relay() -> int:
    return outbox.relay()


def next_at(hour: int, now: dt.datetime | None = None) -> dt.datetime:
    """The next `hour`:00 in the platform's time zone, later than `now`."""
    local = timezone.localtime(now or timezone.now())
    night = local.replace(hour=hour, minute=0, second=0, microsecond=0)
    return night if night > local else night + dt.timedelta(days=1)


def book_nightly(nightly, hour: int, now: dt.datetime | None = None) -> bool:
    """Book the task `nightly` for the next `hour`:00 unless a run is already waiting; True if booked now."""
    if DBTaskResult.objects.filter(task_path=nightly.module_path, status="READY").exists():
        return False
    nightly.using(run_after=next_at(hour, now)).enqueue()
    return True
