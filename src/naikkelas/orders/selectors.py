"""Reads of orders for the shop's owner. `business` and `order` arguments have already passed orders/access.py
for `actor`; the owner check here is a second lock on the same door."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.paginator import Page, Paginator
from django.db.models import BooleanField, Case, Count, QuerySet, Sum, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from naikkelas.orders import lifecycle
from naikkelas.orders.models import Order, OrderLine, Status
from naikkelas.orders.receipts import business_zone
from naikkelas.registry.models import Business

PAGE_SIZE = 30
ALL = "all"

# What each timestamp of the order's timeline is called, in the order the steps normally happen.
TIMELINE = (
    ("created_at", _("Dipesan")),
    ("confirmed_at", _("Dikonfirmasi")),
    ("paid_at", _("Dibayar")),
    ("shipped_at", _("Dikirim")),
    ("completed_at", _("Selesai")),
    ("cancelled_at", _("Dibatalkan")),
    ("refunded_at", _("Dikembalikan")),
)


def start_of_today(zone: ZoneInfo, now: datetime | None = None) -> datetime:
    local = timezone.localtime(now or timezone.now(), zone)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def _owns(actor, business: Business) -> bool:
    return bool(actor and actor.is_authenticated and actor.is_owner and business.owner_id == actor.pk)


def owner_order_list(*, actor, business: Business, status: str | None = None) -> QuerySet[Order]:
    """The shop's orders, today's (in the shop's own zone) first, then the newest; `is_today` on each."""
    if not _owns(actor, business):
        return Order.objects.none()
    orders = Order.objects.filter(business=business)
    if status:
        orders = orders.filter(status=status)
    today = start_of_today(business_zone(business))
    # Bounded on both sides: an order stamped ahead by a wrong clock is not today's.
    is_today = When(created_at__gte=today, created_at__lt=today + timedelta(days=1), then=Value(True))
    return orders.annotate(
        is_today=Case(is_today, default=Value(False), output_field=BooleanField())
    ).order_by("-is_today", "-created_at", "-pk")


def owner_orders(
    *, actor, business: Business, status: str | None = None, page: int | str = 1, per_page: int = PAGE_SIZE
) -> Page:
    """One page of owner_order_list (a page number out of range gives the nearest page)."""
    orders = owner_order_list(actor=actor, business=business, status=status)
    return Paginator(orders, per_page).get_page(page)


def order_status_counts(*, actor, business: Business) -> dict[str, int]:
    """{status: how many orders, for every status (0 included), ALL: the total}: the filter chips."""
    counts = dict.fromkeys(Status.values, 0)
    if _owns(actor, business):
        rows = Order.objects.filter(business=business).order_by().values("status").annotate(n=Count("pk"))
        counts.update({row["status"]: row["n"] for row in rows})
    counts[ALL] = sum(counts.values())
    return counts


def order_lines(*, actor, order: Order) -> QuerySet[OrderLine]:
    return order.lines.order_by("pk")


def order_timeline(order: Order) -> list[tuple[str, datetime]]:
    """(what happened, when) for every step the order went through, oldest first."""
    steps = [(label, getattr(order, field)) for field, label in TIMELINE if getattr(order, field)]
    return sorted(steps, key=lambda step: step[1])


def order_actions(order: Order) -> list[str]:
    """The statuses the owner can move the order to now (one button each)."""
    return lifecycle.owner_actions(order.status, payment_method=order.payment_method, paid=order.paid_at is not None)


def order_can_mark_paid(order: Order) -> bool:
    return lifecycle.can_mark_paid(order.status, payment_method=order.payment_method, paid=order.paid_at is not None)


def channel_order_list(*, channel: str) -> QuerySet[Order]:
    """The orders that came in through one channel ("partner:<slug>"), lines prefetched, for that platform's
    own reads. The partners edge has already decided who speaks for the channel and which of its
    businesses it may still see."""
    if not channel:
        return Order.objects.none()
    return Order.objects.filter(channel=channel).prefetch_related("lines")


def best_sellers(*, actor, business: Business, start: datetime, end: datetime, limit: int = 5) -> list[dict]:
    """The shop's products that brought in the most over [start, end): units and amount of the orders paid
    in that time and not refunded, by the name on the order lines (a product renamed or deleted since
    still counts under the name it was sold as). For the owner's cash book summary."""
    if not _owns(actor, business):
        return []
    lines = (
        OrderLine.objects.filter(
            order__business=business, order__paid_at__gte=start, order__paid_at__lt=end
        )
        .exclude(order__status=Status.REFUNDED)
        .values("name")
        .annotate(units=Sum("quantity"), amount=Sum("line_total"))
        .order_by("-amount", "name")
    )
    return list(lines[:limit])
