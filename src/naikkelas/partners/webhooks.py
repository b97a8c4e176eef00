"""Webhooks to partners: what is queued for whom, sending in order with retries, the partner's webhook
settings, and the delivery log.

Queueing. `consume` is an outbox consumer (settings.OUTBOX_CONSUMERS): core.outbox.relay calls it inside its
own transaction with the pending events, oldest first, and it writes one WebhookDelivery per event and
recipient (unique per partner and event, so a repeated relay adds nothing). Who receives what:

    product.updated, product.deleted, stock.changed   partners the business shares with (Share granted)
    order.status_changed                              the partner whose channel the order came through
                                                      ("partner:<slug>"), while the business shares with it:
                                                      orders from the shop's own pages carry the buyer's
                                                      details, which sharing the catalogue does not share
    consent.withdrawn                                 the partner named in the event (no longer shared by then)
    ping                                              the partner that asked for a test

and only partners that are active with a webhook address that is switched on, or was switched off by
repeated failure: their deliveries keep queueing, so nothing is lost while they are down. A partner that
switched its webhook off itself gets nothing queued meanwhile (it syncs by `updated_since` instead).

Sending. One partner's deliveries go strictly in event order: the oldest pending one is the head, and
nothing after it is sent until it is delivered (head-of-line), so no partner ever sees two events of one
product in the wrong order. A worker claims the head with a conditional update that also leases it (no other
worker can send it meanwhile), sends it outside any transaction, then records the attempt. A failure
(anything but 2xx within the timeout) counts against the partner and schedules the next try as a task with
`run_after`, base × 2^(n−1) seconds for the n-th failure in a row, capped, with jitter; after
WEBHOOK_MAX_FAILURES failures in a row the webhook is switched off, the admins are told (email and audit
log), and the pending deliveries wait until someone switches it on again. A crash leaves at worst a lease
that runs out: `naikkelas worker` announces itself when it starts (`worker.started`) and `consume` then
schedules every partner with pending deliveries again.

Each request: POST, JSON body {"id": <event id>, "type": <topic>, "created_at": ..., "data": <payload>} and
the headers X-Naikkelas-Event, X-Naikkelas-Delivery (this partner's delivery id), X-Naikkelas-Timestamp and
X-Naikkelas-Signature (`sha256=` + hex HMAC-SHA256 of "<timestamp>." + body with the partner's webhook
secret: payments.signing, the scheme the gateways use towards us). See docs/API.md.
"""

import http.client
import ipaddress
import json
import logging
import random
import secrets
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import mail_admins
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Count, F, Max, Min, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from naikkelas.core import crypto, outbox
from naikkelas.core.access import not_found
from naikkelas.core.audit import audit_record
from naikkelas.core.models import OutboxEvent
from naikkelas.partners.models import Partner, Share, WebhookAttempt, WebhookDelivery
from naikkelas.payments import signing

logger = logging.getLogger(__name__)

SHARED_TOPICS = frozenset({"product.updated", "product.deleted", "stock.changed"})
ORDER_STATUS = "order.status_changed"
CONSENT_WITHDRAWN = "consent.withdrawn"
PING = "ping"
TOPICS = SHARED_TOPICS | {ORDER_STATUS, CONSENT_WITHDRAWN, PING}

EVENT_HEADER = "X-Naikkelas-Event"
DELIVERY_HEADER = "X-Naikkelas-Delivery"
USER_AGENT = "NaikKelas-Webhook/1"
SECRET_PREFIX = "whsec_"
URL_MAX = Partner._meta.get_field("webhook_url").max_length
# A task sends at most this many deliveries, then hands over to a fresh task, so one partner with a long
# queue cannot keep a worker from the others.
DELIVER_BATCH = 100
# The answer's body means nothing to us; reading a little lets the connection finish cleanly.
READ_LIMIT = 4096
ERROR_MAX = WebhookAttempt._meta.get_field("error").max_length


# -- settings ------------------------------------------------------------------------------------------------

def retry_base() -> float:
    """Seconds before the first retry (settings.WEBHOOK_RETRY_BASE_SECONDS); each further failure doubles it."""
    return float(getattr(settings, "WEBHOOK_RETRY_BASE_SECONDS", 30))


def retry_cap() -> float:
    return float(getattr(settings, "WEBHOOK_RETRY_CAP_SECONDS", 6 * 60 * 60))


def max_failures() -> int:
    """Failed attempts in a row after which a partner's webhook is switched off."""
    return int(getattr(settings, "WEBHOOK_MAX_FAILURES", 10))


def send_timeout() -> float:
    return float(getattr(settings, "WEBHOOK_TIMEOUT_SECONDS", 5))


def private_addresses_allowed() -> bool:
    """Whether a webhook may point into a private network or at this machine: never in production (it would
    let a partner make the platform call its own internal services), yes on a laptop and in tests."""
    return bool(getattr(settings, "WEBHOOK_ALLOW_PRIVATE_URLS", not getattr(settings, "PRODUCTION", False)))


def _lease() -> timedelta:
    # Longer than any send can take (connect and read each within the timeout), so a lease only runs out
    # when the worker holding it died.
    return timedelta(seconds=4 * send_timeout() + 30)


def backoff(failures: int, *, rand=random.random) -> timedelta:
    """How long to wait after the `failures`-th failure in a row: base × 2^(failures−1), capped, then a random
    point in the upper half of that ("equal jitter"), so partners that failed together do not all come back
    at the same second, while the wait still grows."""
    delay = min(retry_cap(), retry_base() * 2 ** min(max(failures, 1) - 1, 40))
    return timedelta(seconds=delay / 2 + rand() * delay / 2)


# -- queueing: the outbox consumer ---------------------------------------------------------------------------

def _queueing() -> Q:
    """Partners whose deliveries are queued: switched on, or switched off by repeated failure."""
    switched_on = Q(webhook_enabled=True) | Q(webhook_disabled_at__isnull=False)
    return Q(is_active=True) & ~Q(webhook_url="") & switched_on


def _named_partner(event: OutboxEvent) -> int | None:
    partner_id = (event.payload or {}).get("partner_id")
    return partner_id if isinstance(partner_id, int) else None


def _recipients(event: OutboxEvent, partners: dict[int, Partner], shared: set[tuple[int, int]]) -> list[int]:
    if event.topic in SHARED_TOPICS:
        return [pk for pk in partners if (pk, event.business_id) in shared]
    if event.topic == ORDER_STATUS:
        channel = (event.payload or {}).get("channel")
        return [
            pk for pk, partner in partners.items()
            if channel == f"partner:{partner.slug}" and (pk, event.business_id) in shared
        ]
    named = _named_partner(event)
    if named not in partners:
        return []
    if event.topic == PING and not partners[named].webhook_enabled:
        return []
    return [named]


def consume(events: list[OutboxEvent]) -> None:
    """Queue a delivery of each event for each partner that should hear of it (see the module's text)."""
    if any(event.topic == outbox.WORKER_STARTED for event in events):
        resume_all()
    wanted = [event for event in events if event.topic in TOPICS]
    if not wanted:
        return
    partners = {partner.pk: partner for partner in Partner.objects.filter(_queueing())}
    if not partners:
        return
    business_ids = {event.business_id for event in wanted if event.business_id is not None}
    shared = set(
        Share.objects.filter(state=Share.State.GRANTED, partner_id__in=partners, business_id__in=business_ids)
        .values_list("partner_id", "business_id")
    )
    now = timezone.now()
    rows = [
        WebhookDelivery(
            partner_id=partner_id,
            event_id=event.pk,
            topic=event.topic,
            key=event.key,
            payload=event.payload,
            next_attempt_at=now,
            created_at=event.created_at,
        )
        for event in wanted
        for partner_id in _recipients(event, partners, shared)
    ]
    WebhookDelivery.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    for partner_id in sorted({row.partner_id for row in rows}):
        if partners[partner_id].webhook_enabled:
            deliver_after_commit(partner_id)


def deliver_after_commit(partner_id: int, *, at: datetime | None = None) -> None:
    """Schedule sending `partner_id`'s queue once the current transaction commits (at once, or at `at`)."""

    def enqueue():
        from naikkelas.partners.tasks import webhook_deliver

        (webhook_deliver.using(run_after=at) if at is not None else webhook_deliver).enqueue(partner_id)

    transaction.on_commit(enqueue)


def resume_all() -> int:
    """Schedule every switched-on partner with pending deliveries, each for when its head is due; returns
    how many were scheduled. Run when a worker starts, to pick up what a crash left without a task."""
    now = timezone.now()
    partner_ids = (
        WebhookDelivery.objects.filter(
            status=WebhookDelivery.Status.PENDING,
            partner__is_active=True,
            partner__webhook_enabled=True,
        )
        .values_list("partner_id", flat=True)
        .distinct()
    )
    scheduled = 0
    for partner_id in partner_ids:
        head = _head(partner_id)
        if head is not None:
            deliver_after_commit(partner_id, at=head.next_attempt_at if head.next_attempt_at > now else None)
            scheduled += 1
    return scheduled


# -- sending -------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Claim:
    """The head of one partner's queue, leased to this worker, with what sending it needs."""

    delivery: WebhookDelivery
    url: str
    secret: str


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    error: str
    duration_ms: int

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def _head(partner_id: int) -> WebhookDelivery | None:
    return (
        WebhookDelivery.objects.filter(partner_id=partner_id, status=WebhookDelivery.Status.PENDING)
        .order_by("event_id")
        .first()
    )


def _claim(partner_id: int) -> Claim | None:
    """The partner's head delivery if it is due and the webhook is on; None when there is nothing to send
    now (empty queue, head waiting for its retry, or another worker sending it)."""
    with transaction.atomic():
        partner = (
            Partner.objects.filter(pk=partner_id, is_active=True, webhook_enabled=True).exclude(webhook_url="").first()
        )
        if partner is None or not partner.webhook_secret:
            return None
        head = _head(partner_id)
        now = timezone.now()
        if head is None or head.next_attempt_at > now:
            return None
        leased = WebhookDelivery.objects.filter(
            pk=head.pk, status=WebhookDelivery.Status.PENDING, next_attempt_at=head.next_attempt_at
        ).update(next_attempt_at=now + _lease())
        if not leased:
            return None
        return Claim(delivery=head, url=partner.webhook_url, secret=crypto.decrypt(partner.webhook_secret))


def body_of(delivery: WebhookDelivery) -> bytes:
    document = {
        "id": delivery.event_id,
        "type": delivery.topic,
        "created_at": delivery.created_at.isoformat(),
        "data": delivery.payload,
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # A redirect could lead anywhere (an internal address included); a webhook must answer where it is.
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def _trimmed(text: str) -> str:
    return text if len(text) <= ERROR_MAX else text[: ERROR_MAX - 1] + "…"


def send(claim: Claim, *, now: float | None = None) -> Outcome:
    """POST the delivery once; never raises (a failure is an Outcome without a 2xx status)."""
    delivery = claim.delivery
    body = body_of(delivery)
    timestamp = str(int(time.time() if now is None else now))
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        EVENT_HEADER: delivery.topic,
        DELIVERY_HEADER: str(delivery.pk),
        signing.TIMESTAMP_HEADER: timestamp,
        signing.SIGNATURE_HEADER: signing.sign(claim.secret, timestamp, body),
    }
    started = time.monotonic()
    status, error = None, ""
    try:
        if not private_addresses_allowed():
            # Checked again at each send: the name may point somewhere else since it was configured.
            _refuse_private_host(urlsplit(claim.url).hostname or "")
        request = urllib.request.Request(claim.url, data=body, headers=headers, method="POST")
        with _opener.open(request, timeout=send_timeout()) as response:
            response.read(READ_LIMIT)
            status = response.status
    except urllib.error.HTTPError as answer:
        status = answer.code
        answer.close()
    except ValidationError as refused:
        error = " ".join(refused.messages)
    except (OSError, http.client.HTTPException, ValueError) as failure:
        error = f"{type(failure).__name__}: {failure}"
    if status is not None and not 200 <= status < 300:
        error = f"HTTP {status}"
    return Outcome(status_code=status, error=_trimmed(error), duration_ms=int((time.monotonic() - started) * 1000))


def _record(claim: Claim, outcome: Outcome) -> bool:
    """Write the attempt and its consequences; True when the delivery is done."""
    delivery = claim.delivery
    now = timezone.now()
    with transaction.atomic():
        partner = Partner.objects.select_for_update().get(pk=delivery.partner_id)
        WebhookAttempt.objects.create(
            delivery=delivery, at=now, status_code=outcome.status_code, error=outcome.error,
            duration_ms=outcome.duration_ms,
        )
        sent = WebhookDelivery.objects.filter(pk=delivery.pk)
        if outcome.ok:
            sent.update(
                status=WebhookDelivery.Status.DELIVERED, attempts=F("attempts") + 1, last_attempt_at=now,
                delivered_at=now,
            )
            if partner.webhook_failures:
                Partner.objects.filter(pk=partner.pk).update(webhook_failures=0)
            return True
        failures = partner.webhook_failures + 1
        retry_at = now + backoff(failures)
        sent.update(attempts=F("attempts") + 1, last_attempt_at=now, next_attempt_at=retry_at)
        if failures >= max_failures():
            _switch_off(partner, failures=failures, last_error=outcome.error, now=now)
        else:
            Partner.objects.filter(pk=partner.pk).update(webhook_failures=failures)
            deliver_after_commit(partner.pk, at=retry_at)
        return False


def deliver(*, partner_id: int, batch: int = DELIVER_BATCH) -> int:
    """Send the partner's due deliveries in order until one fails, none is due, or `batch` are sent (then a
    fresh task takes over); returns how many were delivered. The task `partners.tasks.webhook_deliver`."""
    delivered = 0
    for _turn in range(batch):
        claim = _claim(partner_id)
        if claim is None:
            return delivered
        if not _record(claim, send(claim)):
            return delivered
        delivered += 1
    deliver_after_commit(partner_id)
    return delivered


def _switch_off(partner: Partner, *, failures: int, last_error: str, now: datetime) -> None:
    reason = _trimmed(
        _("%(n)s kali gagal berturut-turut; terakhir: %(error)s") % {"n": failures, "error": last_error or "?"}
    )
    Partner.objects.filter(pk=partner.pk).update(
        webhook_enabled=False, webhook_failures=failures, webhook_disabled_at=now, webhook_disabled_reason=reason
    )
    audit_record(actor=None, action="webhook.auto_disable", obj=partner, changes={"failures": failures}, reason=reason)
    pending = WebhookDelivery.objects.filter(partner=partner, status=WebhookDelivery.Status.PENDING).count()
    subject = _("Webhook mitra %(name)s dimatikan") % {"name": partner.name}
    message = _(
        "Webhook %(name)s (%(url)s) dimatikan otomatis setelah %(n)s kali gagal berturut-turut.\n"
        "Kegagalan terakhir: %(error)s\n"
        "%(pending)s kiriman menunggu dan tidak dibuang; semuanya dikirim berurutan setelah webhook "
        "dinyalakan lagi.\n"
    ) % {
        "name": partner.name, "url": partner.webhook_url, "n": failures, "error": last_error or "?", "pending": pending,
    }
    # After the commit, so no alert goes out for a switch-off that rolled back; robust, so a broken mail
    # server cannot undo it (the audit log has it either way).
    transaction.on_commit(lambda: mail_admins(subject, message), robust=True)
    logger.warning("webhook of partner %s switched off after %s failures: %s", partner.pk, failures, last_error)


# -- the partner's settings (services) -----------------------------------------------------------------------

def _refuse_private_host(host: str) -> None:
    """Every address `host` resolves to must be public (not private, loopback, link-local, reserved...)."""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        raise ValidationError({"webhook_url": [_("Nama host alamat webhook tidak ditemukan.")]}) from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%", 1)[0])
        if not address.is_global or address.is_multicast:
            raise ValidationError(
                {"webhook_url": [_("Alamat webhook harus bisa dicapai dari internet, bukan alamat jaringan privat.")]}
            )


def check_url(url: str) -> str:
    """The webhook address, cleaned; ValidationError (under "webhook_url") when it cannot be used."""
    url = (url or "").strip()
    wrong = ValidationError({"webhook_url": [_("Tulis alamat lengkap yang diawali https:// atau http://.")]})
    if not url:
        raise ValidationError({"webhook_url": [_("Isi alamat webhook.")]})
    if len(url) > URL_MAX:
        raise ValidationError({"webhook_url": [_("Alamat webhook paling panjang %(n)s karakter.") % {"n": URL_MAX}]})
    try:
        URLValidator(schemes=["http", "https"])(url)
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except (ValidationError, ValueError):
        raise wrong from None
    if parts.username is not None or parts.password is not None:
        raise ValidationError({"webhook_url": [_("Jangan taruh nama pengguna atau kata sandi di alamat webhook.")]})
    if not private_addresses_allowed():
        _refuse_private_host(parts.hostname or "")
    return url


def _locked(partner: Partner) -> Partner:
    return Partner.objects.select_for_update().get(pk=partner.pk)


def _due_now(partner: Partner) -> None:
    # Waiting deliveries go at once rather than at the end of a backoff that belonged to the old state.
    WebhookDelivery.objects.filter(partner=partner, status=WebhookDelivery.Status.PENDING).update(
        next_attempt_at=timezone.now()
    )


@transaction.atomic
def webhook_configure(*, actor, partner: Partner, url: str) -> str:
    """Point the partner's webhook at `url` with a new signing secret, and switch it on; returns the secret,
    which is shown this once (it is stored encrypted)."""
    url = check_url(url)
    partner = _locked(partner)
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    Partner.objects.filter(pk=partner.pk).update(
        webhook_url=url, webhook_secret=crypto.encrypt(secret), webhook_enabled=True, webhook_failures=0,
        webhook_disabled_at=None, webhook_disabled_reason="",
    )
    _due_now(partner)
    audit_record(actor=actor, action="webhook.configure", obj=partner, changes={"url": [partner.webhook_url, url]})
    deliver_after_commit(partner.pk)
    return secret


@transaction.atomic
def webhook_enable(*, actor, partner: Partner) -> Partner:
    """Switch the webhook on again (after a failure or by choice): the failure count starts again and the
    deliveries that waited go out, oldest first."""
    partner = _locked(partner)
    if not partner.webhook_url or not partner.webhook_secret:
        raise ValidationError({"webhook_url": [_("Atur alamat webhook dulu.")]})
    Partner.objects.filter(pk=partner.pk).update(
        webhook_enabled=True, webhook_failures=0, webhook_disabled_at=None, webhook_disabled_reason=""
    )
    _due_now(partner)
    audit_record(actor=actor, action="webhook.enable", obj=partner)
    deliver_after_commit(partner.pk)
    partner.refresh_from_db()
    return partner


@transaction.atomic
def webhook_disable(*, actor, partner: Partner) -> Partner:
    """The partner switches its webhook off: nothing more is queued until it is switched on again (what was
    already queued waits); the API's `updated_since` fills the gap."""
    partner = _locked(partner)
    Partner.objects.filter(pk=partner.pk).update(
        webhook_enabled=False, webhook_disabled_at=None, webhook_disabled_reason=""
    )
    audit_record(actor=actor, action="webhook.disable", obj=partner)
    partner.refresh_from_db()
    return partner


@transaction.atomic
def webhook_test(*, actor, partner: Partner) -> OutboxEvent:
    """Queue a `ping` for the partner, behind whatever is already queued for it."""
    partner = _locked(partner)
    if not (partner.webhook_enabled and partner.webhook_url):
        raise ValidationError({"webhook_url": [_("Nyalakan webhook dulu, lalu coba lagi.")]})
    event = outbox.emit(
        topic=PING,
        key=f"partner:{partner.pk}",
        payload={"partner_id": partner.pk, "sent_at": timezone.now().isoformat()},
    )
    audit_record(actor=actor, action="webhook.test", obj=partner, changes={"event": event.pk})
    return event


# -- the delivery log (selectors) ----------------------------------------------------------------------------

def delivery_log(partner: Partner, *, status: str | None = None, before_event: int | None = None) -> QuerySet:
    """The partner's deliveries, newest event first; `before_event` continues a page (cursor)."""
    deliveries = WebhookDelivery.objects.filter(partner=partner)
    if status:
        deliveries = deliveries.filter(status=status)
    if before_event is not None:
        deliveries = deliveries.filter(event_id__lt=before_event)
    return deliveries.order_by("-event_id")


def delivery_of(partner: Partner, delivery_id: int) -> WebhookDelivery:
    """One of the partner's deliveries; 404 for another partner's and a missing one alike."""
    delivery = WebhookDelivery.objects.filter(partner=partner, pk=delivery_id).first()
    if delivery is None:
        raise not_found()
    return delivery


def delivery_attempts(delivery: WebhookDelivery) -> list[WebhookAttempt]:
    return list(delivery.attempt_log.order_by("at", "pk"))


def delivery_summary(partner: Partner) -> dict:
    """What a status page shows: how many wait, since when, and when one last went through."""
    pending = WebhookDelivery.objects.filter(partner=partner, status=WebhookDelivery.Status.PENDING).aggregate(
        count=Count("pk"), oldest=Min("created_at")
    )
    last = WebhookDelivery.objects.filter(partner=partner, status=WebhookDelivery.Status.DELIVERED).aggregate(
        at=Max("delivered_at")
    )
    return {
        "pending": pending["count"],
        "oldest_pending_at": pending["oldest"],
        "last_delivered_at": last["at"],
        "failures": partner.webhook_failures,
        "enabled": partner.webhook_enabled,
        "disabled_at": partner.webhook_disabled_at,
        "disabled_reason": partner.webhook_disabled_reason,
    }
