"""The nightly early warning, run by `naikkelas worker`: bring the snapshot up to date and score every
business as its books stood yesterday. Each run books the next one for NIGHTLY_HOUR (in the platform's time
zone); a worker that starts books one if none is waiting, so the chain survives a crash."""

import datetime as dt

from django.utils import timezone
from django_tasks import task

from naikkelas.core import outbox
from naikkelas.core.tasks import book_nightly, next_at
from naikkelas.earlywarning import pipeline
from naikkelas.earlywarning.snapshot import write_snapshot

NIGHTLY_HOUR = 1  # 01:00, when the day's books are closed and nobody is waiting for a page


def next_night(now: dt.datetime | None = None) -> dt.datetime:
    return next_at(NIGHTLY_HOUR, now)


def schedule_next(now: dt.datetime | None = None) -> bool:
    """Book the next nightly run unless one is already waiting; True if booked now."""
    return book_nightly(nightly, NIGHTLY_HOUR, now)


@task()
def nightly() -> dict:
    snapshot = write_snapshot()
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    scored = pipeline.score(yesterday).scored if snapshot.businesses else 0
    schedule_next()
    return {"months_written": snapshot.months_written, "as_of": yesterday.isoformat(), "scored": scored}


def consume(events) -> None:
    """Outbox consumer: a worker that starts makes sure the nightly run is booked."""
    if any(event.topic == outbox.WORKER_STARTED for event in events):
        schedule_next()
