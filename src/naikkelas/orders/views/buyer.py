"""The buyer's pages: cart, checkout, ordering over WhatsApp, and the order's status and receipt.

Buyers have no account: the cart lives in the session (one per shop) and an order is reached only by its
unguessable token, so those pages are kept out of referrers, search engines and shared caches.
"""

from datetime import timedelta
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from naikkelas.core.ratelimit import client_ip, hit
from naikkelas.core.whatsapp import wa_link
from naikkelas.orders import access, services
from naikkelas.orders.cart import (
    MAX_QUANTITY,
    Cart,
    CartError,
    accepting_orders,
    cart_total,
    check_quantity,
    public_shop,
    shop_product,
    single_line,
)
from naikkelas.orders.forms import CartAddForm, CheckoutForm
from naikkelas.orders.lifecycle import can_mark_paid
from naikkelas.orders.messages import progress_steps, seller_order_text
from naikkelas.orders.models import PaymentMethod, Status
from naikkelas.orders.receipts import pdf_filename, receipt_for, receipt_pdf_bytes
from naikkelas.payments import selectors as payment_selectors

# Orders hold stock from the moment they are placed, so one visitor must not be able to empty a shop's
# shelves with made-up orders. Generous for a real buyer; ORDERS_PER_IP_PER_HOUR raises it where many
# buyers share one address (a campus, a mobile carrier's NAT).
ORDERS_PER_HOUR = 30


def _private(view):
    """For pages reached by an order's token: the token is the key, so it must not leak through the
    Referer header to other sites, be indexed, or be kept by a shared cache."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Referrer-Policy"] = "no-referrer"
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Cache-Control"] = "private, no-store"
        return response

    return wrapped


def _tell_dropped(request, dropped: int) -> None:
    if dropped:
        messages.warning(
            request,
            ngettext(
                "%(count)s produk di keranjang sudah tidak dijual lagi dan dihapus dari keranjang.",
                "%(count)s produk di keranjang sudah tidak dijual lagi dan dihapus dari keranjang.",
                dropped,
            )
            % {"count": dropped},
        )


@require_http_methods(["GET", "POST"])
def cart(request, slug):
    shop = public_shop(slug)
    basket = Cart(request.session, slug)
    if request.method == "POST":
        _cart_change(request, basket)
        return redirect("orders:cart", slug=slug)
    lines, dropped = basket.lines(shop)
    _tell_dropped(request, dropped)
    context = {
        "shop": shop,
        "lines": lines,
        "total": cart_total(lines),
        "short": any(line.short for line in lines),
        "accepting_orders": accepting_orders(shop),
        "max_quantity": MAX_QUANTITY,
    }
    return render(request, "orders/buyer/cart.html", context)


def _cart_change(request, basket: Cart) -> None:
    """The cart page's form: "remove" one product, or save the edited quantities (0 removes)."""
    if "remove" in request.POST:
        try:
            basket.remove(int(request.POST["remove"]))
        except (TypeError, ValueError):
            return
        messages.success(request, _("Produk dihapus dari keranjang."))
        return
    changes = {}
    for product_id in basket.quantities():
        raw = request.POST.get(f"q-{product_id}")
        if raw is None:
            continue
        if raw.strip() == "0":
            changes[product_id] = 0
            continue
        try:
            changes[product_id] = check_quantity(raw)
        except CartError as error:
            # All or nothing: one bad number leaves the whole cart as it was.
            messages.error(request, str(error))
            return
    basket.update(changes)
    messages.success(request, _("Keranjang diperbarui."))


@require_POST
def cart_add(request, slug):
    shop = public_shop(slug)
    form = CartAddForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, errors[0])
        return redirect("orders:cart", slug=slug)
    product = shop_product(shop, form.cleaned_data["product"])
    if product is None:
        messages.error(request, _("Produk tidak ditemukan di toko ini."))
        return redirect("orders:cart", slug=slug)
    try:
        Cart(request.session, slug).add(product, form.cleaned_data["quantity"])
    except CartError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(name)s masuk keranjang.") % {"name": product.name})
    return redirect("orders:cart", slug=slug)


def _payment_methods(shop) -> list[str]:
    # In the order the buyer sees them: the shop's own choice of what it accepts.
    return list(payment_selectors.methods_for(shop))


@require_http_methods(["GET", "POST"])
def checkout(request, slug):
    shop = public_shop(slug)
    basket = Cart(request.session, slug)
    lines, dropped = basket.lines(shop)
    _tell_dropped(request, dropped)
    if not lines:
        messages.info(request, _("Keranjang masih kosong. Pilih produk dulu."))
        return redirect("orders:cart", slug=slug)
    if not accepting_orders(shop):
        messages.error(request, _("Toko ini sedang tidak menerima pesanan."))
        return redirect("orders:cart", slug=slug)

    methods = _payment_methods(shop)
    form = CheckoutForm(request.POST if request.method == "POST" else None, methods=methods)
    if form.is_bound and form.reload_requested():
        form = CheckoutForm(initial=form.reload_initial(), methods=methods)
    elif form.is_bound and form.is_valid():
        order = _place(request, form, shop, lines)
        if order is not None:
            basket.clear()
            messages.success(request, _("Pesanan #%(number)s sudah dikirim ke penjual.") % {"number": order.number})
            return redirect("orders:status", token=order.token)
    context = {"shop": shop, "lines": lines, "total": cart_total(lines), "form": form, "methods": methods}
    return render(request, "orders/buyer/checkout.html", context)


def _place(request, form, shop, lines):
    """Places the order, or puts the reason on the form and returns None (the cart stays as it was)."""
    limit = getattr(settings, "ORDERS_PER_IP_PER_HOUR", ORDERS_PER_HOUR)
    if not hit(f"order-place:{client_ip(request)}", limit=limit, window=timedelta(hours=1)):
        form.add_error(None, _("Terlalu banyak pesanan dari jaringan ini. Coba lagi nanti."))
        return None
    data = form.cleaned_data
    try:
        return services.order_place(
            business_id=shop.pk,
            lines=[(line.product_id, line.quantity) for line in lines],
            buyer_name=data["name"],
            buyer_phone=data["phone"],
            buyer_address=data["address"],
            buyer_village_code=data["village"].code if data["village"] is not None else "",
            delivery=data["delivery"],
            payment_method=data["payment_method"],
            note=data["note"],
        )
    except ValidationError as error:  # OrderError: gone, hidden, short of stock...
        form.add_error(None, error)
        return None


@require_GET
def whatsapp_order(request, slug):
    """Straight to a WhatsApp chat with the seller, the order already written out."""
    shop = public_shop(slug)
    lines, dropped = Cart(request.session, slug).lines(shop)
    _tell_dropped(request, dropped)
    if not lines and request.GET.get("product"):
        line = single_line(shop, request.GET["product"])
        lines = [line] if line is not None else []
    if not shop.phone:
        messages.error(request, _("Toko ini belum mencantumkan nomor WhatsApp. Pesan lewat formulir saja."))
        return redirect("orders:cart", slug=slug)
    if not lines:
        messages.info(request, _("Keranjang masih kosong. Pilih produk dulu."))
        return redirect("orders:cart", slug=slug)
    return HttpResponseRedirect(wa_link(seller_order_text(shop=shop, lines=lines), shop.phone))


def _share_link(request, order) -> str:
    url = request.build_absolute_uri(reverse("orders:receipt", args=[order.token]))
    text = _("Struk pesanan #%(number)s di %(shop)s: %(url)s") % {
        "number": order.number, "shop": order.business.name, "url": url,
    }
    return wa_link(text)


@_private
@require_GET
def status(request, token):
    order = access.order_by_token(token)
    paid = order.paid_at is not None
    context = {
        "order": order,
        "shop": order.business,
        "receipt": receipt_for(order),
        "steps": progress_steps(order),
        "ended": order.status in (Status.CANCELLED, Status.REFUNDED),
        # How to pay is shown only while a payment can still be recorded.
        "open_for_payment": can_mark_paid(order.status, payment_method=order.payment_method, paid=paid),
        "transfer": (
            payment_selectors.transfer_details(order.business)
            if order.payment_method == PaymentMethod.TRANSFER
            else None
        ),
        "share_link": _share_link(request, order),
    }
    return render(request, "orders/buyer/status.html", context)


@_private
@require_GET
def receipt(request, token):
    order = access.order_by_token(token)
    context = {"order": order, "receipt": receipt_for(order), "share_link": _share_link(request, order)}
    return render(request, "orders/buyer/receipt.html", context)


@_private
@require_GET
def receipt_pdf(request, token):
    order = access.order_by_token(token)
    response = HttpResponse(receipt_pdf_bytes(order), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{pdf_filename(order)}"'
    return response
