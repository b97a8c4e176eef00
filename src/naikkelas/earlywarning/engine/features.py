"""Features of each business as its books stood on given days, as Ibis expressions over the snapshot.

What they mean: a business's calendar is every day from its first row, zero where nothing was recorded, and
each window is a fixed number of those days up to and including the day scored, as a ROWS frame over that
dense calendar takes them; nothing after a day reaches into its features.

How they are computed: without making the calendar dense, since a day without a row adds nothing to a sum.
Each window's sum is a sum over the rows whose date lies in it, grouped by business and day scored, and the
rest follows in closed form from the number of the window's days (a business is scored from MIN_HISTORY days
on, so its 30- and 90-day windows are whole): the days without a sale are the window's days less those with
one; the regression's sums of x and x² are those of 0 to 89; the standard deviation comes from the sums of
sales and of their squares. The rows are read as two sets, the last 90 days and the 365 before them; on
several days at once, a row counts for each day whose windows reach it. The dense calendar took 16 window
frames over every day of every business and was tens of times slower (docs/BENCHMARKS.md); it is kept as the
definition in tests/earlywarning/test_engine_calendar.py, which checks that both give the same features.
This relies on the snapshot's one row per business and day (schema.py): days with a sale, the squares and the
last sale are counted by row.

The features (FEATURES), each on the last 90 days unless it says otherwise:
- revenue_1m_vs_3m: sales of the last 30 days against the last 90 days' pace, the first to move;
- revenue_3m_vs_12m: sales of the last 90 days against the last 365 days' pace (-0.62: 62 % below);
- revenue_3m_vs_last_year: against the same 90 days a year earlier;
- trend_3m: the least-squares slope of daily sales over the 90 days, as the change it makes over them
  relative to their mean;
- days_since_sale: days since the last day with a sale (at most 365);
- zero_sale_share: the share of days without a sale; zero_sale_share_1m, the same over the last 30 days;
- volatility: the standard deviation of daily sales over their mean;
- cash_out_ratio: money out over money in (at most 10);
- receivables_growth: the change over 90 days of what customers owe, against a month's sales;
- channel_share: the share of sales through partner platforms.
Each also gets its percentile among the business's peers on the same day (same KBLI kategori and regency,
`<feature>_peer_pct`, 0 to 1) and their median (`<feature>_peer_median`), for reasons that compare.
A feature that cannot be computed (too little history, no sales to compare with) is null.
"""

import datetime as dt

import ibis
from ibis import _

from naikkelas.earlywarning.engine.schema import ATTRIBUTES

WINDOW = 90
MONTH = 30
YEAR = 365
MIN_HISTORY = WINDOW  # days of history before a business is scored at all
LOOK_BACK = YEAR + WINDOW - 1  # the 90 days a year before a day reach this far back
FEATURES = (
    "revenue_1m_vs_3m",
    "revenue_3m_vs_12m",
    "revenue_3m_vs_last_year",
    "trend_3m",
    "days_since_sale",
    "zero_sale_share",
    "zero_sale_share_1m",
    "volatility",
    "cash_out_ratio",
    "receivables_growth",
    "channel_share",
)
PEERS = ("kategori", "regency")
# Sums over x = 0 … WINDOW - 1, the days of the window in order, for the regression.
SUM_X = WINDOW * (WINDOW - 1) // 2
SUM_XX = (WINDOW - 1) * WINDOW * (2 * WINDOW - 1) // 6
# Any int64 amount fits 19 digits and the square of one 38, which DuckDB and Spark both sum exactly: the
# deviation stays exact (a steady business's is 0) for daily sales up to 10^17 rupiah, where float64 would round.
EXACT = "decimal(19, 0)"


def _rows_back(daily: ibis.Table, days: list[dt.date], *, nearest: int, farthest: int) -> ibis.Table:
    """The rows from `nearest` to `farthest` days before each of `days`, each with that day (`as_of`) and how
    many days before it the row is (`days_back`): a row falls on as many days as are that close after it."""
    # The bounds as constants first, so that a reader skips the months outside them.
    rows = daily.filter(
        _.date >= days[0] - dt.timedelta(days=farthest), _.date <= days[-1] - dt.timedelta(days=nearest)
    )
    if len(days) == 1:  # scoring: the constants have chosen the rows, no join needed
        rows = rows.mutate(as_of=ibis.literal(days[0]))
    else:
        asked = ibis.memtable(
            {
                "as_of": days,
                "back_to": [day - dt.timedelta(days=farthest) for day in days],
                "up_to": [day - dt.timedelta(days=nearest) for day in days],
            }
        )
        rows = rows.join(asked, [rows.date >= asked.back_to, rows.date <= asked.up_to]).drop("back_to", "up_to")
    return rows.mutate(days_back=rows.as_of.delta(rows.date, unit="day"))


def _ratio(numerator, denominator):
    return ibis.cases((denominator != 0, numerator.cast("float64") / denominator), else_=ibis.null("float64"))


def features(daily: ibis.Table, businesses: ibis.Table, as_of: list[dt.date]) -> ibis.Table:
    """One row per business and day of `as_of` on which it had at least MIN_HISTORY days of history:
    its attributes, `as_of`, `history_days`, FEATURES and their peer percentiles and medians."""
    days = sorted(set(as_of))
    daily = daily.filter(_.date <= days[-1])
    # A business with no row by MIN_HISTORY days before the last day asked is scored on none of them.
    firsts = daily.filter(_.date <= days[-1] - dt.timedelta(days=MIN_HISTORY - 1))
    firsts = firsts.group_by("business_id").aggregate(first_day=_.date.min())
    scored = firsts.join(businesses, "business_id").cross_join(ibis.memtable({"as_of": days}))
    scored = scored.mutate(history_days=_.as_of.delta(_.first_day, unit="day") + 1)
    scored = scored.filter(_.history_days >= MIN_HISTORY)

    sold = _.sales != 0
    recent = (
        _rows_back(daily, days, nearest=0, farthest=WINDOW - 1)
        .group_by(["business_id", "as_of"])
        .aggregate(
            sales_90=_.sales.sum(),
            sales_30=_.sales.sum(where=_.days_back < MONTH),
            sale_days=_.sales.count(where=sold),
            sale_days_30=_.sales.count(where=sold & (_.days_back < MONTH)),
            squares=(_.sales.cast(EXACT) * _.sales.cast(EXACT)).sum(),
            # x = WINDOW - 1 - days_back, so Σ x·sales = (WINDOW - 1)·Σ sales - Σ days_back·sales
            back_sales=(_.days_back * _.sales).sum(),
            in_90=_.cash_in.sum(),
            out_90=_.cash_out.sum(),
            channel_90=_.channel_sales.sum(),
            owed_change=_.receivables_change.sum(),
            last_sale=_.date.max(where=_.sales > 0),
        )
    )
    earlier = (
        _rows_back(daily, days, nearest=WINDOW, farthest=LOOK_BACK)
        .group_by(["business_id", "as_of"])
        .aggregate(
            sales_91_365=_.sales.sum(where=_.days_back < YEAR),
            sales_last_year=_.sales.sum(where=_.days_back >= YEAR),
            earlier_sale=_.date.max(where=_.sales > 0),
        )
    )
    t = scored.left_join(recent, ["business_id", "as_of"]).left_join(earlier, ["business_id", "as_of"])
    zero = ibis.literal(0, "int64")
    t = t.select(
        *ATTRIBUTES,
        "as_of",
        "history_days",
        **{
            name: t[name].fill_null(zero)
            for name in (
                "sales_90", "sales_30", "sale_days", "sale_days_30", "back_sales", "in_90", "out_90",
                "channel_90", "owed_change",
            )
        },
        squares=t.squares.fill_null(0),
        sales_365=t.sales_90.fill_null(zero) + t.sales_91_365.fill_null(zero),
        # 0 when the calendar does not reach a year back, which leaves the feature null as it should
        sales_90_last_year=t.sales_last_year.fill_null(zero),
        # the last sale of the look-back: one more than a year back counts as none, as days_since_sale stops there
        last_sale=t.last_sale.fill_null(t.earlier_sale),
    )
    mean = _.sales_90.cast("float64") / WINDOW
    sales_90 = _.sales_90.cast("float64")
    # The least-squares slope, n·Σxy - Σx·Σy over n·Σx² - (Σx)², with the sums over x taken from their formula.
    slope = (
        (WINDOW * (WINDOW - 1) - SUM_X) * sales_90 - WINDOW * _.back_sales.cast("float64")
    ) / (WINDOW * SUM_XX - SUM_X * SUM_X)
    exact_90 = _.sales_90.cast(EXACT)
    variance = (_.squares * WINDOW - exact_90 * exact_90).cast("float64") / (WINDOW * WINDOW)
    t = t.select(
        *ATTRIBUTES,
        "as_of",
        "history_days",
        revenue_1m_vs_3m=_ratio(_.sales_30 * WINDOW, _.sales_90 * MONTH) - 1,
        revenue_3m_vs_12m=ibis.cases(
            (_.history_days >= YEAR, _ratio(_.sales_90 * YEAR, _.sales_365 * WINDOW) - 1),
            else_=ibis.null("float64"),
        ),
        revenue_3m_vs_last_year=_ratio(_.sales_90, _.sales_90_last_year) - 1,
        trend_3m=_ratio(slope * WINDOW, mean),
        days_since_sale=ibis.least(
            _.last_sale.isnull().ifelse(_.history_days, _.as_of.delta(_.last_sale, unit="day")), YEAR
        ).cast("float64"),
        zero_sale_share=(WINDOW - _.sale_days).cast("float64") / WINDOW,
        zero_sale_share_1m=(MONTH - _.sale_days_30).cast("float64") / MONTH,
        volatility=_ratio(variance.sqrt(), mean),
        cash_out_ratio=ibis.least(_.out_90.cast("float64") / ibis.greatest(_.in_90, 1), 10.0),
        receivables_growth=_.owed_change.cast("float64") / ibis.greatest(_.sales_90 / 3, 1),
        channel_share=_ratio(_.channel_90, _.sales_90),
    )
    return _with_peers(t)


def _with_peers(t: ibis.Table) -> ibis.Table:
    """`t` with each feature's percentile among its peers on the same day, and their median."""
    peers = [*PEERS, "as_of"]
    # The medians as a grouping joined back, not as windows: a window carries every row along, for each feature.
    medians = t.group_by(peers).aggregate(**{f"{name}_peer_median": t[name].median() for name in FEATURES})
    ranked = t.mutate(
        **{
            # Rows without the feature are ranked apart, so they do not count among the peers.
            f"{name}_peer_pct": ibis.cases(
                (
                    t[name].notnull(),
                    t[name].percent_rank().over(ibis.window(group_by=[*peers, t[name].isnull()], order_by=t[name])),
                ),
                else_=ibis.null("float64"),
            )
            for name in FEATURES
        }
    )
    # A business without a kategori or regency has those without one as its peers, as in a window.
    joined = ranked.join(medians, [ranked[name].identical_to(medians[name]) for name in peers])
    return joined.select(
        *(ranked[name] for name in t.columns),
        *(medians[f"{name}_peer_median"] for name in FEATURES),
        *(ranked[f"{name}_peer_pct"] for name in FEATURES),
    )
