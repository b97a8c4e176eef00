"""Key rotation for what core.crypto encrypts: every stored ciphertext re-encrypted under the newest key of
NIK_ENCRYPTION_KEYS, and (after NIK_HASH_KEY changes) every NIK's look-up hash made again.

Both walk a column in batches ordered by pk, each batch in its own transaction, so memory stays bounded and
an interrupted run loses at most one batch: run it again and it carries on (tokens already under the newest
key are skipped). A row is written only if its ciphertext is still the one read (compare and set), so an
edit saved meanwhile is never overwritten by the old value. NIKs are decrypted in this process's memory only,
and never printed, logged or recorded.
"""

from dataclasses import asdict, dataclass

from cryptography.fernet import Fernet, InvalidToken
from django.apps import apps
from django.conf import settings
from django.db import transaction

from naikkelas.core import crypto
from naikkelas.core.models import AuditLog

BATCH_SIZE = 2000
# Every column holding core.crypto ciphertext, as (model label, column, its look-up hash column or ""), named
# rather than imported since core imports no domain app. Only the NIK has a look-up hash.
COLUMNS = (("registry.Business", "nik_ciphertext", "nik_hash"), ("partners.Partner", "webhook_secret", ""))
AUDIT_ACTION = "crypto.rotate_keys"


@dataclass
class Counts:
    checked: int = 0  # non-empty ciphertexts seen
    current: int = 0  # already under the newest key (left as they were unless re-hashed)
    rotated: int = 0  # re-encrypted under the newest key
    rehashed: int = 0  # nik_hash written again
    changed: int = 0  # edited while the run read them: not written (the edit used the running key)
    unreadable: int = 0  # no key in NIK_ENCRYPTION_KEYS decrypts them

    @property
    def old_key(self) -> int:
        """Readable tokens that still need an old key (what --check reports)."""
        return self.checked - self.current - self.unreadable


def _newest():
    keys = settings.NIK_ENCRYPTION_KEYS
    return Fernet(keys[0]) if keys else None


def _is_current(newest, token: str) -> bool:
    """Whether the newest key alone opens the token (its signature is checked; nothing is decrypted)."""
    if newest is None:  # development: one key derived from SECRET_KEY, so readable means current
        return _readable(token)
    try:
        newest.extract_timestamp(token.encode())
    except InvalidToken:
        return False
    return True


def _readable(token: str) -> bool:
    try:
        crypto.decrypt(token)
    except InvalidToken:
        return False
    return True


def _batches(model, column: str, batch_size: int):
    last = None
    while True:
        rows = model.objects.exclude(**{column: ""}).order_by("pk")
        if last is not None:
            rows = rows.filter(pk__gt=last)
        rows = list(rows.values_list("pk", column)[:batch_size])
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def check_column(model, column: str, *, batch_size: int = BATCH_SIZE) -> Counts:
    """Count, writing nothing, the ciphertexts that still need an old key or that no key opens."""
    counts, newest = Counts(), _newest()
    for rows in _batches(model, column, batch_size):
        for _pk, token in rows:
            counts.checked += 1
            if _is_current(newest, token):
                counts.current += 1
            elif not _readable(token):
                counts.unreadable += 1
    return counts


def rotate_column(model, column: str, *, hash_column: str = "", batch_size: int = BATCH_SIZE) -> Counts:
    """Re-encrypt the column under the newest key; with a `hash_column` also write it again from the
    decrypted value and the current NIK_HASH_KEY."""
    rehash = bool(hash_column)
    counts, newest = Counts(), _newest()
    for rows in _batches(model, column, batch_size):
        with transaction.atomic():
            for pk, token in rows:
                counts.checked += 1
                current = _is_current(newest, token)
                if current:
                    counts.current += 1
                    if not rehash:
                        continue
                values = {}
                try:
                    if not current:
                        values[column] = crypto.rotate(token)
                    if rehash:
                        values[hash_column] = crypto.keyed_hash(crypto.decrypt(token))
                except InvalidToken:
                    counts.unreadable += 1
                    if current:
                        counts.current -= 1
                    continue
                if not model.objects.filter(pk=pk, **{column: token}).update(**values):
                    counts.changed += 1
                    continue
                counts.rotated += column in values
                counts.rehashed += hash_column in values
    return counts


def run(*, check: bool = False, rehash: bool = False, batch_size: int = BATCH_SIZE) -> dict[str, Counts]:
    """Every encrypted column, as "app_label.model.column" -> counts. Unless `check`, one AuditLog row
    records the run's counts (never a value)."""
    results = {}
    for label, column, hash_column in COLUMNS:
        model = apps.get_model(label)
        name = f"{model._meta.label_lower}.{column}"
        if check:
            results[name] = check_column(model, column, batch_size=batch_size)
        else:
            results[name] = rotate_column(model, column, hash_column=hash_column if rehash else "",
                                          batch_size=batch_size)
    if not check:
        AuditLog.objects.create(
            actor=None,
            action=AUDIT_ACTION,
            object_type="core.crypto",
            object_id="NIK_ENCRYPTION_KEYS",
            changes={"rehash": rehash, "columns": {name: asdict(counts) for name, counts in results.items()}},
            reason="naikkelas rotate_keys",
        )
    return results
