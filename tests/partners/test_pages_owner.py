"""The owner's "Bagikan ke mitra" page through HTTP: sharing, withdrawing, declining; and who is refused."""

import pytest
from django.urls import reverse

from naikkelas.core.models import OutboxEvent
from naikkelas.partners.models import Partner, Share
from naikkelas.partners.services import SHARE_CONSENT_VERSION, consent_purpose
from naikkelas.registry.models import Consent
from tests.partners.factories import make_partner_org, make_partner_with_user, share
from tests.registry.factories import SLEMAN, make_admin, make_business, make_officer, make_owner

pytestmark = pytest.mark.django_db
LOGIN = reverse("accounts:login")


@pytest.fixture
def owner(client):
    user = make_owner()
    client.force_login(user)
    return user


@pytest.fixture
def business(owner):
    return make_business(owner=owner, name="Keripik Bu Tini")


@pytest.fixture
def partner():
    return make_partner_org("Pasar Nusantara", description="Marketplace produk UMKM se-Indonesia.")


def url(name: str, business, partner=None) -> str:
    args = [business.pk] + ([partner.pk] if partner is not None else [])
    return reverse(f"partners:{name}", args=args)


def body(response) -> str:
    return response.content.decode()


def grant(client, business, partner, version=SHARE_CONSENT_VERSION):
    return client.post(url("share_grant", business, partner), {"version": version})


def test_the_owner_home_links_each_business_to_its_sharing_page(client, business):
    assert url("owner_shares", business) in body(client.get(reverse("registry:owner_home")))


def test_the_page_lists_every_active_partner_with_what_it_does(client, business, partner):
    Partner.objects.filter(pk=make_partner_org("Koperasi Mati").pk).update(is_active=False)
    page = body(client.get(url("owner_shares", business)))
    assert "Pasar Nusantara" in page and "Marketplace produk UMKM se-Indonesia." in page
    assert "Koperasi Mati" not in page


def test_the_consent_text_and_its_version_stand_above_the_share_button(client, business, partner):
    page = body(client.get(url("owner_shares", business)))
    text = page.index("Dengan menekan Bagikan, saya setuju Pasar Nusantara menerima katalog Keripik Bu Tini")
    version = page.index(f"Persetujuan versi {SHARE_CONSENT_VERSION}")
    button = page.index(f'action="{url("share_grant", business, partner)}"')
    assert text < version < button
    assert f'name="version" value="{SHARE_CONSENT_VERSION}"' in page


def test_invitations_from_officers_come_first_with_a_decline_button(client, business, partner):
    inviting = make_partner_org("Zamrud Katalog")  # last by name, first as an invitation
    Share.objects.create(business=business, partner=inviting, state=Share.State.INVITED, invited_by=make_officer(SLEMAN))
    page = body(client.get(url("owner_shares", business)))
    assert page.index("Zamrud Katalog") < page.index("Pasar Nusantara")
    assert "Petugas dinas mengundang usaha Anda" in page
    assert url("share_decline", business, inviting) in page
    assert url("share_decline", business, partner) not in page


def test_sharing_records_the_decision_and_the_consent_with_its_version(client, owner, business, partner):
    response = grant(client, business, partner)
    assert response["Location"] == url("owner_shares", business)
    assert Share.objects.get(business=business, partner=partner).state == Share.State.GRANTED
    consent = Consent.objects.get(business=business, purpose=consent_purpose(partner))
    assert (consent.granted, consent.version, consent.by) == (True, SHARE_CONSENT_VERSION, owner)
    page = body(client.get(url("owner_shares", business)))
    assert "Dibagikan sejak" in page and url("share_withdraw", business, partner) in page


def test_sharing_from_a_page_with_an_older_consent_text_is_refused(client, business, partner):
    response = grant(client, business, partner, version="2020-01")
    assert response["Location"] == url("owner_shares", business)
    assert "Teks persetujuan sudah diperbarui" in body(client.get(response["Location"]))
    assert not Share.objects.exists() and not Consent.objects.filter(purpose=consent_purpose(partner)).exists()
    grant(client, business, partner, version="")
    assert not Share.objects.exists()


def test_withdrawing_asks_first_and_says_the_partner_will_remove_the_catalogue(client, business, partner):
    share(business, partner)
    page = body(client.get(url("share_withdraw", business, partner)))
    assert "diberi tahu untuk menghapus produk Anda" in page
    assert Share.objects.get().state == Share.State.GRANTED  # asking changes nothing
    assert not OutboxEvent.objects.filter(topic="consent.withdrawn").exists()


def test_withdrawing_stops_sharing_and_tells_the_partner_through_the_outbox(client, owner, business, partner):
    grant(client, business, partner)
    response = client.post(url("share_withdraw", business, partner))
    assert response["Location"] == url("owner_shares", business)
    withdrawn = Share.objects.get(business=business, partner=partner)
    assert withdrawn.state == Share.State.WITHDRAWN and withdrawn.withdrawn_at is not None
    event = OutboxEvent.objects.get(topic="consent.withdrawn")
    assert (event.business_id, event.payload["partner_id"], event.payload["business_id"]) == (
        business.pk, partner.pk, business.pk,
    )
    assert Consent.objects.filter(business=business, purpose=consent_purpose(partner), granted=False, by=owner).exists()
    # Withdrawing again changes nothing and tells no one twice.
    client.post(url("share_withdraw", business, partner))
    assert OutboxEvent.objects.filter(topic="consent.withdrawn").count() == 1


def test_an_owner_can_withdraw_from_a_partner_that_was_switched_off(client, business, partner):
    share(business, partner)
    partner.is_active = False
    partner.save()
    assert "Pasar Nusantara" in body(client.get(url("owner_shares", business)))
    client.post(url("share_withdraw", business, partner))
    assert Share.objects.get().state == Share.State.WITHDRAWN
    # But nobody starts sharing with it.
    assert grant(client, business, partner).status_code == 404


def test_declining_an_invitation_takes_it_off_the_top(client, business, partner):
    Share.objects.create(business=business, partner=partner, state=Share.State.INVITED)
    response = client.post(url("share_decline", business, partner))
    assert response["Location"] == url("owner_shares", business)
    assert Share.objects.get().state == Share.State.DECLINED
    page = body(client.get(url("owner_shares", business)))
    assert "Anda menolak undangan" in page and url("share_decline", business, partner) not in page
    # The owner may still share later.
    grant(client, business, partner)
    assert Share.objects.get().state == Share.State.GRANTED


def test_declining_does_not_undo_sharing(client, business, partner):
    share(business, partner)
    client.post(url("share_decline", business, partner))
    assert Share.objects.get().state == Share.State.GRANTED


@pytest.mark.parametrize("who", ["other_owner", "officer", "admin", "partner"])
def test_only_the_owner_decides_everyone_else_gets_a_404_and_nothing_changes(client, business, partner, who):
    share(business, partner)
    stranger = {
        "other_owner": make_owner,
        "officer": lambda: make_officer(SLEMAN),
        "admin": make_admin,
        "partner": lambda: make_partner_with_user("Lain")[1],
    }[who]()
    client.force_login(stranger)
    assert client.get(url("owner_shares", business)).status_code == 404
    assert client.get(url("share_withdraw", business, partner)).status_code == 404
    for name in ("share_grant", "share_withdraw", "share_decline"):
        assert client.post(url(name, business, partner), {"version": SHARE_CONSENT_VERSION}).status_code == 404
    assert Share.objects.get().state == Share.State.GRANTED
    assert not OutboxEvent.objects.filter(topic="consent.withdrawn").exists()


def test_anonymous_visitors_are_sent_to_log_in(client, business, partner):
    client.logout()
    assert client.get(url("owner_shares", business))["Location"].startswith(LOGIN)
    assert grant(client, business, partner)["Location"].startswith(LOGIN)
    assert not Share.objects.exists()


def test_an_unknown_partner_is_a_404(client, business):
    assert client.post(reverse("partners:share_grant", args=[business.pk, 999999])).status_code == 404
    assert client.get(reverse("partners:share_withdraw", args=[business.pk, 999999])).status_code == 404


def test_each_of_an_owners_businesses_decides_on_its_own(client, owner, business, partner):
    second = make_business(owner=owner, name="Batik Bu Tini")
    grant(client, business, partner)
    page = body(client.get(url("owner_shares", second)))
    assert "Dibagikan sejak" not in page
    assert "Batik Bu Tini" in page
    assert not Share.objects.filter(business=second).exists()
