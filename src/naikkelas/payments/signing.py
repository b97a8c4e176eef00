"""Signatures on payment gateway callbacks. Pure Python: no Django, no database.

A gateway signs each callback with the secret it shares with the platform:

    X-Naikkelas-Timestamp: 1767225600                      (unix seconds when it was sent)
    X-Naikkelas-Signature: sha256=<hex HMAC-SHA256(secret, b"1767225600." + raw body)>

The timestamp is inside the signed bytes, so an old callback cannot be replayed with a fresh time, and a
callback is accepted only within REPLAY_WINDOW seconds of the platform's clock (either side, for clock skew).
The signature covers the raw body exactly as received: re-encoding parsed JSON would change the bytes.
"""

import hashlib
import hmac

TIMESTAMP_HEADER = "X-Naikkelas-Timestamp"
SIGNATURE_HEADER = "X-Naikkelas-Signature"
SCHEME = "sha256="
REPLAY_WINDOW = 5 * 60
# Unix seconds keep ten digits until the year 2286; twelve leave room without letting absurd values in.
MAX_TIMESTAMP_DIGITS = 12


class SignatureError(ValueError):
    """Why a callback was refused: `code` for programs and logs, the (Indonesian) message for people."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def signed_bytes(timestamp: str | int, body: bytes) -> bytes:
    return f"{timestamp}.".encode("ascii") + body


def sign(secret: str, timestamp: str | int, body: bytes) -> str:
    """The value of the signature header for `body` sent at `timestamp`."""
    digest = hmac.new(secret.encode("utf-8"), signed_bytes(timestamp, body), hashlib.sha256).hexdigest()
    return SCHEME + digest


def verify(*, secret: str, timestamp: str | None, signature: str | None, body: bytes, now: float) -> int:
    """The callback's timestamp when the signature is right and fresh; raises SignatureError otherwise."""
    if not timestamp or not signature:
        raise SignatureError("missing", f"Header {TIMESTAMP_HEADER} dan {SIGNATURE_HEADER} wajib ada.")
    if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= MAX_TIMESTAMP_DIGITS):
        raise SignatureError("timestamp", f"{TIMESTAMP_HEADER} harus waktu unix dalam detik bulat.")
    sent = int(timestamp)
    if abs(now - sent) > REPLAY_WINDOW:
        raise SignatureError("stale", f"{TIMESTAMP_HEADER} berselisih lebih dari {REPLAY_WINDOW} detik dari sekarang.")
    expected = sign(secret, timestamp, body).encode("ascii")
    # compare_digest takes as long for a near miss as for a wild guess, so timing reveals nothing.
    if not hmac.compare_digest(expected, signature.strip().encode("utf-8", "replace")):
        raise SignatureError("signature", f"{SIGNATURE_HEADER} tidak cocok dengan isi dan waktunya.")
    return sent
