"""Sales that partner platforms report for the businesses sharing with them: per business and day, how many
orders, how many units, and the gross amount in whole rupiah. The cash book and the early-warning engine read
them through `channel_sales`.

A report is the partner's total for that day, not an increment: pushing the same (business, day) again
replaces the figures, so pushing a batch twice leaves what pushing it once did (idempotent by nature; no key
needed). A batch is judged whole before anything is written: one bad row refuses all of them, and the refusal
names every bad row, so the partner fixes them all at once and pushes again.

Figures are the partner's own count of its own sales; orders it also placed through the API are in the shop's
order book as well, so a reader adding both must not count those twice (order channel "partner:<slug>").
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from naikkelas.core.access import MAX_ID
from naikkelas.core.audit import audit_record
from naikkelas.partners.access import shared_q
from naikkelas.partners.models import Partner, SalesReport, Share
from naikkelas.ledger.services import channel_sales_post
from naikkelas.partners import cursors

BATCH_MAX = 1000
ORDERS_MAX = 1_000_000
UNITS_MAX = 100_000_000
# A trillion rupiah in a day on one platform: twenty times the yearly sales of the largest medium business
# (PP 7/2021), so only a typo gets past it.
GROSS_MAX = 1_000_000_000_000
FIRST_DATE = dt.date(2000, 1, 1)
# The first Indonesian zone to start a new day (WIT, UTC+9): a day that has not begun there has not begun
# anywhere in Indonesia, so it cannot have sales yet.
EARLIEST_ZONE = ZoneInfo("Asia/Jayapura")
PAGE_DEFAULT, PAGE_MAX = 100, 500


@dataclass(frozen=True)
class SalesRow:
    business_id: int
    date: dt.date
    orders: int
    units: int
    gross_amount: int


@dataclass(frozen=True)
class RowProblem:
    index: int | None  # the row's place in the batch, from 0; None for the batch as a whole
    field: str
    message: str

    def __str__(self) -> str:
        where = self.field if self.index is None else f"reports[{self.index}].{self.field}"
        return f"{where}: {self.message}"


class SalesReportError(ValidationError):
    """The batch was refused; `problems` names each bad row (one entry per bad field)."""

    def __init__(self, problems: list[RowProblem]):
        super().__init__([str(problem) for problem in problems], code="bad_rows")
        self.problems = problems


def today_in_indonesia(now: dt.datetime | None = None) -> dt.date:
    """The latest date already begun somewhere in Indonesia."""
    return timezone.localtime(now or timezone.now(), EARLIEST_ZONE).date()


def _whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _row_problems(index: int, row: SalesRow, *, shared: set[int], today: dt.date) -> list[RowProblem]:
    problems = []

    def bad(field: str, message: str) -> None:
        problems.append(RowProblem(index, field, message))

    if not _whole(row.business_id) or row.business_id not in shared:
        bad("business_id", _("Usaha tidak ditemukan, atau tidak berbagi dengan mitra Anda."))
    if not isinstance(row.date, dt.date) or isinstance(row.date, dt.datetime):
        bad("date", _("Tulis tanggal sebagai YYYY-MM-DD."))
    elif row.date > today:
        bad("date", _("Tanggal %(date)s belum tiba; laporkan hari yang sudah berjalan.") % {"date": row.date.isoformat()})
    elif row.date < FIRST_DATE:
        bad("date", _("Tanggal sebelum %(first)s tidak diterima.") % {"first": FIRST_DATE.isoformat()})
    limits = {"orders": ORDERS_MAX, "units": UNITS_MAX, "gross_amount": GROSS_MAX}
    numbers_ok = True
    for field, most in limits.items():
        value = getattr(row, field)
        if not _whole(value):
            bad(field, _("Harus bilangan bulat."))
        elif value < 0:
            bad(field, _("Tidak boleh negatif."))
        elif value > most:
            bad(field, _("Terlalu besar (paling banyak %(max)s).") % {"max": f"{most:,}".replace(",", ".")})
        else:
            continue
        numbers_ok = False
    if numbers_ok:
        # Every order holds at least one unit; without orders nothing was sold.
        if row.units < row.orders:
            bad("units", _("Jumlah unit tidak boleh kurang dari jumlah pesanan."))
        if row.orders == 0 and (row.units or row.gross_amount):
            bad("orders", _("Ada unit atau nilai penjualan, tetapi jumlah pesanan 0."))
    return problems


def _shared_ids(partner: Partner, business_ids: Iterable) -> set[int]:
    wanted = {pk for pk in business_ids if _whole(pk) and 1 <= pk <= MAX_ID}
    if not wanted:
        return set()
    return set(
        Share.objects.filter(partner=partner, state=Share.State.GRANTED, business_id__in=wanted).values_list(
            "business_id", flat=True
        )
    )


@transaction.atomic
def sales_report_record(*, partner: Partner, rows: Sequence[SalesRow], now: dt.datetime | None = None) -> list[SalesReport]:
    """Record `partner`'s figures, one row per (business, day), replacing what it reported before for those
    days; returns the stored reports in the batch's order. Raises SalesReportError, writing nothing, when the
    batch is empty or too long, or any row is wrong: a business that does not share with the partner (or
    does not exist: the same words), a day that has not begun in Indonesia, a negative or impossible figure,
    or the same (business, day) twice."""
    rows = list(rows)
    if not 1 <= len(rows) <= BATCH_MAX:
        message = _("Kirim 1 sampai %(max)s baris sekaligus.") % {"max": BATCH_MAX}
        raise SalesReportError([RowProblem(None, "reports", message)])
    now = now or timezone.now()
    today = today_in_indonesia(now)
    shared = _shared_ids(partner, (row.business_id for row in rows))
    problems: list[RowProblem] = []
    first_seen: dict[tuple, int] = {}
    for index, row in enumerate(rows):
        problems += _row_problems(index, row, shared=shared, today=today)
        key = (row.business_id, row.date)
        if key in first_seen:
            problems.append(
                RowProblem(index, "date", _("Usaha dan tanggal ini sudah ada di baris %(row)s.") % {"row": first_seen[key]})
            )
        else:
            first_seen[key] = index
    if problems:
        raise SalesReportError(problems)
    SalesReport.objects.bulk_create(
        [
            SalesReport(
                partner=partner, business_id=row.business_id, date=row.date, orders=row.orders, units=row.units,
                gross_amount=row.gross_amount, received_at=now, updated_at=now,
            )
            for row in rows
        ],
        update_conflicts=True,
        unique_fields=["partner", "business", "date"],
        update_fields=["orders", "units", "gross_amount", "updated_at"],
    )
    stored = {
        (report.business_id, report.date): report
        for report in SalesReport.objects.filter(
            partner=partner, business_id__in={row.business_id for row in rows}, date__in={row.date for row in rows}
        )
    }
    # The owner's cash book shows the partner's sales as they were last reported (one entry a partner a day).
    for row in rows:
        channel_sales_post(
            business_id=row.business_id, partner_id=partner.pk, partner_name=partner.name, day=row.date,
            amount=row.gross_amount, orders=row.orders,
        )
    audit_record(actor=None, action="sales_report.record", obj=partner, changes={"rows": len(rows)})
    return [stored[(row.business_id, row.date)] for row in rows]


# -- reads ---------------------------------------------------------------------------------------------------


def partner_sales_reports(partner: Partner) -> QuerySet[SalesReport]:
    """What `partner` reported, for the businesses that still share with it."""
    return SalesReport.objects.filter(partner=partner).filter(shared_q(partner, "business_id"))


@dataclass(frozen=True)
class SalesPage:
    items: list[SalesReport]
    next_cursor: str | None


def partner_sales_page(
    partner: Partner,
    *,
    business_id: int | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    cursor: str | None = None,
    limit: int = PAGE_DEFAULT,
) -> SalesPage:
    """One page of the partner's reports, by day then business (then id); `date_from` and `date_to` are
    included. Walk the pages with `next_cursor` and the same filters. Raises cursors.BadCursor."""
    reports = partner_sales_reports(partner)
    if business_id is not None:
        reports = reports.filter(business_id=business_id)
    if date_from is not None:
        reports = reports.filter(date__gte=date_from)
    if date_to is not None:
        reports = reports.filter(date__lte=date_to)
    if cursor:
        position = cursors.decode(cursor, list_name="sales", fields={"d": str, "b": int, "i": int})
        try:
            day = dt.date.fromisoformat(position["d"])
        except ValueError:
            raise cursors.BadCursor(cursor) from None
        if not (0 <= position["b"] <= MAX_ID and 0 <= position["i"] <= MAX_ID):
            raise cursors.BadCursor(cursor)
        reports = reports.filter(
            Q(date__gt=day)
            | Q(date=day, business_id__gt=position["b"])
            | Q(date=day, business_id=position["b"], pk__gt=position["i"])
        )
    rows = list(reports.order_by("date", "business_id", "pk")[: limit + 1])
    if len(rows) > limit:
        last = rows[limit - 1]
        position = {"d": last.date.isoformat(), "b": last.business_id, "i": last.pk}
        return SalesPage(rows[:limit], cursors.encode(position, list_name="sales"))
    return SalesPage(rows, None)


@dataclass(frozen=True)
class DailySales:
    date: dt.date
    orders: int
    units: int
    gross_amount: int
    partners: int  # how many partners reported that day


def channel_sales(business_id: int, start: dt.date, end: dt.date) -> list[DailySales]:
    """A business's sales on partner platforms, totalled per day across partners, from `start` to `end`
    (both included), oldest first; days nobody reported are left out. Every report counts, including those
    of partners the business has since stopped sharing with: the sales happened."""
    rows = (
        SalesReport.objects.filter(business_id=business_id, date__gte=start, date__lte=end)
        .values("date")
        .annotate(
            total_orders=Sum("orders"), total_units=Sum("units"), total_gross=Sum("gross_amount"),
            partners=Count("partner", distinct=True),
        )
        .order_by("date")
    )
    return [
        DailySales(
            date=row["date"], orders=row["total_orders"], units=row["total_units"], gross_amount=row["total_gross"],
            partners=row["partners"],
        )
        for row in rows
    ]
