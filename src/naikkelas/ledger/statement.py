"""The financial statement an owner takes to the bank (for a KUR loan, say), in the shape of SAK EMKM: a Laporan
Laba Rugi for a period of up to 12 months, a simple Laporan Posisi Keuangan at the period's last day, and the
notes that say how the figures were made. The figures come from the cash book alone, so they are cash-based:
income is money received, expenses are money paid out; receivables and payables come from the debts.

Here too are the links an owner makes to send the statement: a secret token, valid for the days the owner
chose (1 to 30), until it expires or the owner revokes it. Whoever holds the link sees the PDF and nothing else.
"""

import datetime as dt
import secrets
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from naikkelas.core.access import not_found
from naikkelas.core.audit import audit_record
from naikkelas.ledger import selectors
from naikkelas.ledger.access import access_books
from naikkelas.ledger.forms import parse_month
from naikkelas.ledger.models import Category, Debt, Direction, Entry, Source, StatementShare
from naikkelas.ledger.services import business_today
from naikkelas.regions.selectors import region_get, region_label

MAX_MONTHS = 12
SHARE_DAYS = (1, 30)
DEFAULT_SHARE_DAYS = 7


# -- the period ----------------------------------------------------------------------------------------------


def _month_index(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def _month_last_day(first: dt.date) -> dt.date:
    index = _month_index(first) + 1
    return dt.date(index // 12, index % 12 + 1, 1) - dt.timedelta(days=1)


def default_months(today: dt.date) -> tuple[str, str]:
    """The last 12 months, this one included, as the form shows them ("2024-06", "2025-05")."""
    index = _month_index(today) - (MAX_MONTHS - 1)
    first = dt.date(index // 12, index % 12 + 1, 1)
    return first.strftime("%Y-%m"), today.strftime("%Y-%m")


def period_from(start_text, end_text, *, today: dt.date) -> tuple[dt.date, dt.date]:
    """(first day, last day) of the months "YYYY-MM" to "YYYY-MM", both included, up to 12 months and never
    past `today` (a period that ends this month ends today). Anything else is refused with what to change."""
    start, end = parse_month(start_text), parse_month(end_text)
    errors: dict[str, str] = {}
    if start is None:
        errors["dari"] = _("Pilih bulan awal (mis. 2024-01).")
    if end is None:
        errors["sampai"] = _("Pilih bulan akhir (mis. 2024-12).")
    if errors:
        raise ValidationError(errors)
    months = _month_index(end) - _month_index(start) + 1
    if months < 1:
        raise ValidationError({"sampai": _("Bulan akhir tidak boleh sebelum bulan awal.")})
    if months > MAX_MONTHS:
        raise ValidationError(
            {"sampai": _("Laporan paling panjang %(n)s bulan; periode ini %(months)s bulan.") % {"n": MAX_MONTHS, "months": months}}
        )
    if start > today:
        raise ValidationError({"dari": _("Bulan awal belum tiba.")})
    return start, min(_month_last_day(end), today)


def period_text(start: dt.date, end: dt.date) -> str:
    return f"{formats.date_format(start, 'j F Y')} - {formats.date_format(end, 'j F Y')}"


# -- the figures ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    label: str
    amount: int


@dataclass(frozen=True)
class Statement:
    business_name: str
    nib: str
    address: str
    region: str
    start: dt.date
    end: dt.date
    generated: dt.date
    income: list[Line] = field(default_factory=list)  # pendapatan
    expenses: list[Line] = field(default_factory=list)  # beban
    cash: int = 0  # kas: all money in minus all money out up to the period's last day
    receivables: int = 0  # piutang usaha remaining at the period's last day
    payables: int = 0  # utang usaha remaining at the period's last day

    @property
    def income_total(self) -> int:
        return sum(line.amount for line in self.income)

    @property
    def expenses_total(self) -> int:
        return sum(line.amount for line in self.expenses)

    @property
    def profit(self) -> int:
        return self.income_total - self.expenses_total

    @property
    def assets(self) -> int:
        return self.cash + self.receivables

    @property
    def liabilities(self) -> int:
        return self.payables

    @property
    def equity(self) -> int:
        return self.assets - self.liabilities

    @property
    def period(self) -> str:
        return period_text(self.start, self.end)


def _by_category(business, *, start: dt.date, end: dt.date, direction: str) -> dict[str, int]:
    rows = (
        selectors.entries(business, start=start, end=end)
        .filter(direction=direction)
        .order_by()
        .values("category")
        .annotate(total=Sum("amount"))
    )
    return {row["category"]: row["total"] for row in rows}


def _debts_open_at(business, end: dt.date) -> tuple[int, int]:
    """(receivables, payables) still unpaid at the end of `end`: debts made by then, less what was paid by
    then. Payments made later are added back (every payment names its debt in its source key)."""
    debts = {
        debt.pk: debt for debt in Debt.objects.filter(business=business, date__lte=end).only("pk", "kind", "amount", "paid")
    }
    paid_later: dict[int, int] = {}
    later = Entry.objects.filter(business=business, source=Source.DEBT, date__gt=end, source_key__startswith="debt:")
    for key, amount in later.values_list("source_key", "amount"):
        try:
            pk = int(key.split(":")[1])
        except (IndexError, ValueError):
            continue
        paid_later[pk] = paid_later.get(pk, 0) + amount
    sums = {Debt.Kind.RECEIVABLE: 0, Debt.Kind.PAYABLE: 0}
    for debt in debts.values():
        open_then = min(debt.amount, debt.remaining + paid_later.get(debt.pk, 0))
        sums[debt.kind] = sums.get(debt.kind, 0) + open_then
    return sums[Debt.Kind.RECEIVABLE], sums[Debt.Kind.PAYABLE]


# The order the lines are shown in: sales first, as in every Laba Rugi, then the costs of a small shop.
INCOME_ORDER = [Category.SALES, Category.OTHER]
EXPENSE_ORDER = [
    Category.STOCK, Category.WAGES, Category.RENT, Category.UTILITIES, Category.TRANSPORT, Category.OTHER,
]


def statement_for(business, *, start: dt.date, end: dt.date, generated: dt.date | None = None) -> Statement:
    """The figures of `business` (already through its gate) from `start` to `end`, both included.

    Money given back on a sale (a refunded order: money out in the sales category) lowers the sales it was
    part of rather than counting as an expense, as a sales return does in a Laba Rugi."""
    money_in = _by_category(business, start=start, end=end, direction=Direction.IN)
    money_out = _by_category(business, start=start, end=end, direction=Direction.OUT)
    income = []
    for category in INCOME_ORDER + [c for c in Category if c not in INCOME_ORDER]:
        amount = money_in.get(category, 0) - (money_out.get(category, 0) if category == Category.SALES else 0)
        if category == Category.SALES or amount:
            label = _("Penjualan") if category == Category.SALES else _("Pendapatan lain-lain")
            if category not in (Category.SALES, Category.OTHER):
                label = _("Pendapatan: %(category)s") % {"category": Category(category).label}
            income.append(Line(label, amount))
    expenses = [
        Line(_("Beban %(category)s") % {"category": str(Category(category).label).lower()}, money_out[category])
        for category in EXPENSE_ORDER
        if money_out.get(category)
    ]
    receivables, payables = _debts_open_at(business, end)
    village = region_get(business.village_id) if business.village_id else None
    return Statement(
        business_name=business.name,
        nib=business.nib or "",
        address=business.address or "",
        region=region_label(village) if village else "",
        start=start,
        end=end,
        generated=generated or business_today(business),
        income=income,
        expenses=expenses,
        cash=selectors.totals(business, end=end).net,
        receivables=receivables,
        payables=payables,
    )


def notes(statement: Statement) -> list[tuple[str, str]]:
    """The notes to the statement (Catatan atas Laporan Keuangan): (title, text), in order."""
    entity = statement.business_name
    if statement.nib:
        entity += ", " + _("NIB %(nib)s") % {"nib": statement.nib}
    place = ", ".join(part for part in (statement.address, statement.region) if part)
    found = [
        (_("Entitas"), entity + (f". {place}." if place else ".")),
        (
            _("Dasar penyusunan"),
            _(
                "Laporan ini disusun dalam format Standar Akuntansi Keuangan Entitas Mikro, Kecil, dan Menengah "
                "(SAK EMKM) dari catatan kas yang dibuat pemilik di Naik Kelas. Pencatatan berbasis kas: "
                "pendapatan diakui saat uang diterima dan beban saat uang dibayar. Uang yang dikembalikan atas "
                "penjualan mengurangi penjualan. Mata uang rupiah, tanpa sen."
            ),
        ),
        (_("Periode"), statement.period),
        (
            _("Kas"),
            _(
                "Kas adalah semua uang masuk dikurangi semua uang keluar yang tercatat sampai %(day)s. Modal awal "
                "yang tidak dicatat tidak termasuk."
            ) % {"day": formats.date_format(statement.end, "j F Y")},
        ),
        (
            _("Piutang dan utang"),
            _("Sisa yang belum dibayar pada %(day)s dari catatan utang-piutang (kasbon).")
            % {"day": formats.date_format(statement.end, "j F Y")},
        ),
        (
            _("Yang tidak termasuk"),
            _("Persediaan barang, aset tetap dan penyusutannya tidak dicatat di buku kas, sehingga tidak disajikan."),
        ),
        (_("Tanggal dibuat"), formats.date_format(statement.generated, "j F Y")),
    ]
    return found


# -- links to send it ----------------------------------------------------------------------------------------


def live_shares(business) -> list[StatementShare]:
    """The business's links that still open, newest first."""
    return list(
        StatementShare.objects.filter(business=business, revoked_at__isnull=True, expires_at__gt=timezone.now())
    )


@transaction.atomic
def statement_share_create(*, actor, business, start: dt.date, end: dt.date, days) -> StatementShare:
    """A link to the statement of `start`–`end`, valid for `days` days (1 to 30); the owner's only."""
    if not (getattr(actor, "is_authenticated", False) and business.owner_id == actor.pk):
        raise ValidationError(_("Hanya pemilik usaha yang bisa membagikan laporannya."), code="not_owner")
    low, high = SHARE_DAYS
    if isinstance(days, bool) or not isinstance(days, int) or not low <= days <= high:
        raise ValidationError({"hari": _("Masa berlaku tautan %(low)s sampai %(high)s hari.") % {"low": low, "high": high}})
    if not (isinstance(start, dt.date) and isinstance(end, dt.date)) or end < start:
        raise ValidationError({"sampai": _("Bulan akhir tidak boleh sebelum bulan awal.")})
    share = StatementShare.objects.create(
        business=business,
        token=secrets.token_urlsafe(24),
        start=start,
        end=end,
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    audit_record(
        actor=actor, action="ledger.statement_share_create", obj=share,
        changes={"start": start.isoformat(), "end": end.isoformat(), "days": days},
    )
    return share


@transaction.atomic
def statement_share_revoke(*, actor, share: StatementShare) -> None:
    """The link stops opening at once; revoking it twice changes nothing."""
    if share.revoked_at is not None:
        return
    share.revoked_at = timezone.now()
    share.save(update_fields=["revoked_at"])
    audit_record(actor=actor, action="ledger.statement_share_revoke", obj=share)


def access_share(actor, business_id, share_id) -> StatementShare:
    """A link of the business whose books `actor` keeps; the same 404 for anyone else's and a missing one."""
    business = access_books(actor, business_id)
    try:
        pk = int(share_id)
    except (TypeError, ValueError):
        raise not_found() from None
    share = StatementShare.objects.filter(business=business, pk=pk).first()
    if share is None:
        raise not_found()
    share.business = business
    return share


def access_shared(token) -> StatementShare:
    """The link behind `token` while it opens; an unknown, expired or revoked one is the same 404."""
    token = str(token or "")
    if not 16 <= len(token) <= 64:
        raise not_found()
    share = (
        StatementShare.objects.select_related("business")
        .filter(token=token, revoked_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    if share is None:
        raise not_found()
    return share
