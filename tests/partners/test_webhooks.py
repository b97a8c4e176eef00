"""Webhooks to partners: who gets which event, delivery in order through the task worker against a real HTTP
receiver that is down at first, signatures, backoff, switching off after repeated failure with an alert to the
admins, the partner's settings, and the delivery log in the API."""

import io
import json
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from hypothesis import HealthCheck, given, settings as hypothesis_settings
from hypothesis import strategies as st

from naikkelas.catalog import services as catalog
from naikkelas.core import crypto, outbox
from naikkelas.core.models import AuditLog, OutboxEvent
from naikkelas.partners import services as partner_services
from naikkelas.partners import webhooks
from naikkelas.partners.models import Partner, WebhookAttempt, WebhookDelivery
from naikkelas.partners.tasks import webhook_deliver
from naikkelas.payments import signing
from tests.partners.factories import Api, make_key, make_partner_org, share
from tests.registry.factories import make_business, make_owner

pytestmark = pytest.mark.django_db

DELIVERED, PENDING = WebhookDelivery.Status.DELIVERED, WebhookDelivery.Status.PENDING
PARTNER_TOPICS = ["product.updated", "product.deleted", "stock.changed", "order.status_changed", "consent.withdrawn"]


# -- a partner's server ----------------------------------------------------------------------------------------

class Receiver:
    """A real HTTP server on 127.0.0.1 standing in for a partner. `answer(n)` decides the n-th request (from 0):
    "ok", "500", "redirect" (302 to `redirect_to`), or "close" (hang up without answering). It checks every
    signature with the partner's secret and keeps what it accepted, in order of arrival."""

    def __init__(self, answer=lambda n: "ok", redirect_to: str = ""):
        self.answer, self.redirect_to = answer, redirect_to
        self.secret = ""
        self.requests: list[dict] = []
        self.accepted: list[dict] = []
        self.bad_signatures = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                number = len(receiver.requests)
                receiver.requests.append({"headers": dict(self.headers), "body": body})
                decision = receiver.answer(number)
                if decision == "close":
                    self.close_connection = True
                    return
                if decision == "500":
                    self._reply(500)
                    return
                if decision == "redirect":
                    self._reply(302, Location=receiver.redirect_to)
                    return
                try:
                    signing.verify(
                        secret=receiver.secret,
                        timestamp=self.headers.get(signing.TIMESTAMP_HEADER),
                        signature=self.headers.get(signing.SIGNATURE_HEADER),
                        body=body,
                        now=time.time(),
                    )
                except signing.SignatureError:
                    receiver.bad_signatures += 1
                    self._reply(401)
                    return
                receiver.accepted.append({"headers": dict(self.headers), **json.loads(body)})
                self._reply(204)

            def _reply(self, status, **headers):
                self.send_response(status)
                for name, value in {"Content-Length": "0", **headers}.items():
                    self.send_header(name, value)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/naikkelas"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receivers():
    made = []

    def make(answer=lambda n: "ok", redirect_to: str = "") -> Receiver:
        made.append(Receiver(answer, redirect_to))
        return made[-1]

    yield make
    for receiver in made:
        receiver.close()


@pytest.fixture(autouse=True)
def webhook_settings(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = True  # the receiver lives on 127.0.0.1
    settings.WEBHOOK_TIMEOUT_SECONDS = 3
    settings.ADMINS = [("Admin Naik Kelas", "admin@naikkelas.example")]
    return settings


@pytest.fixture
def no_backoff(webhook_settings):
    """Retries due at once, so the worker's batch run goes through them without waiting minutes."""
    webhook_settings.WEBHOOK_RETRY_BASE_SECONDS = 0
    return webhook_settings


def connect(partner: Partner, receiver: Receiver) -> Partner:
    receiver.secret = webhooks.webhook_configure(actor=None, partner=partner, url=receiver.url)
    return Partner.objects.get(pk=partner.pk)


def run_worker():
    call_command("worker", "--batch", "--no-startup-delay", stdout=io.StringIO())


def failed_tasks():
    return list(DBTaskResult.objects.failed().values_list("task_path", "traceback"))


def partner_events(business) -> list[int]:
    return list(
        OutboxEvent.objects.filter(business_id=business.pk, topic__in=PARTNER_TOPICS)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def new_product(owner, business, name, price=10000, stock=5):
    return catalog.product_create(actor=owner, business=business, name=name, price=price, stock=stock, unit="pcs")


# -- through the worker, against a real receiver ------------------------------------------------------------

@pytest.mark.django_db(transaction=True)
def test_deliveries_survive_a_partner_that_is_down_signed_and_in_order_per_product(regions, receivers, no_backoff):
    # Given a partner whose server fails its first attempts (500, hang-up, 500), then fails every fifth one
    def answer(n):
        if n < 3:
            return ("500", "close", "500")[n]
        return "500" if n % 5 == 0 else "ok"

    receiver = receivers(answer)
    partner = connect(make_partner_org(), receiver)
    owner = make_owner()
    shared, private = make_business(owner=owner), make_business(owner=owner, name="Toko Lain")
    share(shared, partner)

    # When the owner changes several products many times, in both businesses, and the worker runs
    products = [new_product(owner, shared, f"Produk {n}") for n in range(3)]
    new_product(owner, private, "Produk Rahasia")
    for price in range(11000, 16000, 1000):
        for product in products:
            catalog.product_update(actor=owner, product=product, price=price)
    for product in products:
        catalog.product_stock_set(actor=owner, product=product, stock=2)
    catalog.product_restock(product_id=products[0].pk, quantity=3)
    catalog.product_set_active(actor=owner, product=products[1], active=False)
    catalog.product_delete(actor=owner, product=products[2])
    run_worker()

    # Then every event of the shared business arrived, once, in the order written, each signed
    assert failed_tasks() == []
    assert receiver.bad_signatures == 0
    expected = partner_events(shared)
    assert len(expected) == 3 + 15 + 3 + 1 + 1 + 1
    assert [event["id"] for event in receiver.accepted] == expected
    # ...and per product the partner saw the prices rise in order and the last word last
    for product in products:
        seen = [e for e in receiver.accepted if e["data"]["id"] == product.pk]
        prices = [e["data"]["price"] for e in seen if e["type"] == "product.updated" and e["data"]["is_active"]]
        assert prices == sorted(prices) and prices[-1] == 15000
    assert [e["type"] for e in receiver.accepted if e["data"]["id"] == products[2].pk][-1] == "product.deleted"
    last_of_first = [e for e in receiver.accepted if e["data"]["id"] == products[0].pk][-1]
    assert (last_of_first["type"], last_of_first["data"]["stock"]) == ("stock.changed", 5)
    # ...nothing of the business that does not share
    assert not [e for e in receiver.accepted if e["data"].get("business_id") == private.pk]
    # ...the headers name the event and the delivery
    first = receiver.accepted[0]
    delivery = WebhookDelivery.objects.get(partner=partner, event_id=first["id"])
    assert first["headers"][webhooks.EVENT_HEADER] == "product.updated"
    assert first["headers"][webhooks.DELIVERY_HEADER] == str(delivery.pk)
    # ...and the log shows the failed attempts before each success
    assert [(a.status_code, a.error[:10]) for a in webhooks.delivery_attempts(delivery)] == [
        (500, "HTTP 500"), (None, "RemoteDisc"), (500, "HTTP 500"), (204, ""),
    ]
    assert delivery.attempts == 4
    answers = [answer(n) for n in range(len(receiver.requests))]
    assert WebhookAttempt.objects.count() == len(receiver.requests)
    assert WebhookAttempt.objects.filter(status_code=500).count() == answers.count("500")
    assert WebhookAttempt.objects.filter(status_code=None).count() == answers.count("close") == 1
    assert not WebhookDelivery.objects.filter(partner=partner, status=PENDING).exists()
    assert Partner.objects.get(pk=partner.pk).webhook_failures == 0


@pytest.mark.django_db(transaction=True)
def test_repeated_failure_switches_the_webhook_off_alerts_the_admins_and_nothing_is_lost(
    regions, receivers, no_backoff
):
    # Given a partner whose server is down, and a webhook that gives up after 3 failures in a row
    no_backoff.WEBHOOK_MAX_FAILURES = 3
    down = True
    receiver = receivers(lambda n: "500" if down else "ok")
    partner = connect(make_partner_org(), receiver)
    owner = make_owner()
    business = make_business(owner=owner)
    share(business, partner)
    product = new_product(owner, business, "Keripik")
    catalog.product_update(actor=owner, product=product, price=12000)

    # When the worker runs
    run_worker()

    # Then three attempts failed and the webhook is off, the admins told, the deliveries still waiting
    partner.refresh_from_db()
    assert len(receiver.requests) == 3
    assert not partner.webhook_enabled and partner.webhook_disabled_at is not None
    assert "3 kali gagal berturut-turut" in partner.webhook_disabled_reason
    assert [message.to for message in mail.outbox] == [["admin@naikkelas.example"]]
    assert partner.name in mail.outbox[0].subject and receiver.url in mail.outbox[0].body
    assert AuditLog.objects.filter(action="webhook.auto_disable", object_id=str(partner.pk)).count() == 1
    assert WebhookDelivery.objects.filter(partner=partner, status=PENDING).count() == 2
    assert failed_tasks() == []

    # ...and events keep queueing while it is off, without a single attempt
    catalog.product_stock_set(actor=owner, product=product, stock=9)
    run_worker()
    assert len(receiver.requests) == 3
    assert WebhookDelivery.objects.filter(partner=partner, status=PENDING).count() == 3

    # When the partner is back and switches the webhook on again
    down = False
    webhooks.webhook_enable(actor=None, partner=partner)
    run_worker()

    # Then everything that waited arrives, in order, and the count of failures starts again
    assert [event["id"] for event in receiver.accepted] == partner_events(business)
    assert [event["type"] for event in receiver.accepted] == ["product.updated", "product.updated", "stock.changed"]
    partner.refresh_from_db()
    assert partner.webhook_enabled and partner.webhook_failures == 0 and partner.webhook_disabled_at is None
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_a_withdrawn_consent_reaches_the_partner_and_then_nothing_more_of_that_business(
    regions, receivers, no_backoff
):
    # Given two partners the business shares with
    first, second = receivers(), receivers()
    partner = connect(make_partner_org("Pasar Satu"), first)
    other = connect(make_partner_org("Pasar Dua"), second)
    owner = make_owner()
    business = make_business(owner=owner)
    for each in (partner, other):
        partner_services.share_grant(actor=owner, business=business, partner=each)
    product = new_product(owner, business, "Batik")
    run_worker()

    # When the owner withdraws consent from the first, then changes the product
    partner_services.share_withdraw(actor=owner, business=business, partner=partner)
    catalog.product_update(actor=owner, product=product, price=99000)
    run_worker()

    # Then the first hears of the withdrawal last, and nothing after it; the second hears no withdrawal
    assert [event["type"] for event in first.accepted] == ["product.updated", "consent.withdrawn"]
    assert first.accepted[-1]["data"]["business_id"] == business.pk
    assert first.accepted[-1]["data"]["partner_id"] == partner.pk
    assert [event["type"] for event in second.accepted] == ["product.updated", "product.updated"]
    assert second.accepted[-1]["data"]["price"] == 99000
    assert failed_tasks() == []


@pytest.mark.django_db(transaction=True)
def test_a_send_cut_short_by_a_crash_goes_out_when_the_worker_starts_again(regions, receivers, no_backoff):
    # Given a delivery a worker had leased when it died (no task left for it), the lease now over
    receiver = receivers()
    partner = connect(make_partner_org(), receiver)
    owner = make_owner()
    business = make_business(owner=owner)
    share(business, partner)
    new_product(owner, business, "Gula Aren")
    outbox.relay()
    DBTaskResult.objects.all().delete()
    WebhookDelivery.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))

    # When the worker starts
    run_worker()

    # Then it is sent
    assert [event["type"] for event in receiver.accepted] == ["product.updated"]
    assert WebhookDelivery.objects.get().status == DELIVERED


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_workers_sending_for_one_partner_at_once_send_each_event_once_and_in_order(regions, receivers):
    # Given thirty queued events and a partner's server that takes a moment to answer
    def slowly(n):
        time.sleep(0.01)
        return "ok"

    receiver = receivers(slowly)
    partner = connect(make_partner_org(), receiver)
    business = make_business(owner=make_owner())
    share(business, partner)
    for n in range(30):
        outbox.emit(
            topic="stock.changed", key=f"product:{n % 3}", business_id=business.pk, payload={"id": n % 3, "stock": n}
        )
    outbox.relay()

    # When four workers send for the partner at the same time, until nothing is left
    errors = []

    def work():
        try:
            while WebhookDelivery.objects.filter(partner=partner, status=PENDING).exists():
                webhooks.deliver(partner_id=partner.pk)
        except Exception as error:  # pragma: no cover - shown by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # Then each event arrived exactly once, in the order written
    assert errors == []
    assert [event["id"] for event in receiver.accepted] == partner_events(business)
    assert len(receiver.requests) == 30


# -- backoff, with the clock moved instead of waiting ----------------------------------------------------------

def test_a_failure_waits_for_its_backoff_and_the_retry_goes_once_the_time_has_come(
    receivers, monkeypatch, django_capture_on_commit_callbacks
):
    # Given a partner whose server fails once, with the real backoff (30 s base)
    receiver = receivers(lambda n: "500" if n == 0 else "ok")
    partner = connect(make_partner_org(), receiver)
    business = make_business(owner=make_owner())
    share(business, partner)
    outbox.emit(topic="stock.changed", key="product:1", business_id=business.pk, payload={"id": 1, "stock": 3})
    outbox.relay()

    # When the first attempt fails
    with django_capture_on_commit_callbacks(execute=True):
        assert webhooks.deliver(partner_id=partner.pk) == 0

    # Then the retry is a task for 15–30 s later, and trying before then sends nothing
    delivery = WebhookDelivery.objects.get()
    wait = delivery.next_attempt_at - delivery.last_attempt_at
    assert timedelta(seconds=15) <= wait <= timedelta(seconds=30)
    retry = DBTaskResult.objects.filter(task_path="naikkelas.partners.tasks.webhook_deliver").latest("enqueued_at")
    assert retry.run_after == delivery.next_attempt_at
    assert not DBTaskResult.objects.ready().filter(pk=retry.pk).exists()
    assert webhook_deliver.call(partner.pk) == 0
    assert len(receiver.requests) == 1

    # When the clock moves past it
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + timedelta(seconds=31))

    # Then the retry task is due and delivers
    assert DBTaskResult.objects.ready().filter(pk=retry.pk).exists()
    assert webhook_deliver.call(partner.pk) == 1
    delivery.refresh_from_db()
    assert delivery.status == DELIVERED and delivery.attempts == 2
    assert [a.status_code for a in webhooks.delivery_attempts(delivery)] == [500, 204]


def test_backoff_doubles_with_each_failure_up_to_the_cap_with_jitter_in_the_upper_half(settings):
    settings.WEBHOOK_RETRY_BASE_SECONDS, settings.WEBHOOK_RETRY_CAP_SECONDS = 30, 6 * 60 * 60
    lowest = [webhooks.backoff(n, rand=lambda: 0.0).total_seconds() for n in range(1, 12)]
    highest = [webhooks.backoff(n, rand=lambda: 1.0).total_seconds() for n in range(1, 12)]
    assert highest[:5] == [30, 60, 120, 240, 480]
    assert lowest[:5] == [15, 30, 60, 120, 240]
    assert highest[-1] == 6 * 60 * 60 and lowest[-1] == 3 * 60 * 60
    assert webhooks.backoff(10_000, rand=lambda: 1.0).total_seconds() == 6 * 60 * 60


# -- who gets what -----------------------------------------------------------------------------------------------

def webhook_partner(name="Pasar Nusantara", url="https://mitra.example/hook") -> Partner:
    partner = make_partner_org(name)
    Partner.objects.filter(pk=partner.pk).update(
        webhook_url=url, webhook_secret=crypto.encrypt("whsec_uji"), webhook_enabled=True
    )
    return Partner.objects.get(pk=partner.pk)


def queued(partner) -> list[tuple[str, str]]:
    return list(WebhookDelivery.objects.filter(partner=partner).order_by("event_id").values_list("topic", "key"))


def test_a_partner_without_a_share_gets_no_delivery_for_that_business():
    owner = make_owner()
    business = make_business(owner=owner)
    with_share, without = webhook_partner("Pasar Satu"), webhook_partner("Pasar Dua")
    share(business, with_share)
    product = new_product(owner, business, "Kopi")

    outbox.relay()

    assert queued(with_share) == [("product.updated", f"product:{product.pk}")]
    assert queued(without) == []


def test_an_event_not_yet_relayed_when_consent_is_withdrawn_is_not_sent_to_that_partner():
    # Who may hear is decided when the event is relayed: after a withdrawal, only the withdrawal itself.
    owner = make_owner()
    business = make_business(owner=owner)
    partner = webhook_partner()
    partner_services.share_grant(actor=owner, business=business, partner=partner)
    new_product(owner, business, "Kopi")
    partner_services.share_withdraw(actor=owner, business=business, partner=partner)

    outbox.relay()

    assert queued(partner) == [("consent.withdrawn", f"business:{business.pk}")]


def test_order_status_goes_only_to_the_partner_whose_channel_the_order_came_through():
    business = make_business(owner=make_owner())
    ours, theirs = webhook_partner("Pasar Satu"), webhook_partner("Pasar Dua")
    share(business, ours)
    share(business, theirs)
    for channel in (f"partner:{ours.slug}", ""):
        outbox.emit(
            topic="order.status_changed", key="order:1", business_id=business.pk,
            payload={"id": 1, "channel": channel, "status": "paid"},
        )

    outbox.relay()

    assert queued(ours) == [("order.status_changed", "order:1")]
    assert queued(theirs) == []


def test_switched_off_by_choice_queues_nothing_switched_off_by_failure_keeps_queueing():
    business = make_business(owner=make_owner())
    chose, failed, inactive, no_url = (webhook_partner(name) for name in ("Satu", "Dua", "Tiga", "Empat"))
    webhooks.webhook_disable(actor=None, partner=chose)
    Partner.objects.filter(pk=failed.pk).update(webhook_enabled=False, webhook_disabled_at=timezone.now())
    Partner.objects.filter(pk=inactive.pk).update(is_active=False)
    Partner.objects.filter(pk=no_url.pk).update(webhook_url="")
    for partner in (chose, failed, inactive, no_url):
        share(business, partner)
    outbox.emit(topic="stock.changed", key="product:5", business_id=business.pk, payload={"id": 5})

    outbox.relay()

    assert [bool(queued(p)) for p in (chose, failed, inactive, no_url)] == [False, True, False, False]


def test_a_repeated_relay_queues_each_event_once_and_other_topics_not_at_all():
    business = make_business(owner=make_owner())
    partner = webhook_partner()
    share(business, partner)
    events = [
        outbox.emit(topic="product.updated", key="product:1", business_id=business.pk, payload={"id": 1}),
        outbox.emit(topic="registry.changed", key="business:1", business_id=business.pk),
    ]

    webhooks.consume(events)
    webhooks.consume(events)

    assert queued(partner) == [("product.updated", "product:1")]


def test_a_delivery_carries_the_event_signed_with_the_partners_secret(receivers):
    receiver = receivers()
    partner = connect(make_partner_org(), receiver)
    business = make_business(owner=make_owner())
    share(business, partner)
    event = outbox.emit(topic="stock.changed", key="product:9", business_id=business.pk, payload={"id": 9, "stock": 0})
    outbox.relay()

    assert webhooks.deliver(partner_id=partner.pk) == 1

    request = receiver.requests[0]
    headers, body = request["headers"], request["body"]
    assert json.loads(body) == {
        "id": event.pk,
        "type": "stock.changed",
        "created_at": event.created_at.isoformat(),
        "data": {"id": 9, "stock": 0},
    }
    assert headers[signing.SIGNATURE_HEADER] == signing.sign(receiver.secret, headers[signing.TIMESTAMP_HEADER], body)
    assert signing.sign("another secret", headers[signing.TIMESTAMP_HEADER], body) != headers[signing.SIGNATURE_HEADER]
    assert headers["Content-Type"] == "application/json"


def test_a_redirect_is_a_failed_attempt_and_is_not_followed(receivers):
    elsewhere = receivers()
    receiver = receivers(lambda n: "redirect", redirect_to=elsewhere.url)
    partner = connect(make_partner_org(), receiver)
    business = make_business(owner=make_owner())
    share(business, partner)
    outbox.emit(topic="stock.changed", key="product:9", business_id=business.pk, payload={"id": 9})
    outbox.relay()

    assert webhooks.deliver(partner_id=partner.pk) == 0

    assert (WebhookAttempt.objects.get().status_code, WebhookAttempt.objects.get().error) == (302, "HTTP 302")
    assert elsewhere.requests == []
    assert Partner.objects.get(pk=partner.pk).webhook_failures == 1


def test_a_partner_that_cannot_be_reached_is_a_failed_attempt_with_the_reason():
    partner = webhook_partner(url="http://127.0.0.1:9/tidak-ada")
    business = make_business(owner=make_owner())
    share(business, partner)
    outbox.emit(topic="stock.changed", key="product:9", business_id=business.pk, payload={"id": 9})
    outbox.relay()

    assert webhooks.deliver(partner_id=partner.pk) == 0

    attempt = WebhookAttempt.objects.get()
    assert attempt.status_code is None and attempt.error.startswith("URLError")
    assert WebhookDelivery.objects.get().status == PENDING


# -- the partner's settings ----------------------------------------------------------------------------------

def test_configure_returns_a_new_secret_once_and_keeps_it_encrypted():
    partner = make_partner_org()
    secret = webhooks.webhook_configure(actor=None, partner=partner, url=" https://mitra.example/hook ")
    partner.refresh_from_db()
    assert secret.startswith("whsec_") and len(secret) > 40
    assert partner.webhook_url == "https://mitra.example/hook" and partner.webhook_enabled
    assert secret not in partner.webhook_secret and crypto.decrypt(partner.webhook_secret) == secret
    assert webhooks.webhook_configure(actor=None, partner=partner, url="https://mitra.example/hook") != secret
    audit = AuditLog.objects.filter(action="webhook.configure").first()
    assert secret not in json.dumps(audit.changes)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("", "Isi alamat webhook."),
        ("ftp://mitra.example/hook", "diawali https://"),
        ("mitra.example/hook", "diawali https://"),
        ("https://user:sandi@mitra.example/hook", "nama pengguna"),
        ("https://mitra.example:99999/hook", "diawali https://"),
        ("https://mitra.example/" + "x" * 500, "paling panjang 500"),
    ],
)
def test_configure_refuses_what_is_not_a_web_address(url, message):
    partner = make_partner_org()
    with pytest.raises(ValidationError) as refused:
        webhooks.webhook_configure(actor=None, partner=partner, url=url)
    assert message in str(refused.value.message_dict["webhook_url"])
    partner.refresh_from_db()
    assert partner.webhook_url == "" and not partner.webhook_enabled


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:8000/x", "http://localhost/x", "http://10.1.2.3/x", "http://192.168.1.1/x",
     "http://169.254.169.254/latest", "http://[::1]/x", "http://100.64.0.1/x", "http://0.0.0.0/x"],
)
def test_in_production_a_webhook_into_a_private_network_is_refused(webhook_settings, url):
    webhook_settings.WEBHOOK_ALLOW_PRIVATE_URLS = False
    partner = make_partner_org()
    with pytest.raises(ValidationError) as refused:
        webhooks.webhook_configure(actor=None, partner=partner, url=url)
    assert "jaringan privat" in str(refused.value.message_dict["webhook_url"])
    # a public address is fine
    assert webhooks.webhook_configure(actor=None, partner=partner, url="https://93.184.216.34/hook")


def test_in_production_a_name_that_now_points_inside_is_refused_at_send_time(webhook_settings, receivers):
    receiver = receivers()
    partner = connect(make_partner_org(), receiver)
    business = make_business(owner=make_owner())
    share(business, partner)
    outbox.emit(topic="stock.changed", key="product:9", business_id=business.pk, payload={"id": 9})
    outbox.relay()
    webhook_settings.WEBHOOK_ALLOW_PRIVATE_URLS = False

    assert webhooks.deliver(partner_id=partner.pk) == 0

    assert receiver.requests == []
    assert "jaringan privat" in WebhookAttempt.objects.get().error


@hypothesis_settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(url=st.one_of(st.text(max_size=80), st.from_regex(r"https?://[^\s]{0,40}", fullmatch=True)))
def test_any_typed_address_is_taken_or_refused_with_a_message_never_a_crash(url):
    partner = Partner.objects.filter(slug="acak").first() or make_partner_org("Acak")
    try:
        secret = webhooks.webhook_configure(actor=None, partner=partner, url=url)
    except ValidationError as refused:
        assert refused.message_dict["webhook_url"]
    else:
        assert secret.startswith("whsec_")
        assert Partner.objects.get(pk=partner.pk).webhook_url == url.strip()


def test_enable_needs_an_address_and_test_needs_the_webhook_on():
    partner = make_partner_org()
    with pytest.raises(ValidationError):
        webhooks.webhook_enable(actor=None, partner=partner)
    with pytest.raises(ValidationError):
        webhooks.webhook_test(actor=None, partner=partner)
    assert not OutboxEvent.objects.exists()


def test_a_test_ping_queues_behind_what_is_already_queued():
    business = make_business(owner=make_owner())
    partner = webhook_partner()
    other = webhook_partner("Pasar Lain")
    share(business, partner)
    outbox.emit(topic="stock.changed", key="product:1", business_id=business.pk, payload={"id": 1})

    webhooks.webhook_test(actor=None, partner=partner)
    outbox.relay()

    assert queued(partner) == [("stock.changed", "product:1"), ("ping", f"partner:{partner.pk}")]
    assert queued(other) == []


def test_switching_on_again_makes_waiting_deliveries_due_at_once():
    business = make_business(owner=make_owner())
    partner = webhook_partner()
    share(business, partner)
    outbox.emit(topic="stock.changed", key="product:1", business_id=business.pk, payload={"id": 1})
    outbox.relay()
    later = timezone.now() + timedelta(hours=3)
    WebhookDelivery.objects.update(next_attempt_at=later)
    Partner.objects.filter(pk=partner.pk).update(
        webhook_enabled=False, webhook_failures=10, webhook_disabled_at=timezone.now(), webhook_disabled_reason="x"
    )

    partner = webhooks.webhook_enable(actor=None, partner=partner)

    assert (partner.webhook_enabled, partner.webhook_failures, partner.webhook_disabled_at) == (True, 0, None)
    assert WebhookDelivery.objects.get().next_attempt_at <= timezone.now()
    assert AuditLog.objects.filter(action="webhook.enable").exists()


# -- the delivery log in the API -------------------------------------------------------------------------------

@pytest.fixture
def logged(db):
    """A partner with five deliveries (the last two delivered, the third with two attempts), and a key."""
    business = make_business(owner=make_owner())
    partner = webhook_partner()
    share(business, partner)
    for n in range(5):
        outbox.emit(topic="stock.changed", key=f"product:{n}", business_id=business.pk, payload={"id": n, "stock": n})
    outbox.relay()
    deliveries = list(WebhookDelivery.objects.filter(partner=partner).order_by("event_id"))
    now = timezone.now()
    for delivery in deliveries[3:]:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(status=DELIVERED, delivered_at=now, attempts=1)
    for code in (500, None):
        WebhookAttempt.objects.create(delivery=deliveries[2], status_code=code, error="HTTP 500" if code else "timeout")
    return partner, deliveries, Api(make_key(partner, scope="read"))


def test_the_delivery_log_pages_newest_first_with_a_cursor_and_filters_by_status(logged):
    partner, deliveries, api = logged
    first = api.get("/webhooks/deliveries", {"limit": 2})
    assert first.status_code == 200
    page = first.json()
    assert [item["id"] for item in page["items"]] == [deliveries[4].pk, deliveries[3].pk]
    assert page["items"][0]["status"] == "delivered" and page["items"][0]["next_attempt_at"] is None
    rest = api.get("/webhooks/deliveries", {"limit": 2, "cursor": page["next_cursor"]}).json()
    last = api.get("/webhooks/deliveries", {"limit": 2, "cursor": rest["next_cursor"]}).json()
    assert [item["id"] for item in rest["items"] + last["items"]] == [d.pk for d in reversed(deliveries[:3])]
    assert last["next_cursor"] is None
    pending = api.get("/webhooks/deliveries", {"status": "pending"}).json()["items"]
    assert [item["id"] for item in pending] == [d.pk for d in reversed(deliveries[:3])]


def test_one_delivery_shows_its_event_and_every_attempt(logged):
    partner, deliveries, api = logged
    response = api.get(f"/webhooks/deliveries/{deliveries[2].pk}")
    assert response.status_code == 200
    detail = response.json()
    assert (detail["type"], detail["key"], detail["data"]) == ("stock.changed", "product:2", {"id": 2, "stock": 2})
    assert [(a["status_code"], a["error"]) for a in detail["attempt_log"]] == [(500, "HTTP 500"), (None, "timeout")]


def test_another_partners_delivery_is_the_same_404_as_a_missing_one(logged):
    partner, deliveries, api = logged
    stranger = Api(make_key(make_partner_org("Pasar Lain"), scope="read"))
    refused = stranger.get(f"/webhooks/deliveries/{deliveries[0].pk}")
    missing = api.get(f"/webhooks/deliveries/{deliveries[-1].pk + 1000}")
    assert refused.status_code == missing.status_code == 404
    assert refused.json()["title"] == missing.json()["title"]
    assert refused["Content-Type"] == "application/problem+json"
    assert stranger.get("/webhooks/deliveries").json()["items"] == []


def test_the_delivery_log_refuses_no_key_and_a_bad_cursor(logged):
    partner, deliveries, api = logged
    assert Api(None).get("/webhooks/deliveries").status_code == 401
    bad = api.get("/webhooks/deliveries", {"cursor": "bukan-kursor"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["loc"] == ["query", "cursor"]
    assert api.get("/webhooks/deliveries", {"status": "lost"}).status_code == 422
    assert api.get(f"/webhooks/deliveries/{2**70}").status_code == 422


@hypothesis_settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cursor=st.one_of(st.text(max_size=70), st.from_regex(r"[A-Za-z0-9_-]{0,30}", fullmatch=True)))
def test_any_cursor_gives_a_page_or_a_problem_never_a_crash(logged, cursor):
    partner, deliveries, api = logged
    response = api.get("/webhooks/deliveries", {"cursor": cursor})
    assert response.status_code in (200, 422)
    if response.status_code == 422:
        assert response["Content-Type"] == "application/problem+json"
