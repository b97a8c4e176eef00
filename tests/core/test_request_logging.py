"""Structured logs (core.logging, core.middleware.RequestIdMiddleware, settings.LOGGING): each request gets an
id, on the X-Request-ID header and on one JSON line of the `naikkelas.request` logger with its method, path,
status and duration; the query string never reaches a log, tokens in paths are masked, and a NIK-like or
phone-like number logged by any code comes out masked."""

import io
import json
import logging

import pytest
from django.conf import settings

from naikkelas.core.logging import mask_personal_data, safe_path

pytestmark = pytest.mark.django_db

NIK = "3404071234560001"
PHONES = ["081234567890", "0812-3456-7890", "+6281234567890", "+62 812 3456 7890", "6281234567890"]
TOKEN = "Zq3kV9xYtR2mLp8wNc4bHs7d"


@pytest.fixture
def stderr():
    """What settings.LOGGING's console handler (stderr) writes, for the duration of a test."""
    handler = next(h for h in logging.getLogger("naikkelas.request").handlers if h.name == "console")
    assert handler in logging.getLogger().handlers  # the root logger writes there too
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    yield buffer
    handler.setStream(previous)


def _lines(buffer) -> list[dict]:
    return [json.loads(line) for line in buffer.getvalue().splitlines() if line.strip()]


def _request_lines(buffer) -> list[dict]:
    return [line for line in _lines(buffer) if line["logger"] == "naikkelas.request"]


def test_logging_goes_to_stderr_as_json():
    handler = settings.LOGGING["handlers"]["console"]
    assert handler["stream"] == "ext://sys.stderr" and handler["formatter"] == "json"


def test_a_request_writes_one_json_line_with_its_id(client, stderr):
    response = client.get("/healthz")
    request_id = response["X-Request-ID"]
    assert len(request_id) == 32 and int(request_id, 16) >= 0  # a uuid4 hex
    [line] = _request_lines(stderr)
    assert line["request_id"] == request_id
    assert line["method"] == "GET"
    assert line["path"] == "/healthz"
    assert line["status"] == response.status_code == 200
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["level"] == "INFO" and line["time"].endswith("Z")


def test_each_request_gets_its_own_id(client, stderr):
    first, second = client.get("/healthz")["X-Request-ID"], client.get("/healthz")["X-Request-ID"]
    assert first != second
    assert [line["request_id"] for line in _request_lines(stderr)] == [first, second]


def test_a_sane_incoming_id_is_kept_and_anything_else_replaced(client, stderr):
    assert client.get("/healthz", HTTP_X_REQUEST_ID="lb-4f2a9c10-77")["X-Request-ID"] == "lb-4f2a9c10-77"
    for bad in ("short", "has spaces in it", "x" * 65, "semi;colon-12345", '"><script>1234'):
        assert client.get("/healthz", HTTP_X_REQUEST_ID=bad)["X-Request-ID"] != bad
    lines = _request_lines(stderr)
    assert lines[0]["request_id"] == "lb-4f2a9c10-77"
    assert all(len(line["request_id"]) == 32 for line in lines[1:])


def test_errors_and_missing_pages_are_logged_with_their_status(client, stderr):
    response = client.get("/tidak-ada/sama-sekali/")
    [line] = _request_lines(stderr)
    assert line["status"] == response.status_code == 404
    assert line["request_id"] == response["X-Request-ID"]


def test_the_query_string_and_path_tokens_never_reach_the_log(client, stderr):
    client.get(f"/pesanan/{TOKEN}/?telp=081234567890&token={TOKEN}&nik={NIK}")
    client.get(f"/pesanan/{TOKEN}/struk.pdf")
    client.get(f"/laporan/{TOKEN}/")
    client.get(f"/feed/mitra/{TOKEN}/produk.csv?key={TOKEN}")
    output = stderr.getvalue()
    assert "Not Found: /pesanan/***/" in output  # Django's own line about the 404, masked too
    output = stderr.getvalue()
    for secret in (TOKEN, "081234567890", NIK, "telp", "?"):
        assert secret not in output
    assert [line["path"] for line in _request_lines(stderr)] == [
        "/pesanan/***/",
        "/pesanan/***/struk.pdf",
        "/laporan/***/",
        "/feed/mitra/***/produk.csv",
    ]


def test_safe_path():
    assert safe_path("/katalog/?q=081234567890") == "/katalog/"
    assert safe_path(f"/pesanan/{TOKEN}/struk/") == "/pesanan/***/struk/"
    assert safe_path(f"/lain/{TOKEN}/") == "/lain/***/"  # any long token-like segment
    assert safe_path("/usaha/123/produk/") == "/usaha/123/produk/"
    assert safe_path("/keripik-bu-tini/keranjang/") == "/keripik-bu-tini/keranjang/"
    assert safe_path("/cari/081234567890/") == "/cari/***/"


@pytest.mark.parametrize("phone", PHONES)
def test_phone_numbers_are_masked(phone):
    assert mask_personal_data(f"telp {phone}, ok") == "telp ***, ok"


def test_a_nik_is_masked_but_ordinary_numbers_are_not():
    assert mask_personal_data(f"NIK {NIK} ditolak") == "NIK *** ditolak"
    for text in ("order 12345 total 150000", "2026-11-30 09:51:54", "id 800123456", "12345678901234567"):
        assert mask_personal_data(text) == text


def test_personal_data_logged_by_any_code_comes_out_masked(stderr):
    log = logging.getLogger("naikkelas.orders.services")
    log.warning("buyer %s with NIK %s", "0812-3456-7890", NIK)
    log.error("lookup %(phone)s", {"phone": "+62 812 3456 7890"})
    try:
        raise ValueError(f"bad NIK {NIK} for 081234567890")
    except ValueError:
        log.exception("failed")
    output = stderr.getvalue()
    for secret in (NIK, "0812-3456-7890", "+62 812 3456 7890", "081234567890"):
        assert secret not in output
    first, second, third = _lines(stderr)
    assert first["message"] == "buyer *** with NIK ***" and first["level"] == "WARNING"
    assert second["message"] == "lookup ***"
    assert third["message"] == "failed" and "bad NIK *** for ***" in third["exc"]


def test_a_record_logged_while_a_request_runs_carries_its_id(client, stderr):
    response = client.get("/tidak-ada/sama-sekali/")  # Django logs the 404 on django.request
    [not_found] = [line for line in _lines(stderr) if line["logger"] == "django.request"]
    assert not_found["request_id"] == response["X-Request-ID"]
    logging.getLogger("naikkelas.test").warning("outside a request")
    assert "request_id" not in _lines(stderr)[-1]
