"""Every operation of the partner API, called with each kind of key, against what each should get.

The operations come from the API's own OpenAPI description, so a new operation is tried here the day it is
added; an operation whose path names an object this file cannot build fails until it is taught how (OBJECTS).

    no key, a malformed key, a revoked key, an expired (rotated) key   → 401 on every operation
    a read-only key                                                     → 403 on every operation that writes
    the key of a partner nobody shares with                             → 404 on every operation about one object;
                                                                          a write about the business refused
    the key of the partner the business shares with                     → neither 401, 403 nor 404

Writes are sent with a body that is valid for the partner the business shares with (BODIES), so that what
decides the answer is the key, not the body.
"""

import itertools

from datetime import timedelta

import pytest
from django.utils import timezone

from naikkelas.catalog.services import shop_open
from naikkelas.partners.api import api
from naikkelas.partners.models import ApiKey, WebhookDelivery
from tests.catalog.factories import make_product
from tests.orders.factories import make_order
from tests.partners.factories import Api, make_key, make_partner_org, share
from tests.registry.factories import make_business, make_owner

pytestmark = pytest.mark.django_db

WRITES = {"post", "put", "patch", "delete"}
_keys = itertools.count(1)


def BODIES(objects: dict) -> dict:
    return {
        ("post", "/orders"): {
            "business_id": objects["business_id"],
            "external_ref": f"PN-{next(_keys)}",
            "lines": [{"product_id": objects["product_id"], "quantity": 1}],
            "buyer": {"name": "Ani Pembeli", "phone": "081234567890"},
            "delivery": "pickup",
            "payment_method": "cod",
        },
        ("post", "/orders/{order_id}/status"): {"status": "cancelled"},
        ("post", "/sales-reports"): {
            "reports": [{"business_id": objects["business_id"], "date": "2026-11-01", "orders": 2, "units": 3, "gross_amount": 45000}]
        },
    }


def _operations() -> list[tuple[str, str]]:
    paths = api.get_openapi_schema(path_prefix="")["paths"]
    return sorted((method, path) for path, methods in paths.items() for method in methods)


OPERATIONS = _operations()


@pytest.fixture
def world():
    partner = make_partner_org("Pasar Nusantara")
    stranger = make_partner_org("Katalog Lain")
    business = make_business(name="Keripik Bu Sri", owner=make_owner())
    shop_open(business)  # the API lists only businesses with a public shop
    share(business, partner)
    product = make_product(business)
    order = make_order(business, [(product, 1)], channel=f"partner:{partner.slug}", external_ref="PN-0")
    delivery = WebhookDelivery.objects.create(
        partner=partner, event_id=1, topic="ping", key="partner:1", payload={"partner_id": partner.pk}
    )
    revoked = ApiKey.objects.get(prefix=make_key(partner, name="lama")[3:13])
    revoked.revoked_at = timezone.now()
    revoked.save()
    expired = ApiKey.objects.get(prefix=make_key(partner, name="diputar")[3:13])
    expired.expires_at = timezone.now() - timedelta(seconds=1)
    expired.save()
    return {
        "objects": {
            "business_id": business.pk, "product_id": product.pk, "order_id": order.pk, "delivery_id": delivery.pk,
        },
        "keys": {
            "partner": make_key(partner, ApiKey.Scope.WRITE),
            "read_only": make_key(partner, ApiKey.Scope.READ),
            "stranger": make_key(stranger, ApiKey.Scope.WRITE),
            "revoked": f"nk_{revoked.prefix}_bukan-rahasia-yang-benar",
            "expired": f"nk_{expired.prefix}_bukan-rahasia-yang-benar",
        },
    }


def _call(key, method: str, path: str, objects: dict):
    url = path
    for name, value in objects.items():
        url = url.replace("{" + name + "}", str(value))
    assert "{" not in url, f"{method.upper()} {path}: teach OBJECTS (the world fixture) how to build {url}"
    client = Api(key)
    if method == "get":
        return client.get(url)
    body = BODIES(objects).get((method, path))
    assert body is not None, f"{method.upper()} {path}: add a valid body to BODIES"
    return getattr(client, method)(url, body, headers={"Idempotency-Key": f"matrix-{next(_keys)}"})


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m.upper()} {p}" for m, p in OPERATIONS])
def test_each_key_gets_what_it_may(world, method, path):
    keys, objects = world["keys"], world["objects"]
    wrong = []

    def expect(label, key, wanted: set[int]):
        response = _call(key, method, path, objects)
        if response.status_code not in wanted:
            wrong.append(f"{label}: {response.status_code}, expected {sorted(wanted)}")
        elif response.status_code >= 400 and not response["Content-Type"].startswith("application/problem+json"):
            wrong.append(f"{label}: {response.status_code} without a problem document")

    for label in ("revoked", "expired"):
        expect(label, keys[label], {401})
    expect("no key", None, {401})
    expect("malformed key", "nk_bukan-kunci", {401})
    if method in WRITES:
        expect("read-only key", keys["read_only"], {403})
    if "{" in path:
        expect("partner nobody shares with", keys["stranger"], {404})
    elif method in WRITES:
        expect("partner nobody shares with", keys["stranger"], {404, 422})
    response = _call(keys["partner"], method, path, objects)
    if response.status_code in (401, 403, 404):
        wrong.append(f"partner shared with: {response.status_code} {response.content[:200]!r}")
    assert not wrong, f"{method.upper()} {path}\n" + "\n".join(wrong)


def test_the_api_has_operations():
    assert len(OPERATIONS) >= 8
