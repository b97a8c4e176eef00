"""Writing the synthetic cash books of `naikkelas synth` (synth/cashbook.py) and each business's true outcome.

Entries are written in bulk (core.bulk: COPY on PostgreSQL, a prepared executemany on SQLite) with source
"synth", the way an owner would have written them by hand day after day. The outcome of each business
(closed or not, and when) goes to demo.SyntheticOutcome, apart from anything the platform records, so that
early warnings on synthetic data can be checked against what really happened to the businesses.
"""

import datetime as dt
from dataclasses import dataclass

from naikkelas.core.bulk import Same, bulk_insert, bulk_insert_columns, db_value
from naikkelas.demo.models import SyntheticOutcome
from naikkelas.earlywarning.models import Closure
from naikkelas.ledger.models import Entry, Method, Source
from naikkelas.regions.models import Sector
from naikkelas.registry.models import Business
from naikkelas.synth.cashbook import CashBookHistory, Outcome, Trader

WRITE_BATCH = 50_000  # entries per write
ATTNAMES = ("business_id", "date", "direction", "amount", "category", "method", "note", "party", "source", "source_key")
METHODS = frozenset(Method.values)


@dataclass
class CashBookSummary:
    businesses: int = 0
    entries: int = 0
    closed: int = 0


class _Writer:
    def __init__(self, history: CashBookHistory):
        self.history = history
        self.summary = CashBookSummary()
        self.to_date = db_value(Entry, "date")
        self.dates = {day: self.to_date(day) for day in history.days}
        self.columns: list[list] = [[], [], [], [], [], []]
        self.outcomes: list[SyntheticOutcome] = []
        self.closures: list[Closure] = []

    def add(self, business_id: int, trader: Trader) -> Outcome:
        outcome, entries = self.history.for_business(trader)
        if entries:
            days, directions, amounts, categories, methods = zip(*entries)
            ids, dates, *rest = self.columns
            ids.extend([business_id] * len(entries))
            dates.extend(map(self.dates.__getitem__, days))
            for column, values in zip(rest, (directions, amounts, categories, methods)):
                column.extend(values)
        self.outcomes.append(
            SyntheticOutcome(
                business_id=business_id,
                closed_on=outcome.closed_on,
                revenue_change=round(outcome.revenue_change * 100),
                recovered=outcome.recovered,
                history_start=self.history.start,
                history_end=self.history.end,
            )
        )
        if outcome.closed_on is not None:  # in the synthetic world, officers record every closure
            self.closures.append(Closure(business_id=business_id, closed_on=outcome.closed_on, source=Closure.Source.SYNTH))
        self.summary.businesses += 1
        self.summary.entries += len(entries)
        self.summary.closed += outcome.closed_on is not None
        if len(self.columns[0]) >= WRITE_BATCH:
            self.flush()
        return outcome

    def flush(self) -> None:
        if self.columns[0]:
            bulk_insert_columns(Entry, ATTNAMES, [*self.columns, Same(""), Same(""), Same(Source.SYNTH), Same("")])
            self.columns = [[], [], [], [], [], []]
        if self.outcomes:
            bulk_insert(SyntheticOutcome, self.outcomes)
            self.outcomes = []
        if self.closures:
            bulk_insert(Closure, self.closures)
            self.closures = []


def _trader(key, kategori: str, size: str, sales, employees, payments) -> Trader:
    return Trader(
        key=key,
        kategori=kategori,
        size_class=size or "micro",
        annual_sales=sales or 60_000_000,
        employees=employees or 1,
        methods=tuple(method for method in ["cash", *(payments or [])] if method in METHODS) or ("cash",),
    )


def write_synthetic_cash_books(businesses, *, seed: int, months: int, today: dt.date) -> CashBookSummary:
    """Give each of `businesses` (a Business queryset) `months` months of cash book ending the day before
    `today`, and its true outcome. Call inside a transaction; the businesses must have no synthetic cash
    book yet."""
    kategori = dict(Sector.objects.filter(level=Sector.Level.KELOMPOK).values_list("code", "kategori"))
    writer = _Writer(CashBookHistory(seed=seed, end=today - dt.timedelta(days=1), months=months))
    rows = businesses.order_by("pk").values_list(
        "pk", "external_ref", "sector_id", "size_class", "annual_sales", "employees", "payment_methods"
    )
    # Keyed by the agency reference, which a run gives the same business every time (ids change).
    for pk, ref, sector, size, sales, employees, payments in rows.iterator(chunk_size=2_000):
        writer.add(pk, _trader(ref or pk, kategori.get(sector or "", ""), size, sales, employees, payments))
    writer.flush()
    return writer.summary


def write_open_cash_book(business: Business, *, seed: int, months: int, today: dt.date) -> CashBookSummary:
    """A cash book for one business that is still open at the end (the demo owner's: she is using it today).
    The first history of the business's own draws that ends open is the one written."""
    kategori = dict(Sector.objects.filter(code=business.sector_id).values_list("code", "kategori"))
    writer = _Writer(CashBookHistory(seed=seed, end=today - dt.timedelta(days=1), months=months))
    for attempt in range(100):
        trader = _trader(
            f"{business.pk}:{attempt}", kategori.get(business.sector_id or "", ""), business.size_class,
            business.annual_sales, business.employees, business.payment_methods,
        )
        if writer.history.outcome(trader).closed_on is None:
            writer.add(business.pk, trader)
            break
    writer.flush()
    return writer.summary
