"""The Django admin for partners: making a partner with its people, revoking keys, looking at the rest."""

import pytest
from django.urls import reverse

from naikkelas.accounts.models import User
from naikkelas.core.models import AuditLog
from naikkelas.partners import keys
from naikkelas.partners.models import ApiKey, Partner, Share, WebhookAttempt, WebhookDelivery
from tests.partners.factories import make_key, make_partner_org, make_partner_with_user, share
from tests.registry.factories import SLEMAN, make_admin, make_business, make_officer, make_owner, make_partner

pytestmark = pytest.mark.django_db
ADD = reverse("admin:partners_partner_add")


@pytest.fixture
def admin_user(client):
    user = make_admin()
    client.force_login(user)
    return user


def body(response) -> str:
    return response.content.decode()


def _new_partner(**changes) -> dict:
    data = {
        "name": "Pasar Nusantara",
        "kind": "marketplace",
        "description": "Marketplace produk UMKM.",
        "website": "pasar.example",
        "is_active": "on",
        "new_members": "",
    }
    return {**data, **changes}


def test_an_admin_makes_a_partner_with_new_and_existing_people(client, admin_user):
    existing = make_partner()
    response = client.post(ADD, _new_partner(members=[existing.pk], new_members="0812-9999-0001\n\n+62 812 9999 0002\n"))
    assert response.status_code == 302, body(response)[:3000]
    partner = Partner.objects.get()
    assert (partner.slug, partner.website, partner.is_active) == ("pasar-nusantara", "https://pasar.example", True)
    assert len(partner.feed_token) >= 32
    made = User.objects.filter(phone__in=["+6281299990001", "+6281299990002"])
    assert made.count() == 2 and all(user.role == User.Role.PARTNER for user in made)
    assert set(partner.members.all()) == {existing, *made}
    assert AuditLog.objects.filter(action="partner.create", actor=admin_user).exists()
    assert AuditLog.objects.filter(action="accounts.user_create", actor=admin_user).count() == 2
    members = AuditLog.objects.get(action="partner.members")
    assert len(members.changes["added"]) == 3


def test_people_of_another_role_cannot_join_a_partner_and_nothing_is_made(client, admin_user):
    owner, officer = make_owner(), make_officer(SLEMAN)
    response = client.post(ADD, _new_partner(members=[officer.pk], new_members=f"{owner.phone}\nbukan nomor"))
    assert response.status_code == 200
    page = body(response)
    assert "sudah terdaftar dengan peran lain" in page and "bukan nomor HP yang sah" in page
    assert not Partner.objects.exists()
    assert User.objects.filter(role=User.Role.PARTNER).count() == 0


def test_a_partner_without_a_name_is_refused(client, admin_user):
    response = client.post(ADD, _new_partner(name=""))
    assert response.status_code == 200 and not Partner.objects.exists()


def test_the_partner_page_shows_webhook_state_and_feed_token_without_the_secret(client, admin_user):
    partner = make_partner_org()
    Partner.objects.filter(pk=partner.pk).update(
        webhook_url="https://pasar.example/hook", webhook_secret="rahasia-terenkripsi", webhook_disabled_reason="HTTP 503"
    )
    page = body(client.get(reverse("admin:partners_partner_change", args=[partner.pk])))
    assert partner.feed_token in page and "HTTP 503" in page and "https://pasar.example/hook" in page
    assert "rahasia-terenkripsi" not in page
    assert 'name="feed_token"' not in page  # read-only


def test_changing_members_is_audited(client, admin_user):
    partner = make_partner_org()
    person = make_partner()
    data = _new_partner(name=partner.name, members=[person.pk])
    response = client.post(reverse("admin:partners_partner_change", args=[partner.pk]), data)
    assert response.status_code == 302, body(response)[:3000]
    assert list(partner.members.all()) == [person]
    assert AuditLog.objects.get(action="partner.members").changes == {"added": [person.pk], "removed": []}


def test_keys_are_revoked_by_an_admin_action_and_never_show_their_hash(client, admin_user):
    partner = make_partner_org()
    secret = make_key(partner)
    key = ApiKey.objects.get()
    page = body(client.get(reverse("admin:partners_apikey_change", args=[key.pk])))
    assert key.prefix in page and key.key_hash not in page
    changelist = reverse("admin:partners_apikey_changelist")
    response = client.post(changelist, {"action": "revoke", "_selected_action": [key.pk]})
    assert response.status_code == 302
    key.refresh_from_db()
    assert key.revoked_at is not None and keys.authenticate(secret) is None
    assert AuditLog.objects.filter(action="api_key.revoke", actor=admin_user).count() == 1


def test_evidence_is_read_only(client, admin_user):
    partner = make_partner_org()
    share(make_business(), partner)
    delivery = WebhookDelivery.objects.create(partner=partner, event_id=1, topic="ping", key="partner:1", payload={})
    WebhookAttempt.objects.create(delivery=delivery, status_code=502, error="bad gateway")
    for model in ("apikey", "share", "webhookdelivery", "salesreport"):
        assert client.get(reverse(f"admin:partners_{model}_changelist")).status_code == 200
        assert client.get(reverse(f"admin:partners_{model}_add")).status_code == 403
    page = body(client.get(reverse("admin:partners_webhookdelivery_change", args=[delivery.pk])))
    assert "bad gateway" in page and 'name="status"' not in page
    share_row = Share.objects.get()
    assert client.post(reverse("admin:partners_share_delete", args=[share_row.pk]), {"post": "yes"}).status_code == 403
    assert Share.objects.exists()


@pytest.mark.parametrize("who", ["partner", "officer", "owner"])
def test_the_partner_admin_is_for_admins_only(client, who):
    person = {"partner": lambda: make_partner_with_user()[1], "officer": lambda: make_officer(SLEMAN), "owner": make_owner}[who]()
    client.force_login(person)
    before = Partner.objects.count()
    response = client.get(reverse("admin:partners_partner_changelist"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    assert client.post(ADD, _new_partner(name="Pasar Gelap")).status_code == 302
    assert Partner.objects.count() == before and not Partner.objects.filter(name="Pasar Gelap").exists()
