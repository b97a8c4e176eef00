"""The partner API against its own OpenAPI description, with Schemathesis generating the requests.

Every operation of /api/v1/openapi.json gets valid and invalid requests (bodies, parameters, headers) sent
with a live write key of a partner that some businesses share with, through the real WSGI application. For
each: no server error, the status is one the operation declares, the body matches the declared schema and
content type, and invalid input is refused with a 4xx problem document. A last test makes sure at least
1,000 requests were made across all operations.

Not checked: that every schema-valid request is accepted. Some are refused for reasons no schema can express
(more units than in stock, a product of another business) with a 422 problem document, which the other
checks do cover.
"""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from naikkelas.catalog.services import shop_open
from naikkelas.partners.models import ApiKey
from tests.catalog.factories import make_product
from tests.partners.factories import make_key, make_partner_org, share
from tests.registry.factories import KRICAK, make_business, make_owner

pytestmark = pytest.mark.django_db

EXAMPLES_PER_OPERATION = 110
WANTED_CASES = 1_000
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
schema.config.generation.update(modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
_calls = {"count": 0, "operations": set()}


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Requests go straight to the WSGI application, whose end-of-request hook would close the database
    connection the test's transaction lives on (PostgreSQL); Django's own test client unhooks it likewise."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def partner_key(db, settings):
    """A write key of a partner that two businesses (with shops and products) share with, and one that does
    not."""
    settings.PARTNER_SYNC_SETTLE_SECONDS = 0  # rows made just now are listed at once
    partner = make_partner_org()
    for name, village in (("Keripik Bu Sri", None), ("Batik Kricak", KRICAK)):
        business = make_business(name=name, owner=make_owner(), **({"village": village} if village else {}))
        shop_open(business)
        make_product(business)
        share(business, partner)
    make_product(make_business(name="Tidak Berbagi"))
    return make_key(partner, ApiKey.Scope.WRITE)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
    derandomize=True,
)
def test_every_operation_answers_within_its_description(case, partner_key):
    # The generated Authorization header (a random bearer token) becomes the live key; a case generated
    # without one, to see it refused, is sent without one.
    if case.headers and "Authorization" in case.headers:
        case.headers["Authorization"] = f"Bearer {partner_key}"
    case.call_and_validate(checks=CHECKS)
    _calls["count"] += 1
    _calls["operations"].add(case.operation.label)


def test_at_least_a_thousand_requests_were_generated():
    # Runs after the parametrized tests above (pytest keeps the file's order).
    operations = [op for op in schema.get_all_operations()]
    assert _calls["operations"], "the schema tests did not run"
    assert len(_calls["operations"]) == len(operations)
    assert _calls["count"] >= WANTED_CASES, f"only {_calls['count']} requests across {len(operations)} operations"
    print(f"{_calls['count']} generated requests across {len(operations)} operations")
