"""The nightly early warning: a worker that starts books it for 01:00, each run writes the snapshot, scores
yesterday and books the next night, and there is never more than one waiting."""

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from naikkelas.earlywarning.models import RiskScore
from naikkelas.earlywarning.tasks import next_night, nightly, schedule_next

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")


def waiting():
    return DBTaskResult.objects.filter(task_path=nightly.module_path, status="READY")


def test_the_next_night_is_1_am_local_time_today_or_tomorrow():
    assert next_night(dt.datetime(2026, 11, 30, 0, 30, tzinfo=WIB)) == dt.datetime(2026, 11, 30, 1, 0, tzinfo=WIB)
    assert next_night(dt.datetime(2026, 11, 30, 1, 0, tzinfo=WIB)) == dt.datetime(2026, 12, 1, 1, 0, tzinfo=WIB)
    assert next_night(dt.datetime(2026, 11, 30, 23, 0, tzinfo=WIB)) == dt.datetime(2026, 12, 1, 1, 0, tzinfo=WIB)


@pytest.mark.django_db(transaction=True)  # the worker closes its connection when it stops
def test_a_starting_worker_books_one_nightly_run_and_never_two():
    call_command("worker", "--batch", "--no-startup-delay", stdout=StringIO())
    call_command("worker", "--batch", "--no-startup-delay", stdout=StringIO())
    assert waiting().count() == 1
    assert waiting().get().run_after == next_night()
    assert not schedule_next()


def test_a_nightly_run_writes_the_snapshot_scores_yesterday_and_books_the_next(settings, tmp_path):
    settings.SNAPSHOT_DIR = tmp_path
    call_command("synth", "--province", "34", "--businesses", "40", "--products", "0", "--cash-book-months", "14",
                 stdout=StringIO())
    result = nightly.call()
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    assert result["as_of"] == yesterday.isoformat() and result["scored"] > 0
    assert (tmp_path / "manifest.json").exists()
    assert RiskScore.objects.filter(as_of=yesterday, method="baseline").count() == result["scored"]
    assert waiting().count() == 1
