"""The officer's import on the web, one service call per step: upload (stores the file, checks it, keeps
the report on a new ImportBatch), check again, commit. And the gate to a batch.

Files live under MEDIA_ROOT/imports/, named by the batch id, next to their scratch duplicate index. Both
are deleted once the batch is committed: the upload holds NIKs in clear, and the report keeps what the
page needs. What a process killed mid-way leaves there is deleted by a later upload, and a batch left in
preview for PREVIEW_KEPT is given up by the nightly housekeeping (`import_batches_expire`).
"""

import os
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from naikkelas.core.access import not_found
from naikkelas.core.audit import audit_record
from naikkelas.registry.access import is_registry_staff
from naikkelas.registry.importing.check import run_check
from naikkelas.registry.importing.commit import run_commit
from naikkelas.registry.importing.errors import CommitRefused, ImportFileError
from naikkelas.registry.models import ImportBatch

UPLOAD_DIR = "imports"
KNOWN_SUFFIXES = {".csv", ".txt", ".tsv", ".xlsx", ".xlsm"}
# Longer than any check of a file within IMPORT_MAX_BYTES takes: an upload's file unchanged for this long,
# whose batch is missing or committed, was left by a process that died before it could remove it.
LEFT_BEHIND_SECONDS = 24 * 60 * 60
# How long an upload waits in preview for its commit: a week for the officer to sort out its duplicates.
PREVIEW_KEPT = timedelta(days=7)


def may_import(actor) -> bool:
    return is_registry_staff(actor)


def upload_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / UPLOAD_DIR


def stored_file(batch: ImportBatch) -> Path:
    path = Path(batch.stored_path)
    return path if path.is_absolute() else Path(settings.MEDIA_ROOT) / path


def scratch_file(batch_id: uuid.UUID) -> Path:
    return upload_dir() / f"{batch_id.hex}.scratch.sqlite3"


def _remove(*paths: Path) -> None:
    for path in paths:
        try:
            os.remove(path)
        except FileNotFoundError:
            pass


def _remove_left_behind() -> None:
    """Remove the files a process killed mid-way left in the upload folder: an upload (and its scratch) whose
    check never reached its batch, or a committed batch's, killed between the commit and their removal. The
    upload holds NIKs in clear; nothing else would ever delete them. Uploads still in preview are kept."""
    stale: dict[uuid.UUID, list[Path]] = {}
    cutoff = time.time() - LEFT_BEHIND_SECONDS
    try:
        paths = list(upload_dir().iterdir())
    except FileNotFoundError:
        return
    for path in paths:
        try:
            batch_id = uuid.UUID(hex=path.name.split(".", 1)[0])
            changed = path.stat().st_mtime
        except (ValueError, FileNotFoundError):
            continue
        if changed < cutoff:
            stale.setdefault(batch_id, []).append(path)
    if stale:
        in_preview = ImportBatch.objects.filter(pk__in=list(stale), status=ImportBatch.Status.PREVIEWED)
        kept = set(in_preview.values_list("pk", flat=True))
        for batch_id, batch_paths in stale.items():
            if batch_id not in kept:
                _remove(*batch_paths)


def import_batches_expire(*, now: datetime | None = None) -> int:
    """Give up the batches left in preview for PREVIEW_KEPT: their files (NIKs and phones in clear) are
    removed and the batch is marked failed, saying why on its page; then what killed processes left behind
    goes too. Returns how many batches were given up."""
    cutoff = (now or timezone.now()) - PREVIEW_KEPT
    expired = 0
    for batch in ImportBatch.objects.filter(status=ImportBatch.Status.PREVIEWED, created_at__lt=cutoff):
        # Conditional, so a commit that starts at this moment and this expiry cannot both win.
        report = {**(batch.report or {}), "expired": True}
        if ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.PREVIEWED).update(
            status=ImportBatch.Status.FAILED, report=report
        ):
            _remove(stored_file(batch), scratch_file(batch.pk))
            expired += 1
    _remove_left_behind()
    return expired


def access_import_batch(actor, batch_id) -> ImportBatch:
    """The batch if `actor` uploaded it or is an admin; Http404 otherwise (missing and forbidden alike)."""
    if not may_import(actor):
        raise not_found()
    try:
        pk = uuid.UUID(str(batch_id))
    except ValueError:
        raise not_found() from None
    batch = ImportBatch.objects.select_related("uploaded_by").filter(pk=pk).first()
    if batch is None:
        raise not_found()
    if actor.is_admin or batch.uploaded_by_id == actor.pk:
        return batch
    raise not_found()


def recent_batches(*, actor, limit: int = 10) -> list[ImportBatch]:
    """The actor's latest uploads (an admin's too are only their own: the list is a personal history)."""
    if not may_import(actor):
        return []
    return list(ImportBatch.objects.filter(uploaded_by=actor).order_by("-created_at")[:limit])


def import_upload(*, actor, uploaded_file) -> ImportBatch:
    """Store and check an uploaded spreadsheet. Raises ImportFileError (keeping nothing) for a bad file."""
    if not may_import(actor):
        raise not_found()
    if uploaded_file.size > settings.IMPORT_MAX_BYTES:
        raise ImportFileError(
            _("Berkas terlalu besar; batasnya %(limit)s MB.") % {"limit": settings.IMPORT_MAX_BYTES // (1024 * 1024)}
        )
    _remove_left_behind()
    batch_id = uuid.uuid4()
    original_name = os.path.basename(uploaded_file.name or "")[:255] or "unggahan"
    suffix = Path(original_name).suffix.lower()
    relative = f"{UPLOAD_DIR}/{batch_id.hex}{suffix if suffix in KNOWN_SUFFIXES else ''}"
    path = Path(settings.MEDIA_ROOT) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as out:
        for chunk in uploaded_file.chunks():
            out.write(chunk)
    try:
        report = run_check(
            path=path,
            actor=actor,
            original_name=original_name,
            batch_id=batch_id,
            scratch_path=scratch_file(batch_id),
        )
    except BaseException:
        _remove(path, scratch_file(batch_id))
        raise
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            id=batch_id, uploaded_by=actor, original_name=original_name, stored_path=relative, report=report
        )
        audit_record(
            actor=actor, action="import.upload", obj=batch, changes={"file": original_name, **report["counts"]}
        )
    return batch


def import_recheck(*, actor, batch: ImportBatch) -> ImportBatch:
    """Check a previewed batch's file again (after the database changed), replacing its report."""
    if batch.status != ImportBatch.Status.PREVIEWED:
        raise CommitRefused(_("Impor ini sudah tidak bisa diperiksa ulang."))
    path = stored_file(batch)
    if not path.exists():
        raise CommitRefused(_("Berkas unggahan sudah tidak ada; unggah ulang."))
    report = run_check(
        path=path,
        actor=batch.uploaded_by,
        original_name=batch.original_name,
        batch_id=batch.pk,
        scratch_path=scratch_file(batch.pk),
        exclude_batch_id=batch.pk,
    )
    batch.report = report
    batch.save(update_fields=["report"])
    return batch


def import_commit(*, actor, batch: ImportBatch, skip_invalid: bool = False, decisions: dict | None = None) -> dict:
    """Write the batch's businesses (all or nothing); see importing/commit.py for the rules."""
    result = run_commit(
        batch=batch,
        actor=actor,
        scratch_path=scratch_file(batch.pk),
        skip_invalid=skip_invalid,
        decisions=decisions,
    )
    path = stored_file(batch)
    transaction.on_commit(lambda: _remove(path, scratch_file(batch.pk)))
    return result
