"""Fixed-window rate limits kept in the database (the platform must not need Redis)."""

from datetime import timedelta

from django.conf import settings
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
    """The address limits count against. X-Forwarded-For is believed only for the proxies the deployment says
    stand in front (settings.TRUSTED_PROXY_HOPS): each appends the address it saw, so with N of them the
    client is the N-th entry from the right, and anything further left was written by the client itself.
    Without a proxy the header is the client's own words, and trusting it would let anyone step around
    every limit by changing it, so REMOTE_ADDR is used."""
    hops = getattr(settings, "TRUSTED_PROXY_HOPS", 0)
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if hops > 0 and forwarded:
        return forwarded[-min(hops, len(forwarded))]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def purge_before(moment) -> int:
    """Delete the counters of windows that started before `moment`; they can no longer refuse anyone."""
    deleted, _ = RateCounter.objects.filter(window_start__lt=moment).delete()
    return deleted


def purge_old() -> int:
    """Housekeeping: counters of windows that started over a day ago (the longest window is an hour)."""
    return purge_before(timezone.now() - timedelta(days=1))
