from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditLog(models.Model):
    """Who did what to which object, and why. Written by services, never edited."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    action = models.CharField(max_length=64)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    changes = models.JSONField(default=dict, blank=True)
    reason = models.CharField(max_length=255, blank=True)

    class Meta:
        indexes = [models.Index(fields=["object_type", "object_id"])]
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}:{self.object_id}"


class RateCounter(models.Model):
    """A fixed-window counter per key (e.g. "otp:phone:+62812..."), incremented with a conditional update
    so concurrent requests cannot both slip under the limit. Lives in the database because the
    platform must not need Redis."""

    key = models.CharField(max_length=200)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window_start"], name="ratecounter_key_window")]


class OutboxEvent(models.Model):
    """Something a service did that edges react to (a partner webhook when stock changes), written in the
    service's own transaction: committed together with the change or not at all, so no event is lost in a
    crash and none is sent for a change that rolled back (DESIGN §3.6). core/outbox.py relays them."""

    topic = models.CharField(max_length=64)  # "product.updated", "stock.changed", "order.status_changed", ...
    # What it is about, "product:123": events with the same key reach each consumer in the order written.
    key = models.CharField(max_length=64)
    # Whose it is, so an edge can tell who may see it (a partner only hears of businesses that consented).
    business_id = models.BigIntegerField(null=True, blank=True)
    payload = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    relayed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["id"], condition=models.Q(relayed_at__isnull=True), name="outbox_pending"),
        ]

    def __str__(self) -> str:
        return f"{self.topic} {self.key} #{self.pk}"


class IdempotentRequest(models.Model):
    """The first answer to a request sent with an Idempotency-Key, kept so that a retry of the same request
    gets the same answer and a different request under the same key is refused (core/idempotency.py)."""

    scope = models.CharField(max_length=64)  # whose keys these are, e.g. "partner:5"
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)  # SHA-256 of the method, path and body
    status = models.PositiveSmallIntegerField(null=True, blank=True)  # None while the first is in progress
    content_type = models.CharField(max_length=100, blank=True)
    body = models.BinaryField(default=bytes, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="idempotent_scope_key")]
