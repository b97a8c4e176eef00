"""Orders that partner platforms place into a shop's order book, and what they do with them afterwards.

A partner's order is an ordinary order, placed by orders.services.order_place with the same checks as the
shop's own checkout (the business shares with the partner and takes orders; every product is that shop's,
on sale and in stock; quantities; the buyer's name, phone and address), all or nothing. Its channel is
"partner:<slug>" and its external_ref the partner's own order id, which names one order: sending the same
reference again, under any idempotency key, places nothing and is answered with the order it names.

A partner reads back only its own orders (its channel) of businesses that still share with it; every other
order, like a missing one, is a 404. It may move them only as orders.lifecycle.channel_targets allows; the
shop's own steps (confirming, shipping) reach it as `order.status_changed` webhooks.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from naikkelas.core.access import MAX_ID, not_found
from naikkelas.orders import lifecycle, selectors
from naikkelas.orders.models import Delivery, PaymentMethod, Status
from naikkelas.orders.services import PAID_VIA_MAX, OrderError, order_channel_transition, order_place
from naikkelas.partners import cursors
from naikkelas.partners.access import access_shared_business_id, shared_q
from naikkelas.partners.models import Partner

# Rows changed less than this long ago are not served yet: a change is stamped when its transaction writes
# it, and may commit a moment later than a change stamped after it. Holding back the last seconds means a
# sync that has moved past a time never misses a row that commits with an earlier stamp.
SETTLE = timedelta(seconds=5)
PAGE_DEFAULT, PAGE_MAX = 100, 500
# The words the API speaks for an order's status, delivery and payment: the order book's own.
STATUSES, DELIVERIES, PAYMENT_METHODS = tuple(Status.values), tuple(Delivery.values), tuple(PaymentMethod.values)


class DuplicateOrder(Exception):
    """The partner's reference already names an order (`order_id`)."""

    def __init__(self, order_id: int):
        super().__init__(order_id)
        self.order_id = order_id


def channel_of(partner: Partner) -> str:
    return f"partner:{partner.slug}"


# -- writes --------------------------------------------------------------------------------------------------


def partner_order_place(
    *,
    partner: Partner,
    business_id: int,
    external_ref: str,
    lines: list[tuple[int, int]],
    buyer_name: str,
    buyer_phone: str,
    buyer_address: str = "",
    buyer_village_code: str | None = None,
    delivery: str,
    payment_method: str,
    note: str = "",
):
    """Place the partner's order at a business that shares with it (Http404 otherwise, as for a missing one).
    Raises DuplicateOrder when `external_ref` was used before by this partner, OrderError when the order
    cannot be placed; nothing is written then."""
    business_id = access_shared_business_id(partner, business_id)
    channel = channel_of(partner)
    try:
        return order_place(
            business_id=business_id,
            lines=lines,
            buyer_name=buyer_name,
            buyer_phone=buyer_phone,
            buyer_address=buyer_address,
            buyer_village_code=buyer_village_code,
            delivery=delivery,
            payment_method=payment_method,
            note=note,
            channel=channel,
            external_ref=external_ref,
        )
    except OrderError as error:
        if error.code != "duplicate_external_ref":
            raise
        existing = selectors.channel_order_list(channel=channel).filter(external_ref=external_ref.strip()).first()
        if existing is None:
            raise
        raise DuplicateOrder(existing.pk) from None


def partner_order_set_status(*, partner: Partner, order_id, status: str):
    """Move one of the partner's orders (Http404 for any other) to `status`; OrderError "not_allowed" when
    the partner may not make that move now."""
    order = partner_order(partner, order_id)
    try:
        return order_channel_transition(channel=channel_of(partner), order_id=order.pk, to=status)
    except OrderError as error:
        if error.code == "not_found":
            raise not_found() from None
        raise


# -- reads ---------------------------------------------------------------------------------------------------


def partner_orders(partner: Partner) -> QuerySet:
    """The partner's own orders, of the businesses that still share with it, lines prefetched."""
    return selectors.channel_order_list(channel=channel_of(partner)).filter(shared_q(partner, "business_id"))


def partner_order(partner: Partner, order_id):
    """One of partner_orders; Http404 for anything else, missing or not the partner's alike."""
    order = partner_orders(partner).filter(pk=order_id).first()
    if order is None:
        raise not_found()
    return order


def partner_actions(partner: Partner, order) -> list[str]:
    """The statuses the partner may set on `order` now, in the lifecycle's order."""
    paid = order.paid_at is not None
    targets = lifecycle.channel_targets(
        order.status,
        payment_method=order.payment_method,
        paid=paid,
        paid_by_channel=paid and order.paid_via == channel_of(partner)[:PAID_VIA_MAX],
    )
    return [status for status in lifecycle.TIMESTAMP if status in targets]


def order_document(partner: Partner, order) -> dict:
    """What the API says about an order (schema: api/orders.py OrderOut)."""
    return {
        "id": order.pk,
        "business_id": order.business_id,
        "number": order.number,
        "external_ref": order.external_ref,
        "status": order.status,
        "paid": order.paid_at is not None,
        "delivery": order.delivery,
        "payment_method": order.payment_method,
        "note": order.note,
        "buyer": {
            "name": order.buyer_name,
            "phone": order.buyer_phone,
            "address": order.buyer_address,
            "village_code": order.buyer_village_id,
        },
        "lines": [
            {
                "product_id": line.product_id,
                "name": line.name,
                "unit": line.unit,
                "unit_price": line.unit_price,
                "quantity": line.quantity,
                "line_total": line.line_total,
            }
            for line in order.lines.all()
        ],
        "subtotal": order.subtotal,
        "unique_code": order.unique_code,
        "total": order.total,
        "currency": "IDR",
        "created_at": order.created_at,
        "updated_at": order.updated_at,
        **{field: getattr(order, field) for field in lifecycle.TIMESTAMP.values()},
        "actions": partner_actions(partner, order),
    }


def as_utc(moment: datetime) -> datetime:
    """`moment` in UTC. Databases keep offsets within their own range (PostgreSQL refuses -16:21, which ISO
    8601 allows); a moment that falls off the calendar in UTC becomes its first or last instant."""
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        return (datetime.min if moment.year == datetime.min.year else datetime.max).replace(tzinfo=UTC)


@dataclass(frozen=True)
class OrderPage:
    items: list
    next_cursor: str | None
    next_updated_since: datetime | None


def partner_order_page(
    partner: Partner,
    *,
    updated_since: datetime | None = None,
    cursor: str | None = None,
    limit: int = PAGE_DEFAULT,
    business_id: int | None = None,
    status: str | None = None,
    now: datetime | None = None,
) -> OrderPage:
    """One page of the partner's orders, oldest change first, by (updated_at, id).

    Walk the pages with `next_cursor` (the same filters each time); the last page has no cursor and gives
    `next_updated_since`, the time to ask from on the next sync. Raises cursors.BadCursor."""
    bound = (now or timezone.now()) - SETTLE
    if updated_since is not None:
        updated_since = as_utc(updated_since)
    orders = partner_orders(partner).filter(updated_at__lte=bound)
    if business_id is not None:
        orders = orders.filter(business_id=business_id)
    if status:
        orders = orders.filter(status=status)
    if cursor:
        position = cursors.decode(cursor, list_name="orders", fields={"u": str, "i": int})
        try:
            after = datetime.fromisoformat(position["u"])
        except ValueError:
            raise cursors.BadCursor(cursor) from None
        if after.tzinfo is None or not 0 <= position["i"] <= MAX_ID:
            raise cursors.BadCursor(cursor)
        after = as_utc(after)
        orders = orders.filter(Q(updated_at__gt=after) | Q(updated_at=after, pk__gt=position["i"]))
    elif updated_since is not None:
        orders = orders.filter(updated_at__gte=updated_since)
    rows = list(orders.order_by("updated_at", "pk")[: limit + 1])
    if len(rows) > limit:
        last = rows[limit - 1]
        position = {"u": last.updated_at.isoformat(), "i": last.pk}
        return OrderPage(rows[:limit], cursors.encode(position, list_name="orders"), None)
    next_since = max(bound, updated_since) if updated_since is not None else bound
    return OrderPage(rows, None, next_since)
