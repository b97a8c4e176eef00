"""Scores (earlywarning/engine/scores.py, model.py) and their measures (metrics.py)."""

import math
import random

import pytest

from naikkelas.earlywarning.engine import metrics
from naikkelas.earlywarning.engine.features import FEATURES
from naikkelas.earlywarning.engine.model import Model
from naikkelas.earlywarning.engine.scores import BASELINE_INTERCEPT, BASELINE_TERMS, baseline, tier, top_reasons

HEALTHY = {
    "revenue_1m_vs_3m": 0.02, "revenue_3m_vs_12m": 0.05, "revenue_3m_vs_last_year": 0.1, "trend_3m": 0.03,
    "days_since_sale": 0.0, "zero_sale_share": 0.05, "zero_sale_share_1m": 0.03, "volatility": 0.4,
    "cash_out_ratio": 0.8, "receivables_growth": 0.0, "channel_share": 0.1,
}
FAILING = {**HEALTHY, "revenue_1m_vs_3m": -0.5, "revenue_3m_vs_12m": -0.6, "trend_3m": -0.7, "days_since_sale": 12.0,
           "zero_sale_share_1m": 0.6, "cash_out_ratio": 1.6}


def test_the_baseline_scores_a_healthy_business_safe_and_a_failing_one_critical_with_its_reasons():
    healthy, _ = baseline(HEALTHY)
    failing, contributions = baseline(FAILING)
    assert tier(healthy) == "aman" and tier(failing) == "kritis"
    assert math.isclose(math.log(failing / (1 - failing)), BASELINE_INTERCEPT + sum(contributions.values()))
    assert top_reasons(contributions) == ["revenue_3m_vs_12m", "revenue_1m_vs_3m", "trend_3m", "zero_sale_share_1m"]
    assert not top_reasons(baseline(HEALTHY)[1])  # nothing to say about a healthy business


def test_the_baseline_never_falls_when_a_warning_sign_grows_and_ignores_what_is_missing():
    for term in BASELINE_TERMS:
        worse = {**FAILING}
        worse[term.feature] = worse[term.feature] + (-0.2 if term.feature.startswith(("revenue", "trend")) else 0.2)
        assert baseline(worse)[0] >= baseline(FAILING)[0]
    assert baseline({})[0] == pytest.approx(1 / (1 + math.exp(-BASELINE_INTERCEPT)))


def test_tiers_from_safe_to_critical():
    assert [tier(p) for p in (0.0, 0.049, 0.05, 0.149, 0.15, 0.399, 0.4, 1.0)] == [
        "aman", "aman", "waspada", "waspada", "rawan", "rawan", "kritis", "kritis",
    ]


def rows_and_labels(count: int, seed: int):
    rng = random.Random(seed)
    rows, labels = [], []
    for _ in range(count):
        closing = rng.random() < 0.2
        row = {name: rng.gauss(0, 0.3) for name in FEATURES}
        row["revenue_1m_vs_3m"] = rng.gauss(-0.5 if closing else 0.0, 0.25)
        row["days_since_sale"] = max(0.0, rng.gauss(10 if closing else 1, 4))
        row.update({f"{name}_peer_pct": rng.random() for name in FEATURES})
        if rng.random() < 0.1:
            row["revenue_3m_vs_last_year"] = None  # a year of history is not always there
        rows.append(row)
        labels.append(closing)
    return rows, labels


def test_the_model_learns_the_signs_explains_each_score_and_survives_being_stored_as_text():
    rows, labels = rows_and_labels(3000, seed=1)
    model = Model.train(rows, labels)
    test_rows, test_labels = rows_and_labels(1000, seed=2)
    probabilities, contributions = model.predict(test_rows)
    assert metrics.auc(test_labels, probabilities) > 0.9
    # the contributions are the model's own: they add up to its log-odds
    bias = math.log(probabilities[0] / (1 - probabilities[0])) - sum(contributions[0].values())
    for probability, parts in zip(probabilities[:50], contributions[:50]):
        assert math.isclose(math.log(probability / (1 - probability)), bias + sum(parts.values()), abs_tol=1e-6)
    # and the signs it was taught come first among the reasons of the riskiest
    riskiest = max(range(len(probabilities)), key=probabilities.__getitem__)
    assert set(top_reasons(contributions[riskiest], count=2)) == {"revenue_1m_vs_3m", "days_since_sale"}
    again = Model.from_text(model.text).predict(test_rows)[0]
    assert again == pytest.approx(probabilities)
    assert model.probabilities(test_rows) == probabilities  # alone, the very same numbers


def test_auc_and_average_precision_on_cases_worked_by_hand():
    assert metrics.auc([True, False, True, False], [0.9, 0.1, 0.8, 0.2]) == 1.0
    assert metrics.auc([True, False], [0.5, 0.5]) == 0.5
    assert metrics.auc([True, False, False, True], [0.9, 0.8, 0.3, 0.2]) == 0.5
    assert metrics.auc([True, True], [0.1, 0.2]) is None
    # ranks 1 and 3 found: (1/1 + 2/3) / 2
    assert metrics.average_precision([True, False, True], [0.9, 0.8, 0.7]) == pytest.approx((1 + 2 / 3) / 2)
    assert metrics.precision_at([True, False, True, False], [0.9, 0.8, 0.7, 0.1], 2) == 0.5


def test_lead_time_counts_only_alerts_before_the_closure():
    import datetime as dt

    day = dt.date(2025, 1, 1)
    alerts = {1: day, 2: day + dt.timedelta(days=50), 3: day}
    closures = {1: day + dt.timedelta(days=60), 2: day + dt.timedelta(days=40)}
    assert metrics.lead_days(alerts, closures) == [60]
    assert metrics.median([30, 60, 90]) == 60 and metrics.median([]) is None
