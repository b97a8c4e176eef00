"""The engine's features (earlywarning/engine/features.py) are defined over a dense daily calendar with ROWS
frames, and computed without one. Here that definition stands as written, window by window over every day,
and random cash books (gaps, days without a sale, late starts, long silences, steady and huge amounts, several
days scored at once) must give the same features, percentiles and medians both ways."""

import datetime as dt
import math
import random

import ibis
import pyarrow as pa
from hypothesis import given, settings, strategies as st
from ibis import _

from naikkelas.earlywarning.engine.features import (
    FEATURES, LOOK_BACK, MIN_HISTORY, MONTH, PEERS, WINDOW, YEAR, features,
)
from naikkelas.earlywarning.engine.schema import AMOUNTS, ATTRIBUTES, BUSINESSES, DAILY

START = dt.date(2024, 1, 1)


def dense(daily: ibis.Table, businesses: ibis.Table, as_of: list[dt.date]) -> ibis.Table:
    """The features by their definition: every day from each business's first row (or from the longest
    look-back before the first day asked) made a row, zeros where nothing was recorded, each window a ROWS frame."""
    days = sorted(set(as_of))
    end, start = days[-1], days[0] - dt.timedelta(days=LOOK_BACK)
    daily = daily.filter(_.date <= end)
    firsts = daily.group_by("business_id").aggregate(first_day=_.date.min())
    firsts = firsts.join(businesses, "business_id").select(*ATTRIBUTES, "first_day")
    skip = ibis.greatest(ibis.literal(start).delta(firsts.first_day, unit="day"), 0)
    calendar = firsts.mutate(
        day_number=ibis.range(skip, ibis.literal(end).delta(firsts.first_day, unit="day") + 1).unnest()
    ).mutate(date=_.first_day + _.day_number.as_interval("D"))
    daily = daily.filter(_.date >= start)
    money = daily.group_by(["business_id", "date"]).aggregate(**{column: daily[column].sum() for column in AMOUNTS})
    t = calendar.left_join(money, ["business_id", "date"]).select(
        *ATTRIBUTES, "date", "day_number", **{column: money[column].fill_null(0) for column in AMOUNTS}
    )
    by_day = dict(group_by="business_id", order_by="date")
    w = ibis.window(preceding=WINDOW - 1, following=0, **by_day)
    month = ibis.window(preceding=MONTH - 1, following=0, **by_day)
    year = ibis.window(preceding=YEAR - 1, following=0, **by_day)
    x = _.day_number.cast("float64")
    t = t.mutate(
        n=_.sales.count().over(w),
        sales_90=_.sales.sum().over(w),
        sales_30=_.sales.sum().over(month),
        zero_days_30=(_.sales == 0).cast("int64").sum().over(month),
        sales_365=_.sales.sum().over(year),
        days_365=_.sales.count().over(year),
        zero_days=(_.sales == 0).cast("int64").sum().over(w),
        sales_sd=_.sales.cast("float64").std(how="pop").over(w),
        in_90=_.cash_in.sum().over(w),
        out_90=_.cash_out.sum().over(w),
        channel_90=_.channel_sales.sum().over(w),
        owed_change=_.receivables_change.sum().over(w),
        last_sale=ibis.cases((_.sales > 0, _.date)).max().over(year),
        sx=x.sum().over(w),
        sxx=(x * x).sum().over(w),
        sxy=(x * _.sales).sum().over(w),
    )
    t = t.mutate(sales_90_last_year=_.sales_90.lag(YEAR).over(ibis.window(**by_day)))
    t = t.filter(_.date.isin(days), _.day_number >= MIN_HISTORY - 1)
    mean = _.sales_90.cast("float64") / _.n
    slope = ratio(_.n * _.sxy - _.sx * _.sales_90, _.n * _.sxx - _.sx * _.sx)
    t = t.select(
        *ATTRIBUTES,
        as_of=_.date,
        history_days=_.day_number + 1,
        revenue_1m_vs_3m=ratio(_.sales_30 * WINDOW, _.sales_90 * MONTH) - 1,
        revenue_3m_vs_12m=ibis.cases(
            (_.days_365 == YEAR, ratio(_.sales_90 * YEAR, _.sales_365 * WINDOW) - 1), else_=ibis.null("float64")
        ),
        revenue_3m_vs_last_year=ratio(_.sales_90, _.sales_90_last_year) - 1,
        trend_3m=ratio(slope * WINDOW, mean),
        days_since_sale=ibis.least(
            _.date.delta(_.last_sale.fill_null(_.date - (_.day_number + 1).as_interval("D")), unit="day"), YEAR
        ).cast("float64"),
        zero_sale_share=_.zero_days.cast("float64") / _.n,
        zero_sale_share_1m=_.zero_days_30.cast("float64") / MONTH,
        volatility=ratio(_.sales_sd, mean),
        cash_out_ratio=ibis.least(_.out_90.cast("float64") / ibis.greatest(_.in_90, 1), 10.0),
        receivables_growth=_.owed_change.cast("float64") / ibis.greatest(_.sales_90 / 3, 1),
        channel_share=ratio(_.channel_90, _.sales_90),
    )
    peers = ibis.window(group_by=[*PEERS, "as_of"])
    return t.mutate(
        **{f"{name}_peer_median": t[name].median().over(peers) for name in FEATURES},
        **{
            f"{name}_peer_pct": ibis.cases(
                (
                    t[name].notnull(),
                    t[name].percent_rank().over(
                        ibis.window(group_by=[*PEERS, "as_of", t[name].isnull()], order_by=t[name])
                    ),
                ),
                else_=ibis.null("float64"),
            )
            for name in FEATURES
        },
    )


def ratio(numerator, denominator):
    return ibis.cases((denominator != 0, numerator.cast("float64") / denominator), else_=ibis.null("float64"))


def book(business_id: int, seed: int, *, first: int, days: int, kept: float, sold: float, scale: int, steady: bool):
    """A business's rows from START + `first`, over `days` days: a row on a share `kept` of them, a sale on a
    share `sold` of those, amounts around `scale` rupiah (the same every day if `steady`)."""
    rng = random.Random(seed)
    rows = []
    for n in range(first, first + days):
        if rng.random() >= kept and n != first:
            continue
        sales = (scale if steady else rng.randrange(1, 3 * scale + 1)) if rng.random() < sold else 0
        rows.append({
            "business_id": business_id, "date": START + dt.timedelta(days=n), "sales": sales,
            "sales_count": int(sales > 0), "cash_in": sales + rng.choice((0, 0, scale)),
            "cash_out": rng.randrange(0, 2 * scale + 1), "channel_sales": sales // rng.choice((1, 2, 4, 10**9)),
            "receivables_change": rng.randrange(-scale, scale + 1), "digital_in": 0,
        })
    return rows


businesses = st.builds(
    dict,
    seed=st.integers(0, 10**6),
    first=st.integers(0, 400),
    days=st.integers(1, 800),
    kept=st.sampled_from((0.05, 0.5, 0.9, 1.0)),
    sold=st.sampled_from((0.0, 0.3, 0.9, 1.0)),
    scale=st.sampled_from((1, 1_000, 250_000, 10**9)),
    steady=st.booleans(),
    kategori=st.sampled_from(("G", "I", None)),
)


def tables(books: list[dict]) -> tuple[ibis.Table, ibis.Table]:
    """The snapshot's two tables; a business's kategori may be missing."""
    rows, who = [], []
    for n, drawn in enumerate(books, 1):
        rows += book(n, **{name: value for name, value in drawn.items() if name != "kategori"})
        who.append({"business_id": n, "business_ref": f"NK-{n}", "kategori": drawn["kategori"], "sector": "47111",
                    "regency": "34.04"})
    return (
        ibis.memtable(pa.Table.from_pylist(rows, schema=DAILY.to_pyarrow())),
        ibis.memtable(pa.Table.from_pylist(who, schema=BUSINESSES.to_pyarrow())),
    )


def same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    return a == b


@settings(max_examples=40, deadline=None)
@given(
    books=st.lists(businesses, min_size=1, max_size=4), days=st.lists(st.integers(0, 1300), min_size=1, max_size=4)
)
def test_the_features_equal_their_definition_over_the_dense_calendar(books, days):
    as_of = [START + dt.timedelta(days=n) for n in days]
    daily, who = tables(books)
    con = ibis.duckdb.connect()
    fast = {(r["business_id"], r["as_of"]): r for r in con.to_pyarrow(features(daily, who, as_of)).to_pylist()}
    defined = {(r["business_id"], r["as_of"]): r for r in con.to_pyarrow(dense(daily, who, as_of)).to_pylist()}
    assert set(fast) == set(defined)
    for key, row in defined.items():
        assert list(fast[key]) == list(row)
        for column, value in row.items():
            assert same(fast[key][column], value), (key, column, fast[key][column], value)


def test_a_steady_business_has_no_volatility_however_large_its_sales():
    daily, who = tables([dict(seed=1, first=0, days=200, kept=1.0, sold=1.0, scale=10**12, steady=True, kategori="G")])
    row = ibis.duckdb.connect().to_pyarrow(features(daily, who, [START + dt.timedelta(days=150)])).to_pylist()[0]
    assert row["volatility"] == 0.0 and row["zero_sale_share"] == 0.0
