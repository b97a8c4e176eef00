"""Orders placed by buyers (who need no account) at one business's shop."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


def new_token() -> str:
    # The buyer's only key to their order page: 128 random bits, so it cannot be guessed or enumerated.
    return secrets.token_urlsafe(16)


class Status(models.TextChoices):
    NEW = "new", _("Baru")
    CONFIRMED = "confirmed", _("Dikonfirmasi")
    PAID = "paid", _("Dibayar")
    SHIPPED = "shipped", _("Dikirim")
    COMPLETED = "completed", pgettext_lazy("order status", "Selesai")
    CANCELLED = "cancelled", _("Dibatalkan")
    REFUNDED = "refunded", _("Dikembalikan")


class Delivery(models.TextChoices):
    PICKUP = "pickup", _("Ambil sendiri")
    SELLER = "seller", _("Diantar penjual")
    COURIER = "courier", _("Kurir (diatur kemudian)")


class PaymentMethod(models.TextChoices):
    QRIS = "qris", _("QRIS")
    COD = "cod", _("Bayar di tempat (COD)")
    TRANSFER = "transfer", _("Transfer bank")


class Order(models.Model):
    business = models.ForeignKey("registry.Business", on_delete=models.PROTECT, related_name="orders")
    # Per business, 1, 2, 3...: what the owner and the buyer say on the phone ("pesanan #12").
    number = models.PositiveIntegerField()
    token = models.CharField(max_length=32, unique=True, default=new_token, editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    buyer_name = models.CharField(_("nama"), max_length=120)
    buyer_phone = models.CharField(_("nomor HP"), max_length=16)  # E.164
    buyer_address = models.CharField(_("alamat"), max_length=255, blank=True)
    buyer_village = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    delivery = models.CharField(_("pengiriman"), max_length=10, choices=Delivery.choices)
    payment_method = models.CharField(_("cara bayar"), max_length=10, choices=PaymentMethod.choices)
    note = models.CharField(_("catatan"), max_length=500, blank=True)
    # Where the order came from: "" for the shop's own pages, "partner:<slug>" for a partner's platform,
    # with the partner's own order reference.
    channel = models.CharField(max_length=72, blank=True)
    external_ref = models.CharField(max_length=64, blank=True)
    subtotal = models.BigIntegerField()  # sum of the lines, whole rupiah
    # Bank transfer only: 1–999 rupiah added to the amount so the owner can tell transfers apart.
    unique_code = models.PositiveSmallIntegerField(default=0)
    total = models.BigIntegerField()  # what the buyer pays: subtotal + unique_code
    # True once the units went back on the shelf (cancelled, or refunded before shipping), so they are
    # never returned twice.
    stock_returned = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    paid_via = models.CharField(max_length=64, blank=True)  # "owner", or "gateway:<name>:<event id>"
    shipped_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    refunded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["business", "number"], name="orders_order_number_per_business"),
            models.CheckConstraint(condition=Q(total__gte=0), name="orders_order_total_not_negative"),
            # A partner's order reference names one order.
            models.UniqueConstraint(
                fields=["channel", "external_ref"],
                condition=~Q(external_ref=""),
                name="orders_order_channel_external_ref",
            ),
        ]
        indexes = [
            models.Index(fields=["business", "status", "created_at"]),
            # A partner's incremental sync of its orders walks this.
            models.Index(fields=["channel", "updated_at", "id"], name="orders_channel_changed"),
        ]

    def __str__(self) -> str:
        return f"#{self.number}"


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    # SET_NULL: a product deleted later leaves the receipt intact (name and price are copied here).
    product = models.ForeignKey("catalog.Product", null=True, on_delete=models.SET_NULL, related_name="+")
    name = models.CharField(max_length=120)
    unit = models.CharField(max_length=20)
    unit_price = models.BigIntegerField()
    quantity = models.PositiveIntegerField()
    line_total = models.BigIntegerField()
    # Units this line took off the shelf (0 for made-to-order): what a cancellation gives back, whatever the
    # product's settings have become since.
    stock_taken = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["pk"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gte=1), name="orders_line_quantity_positive")]
