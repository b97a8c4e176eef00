"""From features to a probability of closing within 90 days, a tier and the reasons, two ways:

- the baseline: a documented sum of points over the features (BASELINE_TERMS), usable from day one with no
  recorded outcomes; each term's points are its share of the reasons;
- a learned model: gradient-boosted trees (LightGBM) trained on recorded closures; the reasons are the
  trees' own contributions to each score (SHAP values, which LightGBM computes exactly for its trees).

Both take and give plain rows (dicts with the features of features.FEATURES and their `_peer_pct`), so
they score the same whichever engine computed the features.
"""

import math
from dataclasses import dataclass

import numpy as np

from naikkelas.earlywarning.engine.features import FEATURES

HORIZON_DAYS = 90
# Tiers by the probability of closing within HORIZON_DAYS. An alert is Waspada or above.
TIERS = (("kritis", 0.40), ("rawan", 0.15), ("waspada", 0.05), ("aman", 0.0))
ALERT_FROM = 0.05
REASONS = 4


def tier(probability: float) -> str:
    return next(name for name, floor in TIERS if probability >= floor)


def _clip(value: float, low: float = 0.0, high: float = 1.0) -> float:
    return min(high, max(low, value))


@dataclass(frozen=True)
class Term:
    """Points (0 to 1) a feature's value earns, times a weight: none up to `start`, then in a straight line to
    full points at `start + span` (a negative span when a fall is the sign). Kept as numbers rather than a
    function so that a whole column is scored at once (baseline_probabilities)."""

    feature: str
    weight: float
    start: float
    span: float

    def points(self, value: float) -> float:
        return _clip((value - self.start) / self.span)


# With no sign at all, 0.25 %; an alert (5 %) takes about three points, e.g. two signs at full strength. Set
# on the synthetic province so the baseline alerts about as many businesses as officers can follow up.
BASELINE_INTERCEPT = -6.0
BASELINE_TERMS = (
    Term("revenue_1m_vs_3m", 1.5, 0.0, -0.5),  # full points at a fall of half
    Term("revenue_3m_vs_12m", 1.5, 0.0, -0.5),
    Term("revenue_3m_vs_last_year", 1.0, 0.0, -0.5),
    Term("trend_3m", 1.0, 0.0, -0.5),
    Term("days_since_sale", 1.5, 3.0, 27.0),  # from 3 days; full at 30
    Term("zero_sale_share_1m", 1.0, 0.2, 0.6),
    Term("cash_out_ratio", 1.0, 1.0, 1.0),  # spending more than comes in
    Term("receivables_growth", 0.5, 0.0, 1.0),  # customers owe a month's sales more
)


def baseline(row: dict) -> tuple[float, dict[str, float]]:
    """The baseline's probability and each term's contribution to its log-odds (features it lacks add 0)."""
    contributions = {}
    for term in BASELINE_TERMS:
        value = row.get(term.feature)
        contributions[term.feature] = 0.0 if value is None else term.weight * term.points(value)
    odds = BASELINE_INTERCEPT + sum(contributions.values())
    return 1 / (1 + math.exp(-odds)), contributions


def baseline_probabilities(table) -> np.ndarray:
    """`baseline`'s probabilities for every row of a table of features (pyarrow), a column at a time: the same
    numbers, without a dict per row, for scoring a million businesses."""
    odds = np.zeros(table.num_rows)
    for term in BASELINE_TERMS:
        value = table.column(term.feature).to_numpy(zero_copy_only=False)  # null as NaN
        # fmax and fmin turn NaN into no points, as a missing feature adds nothing in `baseline`
        odds = odds + term.weight * np.fmin(1.0, np.fmax(0.0, (value - term.start) / term.span))
    odds = BASELINE_INTERCEPT + odds
    # math.exp, not np.exp, which may differ from it in the last digit on some processors
    return 1 / (1 + np.fromiter(map(math.exp, (-odds).tolist()), dtype=np.float64, count=len(odds)))


def top_reasons(contributions: dict[str, float], *, count: int = REASONS) -> list[str]:
    """The features that raise the risk most, largest first; none that lower it."""
    ranked = sorted(((value, name) for name, value in contributions.items() if value > 0), reverse=True)
    return [name for _value, name in ranked[:count]]


MODEL_COLUMNS = (*FEATURES, *(f"{name}_peer_pct" for name in FEATURES))
