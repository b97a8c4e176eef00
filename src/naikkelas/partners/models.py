"""Partners (marketplaces, procurement catalogues, cooperatives), their API keys, the owners' decisions to
share with each of them, what partners report back, and the webhooks sent to them."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Partner(models.Model):
    class Kind(models.TextChoices):
        MARKETPLACE = "marketplace", _("Marketplace")
        PROCUREMENT = "procurement", _("Katalog pengadaan")
        COOPERATIVE = "cooperative", _("Koperasi")
        OTHER = "other", _("Lain-lain")

    name = models.CharField(_("nama"), max_length=120)
    slug = models.SlugField(max_length=60, unique=True)
    kind = models.CharField(_("jenis"), max_length=16, choices=Kind.choices, default=Kind.MARKETPLACE)
    # Shown to an owner deciding whether to share: who they are and what they will do with the catalogue.
    description = models.TextField(_("keterangan untuk pemilik usaha"), blank=True)
    website = models.URLField(_("situs"), blank=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="partners", blank=True)
    is_active = models.BooleanField(default=True)
    # Feed readers (Google Merchant Center, Meta) fetch a URL without headers: the token in the URL is the
    # feed's own secret, separate from the API keys and replaceable on its own.
    feed_token = models.CharField(max_length=64, unique=True)
    webhook_url = models.URLField(_("alamat webhook"), blank=True, max_length=500)
    webhook_secret = models.TextField(blank=True)  # encrypted (core.crypto); signs every delivery
    webhook_enabled = models.BooleanField(default=False)
    webhook_failures = models.PositiveIntegerField(default=0)  # failed attempts in a row
    webhook_disabled_at = models.DateTimeField(null=True, blank=True)  # switched off after repeated failure
    webhook_disabled_reason = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ApiKey(models.Model):
    """A partner's key to the API. The secret is shown once, when made; only its SHA-256 is kept, found by
    the prefix, which is visible in lists so people can tell their keys apart."""

    class Scope(models.TextChoices):
        READ = "read", _("Baca saja")
        WRITE = "write", _("Baca dan tulis")

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="keys")
    name = models.CharField(_("nama kunci"), max_length=80)
    prefix = models.CharField(max_length=16, unique=True)
    key_hash = models.CharField(max_length=64)
    scope = models.CharField(_("izin"), max_length=8, choices=Scope.choices, default=Scope.READ)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # A rotated key keeps working until then, so the partner can deploy the new one without an outage.
    expires_at = models.DateTimeField(null=True, blank=True)
    replaced_by = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"


class Share(models.Model):
    """An owner's current decision about sharing the business's catalogue with one partner. Each decision is
    also recorded as a registry Consent (purpose, version, time); this row is what the API filters by."""

    class State(models.TextChoices):
        INVITED = "invited", _("Diundang")
        GRANTED = "granted", _("Dibagikan")
        DECLINED = "declined", _("Ditolak")
        WITHDRAWN = "withdrawn", _("Dicabut")

    business = models.ForeignKey("registry.Business", on_delete=models.CASCADE, related_name="+")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="shares")
    state = models.CharField(max_length=16, choices=State.choices)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    invited_at = models.DateTimeField(null=True, blank=True)
    granted_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["business", "partner"], name="share_business_partner")]
        indexes = [models.Index(fields=["partner", "state", "changed_at"], name="share_partner_state_changed")]


class SalesReport(models.Model):
    """What a partner sold for a business on one day; pushed again, it replaces the earlier figures."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="sales_reports")
    business = models.ForeignKey("registry.Business", on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    orders = models.PositiveIntegerField()
    units = models.PositiveIntegerField()
    gross_amount = models.BigIntegerField()  # whole rupiah
    received_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["partner", "business", "date"], name="salesreport_partner_business_date"),
            models.CheckConstraint(condition=models.Q(gross_amount__gte=0), name="salesreport_gross_not_negative"),
        ]


class WebhookDelivery(models.Model):
    """One event for one partner. Sent in event order per partner; never dropped: after repeated failure the
    partner's webhook is switched off and its deliveries wait until it is switched on again."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu")
        DELIVERED = "delivered", _("Terkirim")

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="deliveries")
    event_id = models.BigIntegerField()  # core.OutboxEvent id: the order of delivery
    topic = models.CharField(max_length=64)
    key = models.CharField(max_length=64)
    payload = models.JSONField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["partner", "event_id"], name="delivery_partner_event")]
        indexes = [models.Index(fields=["partner", "status", "event_id"], name="delivery_partner_status_event")]


class WebhookAttempt(models.Model):
    """One try at sending a delivery, for the delivery log."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log")
    at = models.DateTimeField(default=timezone.now)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=255, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-at"]
