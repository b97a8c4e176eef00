"""The nightly early warning, run by `naikkelas worker`: bring the snapshot up to date and score every
business as its books stood yesterday. Each run books the next one for NIGHTLY_HOUR (in the platform's time
zone); a worker that starts books one if none is waiting, so the chain survives a crash."""

import datetime as dt

from django.utils import timezone

from naikkelas.core import outbox
from naikkelas.core.jobs import job
from naikkelas.core.tasks import book_nightly, next_at
from naikkelas.earlywarning import pipeline
from naikkelas.earlywarning.models import RiskScore
from naikkelas.earlywarning.snapshot import write_snapshot

NIGHTLY_HOUR = 1  # 01:00, when the day's books are closed and nobody is waiting for a page
NIGHTLY_LEASE = 4 * 60 * 60  # longer than a national night takes: only then is its worker taken for dead


def next_night(now: dt.datetime | None = None) -> dt.datetime:
    return next_at(NIGHTLY_HOUR, now)


def schedule_next(now: dt.datetime | None = None) -> bool:
    """Book the next nightly run unless one is already waiting; True if booked now."""
    return book_nightly(nightly, NIGHTLY_HOUR, now)


@job(lease=NIGHTLY_LEASE)
def nightly() -> dict:
    # Booked first: a run that fails for good still leaves the next night booked, and its retries (or a
    # second try after its worker died) find it booked and book nothing.
    schedule_next()
    snapshot = write_snapshot()  # writes only the months whose books changed
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    # A day's scores are written in one transaction, so a day that has any was scored whole: a repeated
    # try does not score it again.
    scored = RiskScore.objects.filter(as_of=yesterday, method=RiskScore.Method.BASELINE).count()
    if not scored and snapshot.businesses:
        scored = pipeline.score(yesterday).scored
    return {"months_written": snapshot.months_written, "as_of": yesterday.isoformat(), "scored": scored}


def consume(events) -> None:
    """Outbox consumer: a worker that starts makes sure the nightly run is booked."""
    if any(event.topic == outbox.WORKER_STARTED for event in events):
        schedule_next()
