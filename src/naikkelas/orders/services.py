"""Writes to orders: placing one (taking stock), moving it through its lifecycle, recording its payment.

Stock is never oversold. Every unit is taken by a conditional update (`stock >= q` in the WHERE clause), so of
two buyers racing for the last unit exactly one update matches a row; the check constraint stock >= 0 is the
last line behind it. A multi-line order locks its product rows in primary-key order first, so two orders for
the same products in opposite line order queue behind each other instead of deadlocking. On SQLite the
IMMEDIATE transaction already lets one writer in at a time; there select_for_update is a no-op.

Status changes are conditional too (`WHERE status = <what the owner saw>`): two clicks at once, or an owner
and a gateway at once, cannot both pass.

What partner platforms (an edge, which this app does not import) need to hear leaves through the outbox, in
the same transaction as the change: `order.status_changed` whenever an order's status or payment changes
(placing included), `stock.changed` whenever an order takes units or gives them back. Each is written while
the changed row is locked, so events about one order or one product follow the order of the changes. The
stock updates stamp the product's updated_at themselves (a queryset update skips auto_now), because partners
sync products by it.
"""

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from naikkelas.accounts.phones import normalize_phone
from naikkelas.catalog.models import Product
from naikkelas.catalog.services import stock_announce
from naikkelas.core import outbox
from naikkelas.core.audit import audit_record
from naikkelas.core.text import clean_text
from naikkelas.ledger.services import order_post
from naikkelas.orders import lifecycle
from naikkelas.orders.models import Delivery, Order, OrderLine, PaymentMethod, Status
from naikkelas.regions.models import Region
from naikkelas.regions.selectors import region_get, village_zone
from naikkelas.registry.models import Business

MAX_QUANTITY = 999
# A cart of more lines than this is not a shop order; it would also hold many row locks at once.
MAX_LINES = 100
NAME_MIN, NAME_MAX = 2, 120
ADDRESS_MAX = 255
NOTE_MAX = 500
UNIQUE_CODE_MAX = 999
PAID_VIA_MAX = 64
# paid_via of a COD order completed without an earlier "mark paid": the cash came with the delivery.
PAID_VIA_COD = "cod"
CHANNEL_MAX = 72
EXTERNAL_REF_MAX = 64


class OrderError(ValidationError):
    """Why an order cannot be placed or changed, in words the buyer or the owner can act on."""


def _book(order: Order) -> None:
    """The cash book follows the order's money: its sale once it is paid, the money given back once it is
    refunded; each posted once however often this runs (ledger.services keys them by order)."""
    if order.paid_at is None:
        return
    zone = village_zone(order.business.village_id)
    posting = {
        "business_id": order.business_id, "order_id": order.pk, "number": order.number, "amount": order.total,
        "payment_method": order.payment_method,
    }
    order_post(**posting, day=timezone.localtime(order.paid_at, zone).date(), refund=False)
    if order.status == Status.REFUNDED and order.refunded_at is not None:
        order_post(**posting, day=timezone.localtime(order.refunded_at, zone).date(), refund=True)


def _status_changed(order: Order, *, previous: str | None, at) -> None:
    """Tell the cash book and the edges the order moved (or was placed, `previous` None, or had its payment
    recorded)."""
    _book(order)
    outbox.emit(
        topic="order.status_changed",
        key=f"order:{order.pk}",
        business_id=order.business_id,
        payload={
            "id": order.pk,
            "business_id": order.business_id,
            "number": order.number,
            "channel": order.channel,
            "external_ref": order.external_ref,
            "status": order.status,
            "previous_status": previous,
            "paid": order.paid_at is not None,
            "at": at.isoformat(),
        },
    )


def _whole_number(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        return int(value.strip())
    return None


def _merged_lines(lines) -> dict[int, int]:
    """{product id: quantity}, in the order the buyer listed them, a product listed twice counted once."""
    merged: dict[int, int] = {}
    for line in lines or ():
        try:
            raw_product, raw_quantity = line
        except (TypeError, ValueError):
            raise OrderError(_("Isi keranjang tidak bisa dibaca."), code="bad_line") from None
        product_id, quantity = _whole_number(raw_product), _whole_number(raw_quantity)
        if product_id is None:
            raise OrderError(_("Isi keranjang tidak bisa dibaca."), code="bad_line")
        if quantity is None or not 1 <= quantity <= MAX_QUANTITY:
            raise OrderError(
                _("Jumlah tiap produk harus 1 sampai %(max)d.") % {"max": MAX_QUANTITY}, code="bad_quantity"
            )
        merged[product_id] = merged.get(product_id, 0) + quantity
    if not merged:
        raise OrderError(_("Keranjang masih kosong. Pilih produk dulu."), code="empty")
    if len(merged) > MAX_LINES:
        message = _("Terlalu banyak jenis produk dalam satu pesanan (paling banyak %(max)d).") % {"max": MAX_LINES}
        raise OrderError(message, code="too_many_lines")
    if any(quantity > MAX_QUANTITY for quantity in merged.values()):
        raise OrderError(_("Jumlah tiap produk harus 1 sampai %(max)d.") % {"max": MAX_QUANTITY}, code="bad_quantity")
    return merged


def _buyer_fields(*, buyer_name, buyer_phone, buyer_address, buyer_village_code, delivery, payment_method, note):
    name = clean_text(buyer_name)
    if not NAME_MIN <= len(name) <= NAME_MAX:
        raise OrderError(
            _("Nama harus %(min)d sampai %(max)d huruf.") % {"min": NAME_MIN, "max": NAME_MAX}, code="bad_name"
        )
    try:
        phone = normalize_phone(str(buyer_phone or ""))
    except ValidationError as error:
        raise OrderError(error.messages[0], code="bad_phone") from None
    if delivery not in Delivery.values:
        raise OrderError(_("Pilih cara pengiriman."), code="bad_delivery")
    if payment_method not in PaymentMethod.values:
        raise OrderError(_("Pilih cara bayar."), code="bad_payment_method")
    address = clean_text(buyer_address)
    if len(address) > ADDRESS_MAX:
        message = _("Alamat terlalu panjang (paling banyak %(max)d huruf).") % {"max": ADDRESS_MAX}
        raise OrderError(message, code="bad_address")
    if delivery != Delivery.PICKUP and not address:
        raise OrderError(_("Tulis alamat pengiriman."), code="no_address")
    village_code = clean_text(buyer_village_code)
    if village_code:
        village = region_get(village_code)
        if village is None or village.level != Region.Level.VILLAGE:
            raise OrderError(_("Pilih desa/kelurahan dari daftar."), code="bad_village")
    note = clean_text(note, multiline=True)
    if len(note) > NOTE_MAX:
        message = _("Catatan terlalu panjang (paling banyak %(max)d huruf).") % {"max": NOTE_MAX}
        raise OrderError(message, code="bad_note")
    return {
        "buyer_name": name,
        "buyer_phone": phone,
        "buyer_address": address,
        "buyer_village_id": village_code or None,
        "delivery": delivery,
        "payment_method": payment_method,
        "note": note,
    }


def _locked_business(business_id) -> Business:
    """The business row, locked until the end of the transaction: order numbers and transfer codes are
    "the next free one", so orders of one shop take them one at a time. FOR NO KEY UPDATE, so rows that only
    point at the business (a new product, a new order line's order) are not held up by it; OF the business
    alone, since its shop profile may be missing (the nullable side of the join cannot be locked)."""
    pk = _whole_number(business_id)
    business = (
        Business.objects.select_for_update(no_key=True, of=("self",)).select_related("shop").filter(pk=pk).first()
        if pk is not None
        else None
    )
    if business is None:
        raise OrderError(_("Toko tidak ditemukan."), code="no_shop")
    shop = getattr(business, "shop", None)
    if shop is None or not shop.accepting_orders:
        raise OrderError(_("Toko ini sedang tidak menerima pesanan."), code="not_accepting")
    return business


def _short_message(product: Product, left: int) -> str:
    if left <= 0:
        return _("Stok %(name)s habis.") % {"name": product.name}
    return _("Stok %(name)s tidak cukup: tinggal %(left)d %(unit)s.") % {
        "name": product.name, "left": left, "unit": product.unit,
    }


def _take_stock(products: dict[int, Product], quantities: dict[int, int]) -> None:
    """Take each line's units with a conditional update. The rows are locked, so the stock just read is the
    stock now: a line that is short fails without another round trip; the WHERE stock >= q is what holds
    where row locks do not exist."""
    now = timezone.now()
    for product_id in sorted(quantities):
        product = products[product_id]
        if product.made_to_order:
            continue
        quantity = quantities[product_id]
        if product.stock < quantity:
            raise OrderError(_short_message(product, product.stock), code="short")
        taken = Product.objects.filter(pk=product_id, stock__gte=quantity).update(
            stock=F("stock") - quantity, updated_at=now
        )
        if not taken:
            left = Product.objects.filter(pk=product_id).values_list("stock", flat=True).first() or 0
            raise OrderError(_short_message(product, left), code="short")
        # The row is locked (or, on SQLite, the whole database is ours), so this is its stock now.
        stock_announce(
            product_id=product_id, business_id=product.business_id, stock=product.stock - quantity,
            made_to_order=False, at=now,
        )


def _next_number(business: Business) -> int:
    last = Order.objects.filter(business=business).aggregate(last=Max("number"))["last"]
    return (last or 0) + 1


def _unique_code(business: Business) -> int:
    """The smallest code from 1 to 999 that no other open transfer order of the shop holds, so each transfer
    the owner is waiting for has its own amount."""
    held = set(
        Order.objects.filter(
            business=business, payment_method=PaymentMethod.TRANSFER, status__in=lifecycle.OPEN
        ).values_list("unique_code", flat=True)
    )
    for code in range(1, UNIQUE_CODE_MAX + 1):
        if code not in held:
            return code
    raise OrderError(
        _("Terlalu banyak transfer yang belum dibayar di toko ini. Pilih cara bayar lain."), code="no_unique_code"
    )


def _origin(channel, external_ref) -> tuple[str, str]:
    channel, external_ref = clean_text(channel), clean_text(external_ref)
    if len(channel) > CHANNEL_MAX:
        raise OrderError(_("Nama saluran pesanan terlalu panjang."), code="bad_channel")
    if len(external_ref) > EXTERNAL_REF_MAX:
        message = _("Nomor pesanan mitra terlalu panjang (paling banyak %(max)d huruf).") % {"max": EXTERNAL_REF_MAX}
        raise OrderError(message, code="bad_external_ref")
    if external_ref and not channel:
        raise OrderError(_("Nomor pesanan mitra hanya untuk pesanan dari mitra."), code="bad_external_ref")
    return channel, external_ref


def _duplicate_ref() -> OrderError:
    return OrderError(_("Nomor pesanan mitra ini sudah dipakai untuk pesanan lain."), code="duplicate_external_ref")


@transaction.atomic
def order_place(
    *,
    business_id: int,
    lines: list[tuple[int, int]],
    buyer_name: str,
    buyer_phone: str,
    buyer_address: str,
    buyer_village_code: str | None,
    delivery: str,
    payment_method: str,
    note: str = "",
    channel: str = "",
    external_ref: str = "",
) -> Order:
    """Place an order at a shop for the buyer (who needs no account): `lines` are (product id, quantity).
    `channel` names where it came from ("" for the shop's own pages, "partner:<slug>" for a partner
    platform) and `external_ref` that platform's own reference, which names one order per channel.

    Prices come from the database. Raises OrderError, with nothing written, when an input is wrong, the
    reference was used before (code "duplicate_external_ref"), or a product is gone, hidden, from another
    shop or short of stock."""
    channel, external_ref = _origin(channel, external_ref)
    quantities = _merged_lines(lines)
    buyer = _buyer_fields(
        buyer_name=buyer_name,
        buyer_phone=buyer_phone,
        buyer_address=buyer_address,
        buyer_village_code=buyer_village_code,
        delivery=delivery,
        payment_method=payment_method,
        note=note,
    )
    business = _locked_business(business_id)
    # Checked before the stock: a platform sending its order again must hear that it is placed, not that the
    # first attempt took the last units. Orders of one shop queue on its row, so this check holds for them;
    # the unique constraint below holds across shops.
    if external_ref and Order.objects.filter(channel=channel, external_ref=external_ref).exists():
        raise _duplicate_ref()
    # Locked in primary-key order (the ORDER BY runs before the row locks are taken).
    products = {
        product.pk: product
        for product in Product.objects.select_for_update()
        .filter(pk__in=list(quantities), business=business)
        .order_by("pk")
    }
    if len(products) != len(quantities):
        raise OrderError(_("Ada produk yang tidak dijual di toko ini. Muat ulang keranjang."), code="unknown_product")
    for product in products.values():
        if not product.is_active:
            raise OrderError(_("%(name)s sedang tidak dijual.") % {"name": product.name}, code="inactive")
    _take_stock(products, quantities)

    subtotal = sum(products[pk].price * quantity for pk, quantity in quantities.items())
    unique_code = _unique_code(business) if payment_method == PaymentMethod.TRANSFER else 0
    try:
        with transaction.atomic():
            order = Order.objects.create(
                business=business,
                number=_next_number(business),
                subtotal=subtotal,
                unique_code=unique_code,
                total=subtotal + unique_code,
                channel=channel,
                external_ref=external_ref,
                **buyer,
            )
    except IntegrityError:
        if external_ref and Order.objects.filter(channel=channel, external_ref=external_ref).exists():
            raise _duplicate_ref() from None
        raise
    OrderLine.objects.bulk_create(
        OrderLine(
            order=order,
            product=products[pk],
            name=products[pk].name,
            unit=products[pk].unit,
            unit_price=products[pk].price,
            quantity=quantity,
            line_total=products[pk].price * quantity,
            stock_taken=0 if products[pk].made_to_order else quantity,
        )
        for pk, quantity in quantities.items()
    )
    audit_record(
        actor=None,
        action="order.place",
        obj=order,
        changes={
            "number": order.number,
            "total": order.total,
            "payment_method": payment_method,
            "lines": {str(pk): quantity for pk, quantity in quantities.items()},
            **({"channel": channel, "external_ref": external_ref} if channel else {}),
        },
    )
    _status_changed(order, previous=None, at=order.created_at)
    return order


def _owns(actor, order: Order) -> bool:
    return bool(
        actor is not None
        and actor.is_authenticated
        and actor.is_active
        and actor.is_owner
        and order.business.owner_id == actor.pk
    )


def _return_stock(order: Order) -> bool:
    """Put the order's units back on the shelf, once: the flag is claimed by a conditional update, so a
    second call (or a concurrent one) returns nothing. Each line gives back what it took (nothing for
    made-to-order), even if the product has been switched to or from made-to-order since."""
    claimed = Order.objects.filter(pk=order.pk, stock_returned=False).update(stock_returned=True)
    if not claimed:
        return False
    quantities: dict[int, int] = defaultdict(int)
    taken = order.lines.filter(product__isnull=False, stock_taken__gt=0).values_list("product_id", "stock_taken")
    for product_id, quantity in taken:
        quantities[product_id] += quantity
    now = timezone.now()
    for product_id in sorted(quantities):
        if not Product.objects.filter(pk=product_id).update(stock=F("stock") + quantities[product_id], updated_at=now):
            continue
        # The update holds the row's lock until commit, so what is read back is the stock this change left.
        stock, made_to_order = Product.objects.values_list("stock", "made_to_order").get(pk=product_id)
        stock_announce(
            product_id=product_id, business_id=order.business_id, stock=stock, made_to_order=made_to_order, at=now
        )
    return True


@transaction.atomic
def order_transition(*, actor, order_id: int, to: str) -> Order:
    """The shop owner moves an order to status `to`, if orders/lifecycle.py allows it from where it is.

    Cancelling, and refunding before the goods left, put the stock back (once). Paying is not done here:
    it goes through order_mark_paid (the owner's "mark paid" button and gateways)."""
    order = Order.objects.select_related("business").filter(pk=_whole_number(order_id)).first()
    if order is None or not _owns(actor, order):
        raise OrderError(_("Pesanan tidak ditemukan."), code="not_found")
    if to not in Status.values:
        raise OrderError(_("Status pesanan tidak dikenal."), code="bad_status")
    if to == Status.PAID:
        raise OrderError(_("Catat pembayaran dengan tombol “Tandai lunas”."), code="use_mark_paid")
    current, paid = order.status, order.paid_at is not None
    if not lifecycle.can_transition(current, to, payment_method=order.payment_method, paid=paid):
        raise OrderError(
            _("Pesanan berstatus %(current)s tidak bisa diubah menjadi %(to)s.")
            % {"current": Status(current).label, "to": Status(to).label},
            code="not_allowed",
        )
    return _move(order, to=to, actor=actor)


def _move(order: Order, *, to: str, actor, audit: dict | None = None) -> Order:
    """Move `order` (as read, its move already judged allowed) to `to`: stamp the time, record the cash of a
    COD delivery, give the stock back where the lifecycle says so, and tell the edges."""
    current, paid = order.status, order.paid_at is not None
    now = timezone.now()
    updates = {"status": to, lifecycle.TIMESTAMP[to]: now, "updated_at": now}
    pays = lifecycle.pays_on_completion(current, to, payment_method=order.payment_method, paid=paid)
    if pays:
        payer = actor if getattr(actor, "is_authenticated", False) else None
        updates.update(paid_at=now, paid_by=payer, paid_via=PAID_VIA_COD)
    # The rule was checked against (status, paid) as read; the update only lands if both still hold.
    moved = Order.objects.filter(pk=order.pk, status=current, paid_at__isnull=not paid).update(**updates)
    if not moved:
        raise OrderError(_("Pesanan ini baru saja berubah. Muat ulang halaman lalu coba lagi."), code="stale")
    changes = {"status": [current, to], **(audit or {})}
    if pays:
        changes["paid_via"] = PAID_VIA_COD
    if lifecycle.returns_stock(current, to) and _return_stock(order):
        changes["stock_returned"] = True
    audit_record(actor=actor, action="order.transition", obj=order, changes=changes)
    order.refresh_from_db()
    _status_changed(order, previous=current, at=now)
    return order


@transaction.atomic
def order_channel_transition(*, channel: str, order_id: int, to: str) -> Order:
    """The platform an order came from (`channel`, "partner:<slug>") moves it to `to`, within what
    lifecycle.channel_targets allows it; "paid" records that the platform took the money (paid_via is the
    channel). Asking for the status the order already has changes nothing, so a platform may repeat itself.
    Raises OrderError "not_found" for an order of another channel, "not_allowed" for a move it may not make."""
    channel = clean_text(channel)
    pk = _whole_number(order_id)
    order = Order.objects.filter(pk=pk, channel=channel).first() if channel and pk is not None else None
    if order is None:
        raise OrderError(_("Pesanan tidak ditemukan."), code="not_found")
    if to not in Status.values:
        raise OrderError(_("Status pesanan tidak dikenal."), code="bad_status")
    current, paid = order.status, order.paid_at is not None
    if to == current or (to == Status.PAID and paid):
        return order
    paid_by_channel = paid and order.paid_via == channel[:PAID_VIA_MAX]
    targets = lifecycle.channel_targets(
        current, payment_method=order.payment_method, paid=paid, paid_by_channel=paid_by_channel
    )
    if to not in targets:
        raise OrderError(_channel_refusal(order, to), code="not_allowed")
    if to == Status.PAID:
        if not order_mark_paid(order_id=order.pk, by=None, via=channel):
            raise OrderError(_("Pesanan ini baru saja berubah. Baca ulang pesanan lalu coba lagi."), code="stale")
        order.refresh_from_db()
        return order
    return _move(order, to=to, actor=None, audit={"channel": channel})


def _channel_refusal(order: Order, to: str) -> str:
    labels = {"current": Status(order.status).label, "to": Status(to).label}
    if to not in lifecycle.CHANNEL_SETTABLE:
        return _("Status %(to)s diubah oleh toko, bukan oleh mitra.") % labels
    if to == Status.REFUNDED and lifecycle.can_transition(
        order.status, to, payment_method=order.payment_method, paid=order.paid_at is not None
    ):
        return _("Mitra hanya bisa mengembalikan uang yang pembayarannya dicatat oleh mitra itu sendiri.")
    return _("Pesanan berstatus %(current)s tidak bisa diubah menjadi %(to)s oleh mitra.") % labels


@transaction.atomic
def order_mark_paid(*, order_id: int, by=None, via: str) -> bool:
    """Record that the order's money arrived: `by` the owner who says so (None for a gateway), `via` "owner"
    or "gateway:<name>:<event id>". From new or confirmed the order becomes PAID; a COD order already on its
    way stays SHIPPED with its payment recorded. Anywhere else (already paid, cancelled...) nothing changes
    and the answer is False, so a repeated confirmation is harmless."""
    via = clean_text(via)[:PAID_VIA_MAX]
    if not via:
        raise OrderError(_("Sumber pembayaran wajib diisi."), code="no_via")
    pk = _whole_number(order_id)
    # Locked, so the status read is the one the update changes: the event names it as the previous status,
    # and an owner's click at the same moment waits instead of making this payment miss.
    order = Order.objects.select_for_update().filter(pk=pk).first() if pk is not None else None
    if order is None:
        return False
    current, paid = order.status, order.paid_at is not None
    if not lifecycle.can_mark_paid(current, payment_method=order.payment_method, paid=paid):
        return False
    now = timezone.now()
    payer = by if getattr(by, "is_authenticated", False) else None
    fields = {"paid_at": now, "paid_by": payer, "paid_via": via, "updated_at": now}
    # A COD order on its way stays SHIPPED with its cash recorded; otherwise it becomes PAID.
    to = Status.PAID if current in lifecycle.PAYABLE else current
    changed = Order.objects.filter(pk=pk, status=current, paid_at__isnull=not paid).update(status=to, **fields)
    if changed:
        order.refresh_from_db()
        audit_record(actor=payer, action="order.paid", obj=order, changes={"status": order.status, "paid_via": via})
        _status_changed(order, previous=current, at=now)
    return bool(changed)


# -- erasure at the owner's request (called by the privacy app) ------------------------------------------------

# Orders the shop still owes the buyer something on (goods, a delivery, a confirmation): an account cannot be
# deleted under them, since the buyer would be left without anyone to answer.
UNFINISHED = frozenset({Status.NEW, Status.CONFIRMED, Status.PAID, Status.SHIPPED})


@transaction.atomic
def orders_erase_buyer_contacts(*, actor, business: Business) -> int:
    """The orders of a shop whose owner deleted their account are kept as the law on records requires (UU
    KUP art. 28(11)): number, lines, amounts, payment, status times and the buyer's name as on the receipt.
    What only served delivering the order goes: the buyer's phone, street address and note. Refused while an
    order is unfinished. Returns the number of orders changed."""
    unfinished = list(
        Order.objects.select_for_update().filter(business=business, status__in=UNFINISHED)
        .order_by("number").values_list("number", flat=True)
    )
    if unfinished:
        raise ValidationError(
            _("Pesanan %(numbers)s belum selesai.") % {"numbers": ", ".join(f"#{n}" for n in unfinished)},
            code="orders_unfinished",
        )
    changed = Order.objects.filter(business=business).exclude(buyer_phone="", buyer_address="", note="").update(
        buyer_phone="", buyer_address="", note="", updated_at=timezone.now()
    )
    audit_record(actor=actor, action="orders.erase_buyer_contacts", obj=business, changes={"orders": changed})
    return changed
