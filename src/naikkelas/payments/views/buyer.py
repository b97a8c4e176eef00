"""What the buyer opens behind their order link: the QRIS image to pay it."""

from django.http import HttpResponse

from naikkelas.core.access import not_found
from naikkelas.core.qrimage import qr_png
from naikkelas.orders.access import order_by_token
from naikkelas.payments.selectors import order_qris_payload


def order_qris_png(request, token: str):
    """The dynamic QRIS for exactly this order's total, as a PNG; 404 once there is nothing to pay by QRIS."""
    order = order_by_token(token)
    payload = order_qris_payload(order)
    if not payload:
        raise not_found()
    response = HttpResponse(qr_png(payload), content_type="image/png")
    # The image is a bill for one order behind a private link: no shared cache may keep it, and the browser
    # must ask again so a paid or cancelled order stops showing a payable code.
    response["Cache-Control"] = "private, no-store"
    return response
