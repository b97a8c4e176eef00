"""Where an owner's cash-book upload waits between its check and its commit: MEDIA_ROOT/ledger-imports/<business>/
<token>.csv. The commit (or a failed check) deletes it; one the owner never committed is deleted by the nightly
housekeeping a day later (`purge_old`), since it holds the names and phone numbers of the owner's customers."""

import os
import time
from pathlib import Path

from django.conf import settings

UPLOAD_DIR = "ledger-imports"
KEPT_SECONDS = 24 * 60 * 60


def folder(business) -> Path:
    return Path(settings.MEDIA_ROOT) / UPLOAD_DIR / str(business.pk)


def remove(path: Path) -> None:
    try:
        os.remove(path)
    except FileNotFoundError:
        pass


def purge_old() -> int:
    """Housekeeping: delete uploads that waited more than a day for their commit; how many went."""
    cutoff = time.time() - KEPT_SECONDS
    removed = 0
    for path in (Path(settings.MEDIA_ROOT) / UPLOAD_DIR).glob("*/*.csv"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            continue
    return removed
