"""The periods an owner thinks in, on the business's own calendar: today, this week (from Monday, as Indonesian
calendars start it), this month; and the months and days the charts cover."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Sum
from django.utils.dates import MONTHS, MONTHS_3

from naikkelas.ledger import selectors
from naikkelas.ledger.models import Category, Direction

DAILY_DAYS = 30
MONTHS_BACK = 12


@dataclass(frozen=True)
class Period:
    key: str
    label: str
    start: dt.date
    end: dt.date
    totals: selectors.Totals


def month_start(day: dt.date, back: int = 0) -> dt.date:
    """The first day of the month `back` months before `day`'s."""
    index = day.year * 12 + day.month - 1 - back
    return dt.date(index // 12, index % 12 + 1, 1)


def month_end(first: dt.date) -> dt.date:
    return month_start(first, -1) - dt.timedelta(days=1)


def month_label(first: dt.date, short: bool = False) -> str:
    if short:
        return str(MONTHS_3[first.month]).capitalize()
    return f"{MONTHS[first.month]} {first.year}"


def current(business, today: dt.date, labels: dict[str, str]) -> list[Period]:
    """Today, this week and this month, each with its totals; `labels` names them (already translated)."""
    spans = {
        "today": (today, today),
        "week": (today - dt.timedelta(days=today.weekday()), today),
        "month": (month_start(today), today),
    }
    return [
        Period(key, labels[key], start, end, selectors.totals(business, start=start, end=end))
        for key, (start, end) in spans.items()
    ]


def daily_sales(business, today: dt.date) -> list[tuple[dt.date, int]]:
    """Money in from sales on each of the last DAILY_DAYS days, today included, oldest first (0 on quiet days)."""
    start = today - dt.timedelta(days=DAILY_DAYS - 1)
    rows = (
        selectors.entries(business, start=start, end=today)
        .filter(direction=Direction.IN, category=Category.SALES)
        .order_by()
        .values("date")
        .annotate(total=Sum("amount"))
    )
    sums = {row["date"]: row["total"] for row in rows}
    days = [start + dt.timedelta(days=i) for i in range(DAILY_DAYS)]
    return [(day, sums.get(day, 0)) for day in days]


def monthly(business, today: dt.date) -> list[tuple[dt.date, int, int]]:
    """(first day, money in, money out) of each of the last MONTHS_BACK months, this month included, oldest
    first."""
    firsts = [month_start(today, back) for back in range(MONTHS_BACK - 1, -1, -1)]
    by_day = selectors.daily(business, start=firsts[0], end=today)
    sums = {first: [0, 0] for first in firsts}
    for day, totals in by_day.items():
        pair = sums[dt.date(day.year, day.month, 1)]
        pair[0] += totals.money_in
        pair[1] += totals.money_out
    return [(first, *sums[first]) for first in firsts]
