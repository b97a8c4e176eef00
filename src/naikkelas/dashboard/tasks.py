"""The nightly indicator refresh, run by `naikkelas worker` an hour after early warning's night (whose
snapshot it reads, and brings up to date itself if that run has not). Each run books the next; a worker that
starts books one if none is waiting, so the chain survives a crash."""

import datetime as dt

from naikkelas.core import outbox
from naikkelas.core.jobs import job
from naikkelas.core.tasks import book_nightly
from naikkelas.dashboard.refresh import refresh

NIGHTLY_HOUR = 2  # after early warning's 01:00, so the month's scores are in
NIGHTLY_LEASE = 4 * 60 * 60  # longer than a national refresh takes: only then is its worker taken for dead


def schedule_next(now: dt.datetime | None = None) -> bool:
    """Book the next nightly run unless one is already waiting; True if booked now."""
    return book_nightly(nightly, NIGHTLY_HOUR, now)


@job(lease=NIGHTLY_LEASE)
def nightly() -> dict:
    # Booked first: a run that fails for good still leaves the next night booked, and its retries find it
    # booked. The refresh itself may run again: it writes a whole new set of cells and drops the old in one
    # transaction, so a second run leaves the same figures, never twice as many.
    schedule_next()
    run = refresh()
    return {"as_of": run.as_of.isoformat(), "cells": run.cells, "seconds": run.seconds}


def consume(events) -> None:
    """Outbox consumer: a worker that starts makes sure the nightly refresh is booked."""
    if any(event.topic == outbox.WORKER_STARTED for event in events):
        schedule_next()
