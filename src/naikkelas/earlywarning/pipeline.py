"""From the snapshot and the recorded closures to trained models and their honest measure.

The engine computes features on DuckDB from the snapshot folder; closures come from `Closure`. A row is a
business on a day (`as_of`); its label is whether it closed within the 90 days after, and it is left out
from the day the business closed. Training only uses days whose 90 days ahead had passed by the day it
stands on (`until`), and closures recorded up to then: nothing after `until` is seen.
"""

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import ibis
from django.db import transaction
from django.utils.translation import gettext as _

from naikkelas.earlywarning.engine import metrics
from naikkelas.earlywarning.engine.features import MIN_HISTORY, features
from naikkelas.earlywarning.engine.model import Model
from naikkelas.earlywarning.engine.schema import read
from naikkelas.earlywarning.engine.scores import ALERT_FROM, HORIZON_DAYS, baseline, tier, top_reasons
from naikkelas.earlywarning.models import Closure, RiskModel, RiskScore
from naikkelas.earlywarning.selectors import active_model, objected_ids
from naikkelas.earlywarning.snapshot import snapshot_dir

TRAIN_EVERY_DAYS = 14
TEST_EVERY_DAYS = 7
EVALUATION_HOLD_DAYS = 270  # a new model's recipe is measured on the last 180 days whose 90 days ahead had passed
VISITS_PER_MONTH = 50  # k for precision among the top k: what the officers of a province can visit in a month


class NoSnapshot(Exception):
    """There is no snapshot where one was to be read; the message says what to run."""

    def __init__(self, directory: Path):
        super().__init__(
            _("Snapshot belum ada di %(dir)s. Jalankan dulu: naikkelas snapshot") % {"dir": directory}
        )


def _tables(con, directory: Path | None):
    directory = Path(directory or snapshot_dir())
    if not (directory / "businesses.parquet").exists() or not any((directory / "daily").glob("month=*/part.parquet")):
        raise NoSnapshot(directory)
    return read(con, directory)


def connect():
    con = ibis.duckdb.connect()
    con.raw_sql("SET enable_progress_bar = false")
    return con


def span(directory: Path | None = None) -> tuple[dt.date, dt.date]:
    """The first and last day of the snapshot."""
    con = connect()
    daily, _businesses = _tables(con, directory)
    row = con.to_pyarrow(daily.aggregate(first=daily.date.min(), last=daily.date.max())).to_pylist()[0]
    return row["first"], row["last"]


def feature_rows(as_of: list[dt.date], directory: Path | None = None) -> list[dict]:
    if not as_of:
        return []
    con = connect()
    daily, businesses = _tables(con, directory)
    # In a fixed order: DuckDB returns rows in whatever order its threads finish, and both the model's
    # training and the measures' tie-breaking depend on the order of their rows.
    return con.to_pyarrow(features(daily, businesses, as_of).order_by(["as_of", "business_id"])).to_pylist()


def closures(until: dt.date | None = None) -> dict[int, dt.date]:
    recorded = Closure.objects.all() if until is None else Closure.objects.filter(closed_on__lte=until)
    return dict(recorded.values_list("business_id", "closed_on"))


def days(first: dt.date, last: dt.date, step: int) -> list[dt.date]:
    count = (last - first).days // step + 1 if last >= first else 0
    return [first + dt.timedelta(days=step * n) for n in range(count)]


def labelled(rows: list[dict], closed: dict[int, dt.date]) -> tuple[list[dict], list[bool]]:
    """The rows of businesses still open on their day, and whether each closed within the horizon."""
    kept, labels = [], []
    for row in rows:
        closed_on = closed.get(row["business_id"])
        if closed_on is not None and closed_on <= row["as_of"]:
            continue
        kept.append(row)
        labels.append(closed_on is not None and (closed_on - row["as_of"]).days <= HORIZON_DAYS)
    return kept, labels


def training_days(until: dt.date, directory: Path | None = None) -> list[dt.date]:
    first, _last = span(directory)
    return days(first + dt.timedelta(days=MIN_HISTORY - 1), until - dt.timedelta(days=HORIZON_DAYS), TRAIN_EVERY_DAYS)


def train(until: dt.date, directory: Path | None = None) -> tuple[Model, int, int]:
    """A model from the closures recorded up to `until`; returns it with its rows and how many of them
    closed within the horizon."""
    rows, labels = labelled(feature_rows(training_days(until, directory), directory), closures(until))
    if not any(labels):
        raise ValueError(_("belum ada penutupan usaha yang tercatat dalam masa latih"))
    return Model.train(rows, labels), len(rows), sum(labels)


def evaluate(
    cutoff: dt.date, directory: Path | None = None, *, k: int = VISITS_PER_MONTH, until: dt.date | None = None
) -> dict:
    """Train on what was known at `cutoff`, then score the days after it (every TEST_EVERY_DAYS, up to the
    last day whose 90 days ahead are in the snapshot, or had passed by `until`) and measure both scores
    against the closures (recorded up to `until`, when given)."""
    model, train_rows, train_closures = train(cutoff, directory)
    _first, last = span(directory)
    end = min(last, until) if until else last
    test_days = days(cutoff + dt.timedelta(days=TEST_EVERY_DAYS), end - dt.timedelta(days=HORIZON_DAYS), TEST_EVERY_DAYS)
    closed = closures(until)
    rows, labels = labelled(feature_rows(test_days, directory), closed)
    learned = model.probabilities(rows)
    result = {
        "cutoff": cutoff.isoformat(), "train_rows": train_rows, "train_closures": train_closures,
        "test_days": [test_days[0].isoformat(), test_days[-1].isoformat()] if test_days else [],
        "test_rows": len(rows), "test_closures": len({row["business_id"] for row, label in zip(rows, labels) if label}),
        "k": k,
    }
    scored = {"baseline": [baseline(row)[0] for row in rows], "model": learned}
    for name, scores in scored.items():
        result[name] = _measures(rows, labels, scores, closed, k)
    result["groups"] = {by: _by_group(by, rows, labels, scored, closed, k) for by in GROUPS}
    return result


# Fairness is measured across these groups of businesses: a key from a feature row to the group's name.
GROUPS = {
    "province": lambda row: (row["regency"] or "")[:2],
    "regency": lambda row: row["regency"] or "",
    "kategori": lambda row: row["kategori"] or "",
}


def _by_group(by: str, rows, labels, scored: dict[str, list[float]], closed, k) -> dict[str, dict]:
    """The measures of each score within each group (province, regency or KBLI kategori), so that a score that
    finds closures in one place or sector and misses them in another shows."""
    members: dict[str, list[int]] = {}
    for index, row in enumerate(rows):
        members.setdefault(GROUPS[by](row), []).append(index)
    return {
        group: {
            name: _measures([rows[i] for i in indexes], [labels[i] for i in indexes], [scores[i] for i in indexes], closed, k)
            for name, scores in scored.items()
        }
        for group, indexes in sorted(members.items())
    }


def _measures(rows, labels, scores, closed, k) -> dict:
    by_day: dict[dt.date, list[int]] = {}
    for index, row in enumerate(rows):
        by_day.setdefault(row["as_of"], []).append(index)
    monthly = [day for n, day in enumerate(sorted(by_day)) if n % 4 == 0]  # once a month, as officers would
    precision = [
        metrics.precision_at([labels[i] for i in by_day[day]], [scores[i] for i in by_day[day]], k) for day in monthly
    ]
    first_alerts: dict[int, dt.date] = {}
    for row, score in sorted(zip(rows, scores), key=lambda pair: pair[0]["as_of"]):
        if score >= ALERT_FROM:
            first_alerts.setdefault(row["business_id"], row["as_of"])
    in_test = {row["business_id"] for row, label in zip(rows, labels) if label}
    leads = metrics.lead_days({b: d for b, d in first_alerts.items() if b in in_test}, closed)
    businesses = {row["business_id"] for row in rows}
    staying = businesses - in_test
    return {
        "businesses": len(businesses),
        "closures": len(in_test),
        # the share of closures alerted before they happened, and of businesses that did not close but were alerted
        "closures_alerted_share": len(leads) / len(in_test) if in_test else None,
        "false_alert_share": len(set(first_alerts) & staying) / len(staying) if staying else None,
        "auc": metrics.auc(labels, scores),
        "pr_auc": metrics.average_precision(labels, scores),
        "precision_at_k": sum(p for p in precision if p is not None) / len(precision) if precision else None,
        "median_lead_days": metrics.median(leads),
        "closures_alerted": len(leads),
        "alerted": len(first_alerts),
    }


# -- storing models and scores --------------------------------------------------------------------------------


def train_and_store(until: dt.date, directory: Path | None = None) -> RiskModel:
    """Train on the closures recorded up to `until` and make it the active model, versioned with its window
    and with how the same recipe did out of time on what was known at `until`: trained EVALUATION_HOLD_DAYS
    earlier and tested on the days between."""
    model, rows, closing = train(until, directory)
    try:
        evaluation = evaluate(until - dt.timedelta(days=EVALUATION_HOLD_DAYS), directory, until=until)
    except ValueError:  # no closure recorded before the earlier cut-off: nothing to measure against yet
        evaluation = {}
    window = training_days(until, directory)
    return RiskModel.objects.create(
        trained_from=window[0] if window else None, trained_until=until, rows=rows, closing_rows=closing,
        evaluation=evaluation, text=model.text,
    )


def _reasons(row: dict, contributions: dict[str, float]) -> list[dict]:
    return [
        {"feature": name, "value": row[name], "peer_median": row.get(f"{name}_peer_median")}
        for name in top_reasons(contributions)
        if row.get(name) is not None
    ]


@dataclass
class ScoreSummary:
    as_of: dt.date
    scored: int = 0
    model: RiskModel | None = None
    tiers: dict[str, int] = field(default_factory=dict)


def score(as_of: dt.date, directory: Path | None = None) -> ScoreSummary:
    """Score every business as its books stood on `as_of` (nothing after it is read) with the baseline and
    the active model, replacing that day's scores. Businesses recorded as closed by then, those whose owner
    objected to scoring, and those with too little history get no score."""
    return score_days([as_of], directory)[0]


def score_days(days: list[dt.date], directory: Path | None = None) -> list[ScoreSummary]:
    """`score` for several days, with the features of all of them computed in one pass."""
    by_day: dict[dt.date, list[dict]] = {day: [] for day in days}
    for row in feature_rows(days, directory):
        by_day[row["as_of"]].append(row)
    closed, objected = closures(), objected_ids()
    return [_store_scores(day, rows, closed, objected) for day, rows in sorted(by_day.items())]


def _store_scores(as_of: dt.date, rows: list[dict], closed: dict[int, dt.date], objected: set[int]) -> ScoreSummary:
    # closed by the day, or the owner objected to being scored
    left_out = {business for business, closed_on in closed.items() if closed_on <= as_of} | objected
    rows = [row for row in rows if row["business_id"] not in left_out]
    active = active_model()
    scored = [(RiskScore.Method.BASELINE, None, *zip(*(baseline(row) for row in rows)))] if rows else []
    if active is not None and rows:
        scored.append((RiskScore.Method.MODEL, active, *Model.from_text(active.text).predict(rows)))
    summary = ScoreSummary(as_of=as_of, scored=len(rows), model=active)
    with transaction.atomic():
        RiskScore.objects.filter(as_of=as_of).delete()
        for method, model, probabilities, contributions in scored:
            RiskScore.objects.bulk_create(
                [
                    RiskScore(business_id=row["business_id"], as_of=as_of, method=method, model=model,
                              probability=probability, tier=tier(probability), reasons=_reasons(row, parts))
                    for row, probability, parts in zip(rows, probabilities, contributions)
                ],
                batch_size=2_000,
            )
            if method == (RiskScore.Method.MODEL if active else RiskScore.Method.BASELINE):
                for probability in probabilities:
                    summary.tiers[tier(probability)] = summary.tiers.get(tier(probability), 0) + 1
    return summary
