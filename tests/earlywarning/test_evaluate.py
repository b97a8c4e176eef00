"""`naikkelas evaluate` on a small synthetic province: trained only on what was known at the cut-off, measured
on the days after it, for the baseline and the learned model."""

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from naikkelas.earlywarning import pipeline
from naikkelas.earlywarning.models import Closure

pytestmark = pytest.mark.django_db


@pytest.fixture
def province(tmp_path):
    call_command("synth", "--province", "34", "--businesses", "150", "--products", "0", "--cash-book-months", "20",
                 stdout=StringIO())
    call_command("snapshot", "--dir", str(tmp_path), stdout=StringIO())
    return tmp_path


def evaluate(directory, *args) -> dict:
    out = StringIO()
    call_command("evaluate", "--dir", str(directory), "--json", *args, stdout=out)
    return json.loads(out.getvalue())


def test_evaluate_measures_both_scores_on_the_days_after_the_cutoff(province):
    result = evaluate(province)
    first, last = pipeline.span(province)
    cutoff = dt.date.fromisoformat(result["cutoff"])
    assert cutoff == last - dt.timedelta(days=270)
    assert dt.date.fromisoformat(result["test_days"][0]) > cutoff
    assert dt.date.fromisoformat(result["test_days"][1]) <= last - dt.timedelta(days=90)
    assert result["train_closures"] > 0 and result["test_closures"] > 0
    for name in ("baseline", "model"):
        measures = result[name]
        assert 0.5 < measures["auc"] <= 1 and 0 < measures["pr_auc"] <= 1 and 0 <= measures["precision_at_k"] <= 1
        assert measures["closures_alerted"] <= result["test_closures"]


def test_evaluate_measures_each_province_regency_and_sector_apart(province):
    result = evaluate(province)
    for name in ("baseline", "model"):
        whole = result[name]
        for by in ("province", "regency", "kategori"):
            groups = result["groups"][by]
            # every business lies in exactly one group, and so does every closure
            assert sum(group[name]["businesses"] for group in groups.values()) == whole["businesses"]
            assert sum(group[name]["closures"] for group in groups.values()) == whole["closures"] == result["test_closures"]
            assert sum(group[name]["closures_alerted"] for group in groups.values()) == whole["closures_alerted"]
        assert list(result["groups"]["province"]) == ["34"]
        assert all(len(code) == 5 and code.startswith("34.") for code in result["groups"]["regency"])
    out = StringIO()
    call_command("evaluate", "--dir", str(province), "--by", "kategori", stdout=out)
    assert "Per kelompok (kategori)" in out.getvalue() and "\nG " in out.getvalue()


def test_training_sees_no_closure_recorded_after_the_cutoff(province):
    first, last = pipeline.span(province)
    cutoff = last - dt.timedelta(days=270)
    _model, rows, positives = pipeline.train(cutoff, province)
    # closures recorded later, however many, change nothing in what was learned by the cut-off
    later = Closure.objects.filter(closed_on__gt=cutoff)
    assert later.exists()
    later.delete()
    assert pipeline.train(cutoff, province)[1:] == (rows, positives)


def test_evaluate_without_a_snapshot_says_what_to_run(tmp_path):
    with pytest.raises(CommandError, match="naikkelas snapshot"):
        call_command("evaluate", "--dir", str(tmp_path / "none"), stdout=StringIO())
