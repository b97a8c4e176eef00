"""The nightly indicator refresh, run by `naikkelas worker` an hour after early warning's night (whose
snapshot it reads, and brings up to date itself if that run has not). Each run books the next; a worker that
starts books one if none is waiting, so the chain survives a crash."""

import datetime as dt

from django_tasks import task

from naikkelas.core import outbox
from naikkelas.core.tasks import book_nightly
from naikkelas.dashboard.refresh import refresh

NIGHTLY_HOUR = 2  # after early warning's 01:00, so the month's scores are in


def schedule_next(now: dt.datetime | None = None) -> bool:
    """Book the next nightly run unless one is already waiting; True if booked now."""
    return book_nightly(nightly, NIGHTLY_HOUR, now)


@task()
def nightly() -> dict:
    run = refresh()
    schedule_next()
    return {"as_of": run.as_of.isoformat(), "cells": run.cells, "seconds": run.seconds}


def consume(events) -> None:
    """Outbox consumer: a worker that starts makes sure the nightly refresh is booked."""
    if any(event.topic == outbox.WORKER_STARTED for event in events):
        schedule_next()
