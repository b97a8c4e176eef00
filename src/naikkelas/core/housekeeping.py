"""Nightly housekeeping: every retention limit of the platform, applied by the worker at 03:00 (after early
warning's 01:00 and the dashboard's 02:00 nights), or by hand with `naikkelas purge_expired`.

`settings.HOUSEKEEPING` names the jobs as dotted paths, each app's own purge (one-time codes, rate-limit
counters, stored Idempotency-Key answers, expired sessions, agencies' uploads left in preview, the books of
erased accounts past their legal term), so core imports none of them. Each returns how many things it
removed. During a personal-data breach the schedule is stopped to keep the evidence
(`HOUSEKEEPING_PAUSED=1`, docs/OPERATIONS.md): the night then removes nothing and says so.
"""

import logging

from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone
from django.utils.module_loading import import_string

from naikkelas.core import outbox
from naikkelas.core.jobs import job
from naikkelas.core.tasks import book_nightly

logger = logging.getLogger(__name__)

NIGHTLY_HOUR = 3


def clear_sessions() -> int:
    """Delete expired sessions (database sessions: what `clearsessions` does)."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


def run() -> dict[str, int]:
    """Run every housekeeping job; {dotted path: things removed}. A job that fails does not stop the others,
    and the run raises afterwards so the worker retries it (each job is idempotent: what is gone stays gone)."""
    removed, failed = {}, []
    for path in settings.HOUSEKEEPING:
        try:
            removed[path] = import_string(path)()
        except Exception as error:  # noqa: BLE001 - the others still run; the class is logged, the run retried
            failed.append(path)
            logger.error("housekeeping job failed", extra={"job": path, "error": type(error).__name__})
    if failed:
        raise RuntimeError(f"housekeeping jobs failed: {', '.join(failed)}")
    return removed


@job()
def nightly() -> dict:
    book_nightly(nightly, NIGHTLY_HOUR)  # first, so a night that fails for good still books the next
    if getattr(settings, "HOUSEKEEPING_PAUSED", False):
        logger.warning("housekeeping paused (HOUSEKEEPING_PAUSED): nothing removed")
        return {"paused": True}
    return run()


def consume(events) -> None:
    """Outbox consumer: a worker that starts makes sure the night's housekeeping is booked."""
    if any(event.topic == outbox.WORKER_STARTED for event in events):
        book_nightly(nightly, NIGHTLY_HOUR)
