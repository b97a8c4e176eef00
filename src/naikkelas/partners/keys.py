"""API keys: made, shown once, stored as a hash, found again by their visible prefix.

A key reads `nk_<prefix>_<secret>`: the prefix (10 characters) is stored as it is and shown in lists; the
secret (43 characters, 256 random bits) is never stored, only the SHA-256 of the whole key. A plain hash is
enough for a secret of that length (nobody can guess their way to it), and it is fast, which matters on a
path every API request takes. Comparison in constant time.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from naikkelas.partners.models import ApiKey

PREFIX_LENGTH = 10
SCHEME = "nk_"
# last_used_at is written at most this often per key: a write on every request would cost more than the read.
TOUCH_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class NewKey:
    key: ApiKey
    secret: str  # the whole key, to show once


def digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def generate() -> tuple[str, str]:
    """(prefix, whole key)."""
    alphabet = "abcdefghijkmnpqrstuvwxyz23456789"  # no 0/o, 1/l: prefixes are read aloud and copied by hand
    prefix = "".join(secrets.choice(alphabet) for _ in range(PREFIX_LENGTH))
    return prefix, f"{SCHEME}{prefix}_{secrets.token_urlsafe(32)}"


def parse_prefix(raw: str) -> str | None:
    if not raw.startswith(SCHEME):
        return None
    prefix, _, secret = raw[len(SCHEME):].partition("_")
    if len(prefix) != PREFIX_LENGTH or not secret:
        return None
    return prefix


def authenticate(raw: str) -> ApiKey | None:
    """The live key this is, with its partner; None for anything else (unknown, wrong secret, revoked,
    expired, partner switched off), all alike."""
    prefix = parse_prefix(raw or "")
    if prefix is None:
        return None
    key = ApiKey.objects.select_related("partner").filter(prefix=prefix).first()
    if key is None or not hmac.compare_digest(key.key_hash, digest(raw)):
        return None
    now = timezone.now()
    if key.revoked_at is not None or (key.expires_at is not None and key.expires_at <= now):
        return None
    if not key.partner.is_active:
        return None
    if key.last_used_at is None or now - key.last_used_at >= TOUCH_EVERY:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now
    return key


def can_write(key: ApiKey) -> bool:
    return key.scope == ApiKey.Scope.WRITE
