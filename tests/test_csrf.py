"""Every form is protected against cross-site request forgery: a POST without the CSRF token is refused on
every route of the URL configuration, signed in or not, except where a signature stands in for it."""

import pytest
from django.test import Client

from tests.test_access_matrix import MATRIX, ROUTES, world  # noqa: F401 (world is a fixture)

pytestmark = pytest.mark.django_db

# Callers that have no session and so no CSRF cookie; what authenticates them instead.
EXEMPT = {
    "payments:callback": "the gateway's HMAC signature over the raw body",
}


@pytest.mark.parametrize(("key", "route"), ROUTES, ids=[key for key, _ in ROUTES])
def test_a_post_without_the_token_is_refused(world, key, route):  # noqa: F811
    entry = MATRIX[key]
    url = entry.url(world)
    browser = Client(enforce_csrf_checks=True)
    answers = {"anonymous": browser.post(url, entry.data).status_code}
    browser.force_login(world["owner"])
    answers["owner"] = browser.post(url, entry.data).status_code
    if key in EXEMPT:
        assert 403 not in answers.values(), f"{url} is exempt ({EXEMPT[key]}) yet refused a token-less POST"
    else:
        assert answers == {"anonymous": 403, "owner": 403}, f"POST {url} without a CSRF token got {answers}"


def test_the_exemptions_name_routes_that_exist():
    assert set(EXEMPT) <= {key for key, _ in ROUTES}
