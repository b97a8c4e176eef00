"""Features of each business as its books stood on given days, as Ibis expressions over the snapshot.

The days are made dense first (`grid`: every day from the business's first row, or from as far back as the
first day asked for needs, to the last day asked for, zeros where nothing was recorded), so that every window
is a ROWS frame of a fixed number of days: the same on DuckDB and on Spark, and nothing after a day can reach
into that day's features.

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

from naikkelas.earlywarning.engine.schema import AMOUNTS, ATTRIBUTES

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


def grid(daily: ibis.Table, businesses: ibis.Table, *, end: dt.date, start: dt.date | None = None) -> ibis.Table:
    """Every business's days up to `end`, from its first row or from `start` if that is later, with its
    attributes, `day_number` (days since its first row) and zeros on days without a row. Rows after `end`
    are left out before anything else."""
    daily = daily.filter(_.date <= end)
    firsts = daily.group_by("business_id").aggregate(first_day=_.date.min())
    firsts = firsts.join(businesses, "business_id").select(*ATTRIBUTES, "first_day")
    skip = ibis.greatest(ibis.literal(start).delta(firsts.first_day, unit="day"), 0) if start else 0
    days = firsts.mutate(
        day_number=ibis.range(skip, ibis.literal(end).delta(firsts.first_day, unit="day") + 1).unnest()
    ).mutate(date=_.first_day + _.day_number.as_interval("D"))
    if start:
        daily = daily.filter(_.date >= start)
    money = daily.group_by(["business_id", "date"]).aggregate(**{column: daily[column].sum() for column in AMOUNTS})
    return days.left_join(money, ["business_id", "date"]).select(
        *ATTRIBUTES, "date", "day_number", **{column: money[column].fill_null(0) for column in AMOUNTS}
    )


def _ratio(numerator, denominator):
    return ibis.cases((denominator != 0, numerator.cast("float64") / denominator), else_=ibis.null("float64"))


def features(daily: ibis.Table, businesses: ibis.Table, as_of: list[dt.date]) -> ibis.Table:
    """One row per business and day of `as_of` on which it had at least MIN_HISTORY days of history:
    its attributes, `as_of`, `history_days`, FEATURES and their peer percentiles and medians."""
    days = sorted(set(as_of))
    # Only the days the longest look-back needs (a 90-day window a year back) are made dense.
    t = grid(daily, businesses, end=days[-1], start=days[0] - dt.timedelta(days=LOOK_BACK))
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
        last_sale=ibis.cases((_.sales > 0, _.date)).max().over(year),  # days_since_sale stops at a year
        sx=x.sum().over(w),
        sxx=(x * x).sum().over(w),
        sxy=(x * _.sales).sum().over(w),
    )
    t = t.mutate(sales_90_last_year=_.sales_90.lag(YEAR).over(ibis.window(**by_day)))
    t = t.filter(_.date.isin(days), _.day_number >= MIN_HISTORY - 1)
    mean = _.sales_90.cast("float64") / _.n
    slope = _ratio(_.n * _.sxy - _.sx * _.sales_90, _.n * _.sxx - _.sx * _.sx)
    t = t.select(
        *ATTRIBUTES,
        as_of=_.date,
        history_days=_.day_number + 1,
        revenue_1m_vs_3m=_ratio(_.sales_30 * WINDOW, _.sales_90 * MONTH) - 1,
        revenue_3m_vs_12m=ibis.cases(
            (_.days_365 == YEAR, _ratio(_.sales_90 * YEAR, _.sales_365 * WINDOW) - 1), else_=ibis.null("float64")
        ),
        revenue_3m_vs_last_year=_ratio(_.sales_90, _.sales_90_last_year) - 1,
        trend_3m=_ratio(slope * WINDOW, mean),
        days_since_sale=ibis.least(
            _.date.delta(_.last_sale.fill_null(_.date - (_.day_number + 1).as_interval("D")), unit="day"), YEAR
        ).cast("float64"),
        zero_sale_share=_.zero_days.cast("float64") / _.n,
        zero_sale_share_1m=_.zero_days_30.cast("float64") / MONTH,
        volatility=_ratio(_.sales_sd, mean),
        cash_out_ratio=ibis.least(_.out_90.cast("float64") / ibis.greatest(_.in_90, 1), 10.0),
        receivables_growth=_.owed_change.cast("float64") / ibis.greatest(_.sales_90 / 3, 1),
        channel_share=_ratio(_.channel_90, _.sales_90),
    )
    peers = ibis.window(group_by=[*PEERS, "as_of"])
    return t.mutate(
        **{f"{name}_peer_median": t[name].median().over(peers) for name in FEATURES},
        **{
            # Rows without the feature are ranked apart, so they do not count among the peers.
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
