"""Reads of the cash book, always for a business already through its gate (ledger.access)."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Sum, Value, When

from naikkelas.ledger.models import Debt, Direction, Entry, Source


def entries(business, *, start: dt.date | None = None, end: dt.date | None = None) -> QuerySet[Entry]:
    """Newest first; `start` and `end` included."""
    found = Entry.objects.filter(business=business)
    if start is not None:
        found = found.filter(date__gte=start)
    if end is not None:
        found = found.filter(date__lte=end)
    return found.order_by("-date", "-pk")


@dataclass(frozen=True)
class Totals:
    money_in: int
    money_out: int
    entries: int

    @property
    def net(self) -> int:
        return self.money_in - self.money_out


def totals(business, *, start: dt.date | None = None, end: dt.date | None = None) -> Totals:
    """Money in, money out and the number of entries over the period (all time without bounds); the net of
    all time is the cash on hand."""
    found = entries(business, start=start, end=end).order_by()
    sums = found.aggregate(
        money_in=Sum("amount", filter=Q(direction=Direction.IN), default=0),
        money_out=Sum("amount", filter=Q(direction=Direction.OUT), default=0),
        count=Count("pk"),
    )
    return Totals(money_in=sums["money_in"], money_out=sums["money_out"], entries=sums["count"])


def daily(business, *, start: dt.date, end: dt.date) -> dict[dt.date, Totals]:
    """Totals per day that has entries, `start` to `end` included."""
    signed_in = Case(When(direction=Direction.IN, then="amount"), default=Value(0), output_field=IntegerField())
    signed_out = Case(When(direction=Direction.OUT, then="amount"), default=Value(0), output_field=IntegerField())
    rows = (
        entries(business, start=start, end=end)
        .order_by()
        .values("date")
        .annotate(money_in=Sum(signed_in), money_out=Sum(signed_out), count=Count("pk"))
    )
    return {row["date"]: Totals(row["money_in"], row["money_out"], row["count"]) for row in rows}


def debts(business, *, kind: str, settled: bool) -> QuerySet[Debt]:
    """Unpaid ones by due date (none last), settled ones newest first."""
    found = Debt.objects.filter(business=business, kind=kind)
    if settled:
        return found.filter(paid__gte=F("amount")).order_by("-date", "-pk")
    return found.filter(paid__lt=F("amount")).order_by(F("due_date").asc(nulls_last=True), "date", "pk")


def debt_payments(debt) -> QuerySet[Entry]:
    """The cash-book entries that paid (part of) `debt`, newest first."""
    return Entry.objects.filter(
        business_id=debt.business_id, source=Source.DEBT, source_key__startswith=f"debt:{debt.pk}:"
    ).order_by("-date", "-pk")
