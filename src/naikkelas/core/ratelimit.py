"""Fixed-window rate limits kept in the database (the platform must not need Redis)."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from naikkelas.core.models import RateCounter


def hit(key: str, *, limit: int, window: timedelta) -> bool:
    """Count one attempt for `key`; True while the window's count stays within `limit`."""
    now = timezone.now()
    epoch = int(now.timestamp())
    seconds = int(window.total_seconds())
    window_start = now - timedelta(seconds=epoch % seconds, microseconds=now.microsecond)
    with transaction.atomic():
        updated = RateCounter.objects.filter(key=key, window_start=window_start).update(count=F("count") + 1)
        if not updated:
            try:
                with transaction.atomic():
                    RateCounter.objects.create(key=key, window_start=window_start, count=1)
            except IntegrityError:
                RateCounter.objects.filter(key=key, window_start=window_start).update(count=F("count") + 1)
        count = RateCounter.objects.get(key=key, window_start=window_start).count
    return count <= limit


def client_ip(request) -> str:
    # Behind the production proxy the last hop it appends is the client; REMOTE_ADDR otherwise.
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded:
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def purge_before(moment) -> int:
    """Delete the counters of windows that started before `moment`; they can no longer refuse anyone."""
    deleted, _ = RateCounter.objects.filter(window_start__lt=moment).delete()
    return deleted
