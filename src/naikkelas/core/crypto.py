"""Identity numbers at rest: encrypted for the rare audited read, a keyed hash for look-ups, masked for show.

Keys come from settings (NIK_ENCRYPTION_KEYS newest first, NIK_HASH_KEY). In development they are derived
from SECRET_KEY so a laptop needs no set-up; production refuses to start without real ones.
"""

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings


def _derived(purpose: str) -> bytes:
    return hashlib.sha256(f"naikkelas:{purpose}:{settings.SECRET_KEY}".encode()).digest()


@lru_cache(maxsize=1)
def _fernet() -> MultiFernet:
    keys = settings.NIK_ENCRYPTION_KEYS or [base64.urlsafe_b64encode(_derived("nik-encryption")).decode()]
    return MultiFernet([Fernet(key) for key in keys])


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode()


def rotate(token: str) -> str:
    """Re-encrypt under the newest key (the first in NIK_ENCRYPTION_KEYS)."""
    return _fernet().rotate(token.encode()).decode()


@lru_cache(maxsize=1)
def _hash_key() -> bytes:
    # Cached like _fernet: an import hashes a NIK per row, and deriving the key each time costs as much as
    # the hash itself.
    return settings.NIK_HASH_KEY.encode() if settings.NIK_HASH_KEY else _derived("nik-hash")


def keyed_hash(value: str) -> str:
    return hmac.new(_hash_key(), value.encode(), hashlib.sha256).hexdigest()


def mask(value: str, keep_start: int = 4, keep_end: int = 4) -> str:
    """'3471010101010001' -> '3471********0001'."""
    if len(value) <= keep_start + keep_end:
        return "*" * len(value)
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + value[-keep_end:]
