"""No identity number leaves the platform unmasked: every page, download and feed of the access matrix, for
every role, and every read of the partner API, with the businesses' NIKs stored; and nothing logged meanwhile
holds one either."""

import logging

import pytest

from naikkelas.registry.models import Business
from naikkelas.registry.services import nik_fields
from tests.matrix import ROLES
from tests.partners import test_api_matrix as api_matrix
from tests.test_access_matrix import MATRIX, ROUTES, world  # noqa: F401 (world is a fixture)

pytestmark = pytest.mark.django_db

NIKS = ("3404071203900001", "3471015507850002")


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def _leaks(text: str) -> list[str]:
    return [nik for nik in NIKS if nik in text]


@pytest.fixture
def with_niks(world):  # noqa: F811
    for business, nik in zip((world["business"], world["other_business"]), NIKS):
        Business.objects.filter(pk=business.pk).update(**nik_fields(nik))
        business.refresh_from_db()
    return world


def test_no_page_download_or_feed_shows_a_nik_to_any_role(client, with_niks, caplog):
    caplog.set_level(logging.DEBUG)
    leaks, seen = [], 0
    for key, _route in ROUTES:
        entry = MATRIX.get(key)
        if entry is None or entry.method != "get":  # writes are the matrix's; they show nothing of their own
            continue
        url = entry.url(with_niks)
        for role in ROLES:
            client.logout()
            if with_niks[role] is not None:
                client.force_login(with_niks[role])
            response = client.get(url)
            seen += response.status_code == 200
            found = _leaks(_body(response))
            if found:
                leaks.append(f"{role} GET {url}")
    assert seen > 100  # the walk really read pages, not only refusals
    assert not leaks, "an unmasked NIK in:\n" + "\n".join(leaks)
    assert not _leaks("\n".join(record.getMessage() for record in caplog.records))


def test_the_masked_form_keeps_only_the_region_and_the_serial():
    masked = nik_fields(NIKS[0])["nik_masked"]
    assert masked == "3404********0001" and NIKS[0] not in masked


def test_no_partner_api_read_shows_a_nik(caplog):
    caplog.set_level(logging.DEBUG)
    world = api_matrix.world.__wrapped__()  # the API matrix's world, built here beside the access matrix's
    Business.objects.filter(pk=world["objects"]["business_id"]).update(**nik_fields(NIKS[0]))
    reads = [(method, path) for method, path in api_matrix.OPERATIONS if method == "get"]
    answered = 0
    for method, path in reads:
        response = api_matrix._call(world["keys"]["partner"], method, path, world["objects"])
        answered += response.status_code == 200
        assert not _leaks(_body(response)), f"GET {path}"
    assert answered >= len(reads) // 2
    assert not _leaks("\n".join(record.getMessage() for record in caplog.records))
