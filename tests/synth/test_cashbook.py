"""The synthetic cash book (synth/cashbook.py): deterministic, calibrated to BPS's July 2020 survey, and shaped
so that a closure shows in the books before it happens."""

import datetime as dt
import random
import statistics
from collections import defaultdict

import pytest

from naikkelas.ledger.models import Category, Direction, Method
from naikkelas.synth import calibration as cal
from naikkelas.synth.cashbook import MIN_MONTHS, CashBookHistory, Trader

END = dt.date(2026, 11, 29)
HISTORY = CashBookHistory(seed=7, end=END, months=24)
SIZES = ("micro",) * 95 + ("small",) * 5


def trader(key, kategori="G", size="micro", **fields) -> Trader:
    values = {"annual_sales": 90_000_000, "employees": 2, "methods": ("cash", "qris"), **fields}
    return Trader(key=key, kategori=kategori, size_class=size, **values)


def sample(count: int, *, kategori: str | None = None, seed: int = 1) -> list[Trader]:
    """Micro and small businesses with the calibration's sector mix (or one kategori)."""
    rng = random.Random(seed)
    sectors, weights = zip(*cal.SECTOR_SHARES.items())
    return [
        trader(
            f"{seed}-{n}",
            kategori or rng.choices(sectors, weights)[0],
            rng.choice(SIZES),
            annual_sales=int(rng.lognormvariate(17.9, 1.0)) + 3_000_000,
            employees=rng.choice((1, 1, 1, 2, 3, 6)),
        )
        for n in range(count)
    ]


def fell(outcome) -> bool:
    return outcome.revenue_change < -0.04  # BPS's "turun"; within ±4 % counts as level


@pytest.fixture(scope="module")
def outcomes():
    return [HISTORY.outcome(t) for t in sample(4_000)]


def test_the_same_seed_and_business_give_the_same_history_and_another_seed_another():
    business = trader("warung-1")
    assert HISTORY.for_business(business) == CashBookHistory(seed=7, end=END, months=24).for_business(business)
    assert HISTORY.for_business(business)[1] != CashBookHistory(seed=8, end=END, months=24).for_business(business)[1]
    assert HISTORY.outcome(business) == HISTORY.for_business(business)[0]


def test_a_history_covers_whole_months_up_to_its_last_day_with_the_shock_inside():
    assert HISTORY.start == dt.date(2024, 12, 1) and HISTORY.days[-1] == END
    assert HISTORY.shock_day == dt.date(2025, 8, 15)
    with pytest.raises(ValueError):
        CashBookHistory(seed=1, end=END, months=MIN_MONTHS - 1)


def test_entries_are_cash_book_values_inside_the_history_and_none_after_closing():
    closed = 0
    for business in sample(150, seed=3):
        outcome, entries = HISTORY.for_business(business)
        assert entries == sorted(entries, key=lambda entry: entry[0])
        for day, direction, amount, category, method in entries:
            assert HISTORY.start <= day <= END
            assert direction in Direction.values and category in Category.values and method in Method.values
            assert isinstance(amount, int) and amount > 0
        if outcome.closed_on is not None:
            closed += 1
            assert all(entry[0] < outcome.closed_on for entry in entries)
    assert closed  # the sample reaches the case it checks


def test_revenue_falls_for_the_share_bps_found_overall(outcomes):
    expected = sum(
        share * cal.REVENUE_FELL.get(k, cal.REVENUE_FELL_OTHER) for k, share in cal.SECTOR_SHARES.items()
    ) / sum(cal.SECTOR_SHARES.values())
    share = 100 * sum(map(fell, outcomes)) / len(outcomes)
    assert abs(share - expected) < 2.5, (share, expected)
    assert 80 < expected < 88  # BPS: 82.85 % of all businesses, 84.20 % of micro and small


@pytest.mark.parametrize("kategori", ["I", "L"])
def test_revenue_falls_by_sector_from_accommodation_and_food_to_real_estate(kategori):
    results = [HISTORY.outcome(t) for t in sample(1_000, kategori=kategori, seed=5)]
    share = 100 * sum(map(fell, results)) / len(results)
    assert abs(share - cal.REVENUE_FELL[kategori]) < 4, share


def test_about_a_tenth_of_micro_and_small_businesses_stop_within_four_months_of_the_shock(outcomes):
    shock = HISTORY.shock_day
    stopped = [o for o in outcomes if o.closed_on and shock <= o.closed_on <= shock + dt.timedelta(days=120)]
    assert 0.08 < len(stopped) / len(outcomes) < 0.125
    # and the deeper the fall, the likelier: those that stopped fell further than those that did not
    assert statistics.mean(o.revenue_change for o in stopped) < statistics.mean(o.revenue_change for o in outcomes)


def test_some_recover_some_close_later_and_most_survive(outcomes):
    shock = HISTORY.shock_day
    later = [o for o in outcomes if o.closed_on and o.closed_on > shock + dt.timedelta(days=120)]
    assert 0.03 < len(later) / len(outcomes) < 0.15
    assert 0.3 < sum(o.recovered for o in outcomes if fell(o)) / sum(map(fell, outcomes)) < 0.7
    assert sum(o.closed_on is None for o in outcomes) / len(outcomes) > 0.7


def sales_by_day(entries) -> dict[dt.date, int]:
    sales = defaultdict(int)
    for day, direction, amount, category, _method in entries:
        if direction == "in" and category == "sales":
            sales[day] += amount
    return sales


def window(sales, first: dt.date, last: dt.date) -> float:
    return sum(amount for day, amount in sales.items() if first <= day <= last) / ((last - first).days + 1)


def test_a_closure_shows_in_the_books_months_before_it_happens():
    ratios = []
    for business in sample(600, seed=11):
        outcome, entries = HISTORY.for_business(business)
        closed = outcome.closed_on
        if closed is None or closed < HISTORY.shock_day + dt.timedelta(days=150):
            continue
        sales = sales_by_day(entries)
        before = window(sales, HISTORY.start, HISTORY.shock_day - dt.timedelta(days=1))
        last_month = window(sales, closed - dt.timedelta(days=30), closed - dt.timedelta(days=1))
        ratios.append(last_month / before if before else 0)
    assert len(ratios) >= 10
    assert statistics.median(ratios) < 0.45


def test_sales_follow_the_shock_the_week_and_lebaran():
    shock, eid = HISTORY.shock_day, cal.IDUL_FITRI[6]  # 31 March 2025, inside the history
    totals = defaultdict(float)
    for business in sample(300, kategori="I", seed=13):
        sales = sales_by_day(HISTORY.for_business(business)[1])
        totals["before"] += window(sales, shock - dt.timedelta(days=90), shock - dt.timedelta(days=1))
        totals["after"] += window(sales, shock + dt.timedelta(days=30), shock + dt.timedelta(days=120))
        totals["lebaran"] += window(sales, eid, eid + dt.timedelta(days=2))
        totals["saturday"] += sum(amount for day, amount in sales.items() if day.weekday() == 5 and day < shock)
        totals["monday"] += sum(amount for day, amount in sales.items() if day.weekday() == 0 and day < shock)
    assert totals["after"] < 0.75 * totals["before"]
    assert totals["lebaran"] < 0.4 * totals["before"]
    assert totals["saturday"] > 1.15 * totals["monday"]  # a warung makan's weekend


def out_over_in(entries) -> float:
    money_in = sum(amount for _day, direction, amount, *_rest in entries if direction == "in")
    return sum(amount for _day, direction, amount, *_rest in entries if direction == "out") / max(1, money_in)


def test_fixed_costs_go_on_while_sales_sink_before_a_closure():
    ratios = []
    for business in sample(600, seed=17):
        outcome, entries = HISTORY.for_business(business)
        if outcome.closed_on is None or outcome.closed_on < HISTORY.start + dt.timedelta(days=200):
            continue
        early = [e for e in entries if e[0] < HISTORY.start + dt.timedelta(days=90)]
        last = [e for e in entries if e[0] >= outcome.closed_on - dt.timedelta(days=30)]
        if any(e[1] == "in" for e in last):
            ratios.append(out_over_in(last) / out_over_in(early))
    assert len(ratios) >= 10
    assert statistics.median(ratios) > 1.1  # money out weighs more against money in than it did
