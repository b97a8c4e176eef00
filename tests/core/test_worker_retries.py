"""The worker retries a job that fails, later each time (backoff with jitter), until its last try, which
leaves it FAILED with its error; a job whose worker died is taken up again once its lease has run out; and a
job's effect happens once however often it is tried: on jobs made for these tests, on the outbox relay and on
the nightly early warning."""

import datetime as dt
import logging
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from naikkelas.core import jobs, outbox
from naikkelas.core.jobs import job
from naikkelas.core.models import AuditLog, OutboxEvent
from naikkelas.core.management.commands import worker as worker_command
from naikkelas.core.tasks import outbox_relay

pytestmark = pytest.mark.django_db

PHONE = "+6281234567890"


class Refused(Exception):
    pass


def mark(action: str, key: str) -> None:
    AuditLog.objects.create(action=action, object_type="test", object_id=key)


def marks(action: str, key: str) -> int:
    return AuditLog.objects.filter(action=action, object_id=key).count()


@job(attempts=3)
def always_fails(key: str) -> None:
    mark("test.try", key)
    # A message such as a failure may quote: the admin sees it in the job's traceback, no log line has it.
    raise Refused(f"pelanggan {PHONE} menolak")


@job(attempts=4)
def fails_then_works(key: str, failures: int) -> str:
    mark("test.try", key)
    with transaction.atomic():
        mark("test.effect", key)
        if marks("test.try", key) <= failures:
            raise Refused("belum")
    return "done"


@job(attempts=2)
def writes(key: str) -> None:
    mark("test.try", key)


EFFECTS: list[int] = []


def refuse_once(events) -> None:
    """An outbox consumer that writes one row per event in the relay's transaction, and fails its first call."""
    EFFECTS.append(len(events))
    for event in events:
        mark("test.relayed", str(event.pk))
    if len(EFFECTS) == 1:
        raise Refused("konsumen belum siap")


@pytest.fixture
def quiet(settings, monkeypatch):
    """The worker in the test's transaction, no consumers of the outbox but those a test names, and the
    platform's retry policy."""
    # Between tasks the worker closes a connection that is inside a transaction, which would end the test's
    # (tests/core/test_worker_crash.py runs the whole worker, in processes of its own).
    monkeypatch.setattr(worker_command, "close_old_connections", lambda: None)
    settings.OUTBOX_CONSUMERS = []
    settings.TASK_RETRY_BASE_SECONDS = 30
    settings.TASK_RETRY_CAP_SECONDS = 3600
    EFFECTS.clear()


def work() -> None:
    call_command("worker", "--batch", "--no-startup-delay", stdout=StringIO())


def row(result) -> DBTaskResult:
    return DBTaskResult.objects.get(pk=result.id)


def due_now(result) -> None:
    DBTaskResult.objects.filter(pk=result.id).update(run_after=timezone.now())


def test_the_waits_grow_fourfold_from_30_seconds_to_the_cap_with_jitter_in_their_upper_half(settings):
    settings.TASK_RETRY_BASE_SECONDS = 30
    settings.TASK_RETRY_CAP_SECONDS = 3600
    longest = [jobs.retry_delay(n, rand=lambda: 1.0).total_seconds() for n in range(1, 7)]
    shortest = [jobs.retry_delay(n, rand=lambda: 0.0).total_seconds() for n in range(1, 7)]
    assert longest == [30, 120, 480, 1920, 3600, 3600]
    assert shortest == [15, 60, 240, 960, 1800, 1800]


def test_a_failing_job_is_tried_later_each_time_and_left_failed_with_its_error_after_its_last_try(quiet, caplog):
    caplog.set_level(logging.WARNING, logger="naikkelas.core.jobs")
    result = always_fails.enqueue("a")

    waits = []
    for tried in (1, 2):
        work()
        waiting = row(result)
        assert waiting.status == "READY" and len(waiting.worker_ids) == tried
        assert waiting.exception_class_path == "tests.core.test_worker_retries.Refused"
        wait = (waiting.run_after - waiting.started_at).total_seconds()
        nominal = 30 * 4 ** (tried - 1)
        assert nominal / 2 <= wait <= nominal + 5
        waits.append(wait)
        work()  # not due yet: nothing runs
        assert marks("test.try", "a") == tried
        due_now(result)
    assert waits[1] > waits[0]

    work()
    failed = row(result)
    assert failed.status == "FAILED" and len(failed.worker_ids) == 3
    assert failed.exception_class_path == "tests.core.test_worker_retries.Refused"
    assert PHONE in failed.traceback  # for the admin, in the task results' admin page
    due_now(result)
    work()
    assert marks("test.try", "a") == 3  # never tried again

    logged = [record.getMessage() for record in caplog.records if record.name == "naikkelas.core.jobs"]
    assert [("try 1 of 3" in line, "try 2 of 3" in line, "last try, 3 of 3" in line) for line in logged] == [
        (True, False, False), (False, True, False), (False, False, True)
    ]
    assert all(str(result.id) in line and "Refused" in line for line in logged)
    assert PHONE not in caplog.text and "menolak" not in caplog.text


def test_a_failed_job_is_listed_and_can_be_run_again_as_a_new_job_with_its_arguments(quiet):
    result = fails_then_works.using(priority=5).enqueue("c", 4)
    for _try in range(4):
        work()
        due_now(result)
    assert row(result).status == "FAILED"
    listing = StringIO()
    call_command("jobs", stdout=listing)
    assert f"{result.id}  tests.core.test_worker_retries.fails_then_works" in listing.getvalue()

    call_command("jobs", "--rerun", str(result.id), stdout=StringIO())
    work()

    again = DBTaskResult.objects.exclude(pk=result.id).get(task_path=fails_then_works.module_path)
    assert again.status == "SUCCESSFUL" and again.priority == 5 and len(again.worker_ids) == 1
    assert marks("test.effect", "c") == 1 and marks("test.try", "c") == 5
    assert row(result).status == "FAILED"  # the record of what went wrong stays
    assert AuditLog.objects.filter(action="job.rerun", object_id=str(result.id)).exists()
    with pytest.raises(CommandError):
        call_command("jobs", "--rerun", str(again.pk), stdout=StringIO())  # only a failed job


def test_a_job_that_fails_twice_then_works_has_its_effect_once(quiet):
    result = fails_then_works.enqueue("b", 2)
    for _try in range(3):
        work()
        due_now(result)
    done = row(result)
    assert done.status == "SUCCESSFUL" and done.return_value == "done" and len(done.worker_ids) == 3
    assert marks("test.try", "b") == 3
    assert marks("test.effect", "b") == 1  # the failed tries' effects rolled back with them


def test_a_job_whose_worker_died_is_tried_again_after_its_lease_and_only_then(quiet):
    now = timezone.now()
    lease = jobs.default_lease()
    lost = writes.enqueue("lost")
    busy = writes.enqueue("busy")
    last = writes.enqueue("last")
    for result, started, workers in (
        (lost, now - dt.timedelta(seconds=lease + 1), ["dead"]),
        (busy, now - dt.timedelta(seconds=lease - 60), ["alive"]),
        (last, now - dt.timedelta(seconds=lease + 1), ["dead", "dead-too"]),  # its 2 tries are spent
    ):
        DBTaskResult.objects.filter(pk=result.id).update(status="RUNNING", started_at=started, worker_ids=workers)

    work()

    assert row(lost).status == "SUCCESSFUL" and len(row(lost).worker_ids) == 2
    assert marks("test.try", "lost") == 1
    assert row(busy).status == "RUNNING" and marks("test.try", "busy") == 0  # its worker may be at it still
    gave_up = row(last)
    assert gave_up.status == "FAILED" and gave_up.exception_class_path == "naikkelas.core.jobs.WorkerLost"
    assert marks("test.try", "last") == 0


def test_the_outbox_relay_fails_is_retried_and_hands_each_event_over_once(
    quiet, settings, django_capture_on_commit_callbacks
):
    settings.OUTBOX_CONSUMERS = ["tests.core.test_worker_retries.refuse_once"]
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        events = [outbox.emit(topic="stock.changed", key=f"product:{n}") for n in range(3)]
    relay = DBTaskResult.objects.get(task_path=outbox_relay.module_path)

    work()
    assert relay_status(relay) == ("READY", 1)
    assert OutboxEvent.objects.filter(relayed_at__isnull=True).count() == 4  # with the worker's own event
    due_now(relay)
    work()

    assert relay_status(relay) == ("SUCCESSFUL", 2)
    assert not OutboxEvent.objects.filter(relayed_at__isnull=True).exists()
    for event in events:
        assert marks("test.relayed", str(event.pk)) == 1  # the failed call's rows went with its transaction
    assert len(EFFECTS) == 2


def relay_status(relay) -> tuple[str, int]:
    relay.refresh_from_db()
    return relay.status, len(relay.worker_ids)


def test_the_nightly_early_warning_retried_and_run_again_scores_its_day_once_and_books_one_next_night(
    quiet, settings, tmp_path
):
    from naikkelas.earlywarning.models import RiskScore
    from naikkelas.earlywarning.tasks import next_night, nightly

    call_command("synth", "--province", "34", "--businesses", "30", "--products", "0", "--cash-book-months", "14",
                 stdout=StringIO())
    settings.SNAPSHOT_DIR = tmp_path / "not-a-folder"
    settings.SNAPSHOT_DIR.write_text("")  # writing the snapshot fails
    result = nightly.enqueue()

    work()
    assert row(result).status == "READY" and len(row(result).worker_ids) == 1
    waiting = DBTaskResult.objects.filter(task_path=nightly.module_path, status="READY").exclude(pk=result.id)
    assert [night.run_after for night in waiting] == [next_night()]  # booked by the failed try

    settings.SNAPSHOT_DIR = tmp_path / "snapshot"
    due_now(result)
    work()
    done = row(result)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    scores = set(RiskScore.objects.filter(as_of=yesterday).values_list("pk", flat=True))
    assert done.status == "SUCCESSFUL" and done.return_value["scored"] > 0 and scores

    # Its worker dies after the work and before the row says so: the run is taken up again after its lease.
    DBTaskResult.objects.filter(pk=result.id).update(
        status="RUNNING", started_at=timezone.now() - dt.timedelta(hours=5), finished_at=None
    )
    work()
    assert row(result).status == "SUCCESSFUL" and len(row(result).worker_ids) == 3
    assert set(RiskScore.objects.filter(as_of=yesterday).values_list("pk", flat=True)) == scores  # not again
    assert list(waiting.values_list("run_after", flat=True)) == [next_night()]  # one chain
