"""A partner's own pages through HTTP: keys (shown once, stored hashed, rotated, revoked), the businesses that
share, the delivery log, the webhook settings and the sync status; and who is refused."""

import hashlib
import re
from datetime import timedelta

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from naikkelas.core.models import AuditLog, OutboxEvent
from naikkelas.partners import keys, services
from naikkelas.partners.models import ApiKey, Partner, Share, WebhookAttempt, WebhookDelivery
from tests.partners.factories import make_key, make_partner_with_user, share
from tests.registry.factories import KRICAK, SLEMAN, make_admin, make_business, make_officer, make_owner

pytestmark = pytest.mark.django_db
SECRET = re.compile(r"nk_[a-z2-9]{10}_[A-Za-z0-9_-]{20,}")
LOGIN = reverse("accounts:login")


@pytest.fixture
def org(client):
    partner, person = make_partner_with_user("Pasar Nusantara", description="Marketplace produk lokal.")
    client.force_login(person)
    partner.person = person
    return partner


@pytest.fixture
def other_org():
    return make_partner_with_user("Katalog Pengadaan Daerah")[0]


def url(name: str, *args) -> str:
    return reverse(f"partners:{name}", args=[getattr(arg, "pk", arg) for arg in args])


def body(response) -> str:
    return response.content.decode()


def secrets_in(response) -> list[str]:
    return SECRET.findall(body(response))


# -- who gets in ---------------------------------------------------------------------------------------------

PAGES = ("home", "keys", "businesses", "webhook", "deliveries", "sync")


@pytest.mark.parametrize("page", PAGES)
def test_partner_pages_open_for_the_partners_people_and_admins_only(client, org, other_org, page):
    assert client.get(url(page, org)).status_code == 200
    # Another partner's page is the 404 of a partner that does not exist.
    assert client.get(url(page, other_org)).status_code == 404
    assert client.get(url(page, 999999)).status_code == 404
    for stranger in (make_owner(), make_officer(SLEMAN), make_partner_with_user("Lain")[1]):
        client.force_login(stranger)
        assert client.get(url(page, org)).status_code == 404
    client.force_login(make_admin())
    assert client.get(url(page, org)).status_code == 200
    assert client.get(url(page, other_org)).status_code == 200
    client.logout()
    assert client.get(url(page, org))["Location"].startswith(LOGIN)


def test_a_partners_person_lands_on_their_partners_home(client, org):
    assert client.get("/")["Location"] == url("index")
    assert client.get(url("index"))["Location"] == url("home", org)


def test_an_admin_chooses_among_all_partners(client, org, other_org):
    client.force_login(make_admin())
    page = body(client.get(url("index")))
    assert url("home", org) in page and url("home", other_org) in page


def test_the_partner_menu_is_refused_to_owners_and_officers(client):
    for person in (make_owner(), make_officer(SLEMAN)):
        client.force_login(person)
        assert client.get(url("index")).status_code == 404


def test_the_home_page_counts_shares_keys_and_waiting_deliveries(client, org, other_org):
    shared, invited, withdrawn = (make_business(name=n) for n in ("Warung A", "Warung B", "Warung C"))
    share(shared, org)
    share(make_business(name="Warung D"), other_org)  # another partner's: not counted
    Share.objects.create(business=invited, partner=org, state=Share.State.INVITED)
    Share.objects.create(business=withdrawn, partner=org, state=Share.State.WITHDRAWN)
    make_key(org)
    revoked = services.api_key_create(actor=None, partner=org, name="lama").key
    services.api_key_revoke(actor=None, key=revoked)
    failing = WebhookDelivery.objects.create(partner=org, event_id=1, topic="stock.changed", key="product:1", payload={})
    WebhookDelivery.objects.filter(pk=failing.pk).update(attempts=2)
    WebhookDelivery.objects.create(partner=org, event_id=2, topic="stock.changed", key="product:1", payload={})
    WebhookDelivery.objects.create(
        partner=org, event_id=3, topic="stock.changed", key="product:2", payload={}, status=WebhookDelivery.Status.DELIVERED
    )
    response = client.get(url("home", org))
    assert response.context["counts"] == {"shared": 1, "invited": 1, "withdrawn": 1, "live": 1, "pending": 2, "failing": 1}
    assert "Belum diatur" in body(response)


# -- keys ----------------------------------------------------------------------------------------------------


def test_a_new_key_is_shown_once_and_only_its_hash_is_stored(client, org):
    response = client.post(url("keys", org), {"name": "server produksi", "scope": "write"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    [secret] = set(secrets_in(response))
    key = ApiKey.objects.get()
    assert (key.name, key.scope, key.partner, key.created_by) == ("server produksi", "write", org, org.person)
    assert key.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    stored = " ".join(str(value) for value in model_to_dict(key).values())
    assert secret not in stored and secret.split("_")[-1] not in stored
    assert keys.authenticate(secret) == key
    # Never again: the list shows the prefix, not the secret.
    again = client.get(url("keys", org))
    assert secrets_in(again) == [] and f"{key.prefix}…" in body(again)
    assert secret not in body(client.get(url("sync", org)))


def test_a_key_without_a_name_is_refused_with_a_message_and_nothing_is_written(client, org):
    response = client.post(url("keys", org), {"name": "   ", "scope": "read"})
    assert response.status_code == 200
    assert "Beri nama kunci" in body(response)
    assert secrets_in(response) == []
    assert not ApiKey.objects.exists() and not AuditLog.objects.filter(action="api_key.create").exists()


def test_a_key_with_an_unknown_scope_is_refused(client, org):
    response = client.post(url("keys", org), {"name": "server", "scope": "admin"})
    assert "Pilih izin kunci" in body(response)
    assert not ApiKey.objects.exists()


def test_the_live_key_limit_is_shown_on_the_form(client, org, monkeypatch):
    monkeypatch.setattr(services, "MAX_LIVE_KEYS", 1)
    make_key(org)
    response = client.post(url("keys", org), {"name": "kedua", "scope": "read"})
    assert "Cabut kunci yang tidak dipakai dulu" in body(response)
    assert ApiKey.objects.count() == 1


KEY_TEXT = st.one_of(st.text(max_size=90), st.sampled_from(["", " ", "\t", "x" * 81, "server produksi"]))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=KEY_TEXT, scope=st.sampled_from(["read", "write", "", "admin", "READ"]))
def test_any_typed_key_is_made_with_its_secret_shown_or_refused_whole(client, org, name, scope):
    before = ApiKey.objects.count()
    response = client.post(url("keys", org), {"name": name, "scope": scope})
    assert response.status_code == 200
    made = bool(secrets_in(response))
    assert ApiKey.objects.count() == before + made
    if made:
        assert ApiKey.objects.first().name == " ".join(name.split())
    else:
        assert 'class="errorlist"' in body(response)


def test_rotating_shows_the_new_secret_once_and_keeps_the_old_key_for_a_day(client, org):
    old_secret = make_key(org, scope="read")
    old = ApiKey.objects.get()
    response = client.post(url("key_rotate", org, old))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    [new_secret] = set(secrets_in(response))
    assert new_secret != old_secret
    old.refresh_from_db()
    new = ApiKey.objects.exclude(pk=old.pk).get()
    assert old.replaced_by == new and (new.name, new.scope) == (old.name, "read")
    assert timedelta(hours=23, minutes=59) < old.expires_at - timezone.now() <= timedelta(hours=24)
    assert keys.authenticate(old_secret) == old and keys.authenticate(new_secret) == new
    assert "tetap berlaku sampai" in body(response)
    assert secrets_in(client.get(url("keys", org))) == []


def test_a_revoked_key_cannot_be_rotated(client, org):
    make_key(org)
    key = ApiKey.objects.get()
    services.api_key_revoke(actor=None, key=key)
    response = client.post(url("key_rotate", org, key), follow=True)
    assert "sudah dicabut" in body(response)
    assert ApiKey.objects.count() == 1


def test_revoking_asks_first_then_the_key_is_refused_at_once(client, org):
    secret = make_key(org)
    key = ApiKey.objects.get()
    confirm = client.get(url("key_revoke", org, key))
    assert "tidak bisa dipulihkan" in body(confirm)
    assert keys.authenticate(secret) == key  # asking changes nothing
    response = client.post(url("key_revoke", org, key))
    assert response["Location"] == url("keys", org)
    key.refresh_from_db()
    assert key.revoked_at is not None
    assert keys.authenticate(secret) is None
    assert "Dicabut" in body(client.get(url("keys", org)))
    assert AuditLog.objects.filter(action="api_key.revoke", actor=org.person).count() == 1


def test_another_partners_key_is_a_404_and_stays_as_it_was(client, org, other_org):
    secret = make_key(other_org)
    theirs = ApiKey.objects.get()
    for page in ("key_rotate", "key_revoke"):
        # Under their own partner's address, and smuggled under the partner's own.
        assert client.post(url(page, other_org, theirs)).status_code == 404
        assert client.post(url(page, org, theirs)).status_code == 404
    assert client.get(url("key_revoke", org, theirs)).status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None and theirs.expires_at is None
    assert ApiKey.objects.count() == 1 and keys.authenticate(secret) == theirs


# -- shared businesses ---------------------------------------------------------------------------------------


def test_the_business_list_shows_who_shares_and_marks_who_withdrew(client, org, other_org):
    sharing = make_business(name="Keripik Bu Tini", village=KRICAK, sector_code="10794")
    withdrew = make_business(name="Batik Pak Harjo")
    share(sharing, org)
    Share.objects.create(
        business=withdrew, partner=org, state=Share.State.WITHDRAWN, withdrawn_at=timezone.now()
    )
    Share.objects.create(business=make_business(name="Warung Diundang"), partner=org, state=Share.State.INVITED)
    share(make_business(name="Warung Mitra Lain"), other_org)
    page = body(client.get(url("businesses", org)))
    assert "Keripik Bu Tini" in page and "Kricak" in page and "Yogyakarta" in page
    assert re.search(r"Batik Pak Harjo\s*<span class=\"badge out\">dicabut</span>", page)
    assert "Warung Diundang" not in page and "Warung Mitra Lain" not in page


def test_the_business_list_is_paginated_latest_change_first(client, org):
    now = timezone.now()
    for n in range(51):
        made = share(make_business(name=f"Usaha {n:02d}"), org)
        Share.objects.filter(pk=made.pk).update(changed_at=now - timedelta(minutes=n))
    first = body(client.get(url("businesses", org)))
    second = body(client.get(url("businesses", org) + "?page=2"))
    assert "Usaha 00" in first and "Usaha 49" in first and "Usaha 50" not in first
    assert "Usaha 50" in second and "Usaha 00" not in second
    assert "Halaman 1 dari 2" in first


# -- deliveries ----------------------------------------------------------------------------------------------


def _delivery(partner, event_id: int, status=WebhookDelivery.Status.PENDING, **fields) -> WebhookDelivery:
    return WebhookDelivery.objects.create(
        partner=partner, event_id=event_id, topic="product.updated", key=f"product:{event_id}",
        payload={"product_id": event_id}, status=status, **fields,
    )


def test_the_delivery_log_shows_status_attempts_and_the_last_answer(client, org, other_org):
    failing = _delivery(org, 10, attempts=2)
    WebhookAttempt.objects.create(delivery=failing, status_code=500, at=timezone.now() - timedelta(minutes=5))
    WebhookAttempt.objects.create(delivery=failing, status_code=None, error="connection refused")
    _delivery(org, 11, status=WebhookDelivery.Status.DELIVERED, attempts=1)
    _delivery(other_org, 12)
    page = body(client.get(url("deliveries", org)))
    assert "product:10" in page and "product:11" in page and "product:12" not in page
    assert "connection refused" in page and "HTTP 500" not in page  # the latest attempt, not the first
    pending = body(client.get(url("deliveries", org) + "?status=pending"))
    assert "product:10" in pending and "product:11" not in pending
    delivered = body(client.get(url("deliveries", org) + "?status=delivered"))
    assert "product:11" in delivered and "product:10" not in delivered
    # An unknown filter shows everything rather than failing.
    assert "product:10" in body(client.get(url("deliveries", org) + "?status=lost&sebelum=x"))


def test_the_delivery_log_pages_back_by_event(client, org):
    for event_id in range(1, 53):
        _delivery(org, event_id)
    first = client.get(url("deliveries", org))
    shown = [row["delivery"].event_id for row in first.context["rows"]]
    assert shown == list(range(52, 2, -1))
    assert "sebelum=3" in body(first)
    older = client.get(url("deliveries", org) + "?sebelum=3")
    assert [row["delivery"].event_id for row in older.context["rows"]] == [2, 1]
    assert "Lebih lama" not in body(older) and "Terbaru" in body(older)


def test_a_delivery_shows_its_payload_and_every_attempt(client, org):
    delivery = _delivery(org, 7, attempts=2)
    WebhookAttempt.objects.create(delivery=delivery, status_code=503, duration_ms=120)
    WebhookAttempt.objects.create(delivery=delivery, status_code=None, error="timeout")
    page = body(client.get(url("delivery_detail", org, delivery)))
    assert "&#x27;product_id&#x27;: 7" in page and "503" in page and "timeout" in page


def test_another_partners_delivery_is_a_404(client, org, other_org):
    theirs = _delivery(other_org, 1)
    assert client.get(url("delivery_detail", other_org, theirs)).status_code == 404
    assert client.get(url("delivery_detail", org, theirs)).status_code == 404
    assert client.get(url("delivery_detail", org, 999999)).status_code == 404


# -- webhook -------------------------------------------------------------------------------------------------


def test_setting_the_webhook_shows_its_secret_once_and_switches_it_on(client, org):
    response = client.post(url("webhook", org), {"url": "https://pasar.example/naikkelas/webhook"})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    secret = response.context["secret"]
    assert secret and secret in body(response)
    org.refresh_from_db()
    assert org.webhook_url == "https://pasar.example/naikkelas/webhook" and org.webhook_enabled
    assert secret not in org.webhook_secret  # kept encrypted
    again = body(client.get(url("webhook", org)))
    assert secret not in again and "https://pasar.example/naikkelas/webhook" in again


@pytest.mark.parametrize("typed", ["", "   ", "bukan alamat", "ftp://pasar.example/hook", "https://", "pasar"])
def test_a_bad_webhook_address_is_refused_with_a_message_and_nothing_changes(client, org, typed):
    response = client.post(url("webhook", org), {"url": typed})
    assert response.status_code == 200
    assert "alamat webhook" in body(response).lower() and 'class="errorlist"' in body(response)
    org.refresh_from_db()
    assert (org.webhook_url, org.webhook_secret, org.webhook_enabled) == ("", "", False)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(typed=st.text(max_size=60))
def test_any_typed_webhook_address_is_saved_or_refused_whole(client, org, typed):
    before = (org.webhook_url, org.webhook_secret)
    response = client.post(url("webhook", org), {"url": typed})
    assert response.status_code == 200
    org.refresh_from_db()
    if response.context["secret"]:
        assert org.webhook_url == typed.strip() and org.webhook_secret != before[1]
    else:
        assert (org.webhook_url, org.webhook_secret) == before


def test_the_webhook_is_switched_off_and_on_from_its_page(client, org):
    client.post(url("webhook", org), {"url": "https://pasar.example/hook"})
    response = client.post(url("webhook_disable", org))
    assert response["Location"] == url("webhook", org)
    org.refresh_from_db()
    assert not org.webhook_enabled
    assert "Mati" in body(client.get(url("webhook", org)))
    client.post(url("webhook_enable", org))
    org.refresh_from_db()
    assert org.webhook_enabled
    assert "Aktif" in body(client.get(url("webhook", org)))


def test_a_webhook_without_an_address_cannot_be_switched_on(client, org):
    response = client.post(url("webhook_enable", org), follow=True)
    assert "Atur alamat webhook dulu" in body(response)
    org.refresh_from_db()
    assert not org.webhook_enabled


def test_the_page_tells_when_the_webhook_was_switched_off_after_failures(client, org):
    client.post(url("webhook", org), {"url": "https://pasar.example/hook"})
    Partner.objects.filter(pk=org.pk).update(
        webhook_enabled=False, webhook_disabled_at=timezone.now(), webhook_failures=10,
        webhook_disabled_reason="HTTP 503 sepuluh kali berturut-turut",
    )
    page = body(client.get(url("webhook", org)))
    assert "Dimatikan otomatis" in page and "HTTP 503 sepuluh kali" in page and "Aktifkan" in page
    assert "Dimatikan otomatis" in body(client.get(url("home", org)))


def test_a_test_message_is_queued_from_the_page(client, org):
    client.post(url("webhook", org), {"url": "https://pasar.example/hook"})
    response = client.post(url("webhook_test", org), follow=True)
    assert "Pesan uji masuk antrean" in body(response)
    assert OutboxEvent.objects.filter(topic="ping", key=f"partner:{org.pk}").count() == 1


def test_another_partners_webhook_cannot_be_touched(client, org, other_org):
    for page in ("webhook", "webhook_enable", "webhook_disable", "webhook_test"):
        assert client.post(url(page, other_org), {"url": "https://jahat.example/"}).status_code == 404
    other_org.refresh_from_db()
    assert (other_org.webhook_url, other_org.webhook_enabled) == ("", False)


# -- sync status and feeds -----------------------------------------------------------------------------------


def test_the_sync_page_shows_keys_last_use_and_the_feed_addresses(client, org):
    make_key(org, name="server produksi")
    ApiKey.objects.update(last_used_at=timezone.now())
    withdrew = make_business(name="Batik Pak Harjo")
    share(withdrew, org)
    Share.objects.filter(business=withdrew).update(state=Share.State.WITHDRAWN, changed_at=timezone.now())
    response = client.get(url("sync", org))
    page = body(response)
    assert "no-store" in response["Cache-Control"]
    assert "server produksi" in page and "Belum pernah" not in page
    assert "Batik Pak Harjo mencabut persetujuan" in page
    for name in ("google.xml", "meta.csv", "produk.csv", "produk.json"):
        assert f"http://testserver/feed/mitra/{org.feed_token}/{name}" in page


def test_replacing_the_feed_token_retires_the_old_feed_addresses(client, org):
    old = org.feed_token
    response = client.post(url("feed_token_replace", org))
    assert response["Location"] == url("sync", org)
    org.refresh_from_db()
    assert org.feed_token != old
    page = body(client.get(url("sync", org)))
    assert old not in page and org.feed_token in page


def test_another_partners_feed_token_cannot_be_replaced(client, org, other_org):
    old = other_org.feed_token
    assert client.post(url("feed_token_replace", other_org)).status_code == 404
    other_org.refresh_from_db()
    assert other_org.feed_token == old
