"""Gateways are made in Django admin with a write-only secret; their callbacks are there to look at only."""

import pytest
from django.urls import reverse

from naikkelas.core.models import AuditLog
from naikkelas.payments.models import Gateway, GatewayEvent
from tests.payments.factories import GATEWAY_SECRET, make_gateway
from tests.registry.factories import make_admin, make_owner

pytestmark = pytest.mark.django_db
NEW_SECRET = "s3cr3t-baru-yang-panjang-sekali-0123456789"


@pytest.fixture
def admin_client(client):
    admin = make_admin()
    client.force_login(admin)
    client.user = admin
    return client


def test_an_admin_adds_a_gateway_with_its_secret_and_the_audit_log_never_holds_it(admin_client):
    response = admin_client.post(
        reverse("admin:payments_gateway_add"), {"name": "midtrans", "is_active": "on", "new_secret": NEW_SECRET}
    )
    assert response.status_code == 302
    gateway = Gateway.objects.get(name="midtrans")
    assert gateway.secret == NEW_SECRET and gateway.is_active
    log = AuditLog.objects.get(action="gateway.admin_add")
    assert log.actor == admin_client.user and NEW_SECRET not in str(log.changes)


def test_a_new_gateway_needs_a_long_secret(admin_client):
    url = reverse("admin:payments_gateway_add")
    assert "wajib punya rahasia" in admin_client.post(url, {"name": "a", "is_active": "on"}).content.decode()
    short = admin_client.post(url, {"name": "b", "is_active": "on", "new_secret": "pendek"})
    assert short.status_code == 200
    assert not Gateway.objects.exists()


def test_the_secret_is_never_shown_back_and_only_its_end_in_the_list(admin_client):
    gateway = make_gateway()
    change = admin_client.get(reverse("admin:payments_gateway_change", args=[gateway.pk])).content.decode()
    assert GATEWAY_SECRET not in change
    listing = admin_client.get(reverse("admin:payments_gateway_changelist")).content.decode()
    assert GATEWAY_SECRET not in listing and "••••" + GATEWAY_SECRET[-4:] in listing


def test_saving_a_gateway_without_a_new_secret_keeps_the_old_one(admin_client):
    gateway = make_gateway()
    url = reverse("admin:payments_gateway_change", args=[gateway.pk])
    assert admin_client.post(url, {"name": "uji", "new_secret": ""}).status_code == 302
    gateway.refresh_from_db()
    assert gateway.secret == GATEWAY_SECRET and not gateway.is_active
    assert AuditLog.objects.get(action="gateway.admin_change").changes == {"is_active": [True, False]}


def test_rotating_the_secret_is_audited_as_changed_without_the_value(admin_client):
    gateway = make_gateway()
    url = reverse("admin:payments_gateway_change", args=[gateway.pk])
    admin_client.post(url, {"name": "uji", "is_active": "on", "new_secret": NEW_SECRET})
    gateway.refresh_from_db()
    assert gateway.secret == NEW_SECRET
    assert AuditLog.objects.get(action="gateway.admin_change").changes == {"secret": "diubah"}


def test_gateway_events_can_be_read_but_not_added_changed_or_deleted(admin_client):
    event = GatewayEvent.objects.create(
        gateway=make_gateway(), event_id="evt-1", kind="payment.succeeded", outcome="paid", body_sha256="0" * 64
    )
    assert admin_client.get(reverse("admin:payments_gatewayevent_changelist")).status_code == 200
    change_url = reverse("admin:payments_gatewayevent_change", args=[event.pk])
    assert admin_client.get(change_url).status_code == 200
    assert admin_client.get(reverse("admin:payments_gatewayevent_add")).status_code == 403
    admin_client.post(change_url, {"outcome": "diubah"})
    delete_url = reverse("admin:payments_gatewayevent_delete", args=[event.pk])
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 403
    event.refresh_from_db()
    assert event.outcome == "paid"


def test_owners_cannot_open_the_gateway_admin(client):
    client.force_login(make_owner())
    response = client.get(reverse("admin:payments_gateway_changelist"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
