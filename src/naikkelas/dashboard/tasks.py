"""The nightly indicator refresh, run by `naikkelas worker` an hour after early warning's night (whose
snapshot it reads, and brings up to date itself if that run has not). Each run books the next; a worker that
starts books one if none is waiting, so the chain survives a crash."""

import datetime as dt

from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from naikkelas.core import outbox
from naikkelas.dashboard.refresh import refresh

NIGHTLY_HOUR = 2  # after early warning's 01:00, so the month's scores are in


def next_night(now: dt.datetime | None = None) -> dt.datetime:
    local = timezone.localtime(now or timezone.now())
    night = local.replace(hour=NIGHTLY_HOUR, minute=0, second=0, microsecond=0)
    return night if night > local else night + dt.timedelta(days=1)


def schedule_next(now: dt.datetime | None = None) -> bool:
    """Book the next nightly refresh unless one is already waiting; True if booked now."""
    if DBTaskResult.objects.filter(task_path=nightly.module_path, status="READY").exists():
        return False
    nightly.using(run_after=next_night(now)).enqueue()
    return True


@task()
def nightly() -> dict:
    run = refresh()
    schedule_next()
    return {"as_of": run.as_of.isoformat(), "cells": run.cells, "seconds": run.seconds}


def consume(events) -> None:
    """Outbox consumer: a worker that starts makes sure the nightly refresh is booked."""
    if any(event.topic == outbox.WORKER_STARTED for event in events):
        schedule_next()
