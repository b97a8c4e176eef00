"""Each night the worker applies every retention limit (core/housekeeping.py): what is past its term goes,
what is not stays, a failing job does not stop the others, and during a breach nothing is removed."""

import datetime as dt
import os
import time
import uuid
from pathlib import Path

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

from naikkelas.core import housekeeping, outbox
from naikkelas.core.models import OutboxEvent
from naikkelas.ledger import uploads
from naikkelas.registry.importing import batches
from naikkelas.registry.models import ImportBatch
from tests.registry.factories import make_officer

pytestmark = pytest.mark.django_db

SLEMAN = "34.04"


def _session(expired: bool) -> str:
    session = SessionStore()
    session["x"] = 1
    session.set_expiry(-60 if expired else 3600)
    session.create()
    return session.session_key


def _batch(officer, *, days_old: float, status=ImportBatch.Status.PREVIEWED) -> ImportBatch:
    batch_id = uuid.uuid4()
    stored = batches.upload_dir() / f"{batch_id.hex}.csv"
    stored.parent.mkdir(parents=True, exist_ok=True)
    stored.write_text("nama usaha,nik\nWarung,3404071203900001\n")
    batches.scratch_file(batch_id).write_bytes(b"scratch")
    return ImportBatch.objects.create(
        id=batch_id, uploaded_by=officer, original_name="usaha.csv", stored_path=str(stored), status=status,
        created_at=timezone.now() - dt.timedelta(days=days_old), report={"counts": {"rows": 1}},
    )


def _files(batch) -> list[bool]:
    return [batches.stored_file(batch).exists(), batches.scratch_file(batch.pk).exists()]


def test_what_is_past_its_term_goes_and_the_rest_stays(db):
    officer = make_officer(SLEMAN)
    old, fresh = _batch(officer, days_old=8), _batch(officer, days_old=2)
    _session(expired=True)
    live_session = _session(expired=False)

    removed = housekeeping.run()

    assert removed["naikkelas.registry.importing.batches.import_batches_expire"] == 1
    assert removed["naikkelas.core.housekeeping.clear_sessions"] == 1
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert (old.status, old.report["expired"], _files(old)) == (ImportBatch.Status.FAILED, True, [False, False])
    assert (fresh.status, _files(fresh)) == (ImportBatch.Status.PREVIEWED, [True, True])
    assert set(Session.objects.values_list("session_key", flat=True)) == {live_session}
    assert housekeeping.run()["naikkelas.registry.importing.batches.import_batches_expire"] == 0  # gone stays gone


def test_an_owner_s_cash_book_upload_never_committed_goes_after_a_day(settings):
    folder = Path(settings.MEDIA_ROOT) / uploads.UPLOAD_DIR / "7"
    folder.mkdir(parents=True)
    old, fresh = folder / f"{'a' * 32}.csv", folder / f"{'b' * 32}.csv"
    for path in (old, fresh):
        path.write_text("tanggal,arah,jumlah\n2026-11-01,masuk,5000\n")
    day_and_a_bit = time.time() - uploads.KEPT_SECONDS - 60
    os.utime(old, (day_and_a_bit, day_and_a_bit))

    assert housekeeping.run()["naikkelas.ledger.uploads.purge_old"] == 1
    assert (old.exists(), fresh.exists()) == (False, True)


def test_the_officer_is_told_why_an_expired_upload_is_gone(client, db):
    officer = make_officer(SLEMAN)
    batch = _batch(officer, days_old=8)
    housekeeping.run()
    client.force_login(officer)

    with translation.override("id"):
        page = client.get(reverse("registry:import_preview", args=[batch.pk])).content.decode()

    assert "tidak disimpan dalam 7 hari" in page and "Simpan ke daftar" not in page


def test_a_failing_job_does_not_stop_the_others_and_the_night_is_retried(settings):
    settings.HOUSEKEEPING = ["tests.core.test_housekeeping.broken", "naikkelas.core.housekeeping.clear_sessions"]
    _session(expired=True)

    with pytest.raises(RuntimeError, match="test_housekeeping.broken"):
        housekeeping.run()

    assert not Session.objects.exists()


def broken() -> int:
    raise ValueError("no")


def test_during_a_breach_nothing_is_removed_and_the_next_night_is_booked(settings):
    settings.HOUSEKEEPING_PAUSED = True
    expired = _session(expired=True)

    assert housekeeping.nightly.call() == {"paused": True}

    assert Session.objects.filter(session_key=expired).exists()
    waiting = DBTaskResult.objects.filter(task_path=housekeeping.nightly.module_path, status="READY")
    assert waiting.count() == 1


def test_the_worker_books_one_night_at_three(db):
    outbox.emit(topic=outbox.WORKER_STARTED, key="worker")
    events = list(OutboxEvent.objects.all())
    housekeeping.consume(events)
    housekeeping.consume(events)

    waiting = DBTaskResult.objects.filter(task_path=housekeeping.nightly.module_path, status="READY")
    assert waiting.count() == 1
    run_after = timezone.localtime(waiting.get().run_after)
    assert run_after.hour == housekeeping.NIGHTLY_HOUR and run_after > timezone.now()
