"""The order lifecycle: the one place that says which status may follow which, and what each step implies.

    from → to    confirmed  paid   shipped   completed  cancelled          refunded
    new          yes        yes    -         -          yes                -
    confirmed    -          yes    COD only  -          yes                -
    paid         -          -      yes       -          -                  yes
    shipped      -          -      -         yes        COD, unpaid        paid
    completed    -          -      -         -          -                  yes
    cancelled, refunded: final

- new → confirmed, paid, cancelled.
- confirmed → paid, cancelled; → shipped for cash on delivery only (the cash comes with the delivery).
- paid → shipped, refunded (stock goes back: nothing left the shop).
- shipped → completed. Completing an unpaid COD order records the payment at the same moment: the courier
  (or the seller) handed over the goods and took the cash, so a completed order is always a paid one.
- shipped → refunded when money was received; → cancelled for an unpaid COD order whose buyer refused the
  parcel (the goods come back, so the stock does too). Refunding money that never came makes no sense.
- completed → refunded: the buyer may return goods or complain after receiving them. The stock is not
  touched: whether returned goods can be sold again is the owner's call (the quick stock edit).
- cancelled and refunded are final.

"Paid" is its own status only until the goods leave; after that, `paid` (the order has a paid_at) tells
whether the money came. Marking an order paid is its own door (`can_mark_paid`, used by
orders.services.order_mark_paid) because payments confirm it from the owner's button and from gateways;
the owner's other buttons are `owner_actions`.

Pure functions over (status, payment method, paid): no database, tested over every combination.
"""

from naikkelas.orders.models import PaymentMethod, Status

NEW, CONFIRMED, PAID, SHIPPED, COMPLETED, CANCELLED, REFUNDED = (
    Status.NEW, Status.CONFIRMED, Status.PAID, Status.SHIPPED, Status.COMPLETED, Status.CANCELLED, Status.REFUNDED,
)
COD = PaymentMethod.COD

TERMINAL = frozenset({CANCELLED, REFUNDED})
# Open orders: waiting for the owner, not yet paid or sent. A transfer's unique code is held while open.
OPEN = frozenset({NEW, CONFIRMED})
# Statuses an order may be marked paid from, moving it to PAID.
PAYABLE = frozenset({NEW, CONFIRMED})
# A COD order may also be marked paid while on its way; its status stays SHIPPED.
PAYABLE_ON_DELIVERY = frozenset({SHIPPED})

# The column stamped when an order enters each status.
TIMESTAMP = {
    CONFIRMED: "confirmed_at",
    PAID: "paid_at",
    SHIPPED: "shipped_at",
    COMPLETED: "completed_at",
    CANCELLED: "cancelled_at",
    REFUNDED: "refunded_at",
}

# The order of the owner's buttons: the step forward first, the way out last.
_BUTTON_ORDER = (CONFIRMED, SHIPPED, COMPLETED, CANCELLED, REFUNDED)


def allowed_targets(status: str, *, payment_method: str, paid: bool) -> frozenset[str]:
    """Every status the order may move to next (including PAID, which only order_mark_paid sets)."""
    cod = payment_method == COD
    if status == NEW:
        return frozenset({CONFIRMED, PAID, CANCELLED})
    if status == CONFIRMED:
        return frozenset({PAID, CANCELLED} | ({SHIPPED} if cod else set()))
    if status == PAID:
        return frozenset({SHIPPED, REFUNDED})
    if status == SHIPPED:
        targets = {COMPLETED}
        if paid:
            targets.add(REFUNDED)
        elif cod:
            targets.add(CANCELLED)
        return frozenset(targets)
    if status == COMPLETED:
        return frozenset({REFUNDED})
    return frozenset()


def can_transition(status: str, to: str, *, payment_method: str, paid: bool) -> bool:
    return to in allowed_targets(status, payment_method=payment_method, paid=paid)


def owner_actions(status: str, *, payment_method: str, paid: bool) -> list[str]:
    """The statuses offered as buttons on the owner's order page (paying has its own button)."""
    targets = allowed_targets(status, payment_method=payment_method, paid=paid)
    return [target for target in _BUTTON_ORDER if target in targets]


def can_mark_paid(status: str, *, payment_method: str, paid: bool) -> bool:
    """Whether the owner (or a gateway) may record the payment now: before it is paid and sent, or, for
    cash on delivery, while the parcel is on its way (the status then stays SHIPPED)."""
    if status in PAYABLE:
        return True
    return status in PAYABLE_ON_DELIVERY and payment_method == COD and not paid


def returns_stock(status: str, to: str) -> bool:
    """Whether moving from `status` to `to` puts the units back on the shelf: a cancellation (nothing was
    delivered, or the parcel came back), or a refund before the goods left."""
    return to == CANCELLED or (to == REFUNDED and status == PAID)


def pays_on_completion(status: str, to: str, *, payment_method: str, paid: bool) -> bool:
    """Completing an unpaid COD order also records its cash as received."""
    return status == SHIPPED and to == COMPLETED and payment_method == COD and not paid
