"""Access matrix entries for the orders' routes (merged into tests/test_access_matrix.py)."""

from django.urls import reverse

from tests.matrix import PUBLIC, SHOP_OWNER_ONLY, Entry


def _shop_url(name: str):
    return lambda world: reverse(name, args=[world["business"].slug])


def _order_url(name: str):
    return lambda world: reverse(name, args=[world["order"].token])


def _owner_order_url(name: str):
    return lambda world: reverse(name, args=[world["business"].pk, world["order"].number])


ENTRIES = {
    # The buyer's side: anyone may shop, and an order's unguessable token is the key to its pages (an
    # unknown token is a 404: tests/orders/test_checkout.py).
    "orders:cart": Entry(_shop_url("orders:cart"), PUBLIC),
    "orders:cart_add": Entry(_shop_url("orders:cart_add"), PUBLIC, method="post", data={"product": 0, "quantity": 1}),
    "orders:checkout": Entry(_shop_url("orders:checkout"), PUBLIC),
    "orders:whatsapp_order": Entry(_shop_url("orders:whatsapp_order"), PUBLIC),
    "orders:status": Entry(_order_url("orders:status"), PUBLIC),
    "orders:receipt": Entry(_order_url("orders:receipt"), PUBLIC),
    "orders:receipt_pdf": Entry(_order_url("orders:receipt_pdf"), PUBLIC),
    # The shop owner's side: everyone else signed in gets the 404 of an order that does not exist
    # (tests/orders/test_owner_pages.py asserts each refusal).
    "orders:owner_list": Entry(lambda world: reverse("orders:owner_list", args=[world["business"].pk]), SHOP_OWNER_ONLY),
    "orders:owner_detail": Entry(_owner_order_url("orders:owner_detail"), SHOP_OWNER_ONLY),
    "orders:owner_transition": Entry(
        _owner_order_url("orders:owner_transition"), SHOP_OWNER_ONLY, method="post", data={"to": "confirmed"}
    ),
}
PUBLIC_KEYS = {key for key, entry in ENTRIES.items() if entry.expect == PUBLIC}
