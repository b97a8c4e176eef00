"""Who may reach which order. The shop's owner: the orders of their own shop, by number. The buyer: one
order, by its unguessable token. Everyone else, and every order that does not exist, gets the same 404."""

from naikkelas.catalog.access import access_shop
from naikkelas.core.access import not_found
from naikkelas.orders.models import Order
from naikkelas.registry.models import Business

TOKEN_MAX = 32


def access_shop_orders(actor, business_id) -> Business:
    """The business whose orders `actor` may manage: the shop's owner only (officers see the registry, never
    a shop's orders or its buyers' phone numbers)."""
    return access_shop(actor, business_id)


def access_order(actor, business_id, number) -> Order:
    """Order `number` of shop `business_id`, for that shop's owner; Http404 for anyone else or no such order."""
    business = access_shop_orders(actor, business_id)
    try:
        number = int(number)
    except (TypeError, ValueError):
        raise not_found() from None
    order = Order.objects.filter(business=business, number=number).select_related("business", "paid_by").first()
    if order is None:
        raise not_found()
    order.business = business
    return order


def order_by_token(token) -> Order:
    """The order behind a buyer's link. The token is 128 random bits, so a plain look-up is enough: there is
    nothing to learn from timing a guess that will not match."""
    if not isinstance(token, str) or not token or len(token) > TOKEN_MAX:
        raise not_found()
    order = Order.objects.filter(token=token).select_related("business").first()
    if order is None:
        raise not_found()
    return order
