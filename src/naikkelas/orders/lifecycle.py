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

An order placed through a partner platform (its channel, "partner:<slug>") may also be moved by that
partner, for what happens on its side: its buyer, its checkout, its couriers. Confirming and shipping stay
the shop's. What the partner may set (`channel_targets`), within the table above:

    to          from                                        why
    paid        new, confirmed; shipped if COD and unpaid   the partner's checkout took the buyer's money
    cancelled   new, confirmed                              the buyer cancelled before the shop sent anything
    completed   shipped                                     the buyer confirmed receipt on the partner's side
    refunded    paid; shipped or completed if paid          the partner gives back money it took itself
                (only when the partner recorded the payment)

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


# What a partner may ever set on its own orders (paying has its own door, as for the owner).
CHANNEL_SETTABLE = frozenset({PAID, CANCELLED, COMPLETED, REFUNDED})


def channel_targets(status: str, *, payment_method: str, paid: bool, paid_by_channel: bool) -> frozenset[str]:
    """Every status the partner platform the order came from may move it to now (see the table above):
    `paid_by_channel` tells whether the payment on record is the one that partner reported."""
    targets = set(allowed_targets(status, payment_method=payment_method, paid=paid) & CHANNEL_SETTABLE)
    targets.discard(PAID)
    if can_mark_paid(status, payment_method=payment_method, paid=paid):
        targets.add(PAID)
    if status not in OPEN:
        # After the shop sent the goods, a cancellation is the shop's call (the parcel came back to it).
        targets.discard(CANCELLED)
    if not paid_by_channel:
        # Money the shop received itself (cash, its own QRIS) is the shop's to give back.
        targets.discard(REFUNDED)
    return frozenset(targets)
