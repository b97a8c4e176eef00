"""`naikkelas train`, `naikkelas score --as-of`, `naikkelas export scores`: a model from recorded closures,
every business scored as its books stood on a day and never with what came after, and the scores with their
reasons in words."""

import csv
import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from naikkelas.earlywarning import pipeline
from naikkelas.earlywarning.models import Closure, RiskModel, RiskScore
from naikkelas.ledger.models import Entry

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def province(tmp_path):
    run("synth", "--province", "34", "--businesses", "120", "--products", "0", "--cash-book-months", "18")
    run("snapshot", "--dir", str(tmp_path / "all"))
    return tmp_path / "all"


def scores_of(as_of) -> dict:
    return {
        (s.business_id, s.method): (round(s.probability, 12), s.tier, s.reasons)
        for s in RiskScore.objects.filter(as_of=as_of)
    }


def test_a_day_is_scored_the_same_whether_or_not_later_books_exist(province, tmp_path):
    _first, last = pipeline.span(province)
    day = last - dt.timedelta(days=120)
    assert "dilatih sampai" in run("train", "--dir", str(province), "--until", day.isoformat())
    run("score", "--dir", str(province), "--as-of", day.isoformat())
    with_later = scores_of(day)
    assert {method for _b, method in with_later} == {"baseline", "model"}
    # the same day, from a snapshot of books that end on it
    Entry.objects.filter(date__gt=day).delete()
    run("snapshot", "--dir", str(tmp_path / "until-day"))
    run("score", "--dir", str(tmp_path / "until-day"), "--as-of", day.isoformat())
    assert scores_of(day) == with_later


def test_businesses_closed_by_the_day_get_no_score_and_the_rest_get_a_tier_and_reasons(province):
    _first, last = pipeline.span(province)
    output = run("score", "--dir", str(province))
    assert "dengan rumus dasar (belum ada model)" in output
    scored = RiskScore.objects.filter(as_of=last)
    closed = set(Closure.objects.filter(closed_on__lte=last).values_list("business_id", flat=True))
    assert closed and not scored.filter(business_id__in=closed).exists()
    assert scored.count() == 120 - len(closed)
    for score in scored:
        assert 0 < score.probability < 1 and score.tier in ("aman", "waspada", "rawan", "kritis")
        assert len(score.reasons) <= 4
        assert all(r["value"] is not None for r in score.reasons)


def test_the_export_writes_each_score_with_its_reasons_in_words(province, tmp_path):
    run("train", "--dir", str(province))
    run("score", "--dir", str(province))
    path = tmp_path / "skor.csv"
    assert "ditulis ke" in run("export_scores", str(path))
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    model = RiskScore.objects.filter(method="model")
    assert len(rows) == model.count() and RiskModel.objects.count() == 1
    assert [float(r["probability"]) for r in rows] == sorted((float(r["probability"]) for r in rows), reverse=True)
    riskiest = rows[0]
    assert riskiest["business_ref"].startswith("SYN-34-1-") and riskiest["tier"] in ("rawan", "kritis")
    assert riskiest["reason_1"].endswith(".") and "median usaha sejenis di" in riskiest["reason_1"]


def test_score_and_export_say_what_to_run_first(tmp_path):
    with pytest.raises(CommandError, match="naikkelas snapshot"):
        run("score", "--dir", str(tmp_path / "none"))
    with pytest.raises(CommandError, match="naikkelas score"):
        run("export_scores", str(tmp_path / "skor.csv"))


def test_a_model_is_kept_with_its_window_and_an_out_of_time_measure_of_what_was_known_then(province):
    first, last = pipeline.span(province)
    day = last - dt.timedelta(days=30)
    output = run("train", "--dir", str(province), "--until", day.isoformat())
    model = RiskModel.objects.get()
    assert model.trained_from == first + dt.timedelta(days=89) and model.trained_until == day
    evaluation = model.evaluation
    assert evaluation["cutoff"] == (day - dt.timedelta(days=270)).isoformat()
    assert dt.date.fromisoformat(evaluation["test_days"][1]) <= day - dt.timedelta(days=90)
    assert evaluation["model"]["auc"] is not None and "Diuji di luar waktu" in output
    # the same books give the same measure, and closures after the day, however many, change nothing in it
    run("train", "--dir", str(province), "--until", day.isoformat())
    assert RiskModel.objects.latest().evaluation == evaluation
    Closure.objects.filter(closed_on__gt=day).delete()
    run("train", "--dir", str(province), "--until", day.isoformat())
    assert RiskModel.objects.latest().evaluation == evaluation
