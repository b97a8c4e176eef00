"""Writes about payments: a shop's payment settings, the owner's "paid" button, gateway callbacks.

Keyword-only arguments; each call is one transaction. Marking an order paid always goes through
orders.services.order_mark_paid, whose conditional update is what keeps an order from being paid twice.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from naikkelas.core.audit import audit_record
from naikkelas.orders.models import Order, Status
from naikkelas.orders.services import order_mark_paid
from naikkelas.payments import qris
from naikkelas.payments.models import Gateway, GatewayEvent, PaymentSettings

ACCOUNT_DIGITS = (5, 20)
PAYMENT_SUCCEEDED = "payment.succeeded"
EVENT_ID_MAX = GatewayEvent._meta.get_field("event_id").max_length
EVENT_TYPE_MAX = GatewayEvent._meta.get_field("kind").max_length
PAID_VIA_MAX = Order._meta.get_field("paid_via").max_length


# ---- Payment settings -------------------------------------------------------------------------------------


def static_qris(payload: str) -> qris.Qris:
    """The decoded static QRIS an owner may register; ValidationError (in Indonesian) for anything else."""
    try:
        code = qris.decode(payload)
    except qris.QrisError as error:
        raise ValidationError(str(error), code=f"qris_{error.code}") from None
    if code.is_dynamic:
        raise ValidationError(
            _(
                "Ini QRIS dinamis, yang hanya berlaku untuk satu transaksi. Daftarkan QRIS statis yang dicetak "
                "penyedia QRIS Anda (biasanya ditempel di meja kasir)."
            ),
            code="qris_dynamic",
        )
    return code


def account_number_digits(raw: str) -> str:
    """The account number as digits only (people type it with spaces, dots or dashes, as banks print it)."""
    digits = "".join(ch for ch in raw if ch not in " .-")
    low, high = ACCOUNT_DIGITS
    if not (digits.isascii() and digits.isdigit() and low <= len(digits) <= high):
        raise ValidationError(
            _("Nomor rekening harus %(low)s sampai %(high)s angka.") % {"low": low, "high": high},
            code="account_number",
        )
    return digits


def _no_method() -> ValidationError:
    return ValidationError(
        _("Pilih setidaknya satu cara bayar: QRIS, transfer bank, atau bayar di tempat (COD)."), code="no_method"
    )


def _transfer_fields(bank_name: str, bank_account_number: str, bank_account_holder: str) -> dict:
    values = {
        "bank_name": " ".join(bank_name.split()),
        "bank_account_number": bank_account_number.strip(),
        "bank_account_holder": " ".join(bank_account_holder.split()),
    }
    filled = [name for name, value in values.items() if value]
    if filled and len(filled) != len(values):
        raise ValidationError(
            _("Untuk transfer bank, isi nama bank, nomor rekening dan atas nama; atau kosongkan ketiganya."),
            code="transfer_incomplete",
        )
    if filled:
        values["bank_account_number"] = account_number_digits(values["bank_account_number"])
    return values


@transaction.atomic
def payment_settings_update(
    *,
    actor,
    business,
    cod_enabled: bool,
    bank_name: str = "",
    bank_account_number: str = "",
    bank_account_holder: str = "",
    qris_payload: str | None = None,
) -> PaymentSettings:
    """Save how `business` gets paid. `qris_payload`: None keeps the registered QRIS, "" removes it, a payload
    registers it (a valid static QRIS only). Bank details: all three or none. At least one method stays on.
    Raises ValidationError and writes nothing when anything is wrong; audited with old and new values."""
    settings = PaymentSettings.objects.select_for_update().filter(business=business).first()
    created = settings is None
    if created:
        settings = PaymentSettings(business=business)
    updates: dict = {"cod_enabled": bool(cod_enabled)}
    updates.update(_transfer_fields(bank_name, bank_account_number, bank_account_holder))
    if qris_payload is not None:
        payload = qris_payload.strip()
        if payload:
            code = static_qris(payload)
            # Tag 59 holds at most 25 characters by the standard; a longer one is kept whole in the payload.
            updates.update(qris_payload=payload, qris_merchant_name=code.merchant_name[:25], qris_nmid=code.nmid[:20])
        else:
            updates.update(qris_payload="", qris_merchant_name="", qris_nmid="")
    before = {name: getattr(settings, name) for name in updates}
    for name, value in updates.items():
        setattr(settings, name, value)
    if not (settings.qris_enabled or settings.transfer_enabled or settings.cod_enabled):
        raise _no_method()
    changes = {name: [before[name], value] for name, value in updates.items() if before[name] != value}
    if "qris_payload" in changes:
        # The payload itself is long and says no more than its NMID and merchant name, which are logged.
        changes["qris_payload"] = "diubah" if settings.qris_payload else "dihapus"
    if changes or created:
        settings.full_clean()
        settings.save()
        audit_record(actor=actor, action="payment_settings.update", obj=settings, changes=changes)
    return settings


# ---- The owner's "paid" button ----------------------------------------------------------------------------


@transaction.atomic
def payment_confirm(*, actor, order_id: int) -> Order:
    """The shop owner received the money for an order (cash, a transfer, a QRIS payment seen on their phone):
    the order becomes paid, recording who said so and when. Raises ValidationError when the order cannot be
    marked paid now (already paid, cancelled...), changing nothing."""
    order = Order.objects.select_related("business").filter(pk=order_id).first()
    if order is None or order.business.owner_id is None or order.business.owner_id != actor.pk:
        raise ValidationError(_("Hanya pemilik toko yang bisa menandai pesanan lunas."), code="not_owner")
    if not order_mark_paid(order_id=order.pk, by=actor, via="owner"):
        order.refresh_from_db()
        if order.paid_at is not None:
            message = _("Pesanan #%(number)s sudah lunas sejak sebelumnya.")
        else:
            message = _("Pesanan #%(number)s tidak bisa ditandai lunas karena statusnya: %(status)s.")
        raise ValidationError(
            message % {"number": order.number, "status": order.get_status_display()}, code="not_payable"
        )
    order.refresh_from_db()
    return order


# ---- Gateway callbacks ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CallbackEvent:
    """A gateway's callback body, checked for shape (see docs/API.md, "Payment gateway callbacks")."""

    event_id: str
    type: str
    order_token: str = ""
    amount: int | None = None
    paid_at: datetime | None = None


@dataclass(frozen=True)
class CallbackResult:
    event_id: str
    outcome: str
    repeat: bool  # this event id was received before; nothing was done this time


def _bad(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def _text(data: dict, name: str, limit: int) -> str:
    value = data.get(name)
    if not isinstance(value, str) or not value.strip():
        raise _bad(_("Kolom %(name)s wajib berisi teks.") % {"name": name}, f"missing_{name}")
    if len(value) > limit or not value.isprintable():
        raise _bad(
            _("Kolom %(name)s paling panjang %(limit)s karakter biasa.") % {"name": name, "limit": limit},
            f"invalid_{name}",
        )
    return value


def parse_callback(body: bytes) -> CallbackEvent:
    """The event in a callback body; ValidationError with an Indonesian message when it is malformed."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise _bad(_("Isi callback harus JSON (UTF-8)."), "malformed_json") from None
    if not isinstance(data, dict):
        raise _bad(_("Isi callback harus satu objek JSON."), "malformed_json")
    event_id = _text(data, "event_id", EVENT_ID_MAX)
    kind = _text(data, "type", EVENT_TYPE_MAX)
    if kind != PAYMENT_SUCCEEDED:
        return CallbackEvent(event_id=event_id, type=kind)
    token = _text(data, "order_token", 64)
    amount = data.get("amount")
    # bool is an int in Python, and JSON's 15000.0 is a float: neither is a whole-rupiah amount.
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
        raise _bad(_("Kolom amount wajib bilangan bulat rupiah lebih dari nol."), "invalid_amount")
    paid_at = None
    if data.get("paid_at") is not None:
        raw = data["paid_at"]
        paid_at = parse_datetime(raw) if isinstance(raw, str) else None
        if paid_at is None or paid_at.tzinfo is None:
            raise _bad(
                _("Kolom paid_at harus waktu ISO 8601 dengan zona waktu, mis. 2025-01-31T10:15:00+07:00."),
                "invalid_paid_at",
            )
    return CallbackEvent(event_id=event_id, type=kind, order_token=token, amount=amount, paid_at=paid_at)


def _why_not_paid(order: Order) -> str:
    if order.paid_at is not None:
        return "ignored: already paid"
    if order.status == Status.CANCELLED:
        return "ignored: order cancelled"
    if order.status == Status.REFUNDED:
        return "ignored: order refunded"
    return f"ignored: status {order.status}"


@transaction.atomic
def gateway_callback(*, gateway: Gateway, event: CallbackEvent, body: bytes) -> CallbackResult:
    """Act on one signed callback, exactly once per (gateway, event id).

    The event row goes in first, in this same transaction: its unique constraint makes a repeat (or the same
    callback arriving twice at once) fail to insert, and the repeat gets the first one's outcome without
    touching anything. A payment only moves an order that is still waiting for one (order_mark_paid's
    conditional update), so a late or re-ordered event for an order already paid or cancelled is recorded
    as ignored."""
    try:
        with transaction.atomic():
            record = GatewayEvent.objects.create(
                gateway=gateway,
                event_id=event.event_id,
                kind=event.type,
                outcome="received",
                body_sha256=hashlib.sha256(body).hexdigest(),
            )
    except IntegrityError:
        first = GatewayEvent.objects.get(gateway=gateway, event_id=event.event_id)
        return CallbackResult(event_id=event.event_id, outcome=first.outcome, repeat=True)

    record.outcome = _act(gateway=gateway, event=event, record=record)
    record.save(update_fields=["order", "outcome"])
    return CallbackResult(event_id=event.event_id, outcome=record.outcome, repeat=False)


def _act(*, gateway: Gateway, event: CallbackEvent, record: GatewayEvent) -> str:
    if event.type != PAYMENT_SUCCEEDED:
        return "ignored: unhandled type"
    order = Order.objects.filter(token=event.order_token).first()
    if order is None:
        return "ignored: unknown order"
    record.order = order
    if event.amount != order.total:
        return "ignored: amount mismatch"
    via = f"gateway:{gateway.name}:{event.event_id}"[:PAID_VIA_MAX]
    if order_mark_paid(order_id=order.pk, by=None, via=via):
        return "paid"
    order.refresh_from_db()
    return _why_not_paid(order)


# -- erasure at the owner's request (called by the privacy app) ------------------------------------------------

@transaction.atomic
def payment_settings_erase(*, actor, business) -> bool:
    """Delete the shop's payment settings (its QRIS, bank account and holder's name). True if there were any."""
    deleted, _rows = PaymentSettings.objects.filter(business=business).delete()
    if deleted:
        audit_record(actor=actor, action="payment_settings.erase", obj=business)
    return bool(deleted)
