"""Rate limits count against the client's address: X-Forwarded-For only from the proxies said to be in front,
so a client without one cannot walk around a limit by writing the header itself."""

from datetime import timedelta

import pytest
from django.test import RequestFactory

from naikkelas.core.ratelimit import client_ip, hit


@pytest.fixture
def request_with():
    def make(forwarded=None):
        headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
        return RequestFactory().get("/", REMOTE_ADDR="203.0.113.9", **headers)

    return make


def test_without_a_proxy_the_header_is_ignored(settings, request_with):
    settings.TRUSTED_PROXY_HOPS = 0
    assert client_ip(request_with("10.0.0.1")) == "203.0.113.9"
    assert client_ip(request_with()) == "203.0.113.9"


def test_behind_one_proxy_the_address_it_saw_counts(settings, request_with):
    settings.TRUSTED_PROXY_HOPS = 1
    # The client wrote "1.1.1.1" itself; the proxy appended the address it really came from.
    assert client_ip(request_with("1.1.1.1, 198.51.100.7")) == "198.51.100.7"
    assert client_ip(request_with("198.51.100.7")) == "198.51.100.7"
    assert client_ip(request_with()) == "203.0.113.9"


def test_behind_two_proxies_the_first_proxy_s_entry_counts(settings, request_with):
    settings.TRUSTED_PROXY_HOPS = 2
    assert client_ip(request_with("1.1.1.1, 198.51.100.7, 192.0.2.1")) == "198.51.100.7"
    assert client_ip(request_with("198.51.100.7")) == "198.51.100.7"


def test_a_client_changing_the_header_stays_within_the_limit(settings, request_with, db):
    """A client without a proxy in front who writes a new X-Forwarded-For on each request is still one
    address to every limit."""
    settings.TRUSTED_PROXY_HOPS = 0
    allowed = [
        hit(f"order-place:{client_ip(request_with(f'10.0.0.{n}'))}", limit=3, window=timedelta(minutes=1))
        for n in range(5)
    ]
    assert allowed == [True, True, True, False, False]
