"""Idempotency keys with Stripe's semantics: a client that sends a request again (after a timeout, a dropped
connection) with the same `Idempotency-Key` gets the first answer again, so the work is done once.

- Same key, same request (its fingerprint: the SHA-256 of method, path with query string, and raw body):
  the first answer is replayed, same status and same body; the caller marks it (REPLAYED_HEADER).
- Same key, another request: refused (IdempotencyMismatch). A key names one request, never two.
- Same key while the first request is still being answered: refused (IdempotencyInProgress); the client
  retries a little later and then gets the replay.
- Answers below 500 are kept, refusals included (a 409 stays a 409: retrying cannot change it). A 5xx, or an
  exception, is not kept: its work is rolled back and the key released, so a retry does the work afresh.
- Keys live TTL (24 hours): an older key counts as new, and `idempotency_purge` deletes them (run it at
  least daily; the stored answers hold the request's personal data, so they are not kept longer).

How: the key is claimed first, in a transaction of its own that commits at once, so that every concurrent
request with the same key sees the claim (the unique constraint on (scope, key) lets exactly one in). Then
the work and the storing of its answer run in one transaction: both commit, or neither does. A claim whose
process died before answering is taken over after IN_PROGRESS_TIMEOUT, well beyond the longest a request
may run (`naikkelas serve` stops a worker after 60 s); its work had rolled back with it.

The caller validates the key (`key_is_valid`) and turns the errors below into its own answers; this module
knows nothing of who the scopes are ("partner:5").
"""

import hashlib
import json
from collections.abc import Callable
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from naikkelas.core.models import IdempotentRequest

KEY_MAX = 255
TTL = timedelta(hours=24)
IN_PROGRESS_TIMEOUT = timedelta(minutes=5)
REPLAYED_HEADER = "Idempotent-Replayed"
_CLAIM_TRIES = 5


class IdempotencyError(Exception):
    """The request cannot be answered under this key."""


class IdempotencyMismatch(IdempotencyError):
    """The key was used before for a different request."""


class IdempotencyInProgress(IdempotencyError):
    """A request with this key is still being answered."""


def key_is_valid(key: str | None) -> bool:
    """1 to 255 printable ASCII characters (space to tilde), not only spaces."""
    return bool(key) and len(key) <= KEY_MAX and all(" " <= ch <= "~" for ch in key) and bool(key.strip())


def fingerprint(*, method: str, path: str, body: bytes) -> str:
    # Method and path as a JSON line (which escapes any line break in them), then the body: no two different
    # requests run together into the same bytes.
    head = json.dumps([method.upper(), path]).encode("utf-8")
    return hashlib.sha256(head + b"\n" + body).hexdigest()


class _NotKept(Exception):
    def __init__(self, response: HttpResponse):
        super().__init__(response.status_code)
        self.response = response


def idempotent_response(
    *, scope: str, key: str, request: HttpRequest, respond: Callable[[], HttpResponse]
) -> HttpResponse:
    """The answer to `request` under `key` within `scope`: `respond()`'s, the first time (run inside a
    transaction together with the storing of its answer), the stored one after that. Raises
    IdempotencyMismatch or IdempotencyInProgress as described above; `key` must be valid."""
    if not key_is_valid(key):
        raise ValueError("invalid idempotency key")
    printed = fingerprint(method=request.method or "", path=request.get_full_path(), body=request.body)
    earlier = _claim(scope=scope, key=key, printed=printed)
    if earlier is not None:
        if earlier.fingerprint != printed:
            raise IdempotencyMismatch(key)
        if earlier.status is None:
            raise IdempotencyInProgress(key)
        return _replay(earlier)
    try:
        with transaction.atomic():
            response = respond()
            if response.status_code >= 500 or response.streaming:
                raise _NotKept(response)
            IdempotentRequest.objects.filter(scope=scope, key=key).update(
                status=response.status_code,
                content_type=response.get("Content-Type", "")[:100],
                body=response.content,
            )
    except _NotKept as not_kept:
        _release(scope=scope, key=key)
        return not_kept.response
    except BaseException:
        _release(scope=scope, key=key)
        raise
    return response


def _claim(*, scope: str, key: str, printed: str) -> IdempotentRequest | None:
    """None when this request now holds the key; otherwise the live record of the request that holds it."""
    for _attempt in range(_CLAIM_TRIES):
        now = timezone.now()
        try:
            with transaction.atomic():
                IdempotentRequest.objects.create(scope=scope, key=key, fingerprint=printed, created_at=now)
            return None
        except IntegrityError:
            pass
        earlier = IdempotentRequest.objects.filter(scope=scope, key=key).first()
        if earlier is None:
            continue  # released or purged in between: claim again
        if earlier.created_at <= now - TTL:
            IdempotentRequest.objects.filter(pk=earlier.pk, created_at=earlier.created_at).delete()
            continue
        if earlier.status is None and earlier.created_at <= now - IN_PROGRESS_TIMEOUT:
            # Abandoned by a process that died: whoever updates it first holds the key.
            taken = IdempotentRequest.objects.filter(
                pk=earlier.pk, status__isnull=True, created_at=earlier.created_at
            ).update(created_at=now, fingerprint=printed)
            if taken:
                return None
            continue
        return earlier
    raise IdempotencyInProgress(key)


def _release(*, scope: str, key: str) -> None:
    IdempotentRequest.objects.filter(scope=scope, key=key, status__isnull=True).delete()


def _replay(record: IdempotentRequest) -> HttpResponse:
    response = HttpResponse(bytes(record.body), status=record.status, content_type=record.content_type or None)
    response[REPLAYED_HEADER] = "true"
    return response


def idempotency_purge(*, now: datetime | None = None) -> int:
    """Delete the keys older than TTL (they would count as new anyway); returns how many went."""
    cutoff = (now or timezone.now()) - TTL
    deleted, _per_model = IdempotentRequest.objects.filter(created_at__lt=cutoff).delete()
    return deleted
