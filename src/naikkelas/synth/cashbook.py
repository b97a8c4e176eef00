"""Two years of a business's cash book, day by day, through a shock like COVID-19's: pure Python.

`CashBookHistory(seed=..., end=...).for_business(trader)` gives one business's `Outcome` (did it close, and
when; how far its revenue fell) and its entries, oldest first, as (date, direction, amount, category,
method) tuples in the cash book's own values (ledger.models). The same seed, end and trader give the same
history.

The shape of a history:
- before the shock, a level of daily sales from the business's declared annual sales, with its sector's
  week (warung makan sell most at the weekend, workshops least on Sunday), the Ramadan and Lebaran season,
  a slow trend and day-to-day noise; days it does not open;
- the shock, SHOCK_AFTER_MONTHS into the history: revenue falls for the share of businesses BPS found in
  its sector in July 2020, stays level or rises for the rest, and about a tenth of micro and small
  businesses stop within four months (the deeper the fall, the likelier); some of the rest recover over the
  following months, some stay low, and some close later;
- a business heading for closure shows it first: over its last weeks sales sink, it opens less often and
  buys less stock, while rent, wages and bills go on;
- besides, a few businesses go through a dip that they come back from (an illness, a renovation), and any
  business may close for reasons of its own, so a fall is a warning, not a verdict.

Expenses follow sales: stock bought every few days in proportion to what was sold, wages for the workers
beyond the owner at the month's end, rent and bills at the month's start. Every figure is in
synth/calibration.py with its source or marked as an assumption (docs/DATA.md).
"""

import datetime as dt
import math
import random
from dataclasses import dataclass

from naikkelas.synth import calibration as cal

IN, OUT = "in", "out"
MIN_MONTHS = cal.SHOCK_AFTER_MONTHS + 6  # room for the shock and what follows it


@dataclass(frozen=True)
class Trader:
    """What the history needs of one business. `methods` are the ways it is paid (cash-book method values)."""

    key: object
    kategori: str
    size_class: str
    annual_sales: int
    employees: int = 1
    methods: tuple[str, ...] = ("cash",)


@dataclass(frozen=True)
class Outcome:
    """What really happened: the day it closed (None if it was still open at the end of the history) and the
    change of its sales from before the shock to four months after it (-0.62 for a fall of 62 %)."""

    closed_on: dt.date | None
    revenue_change: float
    recovered: bool


def _months_before(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, 1)


def _season(day: dt.date, profile: str) -> float:
    """Ramadan and Lebaran: trade and home industry sell more in the fasting month and most in its last ten
    days; nearly everyone closes for the first days of Lebaran; food stalls sell less by day in Ramadan."""
    for eid in cal.IDUL_FITRI:
        offset = (day - eid).days
        if -30 <= offset < 8:
            break
    else:
        return 1.0
    if 0 <= offset < 4:
        return 0.15
    if offset >= 4:
        return 0.8
    if profile == "food":
        return 0.85
    if profile in ("trade", "making"):
        return 1.4 if offset >= -10 else 1.15
    return 1.0


class CashBookHistory:
    def __init__(self, *, seed: int, end: dt.date, months: int = 24):
        if months < MIN_MONTHS:
            raise ValueError(f"a history needs at least {MIN_MONTHS} months")
        self.seed = seed
        self.start = _months_before(end, months - 1)
        self.end = end
        self.days = [self.start + dt.timedelta(days=n) for n in range((end - self.start).days + 1)]
        shock_month = _months_before(self.start, -cal.SHOCK_AFTER_MONTHS)
        self.shock = (shock_month.replace(day=15) - self.start).days
        # Each sector profile's weekday and season factor for every day, shared by all its businesses.
        self.factors = {
            profile: [week[day.weekday()] * _season(day, profile) for day in self.days]
            for profile, week in cal.WEEKDAY_SALES.items()
        }

    def for_business(self, trader: Trader) -> tuple[Outcome, list[tuple]]:
        rng, path = self._path(trader)
        return self._outcome(path), _Book(rng, trader, self).write(path)

    def outcome(self, trader: Trader) -> Outcome:
        """The outcome for_business would give, without writing the entries."""
        return self._outcome(self._path(trader)[1])

    def _path(self, trader: Trader) -> tuple[random.Random, "_Path"]:
        rng = random.Random(f"{self.seed}:{trader.key}")
        return rng, _Path(rng, trader, shock=self.shock, length=len(self.days))

    def _outcome(self, path: "_Path") -> Outcome:
        closed_on = self.days[path.closed] if path.closed is not None else None
        return Outcome(closed_on, round(path.change, 4), path.recovered)

    @property
    def shock_day(self) -> dt.date:
        return self.days[self.shock]


class _Path:
    """The level of a business's sales, day by day, as a share of its level before the shock."""

    def __init__(self, rng: random.Random, trader: Trader, *, shock: int, length: int):
        self.shock = shock
        self.length = length
        fell = cal.REVENUE_FELL.get(trader.kategori, cal.REVENUE_FELL_OTHER) / 100
        rose = cal.REVENUE_ROSE
        u = rng.random()
        if u < fell:
            self.change = -min(0.95, max(0.05, rng.betavariate(*cal.FALL_DEPTH_BETA)))
        elif u < fell + rose:
            self.change = rng.uniform(0.05, 0.3)
        else:
            self.change = rng.uniform(-0.04, 0.04)
        self.trend = rng.gauss(0, cal.YEARLY_TREND_SIGMA) / 365
        self.recovered = False
        self.recover_from = self.recover_to = length
        self.recover_level = 1 + self.change
        depth = -self.change if self.change < 0 else 0.0
        closed = None
        if trader.size_class in ("micro", "small") and rng.random() < cal.STOPPED_AFTER_SHOCK_SCALE * depth**2:
            closed = shock + rng.randint(*cal.STOPPED_WITHIN_DAYS)
        elif depth:
            if rng.random() < cal.RECOVERY_SHARE:
                self.recovered = True
                self.recover_from = shock + rng.randint(60, 180)
                self.recover_to = self.recover_from + rng.randint(90, 270)
                self.recover_level = 1 - depth * rng.uniform(0, 0.2)
            else:
                self.recover_from = shock + rng.randint(60, 180)
                self.recover_to = self.recover_from + 365
                self.recover_level = 1 - depth * 0.7
                if rng.random() < cal.LATE_CLOSURE_SCALE * depth:
                    closed = rng.randint(shock + 120, length + 180)
        if rng.random() < cal.YEARLY_CLOSURE * length / 365:
            own = rng.randint(0, length + 60)
            closed = own if closed is None else min(closed, own)
        self.closed = closed if closed is not None and closed < length else None
        # The decline before closing: from `fade_from` sales sink to `fade_floor` of their level.
        self.fade_from = self.fade_floor = None
        if closed is not None:
            self.fade_from = max(0, closed - rng.randint(*cal.DECLINE_BEFORE_CLOSING_DAYS))
            self.fade_floor = rng.uniform(0.15, 0.4)
        # A dip the business comes back from.
        self.dip = None
        if rng.random() < cal.TEMPORARY_DIP_SHARE:
            begin = rng.randint(0, length - 30)
            self.dip = (begin, begin + rng.randint(30, 90), 1 - rng.uniform(0.3, 0.6))

    def level(self, t: int) -> float:
        """Sales on day t against before the shock; 0 once closed."""
        if self.closed is not None and t >= self.closed:
            return 0.0
        level = 1 + self.trend * t
        if t >= self.shock:
            since = t - self.shock
            shocked = 1 + self.change * min(1.0, since / 30)
            if t >= self.recover_from:
                share = min(1.0, (t - self.recover_from) / max(1, self.recover_to - self.recover_from))
                shocked += (self.recover_level - (1 + self.change)) * share
            level *= shocked
        if self.fade_from is not None and t >= self.fade_from:
            share = (t - self.fade_from) / max(1, self.closed_or_end() - self.fade_from)
            level *= 1 - (1 - self.fade_floor) * min(1.0, share)
        if self.dip is not None and self.dip[0] <= t < self.dip[1]:
            level *= self.dip[2]
        return max(level, 0.0)

    def closed_or_end(self) -> int:
        return self.closed if self.closed is not None else self.length

    def fading(self, t: int) -> float:
        """0 before the decline, rising to 1 at closing."""
        if self.fade_from is None or t < self.fade_from:
            return 0.0
        return min(1.0, (t - self.fade_from) / max(1, self.closed_or_end() - self.fade_from))


class _Book:
    def __init__(self, rng: random.Random, trader: Trader, history: CashBookHistory):
        self.rng = rng
        self.trader = trader
        self.history = history
        profile = cal.SECTOR_PROFILE.get(trader.kategori, "service")
        self.profile = profile
        self.factors = history.factors[profile]
        self.daily = trader.annual_sales / 365 * math.exp(rng.gauss(0, 0.15))
        self.step = 500 if trader.size_class == "micro" else 1000
        self.open_share = cal.OPEN_DAYS[profile]
        self.stock_ratio = cal.STOCK_COST_RATIO[profile] * rng.uniform(0.85, 1.15)
        self.stock_every = cal.STOCK_EVERY_DAYS[profile]
        digital = [m for m in trader.methods if m != "cash"]
        self.digital = digital
        self.digital_share = rng.uniform(*cal.DIGITAL_SALES_SHARE) if digital else 0.0
        monthly = self.daily * 30
        workers = max(0, trader.employees - 1)
        wage = cal.MONTHLY_WAGE[trader.size_class]
        # Wages come out of what is left after stock, so that a shop pays its helpers from its margin.
        self.wages = min(workers * wage, monthly * (1 - self.stock_ratio) * cal.WAGES_AT_MOST)
        self.rent = monthly * rng.uniform(*cal.RENT_SHARE) if rng.random() < cal.RENTS_PREMISES[profile] else 0
        self.bills = monthly * rng.uniform(*cal.BILLS_SHARE)

    def amount(self, value: float) -> int:
        return int(value / self.step + 0.5) * self.step

    def write(self, path: _Path) -> list[tuple]:
        rng, random_, gauss = self.rng, self.rng.random, self.rng.gauss
        days, factors, daily = self.history.days, self.factors, self.daily
        stock_category = "transport" if self.profile == "transport" else "stock"
        entries = []
        sold_since_stock = 0.0
        last_stock = 0
        end = path.closed if path.closed is not None else len(days)
        for t in range(end):
            day = days[t]
            level = path.level(t)
            fading = path.fading(t)
            if day.day == 1 and self.rent:
                entries.append((day, OUT, self.amount(self.rent), "rent", "cash"))
            if day.day == 3 and self.bills:
                entries.append((day, OUT, self.amount(self.bills * rng.uniform(0.85, 1.15)), "utilities", "cash"))
            if self.wages and (day + dt.timedelta(days=1)).day == 1:
                cut = 0.5 if t >= path.shock and level < 0.6 else 1.0  # fewer hours when sales are far down
                entries.append((day, OUT, self.amount(self.wages * cut), "wages", "cash"))
            if random_() >= self.open_share * (1 - 0.6 * fading) or factors[t] < 0.2 and random_() < 0.8:
                continue
            sales = daily * level * factors[t] * math.exp(gauss(0, 0.3))
            if sales < self.step:
                continue
            digital = sales * self.digital_share if self.digital and random_() < 0.8 else 0.0
            cash = self.amount(sales - digital)
            if cash > 0:
                entries.append((day, IN, cash, "sales", "cash"))
            if digital >= self.step:
                method = self.digital[0] if len(self.digital) == 1 else rng.choice(self.digital)
                entries.append((day, IN, self.amount(digital), "sales", method))
            sold_since_stock += sales
            if t - last_stock >= self.stock_every and sold_since_stock > 0:
                spend = sold_since_stock * self.stock_ratio * (1 - 0.5 * fading) * math.exp(gauss(0, 0.15))
                if spend >= self.step:
                    entries.append((day, OUT, self.amount(spend), stock_category, "cash"))
                sold_since_stock, last_stock = 0.0, t
            if random_() < cal.OTHER_EXPENSE_PER_DAY:
                entries.append((day, OUT, self.amount(daily * rng.uniform(0.1, 0.5)), "other", "cash"))
        return entries
