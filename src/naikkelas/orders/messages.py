"""What the buyer and the seller are told on WhatsApp: plain text, ready to be put in a wa.me link.

WhatsApp is the channel both sides already use, so a status change or an order becomes one tap that opens a
chat with the message written out.
"""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from naikkelas.core.money import rupiah
from naikkelas.core.whatsapp import wa_link
from naikkelas.orders.models import Delivery, Status


# What the buyer is told in each state; a shipped order to pick up is "ready to collect" instead.
_STATUS_SENTENCES = {
    Status.NEW: gettext_lazy("Pesanan #%(number)s di %(shop)s sudah kami terima dan menunggu konfirmasi penjual."),
    Status.CONFIRMED: gettext_lazy("Pesanan #%(number)s di %(shop)s sudah dikonfirmasi penjual."),
    Status.PAID: gettext_lazy("Pembayaran pesanan #%(number)s di %(shop)s sudah diterima. Terima kasih!"),
    Status.SHIPPED: gettext_lazy("Pesanan #%(number)s di %(shop)s sudah dikirim."),
    Status.COMPLETED: gettext_lazy("Pesanan #%(number)s di %(shop)s sudah selesai. Terima kasih sudah berbelanja!"),
    Status.CANCELLED: gettext_lazy("Pesanan #%(number)s di %(shop)s dibatalkan."),
    Status.REFUNDED: gettext_lazy("Pembayaran pesanan #%(number)s di %(shop)s sudah dikembalikan."),
}
_READY_FOR_PICKUP = gettext_lazy("Pesanan #%(number)s di %(shop)s sudah siap diambil.")


def _status_sentence(order) -> str:
    if order.status == Status.SHIPPED and order.delivery == Delivery.PICKUP:
        sentence = _READY_FOR_PICKUP
    else:
        sentence = _STATUS_SENTENCES.get(order.status, gettext_lazy("Pesanan #%(number)s di %(shop)s."))
    return str(sentence) % {"number": order.number, "shop": order.business.name}


def status_text(order, url: str = "") -> str:
    """The message to the buyer about the order's current status: what happened, the total, and the link to
    the status page (`url`, absolute, since it is read outside the site)."""
    greeting = _("Halo %(name)s,") % {"name": order.buyer_name} if order.buyer_name else _("Halo,")
    parts = [greeting, _status_sentence(order), _("Total: %(total)s") % {"total": rupiah(order.total)}]
    if url:
        parts.append(_("Lihat status pesanan: %(url)s") % {"url": url})
    return "\n".join(parts)


def status_url(order, request) -> str:
    """The absolute address of the buyer's status page (the token is the key, so only the buyer gets it)."""
    return request.build_absolute_uri(reverse("orders:status", args=[order.token]))


def buyer_wa_link(order, request) -> str:
    """A wa.me link that opens a chat with the buyer, the status message already written."""
    return wa_link(status_text(order, status_url(order, request)), order.buyer_phone)


def order_line_text(line) -> str:
    """"2 × Keripik Pisang (Rp 15.000) = Rp 30.000" for anything with name, quantity and unit_price."""
    total = getattr(line, "line_total", None)
    if total is None:
        total = line.unit_price * line.quantity
    return f"{line.quantity} × {line.name} ({rupiah(line.unit_price)}) = {rupiah(total)}"


def seller_order_text(*, shop, lines, buyer_name: str = "", note: str = "") -> str:
    """The order spelled out for the seller, to send from the buyer's WhatsApp: one line per product, the
    total, and who orders. `shop` is the business; `lines` have name, quantity and unit_price."""
    lines = list(lines)
    total = sum(getattr(line, "line_total", None) or line.unit_price * line.quantity for line in lines)
    parts = [_("Halo %(shop)s, saya mau pesan:") % {"shop": shop.name}]
    parts.extend(order_line_text(line) for line in lines)
    parts.append(_("Total: %(total)s") % {"total": rupiah(total)})
    if buyer_name:
        parts.append(_("Nama: %(name)s") % {"name": buyer_name})
    if note:
        parts.append(_("Catatan: %(note)s") % {"note": note})
    return "\n".join(parts)


def progress_steps(order) -> list[dict]:
    """The status page's progress line: each step with its label and whether it has happened.

    Cash on delivery is paid when the goods arrive, so its line puts "sent" before "paid". A step counts as
    done when its time is recorded, so an order paid early still reads truthfully.
    """
    if order.payment_method == "cod":
        steps = [Status.NEW, Status.CONFIRMED, Status.SHIPPED, Status.PAID, Status.COMPLETED]
    else:
        steps = [Status.NEW, Status.CONFIRMED, Status.PAID, Status.SHIPPED, Status.COMPLETED]
    moments = {
        Status.NEW: order.created_at,
        Status.CONFIRMED: order.confirmed_at,
        Status.PAID: order.paid_at,
        Status.SHIPPED: order.shipped_at,
        Status.COMPLETED: order.completed_at,
    }
    return [
        {
            "label": step.label,
            "done": moments[step] is not None or order.status == step,
            "current": order.status == step,
        }
        for step in steps
    ]
