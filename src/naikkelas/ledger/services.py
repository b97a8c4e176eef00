"""Writes of the cash book. Other apps post through here with ids and amounts (never model instances of
their own), and every posting names its source, so that it is recorded once however often it is sent:

    entry_record(...)          an entry the owner makes; the form's client-made id keeps a resent form once
    entry_delete(...)          the owner takes a mistaken entry out
    order_post(...)            a paid order's sale, and its refund (orders.services, in its transaction)
    channel_sales_post(...)    a partner's sales for one business and day (replaced when the partner re-sends)
    debt_record(...), debt_pay(...), debt_reminder_link(...)   who owes what, paid in parts, reminded on WhatsApp
"""

import datetime as dt
import re
import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from naikkelas.accounts.phones import normalize_phone
from naikkelas.core.audit import audit_record
from naikkelas.core.money import rupiah
from naikkelas.core.whatsapp import wa_link
from naikkelas.ledger.access import OFFICER_SUMMARY
from naikkelas.ledger.models import Category, Debt, Direction, Entry, Method, Source, StatementShare
from naikkelas.regions.selectors import village_zone
from naikkelas.registry.services import consent_record

# The text the owner agrees to on the cash book page (templates/ledger/home.html); bump when it changes.
OFFICER_SUMMARY_VERSION = "2026-11"

MAX_AMOUNT = 10**13  # Rp 10 trillion: far above any UMKM's entry, far below the column's limit
EARLIEST = dt.date(2000, 1, 1)
CLIENT_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")


def business_today(business) -> dt.date:
    """Today on the business's own calendar (WIB, WITA or WIT)."""
    return timezone.localtime(timezone.now(), village_zone(business.village_id)).date()


def _owner(actor, business) -> None:
    if not (getattr(actor, "is_authenticated", False) and business.owner_id == actor.pk):
        raise ValidationError(_("Hanya pemilik usaha yang bisa mengubah buku kasnya."), code="not_owner")


def _checked(*, business, direction, amount, date, category, method, note, party) -> dict:
    errors: dict[str, str] = {}
    if direction not in Direction.values:
        errors["direction"] = _("Pilih uang masuk atau uang keluar.")
    if isinstance(amount, bool) or not isinstance(amount, int) or not 0 < amount <= MAX_AMOUNT:
        errors["amount"] = _("Jumlah harus angka rupiah bulat lebih dari 0.")
    if not isinstance(date, dt.date) or isinstance(date, dt.datetime):
        errors["date"] = _("Tanggal tidak dikenali.")
    elif date < EARLIEST:
        errors["date"] = _("Tanggal terlalu lama (sebelum tahun 2000).")
    elif date > business_today(business):
        errors["date"] = _("Tanggal tidak boleh di masa depan.")
    if category not in Category.values:
        errors["category"] = _("Pilih kategori.")
    if method not in Method.values:
        errors["method"] = _("Pilih cara bayar.")
    note, party = (note or "").strip(), (party or "").strip()
    if len(note) > 200:
        errors["note"] = _("Catatan paling panjang 200 huruf.")
    if len(party) > 120:
        errors["party"] = _("Nama pelanggan/pemasok paling panjang 120 huruf.")
    if errors:
        raise ValidationError(errors)
    return {
        "direction": direction, "amount": amount, "date": date, "category": category, "method": method,
        "note": note, "party": party,
    }


def _once(business_id: int, source_key: str, make) -> tuple[Entry, bool]:
    """The entry of `source_key`, made by `make()` unless it exists; (entry, made now)."""
    found = Entry.objects.filter(business_id=business_id, source_key=source_key).first()
    if found is not None:
        return found, False
    try:
        with transaction.atomic():
            return make(), True
    except IntegrityError:
        # Sent twice at the same moment: the other one was recorded first.
        return Entry.objects.get(business_id=business_id, source_key=source_key), False


@transaction.atomic
def entry_record(
    *, actor, business, direction: str, amount: int, date: dt.date, category: str, method: str = Method.CASH,
    note: str = "", party: str = "", client_id: str = "",
) -> Entry:
    """An entry the owner makes. `client_id` is made by the form when it is shown: the same form sent again
    (a flaky connection, a double tap) returns the entry recorded the first time."""
    _owner(actor, business)
    fields = _checked(
        business=business, direction=direction, amount=amount, date=date, category=category, method=method,
        note=note, party=party,
    )
    if client_id and not CLIENT_ID.match(client_id):
        raise ValidationError(_("Formulir tidak dikenali. Muat ulang halaman lalu isi lagi."), code="bad_client_id")
    key = f"form:{client_id}" if client_id else ""

    def make() -> Entry:
        entry = Entry.objects.create(
            business=business, source=Source.MANUAL, source_key=key, created_by=actor, **fields
        )
        audit_record(actor=actor, action="ledger.entry_record", obj=entry, changes={"amount": entry.signed_amount})
        return entry

    if not key:
        return make()
    return _once(business.pk, key, make)[0]


@transaction.atomic
def entry_delete(*, actor, entry: Entry) -> None:
    """Only what the owner wrote by hand: postings of orders and partners follow their source."""
    _owner(actor, entry.business)
    if entry.source not in (Source.MANUAL, Source.IMPORT, Source.SYNTH):
        raise ValidationError(
            _("Catatan ini dibuat otomatis dari %(source)s; ubah sumbernya, bukan catatannya.")
            % {"source": Source(entry.source).label.lower()},
            code="automatic",
        )
    audit_record(actor=actor, action="ledger.entry_delete", obj=entry, changes={"amount": entry.signed_amount})
    entry.delete()


ORDER_METHODS = {"qris": Method.QRIS, "cod": Method.CASH, "transfer": Method.TRANSFER}


def order_post(
    *, business_id: int, order_id: int, number: int, amount: int, day: dt.date, payment_method: str, refund: bool
) -> bool:
    """The sale of a paid order (`refund` False) or the money given back for it (True), once each;
    True when recorded now. Called inside the order's own transaction."""
    if amount <= 0:
        return False
    key = f"order:{order_id}:{'refund' if refund else 'sale'}"

    def make() -> Entry:
        return Entry.objects.create(
            business_id=business_id,
            direction=Direction.OUT if refund else Direction.IN,
            amount=amount,
            date=day,
            category=Category.SALES,
            method=ORDER_METHODS.get(payment_method, Method.TRANSFER),
            note=(_("Pengembalian pesanan #%(n)s") if refund else _("Pesanan #%(n)s")) % {"n": number},
            source=Source.ORDER,
            source_key=key,
        )

    return _once(business_id, key, make)[1]


def channel_sales_post(*, business_id: int, partner_id: int, partner_name: str, day: dt.date, amount: int, orders: int) -> None:
    """A partner's sales for the business on `day`: one entry per partner and day, replaced when the partner
    sends the day again (gone when the day's amount becomes 0)."""
    key = f"partner:{partner_id}:{day.isoformat()}"
    if amount <= 0:
        Entry.objects.filter(business_id=business_id, source_key=key).delete()
        return
    note = _("Penjualan lewat %(partner)s (%(n)s pesanan)") % {"partner": partner_name, "n": orders}
    updated = Entry.objects.filter(business_id=business_id, source_key=key).update(amount=amount, note=note[:200])
    if not updated:
        _once(
            business_id,
            key,
            lambda: Entry.objects.create(
                business_id=business_id, direction=Direction.IN, amount=amount, date=day, category=Category.SALES,
                method=Method.TRANSFER, note=note[:200], source=Source.PARTNER, source_key=key,
            ),
        )


# -- debts and receivables ("kasbon") ------------------------------------------------------------------------


@transaction.atomic
def debt_record(
    *, actor, business, kind: str, party: str, amount: int, date: dt.date, phone: str = "",
    due_date: dt.date | None = None, note: str = "", client_id: str = "",
) -> Debt:
    """Who owes what (`kind` receivable: owed to the business; payable: owed by it). The form's client id
    keeps a resent form once, as for entries."""
    _owner(actor, business)
    errors: dict[str, str] = {}
    if kind not in Debt.Kind.values:
        errors["kind"] = _("Pilih: orang lain berutang ke saya, atau saya berutang.")
    party = (party or "").strip()
    if not party or len(party) > 120:
        errors["party"] = _("Tulis nama orangnya (paling panjang 120 huruf).")
    if isinstance(amount, bool) or not isinstance(amount, int) or not 0 < amount <= MAX_AMOUNT:
        errors["amount"] = _("Jumlah harus angka rupiah bulat lebih dari 0.")
    if not isinstance(date, dt.date) or date < EARLIEST or date > business_today(business):
        errors["date"] = _("Tanggal harus hari ini atau sebelumnya.")
    if due_date is not None and isinstance(date, dt.date) and due_date < date:
        errors["due_date"] = _("Jatuh tempo tidak boleh sebelum tanggal utangnya.")
    if len((note or "").strip()) > 200:
        errors["note"] = _("Catatan paling panjang 200 huruf.")
    if phone:
        try:
            phone = normalize_phone(phone)
        except ValidationError as error:
            errors["phone"] = error.messages[0]
    if client_id and not CLIENT_ID.match(client_id):
        errors["client_id"] = _("Formulir tidak dikenali. Muat ulang halaman lalu isi lagi.")
    if errors:
        raise ValidationError(errors)
    key = f"form:{client_id}" if client_id else ""
    found = Debt.objects.filter(business=business, source_key=key).first() if key else None
    if found is not None:
        return found
    debt = Debt.objects.create(
        business=business, kind=kind, party=party, phone=phone, amount=amount, date=date, due_date=due_date,
        note=(note or "").strip(), source_key=key,
    )
    audit_record(actor=actor, action="ledger.debt_record", obj=debt, changes={"kind": kind, "amount": amount})
    return debt


@transaction.atomic
def debt_pay(*, actor, debt: Debt, amount: int, date: dt.date, method: str = Method.CASH, client_id: str = "") -> Entry:
    """A payment, whole or in part: the debt's paid sum goes up and the cash book records the money (in for a
    receivable, out for a payable). More than what remains is refused, saying how much remains."""
    _owner(actor, debt.business)
    debt = Debt.objects.select_for_update().get(pk=debt.pk)
    if client_id and not CLIENT_ID.match(client_id):
        raise ValidationError(_("Formulir tidak dikenali. Muat ulang halaman lalu isi lagi."), code="bad_client_id")
    if client_id:
        key = f"debt:{debt.pk}:form:{client_id}"
        found = Entry.objects.filter(business_id=debt.business_id, source_key=key).first()
        if found is not None:
            return found  # the same payment form sent again
    else:
        key = f"debt:{debt.pk}:{uuid.uuid4().hex}"  # every payment names its debt
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise ValidationError({"amount": _("Jumlah harus angka rupiah bulat lebih dari 0.")})
    if amount > debt.remaining:
        raise ValidationError(
            {"amount": _("Terlalu banyak: sisa yang belum dibayar hanya %(left)s.") % {"left": rupiah(debt.remaining)}}
        )
    receivable = debt.kind == Debt.Kind.RECEIVABLE
    fields = _checked(
        business=debt.business, direction=Direction.IN if receivable else Direction.OUT, amount=amount, date=date,
        category=Category.SALES if receivable else Category.STOCK, method=method,
        note=(_("Bayar piutang: %(name)s") if receivable else _("Bayar utang: %(name)s")) % {"name": debt.party},
        party=debt.party,
    )
    fields["note"] = fields["note"][:200]
    entry = Entry.objects.create(
        business_id=debt.business_id, source=Source.DEBT, source_key=key, created_by=actor, **fields
    )
    Debt.objects.filter(pk=debt.pk).update(paid=F("paid") + amount)
    audit_record(actor=actor, action="ledger.debt_pay", obj=debt, changes={"amount": amount})
    return entry


def debt_reminder_link(debt: Debt, *, business_name: str) -> str:
    """A WhatsApp link to the person, with a polite reminder of what remains (a receivable with a phone
    number only); "" when there is nobody to remind."""
    if debt.kind != Debt.Kind.RECEIVABLE or not debt.phone or debt.settled:
        return ""
    text = _(
        "Selamat siang, Bapak/Ibu %(name)s. Kami dari %(shop)s ingin mengingatkan dengan hormat, masih ada "
        "pembayaran sebesar %(left)s yang belum diselesaikan."
    ) % {"name": debt.party, "shop": business_name, "left": rupiah(debt.remaining)}
    if debt.due_date:
        text += " " + _("Jatuh temponya %(due)s.") % {"due": formats.date_format(debt.due_date, "j F Y")}
    text += " " + _("Terima kasih banyak.")
    return wa_link(text, debt.phone)


@transaction.atomic
def officer_summary_consent(*, actor, business, granted: bool) -> None:
    """The owner lets the officers of the business's region see its monthly totals (never the entries), or
    stops them; recorded as a registry Consent with its version."""
    _owner(actor, business)
    consent_record(actor=actor, business=business, purpose=OFFICER_SUMMARY, version=OFFICER_SUMMARY_VERSION, granted=granted)


# -- erasure at the owner's request (called by the privacy app) ------------------------------------------------

@transaction.atomic
def books_detach(*, actor, business) -> None:
    """Keep the books of a business whose owner deleted their account, as the law on records requires (UU KUP
    art. 28(11)): entries and debts stay (who recorded them is emptied when the user goes). What only served
    the person goes: statement links, and counterparties' phone numbers (kept for reminders, not a record)."""
    shares = StatementShare.objects.filter(business=business).delete()[0]
    phones = Debt.objects.filter(business=business).exclude(phone="").update(phone="")
    audit_record(actor=actor, action="ledger.books_detach", obj=business, changes={"statement_links": shares, "debt_phones": phones})
