"""Access matrix entries for the partners edge's pages and feeds (merged into tests/test_access_matrix.py).

The world's business shares with the world's partner ("partner_org"), whose person is the "partner" role;
"other_partner" works for another partner. The JSON API under /api/v1/ has a matrix of its own, by key.
"""

from django.urls import reverse

from naikkelas.partners.models import WebhookDelivery
from naikkelas.partners.services import SHARE_CONSENT_VERSION
from tests.matrix import LOGIN, NOT_FOUND, OK, PARTNER_ONLY, PUBLIC, SHOP_OWNER_ONLY, STAFF_ONLY, Entry, same_for_all
from tests.partners.factories import make_key

# Where "Mitra" in the menu leads: anyone working for a partner, and admins.
PARTNER_PEOPLE = {**same_for_all(NOT_FOUND), "anonymous": LOGIN, "partner": OK, "other_partner": OK, "admin": OK}


def _partner(name: str):
    return lambda w: reverse(f"partners:{name}", args=[w["partner_org"].pk])


def _key(name: str):
    """A key of the world's partner: revoking or rotating it again, as the next role does, is still a redirect."""

    def url(w) -> str:
        make_key(w["partner_org"])
        key = w["partner_org"].keys.get()
        return reverse(f"partners:{name}", args=[w["partner_org"].pk, key.pk])

    return url


def _delivery(w) -> str:
    delivery = WebhookDelivery.objects.create(
        partner=w["partner_org"], event_id=1, topic="product.updated", key="product:1", payload={"id": 1}
    )
    return reverse("partners:delivery_detail", args=[w["partner_org"].pk, delivery.pk])


def _post(url, expect=PARTNER_ONLY, **data) -> Entry:
    return Entry(url, expect, method="post", data=data)


def _owner(name: str):
    return lambda w: reverse(f"partners:{name}", args=[w["business"].pk, w["partner_org"].pk])


ENTRIES = {
    "partners:index": Entry(lambda w: reverse("partners:index"), PARTNER_PEOPLE),
    # A partner's own pages (tests/partners/test_pages_partner.py asserts each refusal).
    "partners:home": Entry(_partner("home"), PARTNER_ONLY),
    "partners:keys": Entry(_partner("keys"), PARTNER_ONLY),
    "partners:key_rotate": _post(_key("key_rotate")),
    "partners:key_revoke": _post(_key("key_revoke")),
    "partners:businesses": Entry(_partner("businesses"), PARTNER_ONLY),
    "partners:webhook": Entry(_partner("webhook"), PARTNER_ONLY),
    "partners:webhook_enable": _post(_partner("webhook_enable")),
    "partners:webhook_disable": _post(_partner("webhook_disable")),
    "partners:webhook_test": _post(_partner("webhook_test")),
    "partners:deliveries": Entry(_partner("deliveries"), PARTNER_ONLY),
    "partners:delivery_detail": Entry(_delivery, PARTNER_ONLY),
    "partners:sync": Entry(_partner("sync"), PARTNER_ONLY),
    "partners:feed_token_replace": _post(_partner("feed_token_replace")),
    # The owner decides alone: officers and admins get the 404 too (tests/partners/test_pages_owner.py).
    "partners:owner_shares": Entry(lambda w: reverse("partners:owner_shares", args=[w["business"].pk]), SHOP_OWNER_ONLY),
    "partners:share_grant": _post(_owner("share_grant"), SHOP_OWNER_ONLY, version=SHARE_CONSENT_VERSION),
    "partners:share_withdraw": _post(_owner("share_withdraw"), SHOP_OWNER_ONLY),
    "partners:share_decline": _post(_owner("share_decline"), SHOP_OWNER_ONLY),
    # Officers invite (within their regions: tests/partners/test_pages_officer.py).
    "partners:officer_invite": Entry(lambda w: reverse("partners:officer_invite"), STAFF_ONLY),
    # Feed readers send no credentials: a partner's feed URL carries its secret token (a capability, open to
    # whoever holds it; a wrong token is a 404 in the feed tests), and a public shop's feed is public.
    "partners_feeds:partner_feed": Entry(
        lambda w: reverse("partners_feeds:partner_feed", args=[w["partner_org"].feed_token, "google.xml"]), PUBLIC
    ),
    "partners_feeds:shop_feed": Entry(
        lambda w: reverse("partners_feeds:shop_feed", args=[w["business"].slug, "google.xml"]), PUBLIC
    ),
}
PUBLIC_KEYS = {key for key, entry in ENTRIES.items() if entry.expect == PUBLIC}
