"""The callback signature (payments.signing): pure, so every change to what was signed can be tried."""

import hashlib
import hmac

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from naikkelas.payments.signing import REPLAY_WINDOW, SignatureError, sign, verify

NOW = 1_767_225_600
SECRET = "rahasia-gateway-uji-0123456789abcdef"
bodies = st.binary(max_size=300)
secrets_ = st.text(min_size=1, max_size=64)
times = st.integers(min_value=NOW - REPLAY_WINDOW, max_value=NOW + REPLAY_WINDOW)


def test_sign_is_hmac_sha256_over_the_timestamp_a_dot_and_the_raw_body():
    body = b'{"event_id": "evt-1"}'
    expected = hmac.new(SECRET.encode(), b"1767225600." + body, hashlib.sha256).hexdigest()
    assert sign(SECRET, 1767225600, body) == "sha256=" + expected


@given(secret=secrets_, body=bodies, sent=times)
def test_verify_accepts_what_sign_made_within_the_window(secret, body, sent):
    assert verify(secret=secret, timestamp=str(sent), signature=sign(secret, sent, body), body=body, now=NOW) == sent


@given(secret=secrets_, body=bodies, other=bodies, sent=times)
def test_verify_refuses_any_change_of_the_body(secret, body, other, sent):
    assume(other != body)
    with pytest.raises(SignatureError) as caught:
        verify(secret=secret, timestamp=str(sent), signature=sign(secret, sent, body), body=other, now=NOW)
    assert caught.value.code == "signature"


@given(secret=secrets_, body=bodies, sent=times, other=times)
def test_verify_refuses_any_change_of_the_timestamp(secret, body, sent, other):
    assume(other != sent)
    with pytest.raises(SignatureError) as caught:
        verify(secret=secret, timestamp=str(other), signature=sign(secret, sent, body), body=body, now=NOW)
    assert caught.value.code == "signature"


@given(secret=secrets_, other=secrets_, body=bodies, sent=times)
def test_verify_refuses_any_other_secret(secret, other, body, sent):
    assume(other.encode() != secret.encode())
    with pytest.raises(SignatureError) as caught:
        verify(secret=other, timestamp=str(sent), signature=sign(secret, sent, body), body=body, now=NOW)
    assert caught.value.code == "signature"


@given(signature=st.text(max_size=80))
def test_verify_refuses_any_made_up_signature_without_crashing(signature):
    body = b"{}"
    assume(signature.strip() != sign(SECRET, NOW, body))
    with pytest.raises(SignatureError):
        verify(secret=SECRET, timestamp=str(NOW), signature=signature, body=body, now=NOW)


@pytest.mark.parametrize("age", [REPLAY_WINDOW + 1, 6 * 60, -(REPLAY_WINDOW + 1), 86_400])
def test_verify_refuses_a_timestamp_more_than_five_minutes_from_now_even_when_signed(age):
    sent = NOW - age
    with pytest.raises(SignatureError) as caught:
        verify(secret=SECRET, timestamp=str(sent), signature=sign(SECRET, sent, b"{}"), body=b"{}", now=NOW)
    assert caught.value.code == "stale"


@pytest.mark.parametrize("timestamp", ["", None, "1767225600.5", "-1767225600", "１７６７２２５６００", "1e9", "9" * 13])
def test_verify_refuses_a_timestamp_that_is_not_whole_unix_seconds(timestamp):
    with pytest.raises(SignatureError) as caught:
        verify(secret=SECRET, timestamp=timestamp, signature="sha256=00", body=b"{}", now=NOW)
    assert caught.value.code in {"missing", "timestamp"}


def test_verify_refuses_a_missing_signature():
    with pytest.raises(SignatureError) as caught:
        verify(secret=SECRET, timestamp=str(NOW), signature=None, body=b"{}", now=NOW)
    assert caught.value.code == "missing"
