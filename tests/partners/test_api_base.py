"""What every partner API operation shares: keys (rotation, revocation, last use), the rate limit, the
language of problem documents."""

from datetime import timedelta

import pytest
from django.utils import timezone

from naikkelas.partners import services
from naikkelas.partners.models import ApiKey
from tests.partners.factories import Api, make_key, make_partner_org

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner():
    return make_partner_org()


@pytest.fixture
def mid_minute(monkeypatch):
    """The clock held in the middle of a minute, so a test's requests all fall in one rate window."""
    moment = timezone.now().replace(second=30, microsecond=0)
    monkeypatch.setattr(timezone, "now", lambda: moment)


def test_a_key_past_the_rate_limit_gets_429_with_retry_after(partner, settings, mid_minute):
    # Given a limit of three requests a minute
    settings.PARTNER_API_RATE_LIMIT = 3
    api = Api(make_key(partner, ApiKey.Scope.READ))

    # When the key asks four times
    answers = [api.get("/products") for _ in range(4)]

    # Then the first three are answered and the fourth is refused with a problem document and a wait
    assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
    refused = answers[-1]
    assert refused["Content-Type"] == "application/problem+json"
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused.json()["status"] == 429


def test_the_limit_is_counted_per_key(partner, settings, mid_minute):
    settings.PARTNER_API_RATE_LIMIT = 1
    first, second = Api(make_key(partner, name="satu")), Api(make_key(partner, name="dua"))
    assert first.get("/products").status_code == 200
    assert first.get("/products").status_code == 429
    assert second.get("/products").status_code == 200


def test_problem_documents_are_indonesian_unless_english_is_asked_for():
    indonesian = Api("nk_salah").get("/products")
    english = Api("nk_salah").get("/products", headers={"Accept-Language": "en"})
    assert indonesian.status_code == english.status_code == 401
    assert indonesian["WWW-Authenticate"].startswith("Bearer")
    assert indonesian.json()["title"] == "Kunci API tidak sah"
    assert english.json()["title"] == "Invalid API key"


def test_a_rotated_key_works_until_its_grace_ends_and_the_new_one_at_once(partner):
    old_secret = make_key(partner, ApiKey.Scope.READ)
    old = ApiKey.objects.get(partner=partner)

    made = services.api_key_rotate(actor=None, key=old, grace=timedelta(hours=1))

    assert Api(old_secret).get("/products").status_code == 200
    assert Api(made.secret).get("/products").status_code == 200
    assert made.key.scope == ApiKey.Scope.READ and made.secret != old_secret
    ApiKey.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert Api(old_secret).get("/products").status_code == 401
    assert Api(made.secret).get("/products").status_code == 200


def test_a_revoked_key_is_refused_from_the_next_request(partner):
    secret = make_key(partner)
    assert Api(secret).get("/products").status_code == 200
    services.api_key_revoke(actor=None, key=ApiKey.objects.get(partner=partner))
    assert Api(secret).get("/products").status_code == 401


def test_only_the_hash_of_a_key_is_kept_and_its_use_is_recorded(partner):
    secret = make_key(partner)
    key = ApiKey.objects.get(partner=partner)
    assert secret not in {key.key_hash, key.prefix, key.name} and secret.startswith(f"nk_{key.prefix}_")
    assert key.last_used_at is None

    Api(secret).get("/products")

    key.refresh_from_db()
    assert key.last_used_at is not None


def test_a_key_of_a_switched_off_partner_is_refused(partner):
    secret = make_key(partner)
    partner.is_active = False
    partner.save()
    assert Api(secret).get("/products").status_code == 401
