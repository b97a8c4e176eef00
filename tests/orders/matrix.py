"""Access matrix entries for this app's routes (merged into tests/test_access_matrix.py)."""

from django.urls import reverse

from naikkelas.catalog.models import ShopProfile
from tests.matrix import PUBLIC, Entry


def _public_shop(world) -> str:
    # A shop is public once it has a profile; the world's business gets one here so its buyer pages open.
    ShopProfile.objects.get_or_create(business=world["business"])
    return world["business"].slug


def _shop_url(name: str):
    return lambda world: reverse(name, args=[_public_shop(world)])


def _order_url(name: str):
    return lambda world: reverse(name, args=[world["order"].token])


# The buyer's side: anyone may shop, and an order's unguessable token is the key to its pages (an unknown
# token is a 404: tests/orders/test_checkout.py).
ENTRIES: dict = {
    "orders:cart": Entry(_shop_url("orders:cart"), PUBLIC),
    "orders:cart_add": Entry(
        _shop_url("orders:cart_add"), PUBLIC, method="post", data={"product": 0, "quantity": 1}
    ),
    "orders:checkout": Entry(_shop_url("orders:checkout"), PUBLIC),
    "orders:whatsapp_order": Entry(_shop_url("orders:whatsapp_order"), PUBLIC),
    "orders:status": Entry(_order_url("orders:status"), PUBLIC),
    "orders:receipt": Entry(_order_url("orders:receipt"), PUBLIC),
    "orders:receipt_pdf": Entry(_order_url("orders:receipt_pdf"), PUBLIC),
}
PUBLIC_KEYS: set[str] = {
    "orders:cart", "orders:cart_add", "orders:checkout", "orders:whatsapp_order",
    "orders:status", "orders:receipt", "orders:receipt_pdf",
}

# The shop owner's side: one shop's orders are its owner's alone; everyone else signed in gets the 404 of an
# order that does not exist (tests/orders/test_owner_pages.py asserts each refusal).
from tests.matrix import LOGIN, NOT_FOUND, OK, same_for_all  # noqa: E402

_SHOP_OWNER_ONLY = {**same_for_all(NOT_FOUND), "anonymous": LOGIN, "owner": OK}


def _owner_order_url(name: str):
    return lambda world: reverse(name, args=[world["business"].pk, world["order"].number])


ENTRIES.update({
    "orders:owner_list": Entry(
        lambda world: reverse("orders:owner_list", args=[world["business"].pk]), _SHOP_OWNER_ONLY
    ),
    "orders:owner_detail": Entry(_owner_order_url("orders:owner_detail"), _SHOP_OWNER_ONLY),
    "orders:owner_transition": Entry(
        _owner_order_url("orders:owner_transition"), _SHOP_OWNER_ONLY, method="post", data={"to": "confirmed"}
    ),
})
