"""The shop owner's order pages: the list (today's first, filtered by status), one order with a button for
each next step, and the step itself (POST).

Only the shop's owner gets in; anyone else signed in gets the 404 of an order that does not exist, and
anonymous visitors are sent to log in.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from naikkelas.accounts.phones import display_phone
from naikkelas.orders import selectors, services
from naikkelas.orders.access import access_order, access_shop_orders
from naikkelas.orders.messages import buyer_wa_link
from naikkelas.orders.models import Status
from naikkelas.orders.receipts import business_zone
from naikkelas.regions.selectors import region_get, region_label

# What each button says: the action, not the status it leads to.
ACTION_LABELS = {
    Status.CONFIRMED: gettext_lazy("Konfirmasi pesanan"),
    Status.SHIPPED: gettext_lazy("Tandai dikirim"),
    Status.COMPLETED: gettext_lazy("Tandai selesai"),
    Status.CANCELLED: gettext_lazy("Batalkan pesanan"),
    Status.REFUNDED: gettext_lazy("Tandai dana dikembalikan"),
}


@login_required
@require_GET
def owner_list(request, business_id: int):
    business = access_shop_orders(request.user, business_id)
    status = request.GET.get("status") or ""
    if status not in Status.values:
        status = ""
    page = selectors.owner_orders(
        actor=request.user, business=business, status=status or None, page=request.GET.get("page") or 1
    )
    counts = selectors.order_status_counts(actor=request.user, business=business)
    chips = [{"value": "", "label": _("Semua"), "count": counts[selectors.ALL], "active": not status}]
    chips += [
        {"value": value, "label": label, "count": counts[value], "active": status == value}
        for value, label in Status.choices
    ]
    context = {
        "business": business,
        "zone": business_zone(business),
        "page": page,
        "chips": chips,
        "status": status,
        "status_label": Status(status).label if status else "",
    }
    return render(request, "orders/owner/list.html", context)


@login_required
@require_GET
def owner_detail(request, business_id: int, number: int):
    order = access_order(request.user, business_id, number)
    village = region_get(order.buyer_village_id) if order.buyer_village_id else None
    context = {
        "business": order.business,
        "order": order,
        "zone": business_zone(order.business),
        "lines": selectors.order_lines(actor=request.user, order=order),
        "buyer_phone": display_phone(order.buyer_phone),
        "buyer_place": region_label(village) if village else "",
        "timeline": selectors.order_timeline(order),
        "actions": [
            {"to": to, "label": ACTION_LABELS[to], "danger": to in (Status.CANCELLED, Status.REFUNDED)}
            for to in selectors.order_actions(order)
        ],
        "can_mark_paid": selectors.order_can_mark_paid(order),
        "wa_link": buyer_wa_link(order, request),
    }
    return render(request, "orders/owner/detail.html", context)


@login_required
@require_POST
def owner_transition(request, business_id: int, number: int):
    order = access_order(request.user, business_id, number)
    to = request.POST.get("to", "")
    try:
        order = services.order_transition(actor=request.user, order_id=order.pk, to=to)
    except services.OrderError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Pesanan #%(number)s sekarang: %(status)s. Kabari pembeli lewat WhatsApp.")
            % {"number": order.number, "status": order.get_status_display()},
        )
    return redirect("orders:owner_detail", business_id=order.business_id, number=order.number)
