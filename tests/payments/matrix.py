"""Access matrix entries for this app's routes (merged into tests/test_access_matrix.py)."""

from django.urls import reverse

from naikkelas.orders.models import PaymentMethod
from tests.matrix import PUBLIC, SHOP_OWNER_ONLY, Entry, same_for_all
from tests.orders.factories import make_order
from tests.payments.factories import make_gateway, make_settings

# The shop's payment settings and its orders are its owner's alone (SHOP_OWNER_ONLY); everyone else signed in
# gets the 404 of a shop that does not exist (tests/payments/test_settings.py and test_mark_paid.py assert
# each refusal).
# What test_access_matrix.outcome() reports for a 401: a callback without a valid signature, whoever sends it.
# Gateways carry no session; the signature is their only credential (tests/payments/test_callbacks.py).
UNAUTHORIZED = "status 401"


def _qris_order_png(world) -> str:
    # The world's order is paid on delivery; the QRIS image needs a shop with a registered QRIS and an order
    # waiting to be paid by it. Anyone holding the order's link may open it, like the order page itself.
    business = world["business"]
    make_settings(business)
    order = make_order(business, [(world["product"], 1)], payment_method=PaymentMethod.QRIS)
    return reverse("payments:order_qris_png", args=[order.token])


def _callback(world) -> str:
    make_gateway("uji")
    return reverse("payments:callback", args=["uji"])


ENTRIES: dict = {
    "payments:settings": Entry(
        lambda world: reverse("payments:settings", args=[world["business"].pk]), SHOP_OWNER_ONLY
    ),
    # The owner is sent back to the order's page; the world's order is new, so it can be paid.
    "payments:mark_paid": Entry(
        lambda world: reverse("payments:mark_paid", args=[world["business"].pk, world["order"].number]),
        SHOP_OWNER_ONLY,
        method="post",
    ),
    "payments:order_qris_png": Entry(_qris_order_png, PUBLIC),
    "payments:callback": Entry(_callback, same_for_all(UNAUTHORIZED), method="post"),
}
PUBLIC_KEYS: set[str] = {"payments:order_qris_png"}
