"""How a business gets paid, and the record of every payment gateway callback."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PaymentSettings(models.Model):
    """The payment methods a shop offers. Only its owner may see or change them."""

    business = models.OneToOneField(
        "registry.Business", on_delete=models.CASCADE, primary_key=True, related_name="payment_settings"
    )
    # The static QRIS payload printed by the owner's provider, validated by payments.qris.decode.
    qris_payload = models.TextField(_("QRIS statis"), blank=True)
    qris_merchant_name = models.CharField(max_length=25, blank=True)
    qris_nmid = models.CharField(max_length=20, blank=True)
    cod_enabled = models.BooleanField(_("terima bayar di tempat (COD)"), default=True)
    bank_name = models.CharField(_("nama bank"), max_length=60, blank=True)
    bank_account_number = models.CharField(_("nomor rekening"), max_length=30, blank=True)
    bank_account_holder = models.CharField(_("atas nama"), max_length=120, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    @property
    def qris_enabled(self) -> bool:
        return bool(self.qris_payload)

    @property
    def transfer_enabled(self) -> bool:
        return bool(self.bank_name and self.bank_account_number and self.bank_account_holder)


class Gateway(models.Model):
    """A payment gateway allowed to call back, with the shared secret its callbacks are signed with."""

    name = models.SlugField(max_length=40, unique=True)
    secret = models.CharField(max_length=128)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.name


class GatewayEvent(models.Model):
    """One callback, kept by (gateway, event id): a repeat finds this row and changes nothing."""

    gateway = models.ForeignKey(Gateway, on_delete=models.PROTECT, related_name="events")
    event_id = models.CharField(max_length=100)
    order = models.ForeignKey("orders.Order", null=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=40)
    outcome = models.CharField(max_length=40)  # "paid", "ignored: <reason>", ...
    body_sha256 = models.CharField(max_length=64)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["gateway", "event_id"], name="payments_event_once")]
