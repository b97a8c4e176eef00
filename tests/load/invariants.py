"""What must hold after the load scenario, read from the database (Django must be set up):

- **No oversold stock**: for every flash-sale product, the units on the shelf plus the units its open orders
  hold equal what it started with (nothing sold twice, nothing lost), and no shelf is below zero.
- **No double payment**: no order is paid by more than one gateway event; an order a gateway paid names that
  event; no buyer was told "paid" twice for one order.
- **Cash book = paid orders**: every order paid during the run has exactly one sale in its shop's cash book,
  for its total, and a refunded one exactly one refund; no unpaid order has a sale.
- **Nothing the owners saved is lost**: every cash-book entry an owner's form got a confirmation for is in the
  book exactly once.

`tally` is what the load users saw (tests/load/locustfile.py writes it): {"paid": {token: times told paid},
"entries": [client ids of saved entries]}.
"""

from collections import Counter, defaultdict

from django.db.models import Count, Q, Sum
from django.utils.dateparse import parse_datetime

from naikkelas.catalog.models import Product
from naikkelas.ledger.models import Entry
from naikkelas.orders.models import Order, OrderLine, Status
from naikkelas.payments.models import GatewayEvent


def held_units(product_ids) -> dict[int, int]:
    """Units each product's orders still hold (taken off the shelf and not given back)."""
    rows = (
        OrderLine.objects.filter(product_id__in=product_ids, order__stock_returned=False)
        .values("product_id")
        .annotate(held=Sum("stock_taken"))
    )
    return {row["product_id"]: row["held"] or 0 for row in rows}


def stock_baseline(product_ids) -> dict[str, int]:
    held = held_units(product_ids)
    stock = dict(Product.objects.filter(pk__in=product_ids).values_list("pk", "stock"))
    return {str(pk): stock[pk] + held.get(pk, 0) for pk in product_ids}


def stock_problems(baseline: dict[str, int]) -> list[str]:
    ids = [int(pk) for pk in baseline]
    now = stock_baseline(ids)
    shelves = dict(Product.objects.filter(pk__in=ids).values_list("pk", "stock"))
    problems = [f"product {pk}: stock {shelves[pk]} below zero" for pk in ids if shelves[pk] < 0]
    problems += [
        f"product {pk}: shelf + held = {now[str(pk)]}, started with {baseline[str(pk)]}"
        for pk in ids
        if now[str(pk)] != baseline[str(pk)]
    ]
    return problems


def payment_problems(orders, tally_paid: dict[str, int]) -> list[str]:
    problems = []
    paid_events = defaultdict(list)
    for order_id, gateway, event_id in GatewayEvent.objects.filter(order__in=orders, outcome="paid").values_list(
        "order_id", "gateway__name", "event_id"
    ):
        paid_events[order_id].append(f"gateway:{gateway}:{event_id}")
    paid_via = dict(orders.values_list("pk", "paid_via"))
    width = Order._meta.get_field("paid_via").max_length
    for order_id, vias in paid_events.items():
        if len(vias) > 1:
            problems.append(f"order {order_id}: paid by {len(vias)} gateway events")
        elif vias[0][:width] != paid_via[order_id]:
            problems.append(f"order {order_id}: a gateway paid it ({vias[0]}) but it says paid via {paid_via[order_id]!r}")
    problems += [f"order {token}: the buyer was told 'paid' {n} times" for token, n in tally_paid.items() if n > 1]
    return problems


def book_problems(orders) -> list[str]:
    problems = []
    posted = defaultdict(list)
    for key, amount in Entry.objects.filter(
        source_key__in=[f"order:{pk}:{kind}" for pk in orders.values_list("pk", flat=True) for kind in ("sale", "refund")]
    ).values_list("source_key", "amount"):
        posted[key].append(amount)
    for pk, total, paid_at, status, refunded_at in orders.values_list("pk", "total", "paid_at", "status", "refunded_at"):
        sales, refunds = posted.get(f"order:{pk}:sale", []), posted.get(f"order:{pk}:refund", [])
        if paid_at is None and sales:
            problems.append(f"order {pk}: not paid but {len(sales)} sale(s) in the cash book")
        if paid_at is not None and sales != [total]:
            problems.append(f"order {pk}: paid {total}, cash book sales {sales}")
        refunded = paid_at is not None and status == Status.REFUNDED and refunded_at is not None
        if refunds != ([total] if refunded else []):
            problems.append(f"order {pk}: refunds in the cash book {refunds}, refunded={refunded}")
    return problems


def entry_problems(business_ids, client_ids) -> list[str]:
    keys = Counter(
        Entry.objects.filter(business_id__in=business_ids, source_key__in=[f"form:{c}" for c in client_ids])
        .values_list("source_key", flat=True)
    )
    return [f"cash-book entry {c}: saved {keys[f'form:{c}']} times" for c in client_ids if keys[f"form:{c}"] != 1]


def check(fixture: dict, tally: dict) -> tuple[list[str], dict]:
    """(problems, figures) after a run; no problems is what the scenario must end with."""
    business_ids = [shop["id"] for shop in fixture["shops"]]
    orders = Order.objects.filter(business_id__in=business_ids, created_at__gte=parse_datetime(fixture["started_at"]))
    problems = (
        stock_problems(fixture["baseline"])
        + payment_problems(orders, tally.get("paid", {}))
        + book_problems(orders)
        + entry_problems(business_ids, tally.get("entries", []))
    )
    counts = orders.aggregate(
        placed=Count("pk"),
        paid=Count("pk", filter=Q(paid_at__isnull=False)),
        paid_by_gateway=Count("pk", filter=Q(paid_via__startswith="gateway:")),
        from_partners=Count("pk", filter=~Q(channel="")),
        cancelled=Count("pk", filter=Q(status=Status.CANCELLED)),
        paid_total=Sum("total", filter=Q(paid_at__isnull=False)),
    )
    sales = Entry.objects.filter(
        business_id__in=business_ids, source_key__in=[f"order:{pk}:sale" for pk in orders.values_list("pk", flat=True)]
    ).aggregate(total=Sum("amount"))["total"]
    ids = [int(pk) for pk in fixture["baseline"]]
    figures = {
        **{key: value or 0 for key, value in counts.items()},
        "cash_book_order_sales": sales or 0,
        "products_sold_out": Product.objects.filter(pk__in=ids, stock=0).count(),
        "products": len(ids),
        "entries_saved": len(tally.get("entries", [])),
        "repeated_callbacks": sum(1 for n in tally.get("callbacks", {}).values() if n > 1),
    }
    return problems, figures
