"""Idempotency keys (core/idempotency.py), on their own: what is kept, what is replayed, what is refused."""

import json
from datetime import timedelta

import pytest
from django.http import HttpResponse, JsonResponse
from django.test import RequestFactory
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from naikkelas.core import idempotency
from naikkelas.core.models import AuditLog, IdempotentRequest

pytestmark = pytest.mark.django_db

SCOPE = "partner:1"


def request(body: dict, path: str = "/api/v1/orders"):
    return RequestFactory().post(path, json.dumps(body), content_type="application/json")


class Counter:
    """A piece of work that writes a row each time it runs and answers with `status`."""

    def __init__(self, status: int = 201):
        self.status, self.runs = status, 0

    def __call__(self) -> HttpResponse:
        self.runs += 1
        AuditLog.objects.create(action="work", object_type="test", object_id=str(self.runs))
        return JsonResponse({"run": self.runs}, status=self.status)


def answer(body: dict, work, key: str = "key-1", scope: str = SCOPE) -> HttpResponse:
    return idempotency.idempotent_response(scope=scope, key=key, request=request(body), respond=work)


def test_a_repeat_with_the_same_key_and_body_gets_the_first_answer_without_working_again():
    work = Counter()
    first = answer({"a": 1}, work)
    again = answer({"a": 1}, work)
    assert (first.status_code, json.loads(first.content)) == (201, {"run": 1})
    assert (again.status_code, again.content, again["Content-Type"]) == (201, first.content, first["Content-Type"])
    assert again[idempotency.REPLAYED_HEADER] == "true" and not first.has_header(idempotency.REPLAYED_HEADER)
    assert work.runs == 1 and AuditLog.objects.filter(action="work").count() == 1


def test_the_same_key_with_another_body_or_path_is_refused():
    work = Counter()
    answer({"a": 1}, work)
    with pytest.raises(idempotency.IdempotencyMismatch):
        answer({"a": 2}, work)
    with pytest.raises(idempotency.IdempotencyMismatch):
        idempotency.idempotent_response(scope=SCOPE, key="key-1", request=request({"a": 1}, "/lain"), respond=work)
    assert work.runs == 1


def test_keys_are_separate_per_scope():
    work = Counter()
    answer({"a": 1}, work, scope="partner:1")
    second = answer({"a": 2}, work, scope="partner:2")
    assert json.loads(second.content) == {"run": 2} and not second.has_header(idempotency.REPLAYED_HEADER)


def test_a_key_still_being_answered_is_refused():
    # Given a claim whose answer has not been stored yet (its request is still running)
    first = request({"a": 1})
    printed = idempotency.fingerprint(method="POST", path=first.get_full_path(), body=first.body)
    IdempotentRequest.objects.create(scope=SCOPE, key="key-1", fingerprint=printed)
    work = Counter()
    # When the same request comes again meanwhile, it is told to wait; another body under the key is refused
    with pytest.raises(idempotency.IdempotencyInProgress):
        answer({"a": 1}, work, key="key-1")
    with pytest.raises(idempotency.IdempotencyMismatch):
        answer({"a": 2}, work, key="key-1")
    assert work.runs == 0


def test_a_claim_abandoned_by_a_dead_process_is_taken_over_after_the_timeout():
    stale = timezone.now() - idempotency.IN_PROGRESS_TIMEOUT - timedelta(seconds=1)
    IdempotentRequest.objects.create(scope=SCOPE, key="key-1", fingerprint="x" * 64, created_at=stale)
    work = Counter()
    assert answer({"a": 1}, work).status_code == 201 and work.runs == 1


def test_a_client_error_is_kept_and_replayed():
    work = Counter(status=409)
    first = answer({"a": 1}, work)
    again = answer({"a": 1}, work)
    assert first.status_code == again.status_code == 409 and work.runs == 1
    assert again[idempotency.REPLAYED_HEADER] == "true"


def test_a_server_error_is_not_kept_its_work_is_undone_and_a_retry_works_again():
    work = Counter(status=503)
    assert answer({"a": 1}, work).status_code == 503
    # Then the key is free again and the failed attempt's writes are gone
    assert not IdempotentRequest.objects.exists()
    assert not AuditLog.objects.filter(action="work").exists()
    work.status = 201
    retried = answer({"a": 1}, work)
    assert retried.status_code == 201 and not retried.has_header(idempotency.REPLAYED_HEADER)


def test_an_exception_releases_the_key_and_undoes_the_work():
    def boom():
        AuditLog.objects.create(action="work", object_type="test", object_id="1")
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        answer({"a": 1}, boom)
    assert not IdempotentRequest.objects.exists() and not AuditLog.objects.filter(action="work").exists()


def test_keys_expire_after_a_day_and_are_purged():
    work = Counter()
    answer({"a": 1}, work, key="old")
    answer({"a": 1}, work, key="new")
    day_ago = timezone.now() - idempotency.TTL - timedelta(seconds=1)
    IdempotentRequest.objects.filter(key="old").update(created_at=day_ago)
    # When the expired key is used again, even for another body, it counts as new
    fresh = answer({"b": 2}, work, key="old")
    assert fresh.status_code == 201 and not fresh.has_header(idempotency.REPLAYED_HEADER)
    # And the purge removes only keys older than a day
    IdempotentRequest.objects.filter(key="new").update(created_at=day_ago)
    assert idempotency.idempotency_purge() == 1
    assert list(IdempotentRequest.objects.values_list("key", flat=True)) == ["old"]


@given(st.text(max_size=300))
def test_a_key_is_valid_only_as_1_to_255_printable_ascii_characters(key):
    expected = 1 <= len(key) <= 255 and all(32 <= ord(ch) <= 126 for ch in key) and key.strip() != ""
    assert idempotency.key_is_valid(key) is expected


def test_keys_at_the_edges():
    assert idempotency.key_is_valid("a" * 255) and not idempotency.key_is_valid("a" * 256)
    assert idempotency.key_is_valid("~ !") and not idempotency.key_is_valid("kunci\u00e9")
    assert not idempotency.key_is_valid("") and not idempotency.key_is_valid("   ") and not idempotency.key_is_valid(None)


def test_the_fingerprint_keeps_method_path_and_body_apart():
    one = idempotency.fingerprint(method="POST", path="/a", body=b"b\nc")
    two = idempotency.fingerprint(method="POST", path="/a\nb", body=b"c")
    assert one != two and len(one) == 64
    assert one == idempotency.fingerprint(method="post", path="/a", body=b"b\nc")
