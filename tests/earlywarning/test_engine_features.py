"""The engine's features (earlywarning/engine/features.py) on DuckDB: each equals a direct computation from the
daily rows, nothing after the day scored reaches into it, and peers are the same kategori and regency."""

import datetime as dt
import math
import random
import statistics

import ibis
import pyarrow as pa
import pytest
from hypothesis import given, settings, strategies as st

from naikkelas.earlywarning.engine.features import FEATURES, MIN_HISTORY, features
from naikkelas.earlywarning.engine.schema import BUSINESSES, DAILY

START = dt.date(2024, 1, 1)


def tables(rows: list[dict]) -> tuple[ibis.Table, ibis.Table]:
    """The snapshot's two tables from rows that carry their business's attributes."""
    defaults = {"kategori": "G", "sector": "47111", "regency": "34.04", "cash_in": 0, "cash_out": 0, "sales": 0,
                "sales_count": 0, "channel_sales": 0, "receivables_change": 0, "digital_in": 0}
    full = [{**defaults, **row} for row in rows]
    businesses = {row["business_id"]: {name: row.get(name, f"B{row['business_id']}") for name in BUSINESSES.names}
                  for row in full}
    return (
        ibis.memtable(pa.Table.from_pylist(full, schema=DAILY.to_pyarrow())),
        ibis.memtable(pa.Table.from_pylist(list(businesses.values()), schema=BUSINESSES.to_pyarrow())),
    )


def computed(rows, as_of) -> dict[tuple[int, dt.date], dict]:
    con = ibis.duckdb.connect()
    result = con.to_pyarrow(features(*tables(rows), as_of)).to_pylist()
    return {(row["business_id"], row["as_of"]): row for row in result}


def shop(business_id: int, days: int, *, seed: int = 1, start=START, closed_after: int | None = None, **fields):
    """A business's days: sales most days, money out, now and then a day without a row."""
    rng = random.Random(seed * 1000 + business_id)
    rows = []
    for n in range(days):
        if closed_after is not None and n >= closed_after:
            break
        if rng.random() < 0.15:
            continue  # no row: nothing recorded
        sales = 0 if rng.random() < 0.1 else rng.randrange(50, 500) * 1000
        rows.append({"business_id": business_id, "date": start + dt.timedelta(days=n),
                     "sales": sales, "cash_in": sales + (rng.randrange(0, 50) * 1000 if rng.random() < 0.1 else 0),
                     "cash_out": rng.randrange(0, 400) * 1000, "channel_sales": sales // 4 if rng.random() < 0.2 else 0,
                     "receivables_change": rng.choice((0, 0, 0, 20_000, -10_000)), **fields})
    return rows


def direct(rows, business_id, day) -> dict:
    """The features of one business on one day, from the definitions, day by day."""
    mine = {r["date"]: r for r in rows if r["business_id"] == business_id and r["date"] <= day}
    first = min(mine)

    def window(field, days, end=day):
        return [mine[end - dt.timedelta(days=k)][field] if end - dt.timedelta(days=k) in mine else 0
                for k in range(days) if end - dt.timedelta(days=k) >= first]

    sales_90, sales_30, sales_365 = sum(window("sales", 90)), sum(window("sales", 30)), sum(window("sales", 365))
    daily = window("sales", 90)[::-1]
    mean = sales_90 / 90
    xs = range(len(daily))
    x_mean, y_mean = statistics.mean(xs), statistics.mean(daily)
    slope = sum((x - x_mean) * (y - y_mean) for x, y in zip(xs, daily)) / sum((x - x_mean) ** 2 for x in xs)
    last_year = window("sales", 90, end=day - dt.timedelta(days=365)) if day - dt.timedelta(days=365) >= first else None
    sold = [d for d, r in mine.items() if r["sales"] > 0]
    owed = sum(r["receivables_change"] for r in mine.values())
    owed_before = sum(r["receivables_change"] for d, r in mine.items() if d <= day - dt.timedelta(days=90))
    return {
        "revenue_1m_vs_3m": sales_30 * 90 / (sales_90 * 30) - 1 if sales_90 else None,
        "revenue_3m_vs_12m": sales_90 * 365 / (sales_365 * 90) - 1 if len(window("sales", 365)) == 365 and sales_365 else None,
        "revenue_3m_vs_last_year": sales_90 / sum(last_year) - 1 if last_year and sum(last_year) else None,
        "trend_3m": slope * 90 / mean if mean else None,
        "days_since_sale": float(min((day - max(sold)).days, 365)) if sold else float(min((day - first).days + 1, 365)),
        "zero_sale_share": sum(1 for v in daily if v == 0) / 90,
        "zero_sale_share_1m": sum(1 for v in window("sales", 30) if v == 0) / 30,
        "volatility": statistics.pstdev(daily) / mean if mean else None,
        "cash_out_ratio": min(sum(window("cash_out", 90)) / max(sum(window("cash_in", 90)), 1), 10.0),
        "receivables_growth": (owed - owed_before) / max(sales_90 / 3, 1),
        "channel_share": sum(window("channel_sales", 90)) / sales_90 if sales_90 else None,
    }


def close(a, b) -> bool:
    return (a is None and b is None) or (a is not None and b is not None and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9))


@pytest.mark.parametrize("numbers", [(120, 380, 450, 499), (480, 499)])  # the second reads only the days it needs
def test_each_feature_equals_its_definition_computed_day_by_day(numbers):
    rows = shop(1, 500) + shop(2, 200, seed=2) + shop(3, 500, closed_after=420, seed=3)
    days = [START + dt.timedelta(days=n) for n in numbers]
    result = computed(rows, days)
    checked = 0
    for (business, day), row in result.items():
        expected = direct(rows, business, day)
        for name in FEATURES:
            assert close(row[name], expected[name]), (business, day, name, row[name], expected[name])
        checked += 1
    # every business on every day, including those whose rows stopped: their silence is what is scored
    assert checked == 3 * len(numbers)


def test_a_business_with_too_little_history_is_not_scored():
    result = computed(shop(1, 60) + shop(2, 200, start=START - dt.timedelta(days=100)), [START + dt.timedelta(days=59)])
    assert set(result) == {(2, START + dt.timedelta(days=59))}
    assert MIN_HISTORY == 90


@settings(max_examples=20, deadline=None)
@given(cut=st.integers(100, 400), extra=st.integers(1, 200), seed=st.integers(0, 50))
def test_nothing_after_the_day_scored_changes_its_features(cut, extra, seed):
    rows = shop(1, cut + extra, seed=seed) + shop(2, cut + extra, seed=seed + 1)
    day = START + dt.timedelta(days=cut)
    before = [row for row in rows if row["date"] <= day]
    assert computed(rows, [day]) == computed(before, [day])


def test_peers_are_the_same_kategori_and_regency_on_the_same_day():
    day = START + dt.timedelta(days=200)
    rows = (
        shop(1, 201, kategori="G", regency="34.04") + shop(2, 201, kategori="G", regency="34.04", seed=2)
        + shop(3, 201, kategori="G", regency="34.04", seed=3) + shop(4, 201, kategori="I", regency="34.04", seed=4)
    )
    result = computed(rows, [day])
    mine = [result[(b, day)] for b in (1, 2, 3)]
    volatility = sorted(row["volatility"] for row in mine)
    for row in mine:
        assert row["volatility_peer_median"] == pytest.approx(volatility[1])
        assert row["volatility_peer_pct"] == pytest.approx(volatility.index(row["volatility"]) / 2)
    alone = result[(4, day)]
    assert alone["volatility_peer_median"] == pytest.approx(alone["volatility"]) and alone["volatility_peer_pct"] == 0
