from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from naikkelas.accounts.models import OtpChallenge
from naikkelas.core.models import IdempotentRequest, RateCounter

pytestmark = pytest.mark.django_db


def _challenge(expires_at):
    return OtpChallenge.objects.create(
        phone="+6281234567890", purpose="login", code_hash="x" * 64, expires_at=expires_at
    )


def test_purge_deletes_codes_expired_over_a_day_ago_and_keeps_the_rest(capsys):
    now = timezone.now()
    old = _challenge(now - timedelta(days=2))
    recent = _challenge(now - timedelta(hours=2))
    live = _challenge(now + timedelta(minutes=5))
    RateCounter.objects.create(key="k", window_start=now - timedelta(days=3), count=9)
    current = RateCounter.objects.create(key="k", window_start=now - timedelta(minutes=3), count=2)
    IdempotentRequest.objects.create(scope="partner:1", key="lama", fingerprint="f", created_at=now - timedelta(days=2))
    kept = IdempotentRequest.objects.create(scope="partner:1", key="baru", fingerprint="f", created_at=now)

    call_command("purge_expired")

    assert set(OtpChallenge.objects.values_list("pk", flat=True)) == {recent.pk, live.pk}
    assert not OtpChallenge.objects.filter(pk=old.pk).exists()
    assert list(RateCounter.objects.values_list("pk", flat=True)) == [current.pk]
    assert list(IdempotentRequest.objects.values_list("pk", flat=True)) == [kept.pk]
    out = capsys.readouterr().out
    assert "otp_purge: 1" in out and "purge_old: 1" in out and "idempotency_purge: 1" in out
