import hmac
from datetime import timedelta
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from naikkelas.accounts import services
from naikkelas.accounts.models import OtpChallenge, User
from naikkelas.core.models import AuditLog
from tests.accounts.conftest import last_code, wrong_code

pytestmark = pytest.mark.django_db

PHONE = "+6281234567890"
IP = "203.0.113.7"
STRONG = "kopi-tubruk-sleman-77"


def request_code(phone=PHONE, purpose="signup", ip=IP):
    return services.otp_request(phone=phone, purpose=purpose, ip=ip)


def verify(code, phone=PHONE, purpose="signup", ip=IP):
    return services.otp_verify(phone=phone, purpose=purpose, code=code, ip=ip)


def test_otp_request_sends_six_digits_and_stores_only_a_hash(sms_outbox):
    # When a code is requested in any spelling of the number
    phone = request_code(phone="0812-3456-7890")
    # Then one SMS with a 6-digit code goes to the E.164 number, and the code itself is not stored
    assert phone == PHONE
    code = last_code(sms_outbox, PHONE)
    challenge = OtpChallenge.objects.get()
    assert code not in challenge.code_hash
    assert len(challenge.code_hash) == 64
    assert challenge.expires_at - challenge.created_at == timedelta(minutes=10)
    assert challenge.ip == IP


def test_otp_request_rejects_an_invalid_number_and_writes_nothing(sms_outbox):
    with pytest.raises(ValidationError):
        request_code(phone="12345")
    assert not OtpChallenge.objects.exists()
    assert sms_outbox == []


def test_signup_code_creates_an_owner_without_password(sms_outbox):
    request_code()
    user = verify(last_code(sms_outbox, PHONE))
    assert user.phone == PHONE
    assert user.role == User.Role.OWNER
    assert not user.has_usable_password()
    assert AuditLog.objects.filter(action="accounts.signup", object_id=str(user.pk)).exists()


def test_signup_for_an_existing_number_logs_that_account_in(sms_outbox):
    existing = User.objects.create_user(PHONE, name="Bu Sri")
    request_code()
    assert verify(last_code(sms_outbox, PHONE)) == existing
    assert User.objects.count() == 1


def test_login_code_logs_in_a_known_owner(sms_outbox):
    owner = User.objects.create_user(PHONE)
    request_code(purpose="login")
    assert verify(last_code(sms_outbox, PHONE), purpose="login") == owner


def test_code_is_single_use(sms_outbox):
    request_code()
    code = last_code(sms_outbox, PHONE)
    verify(code)
    with pytest.raises(services.CodeExpired):
        verify(code)


def test_code_expires_after_ten_minutes(sms_outbox):
    # Given a code
    request_code()
    code = last_code(sms_outbox, PHONE)
    later = timezone.now() + timedelta(minutes=10, seconds=1)
    # When it is typed just after ten minutes, then it is refused as expired
    with mock.patch("django.utils.timezone.now", return_value=later):
        with pytest.raises(services.CodeExpired) as caught:
            verify(code)
    assert caught.value.reason == "expired"
    assert not User.objects.exists()


def test_code_still_works_just_before_ten_minutes(sms_outbox):
    request_code()
    code = last_code(sms_outbox, PHONE)
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() + timedelta(minutes=9, seconds=50)):
        assert verify(code).phone == PHONE


def test_code_expired_in_the_database_is_refused(sms_outbox):
    request_code()
    OtpChallenge.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(services.CodeExpired):
        verify(last_code(sms_outbox, PHONE))


def test_wrong_codes_count_down_and_the_fifth_kills_the_code(sms_outbox):
    request_code()
    code = last_code(sms_outbox, PHONE)
    # When the wrong code is typed five times, then each answer says how many attempts are left
    left = []
    for _ in range(5):
        with pytest.raises(services.CodeWrong) as caught:
            verify(wrong_code(code))
        left.append(caught.value.attempts_left)
    assert left == [4, 3, 2, 1, 0]
    # And then even the right code is refused
    with pytest.raises(services.CodeExpired) as caught:
        verify(code)
    assert caught.value.reason == "exhausted"
    assert OtpChallenge.objects.get().attempts == 5
    assert not User.objects.exists()


def test_right_code_after_four_wrong_ones_still_works(sms_outbox):
    request_code()
    code = last_code(sms_outbox, PHONE)
    for _ in range(4):
        with pytest.raises(services.CodeWrong):
            verify(wrong_code(code))
    assert verify(code).phone == PHONE


def test_a_new_request_invalidates_the_older_code(sms_outbox):
    request_code()
    old = last_code(sms_outbox, PHONE)
    request_code()
    new = last_code(sms_outbox, PHONE)
    if old != new:
        with pytest.raises(services.CodeWrong):
            verify(old)
    assert verify(new).phone == PHONE
    assert OtpChallenge.objects.filter(expires_at__gt=timezone.now(), used_at__isnull=True).count() == 0


def test_code_for_signup_does_not_log_in_through_login(sms_outbox):
    User.objects.create_user(PHONE)
    request_code(purpose="signup")
    with pytest.raises(services.CodeExpired):
        verify(last_code(sms_outbox, PHONE), purpose="login")


def test_code_comparison_is_constant_time(sms_outbox):
    request_code()
    code = last_code(sms_outbox, PHONE)
    with mock.patch("hmac.compare_digest", wraps=hmac.compare_digest) as compare:
        with pytest.raises(services.CodeWrong):
            verify(wrong_code(code))
        verify(code)
    assert compare.call_count == 2
    stored = OtpChallenge.objects.get().code_hash
    assert all(call.args[1] == stored for call in compare.call_args_list)


def test_code_requests_are_limited_per_phone(sms_outbox):
    # Given three codes already sent to one number (from different addresses)
    for n in range(3):
        request_code(ip=f"198.51.100.{n}")
    # When a fourth is asked for, then it is refused with the time the window reopens, and no SMS goes out
    with pytest.raises(services.RateLimited) as caught:
        request_code(ip="198.51.100.9")
    assert timezone.now() < caught.value.retry_at <= timezone.now() + timedelta(minutes=15)
    assert len(sms_outbox) == 3
    assert OtpChallenge.objects.count() == 3
    # And another number is not affected
    request_code(phone="+6281234567891", ip="198.51.100.9")


def test_code_requests_are_limited_per_address(settings, sms_outbox):
    settings.ACCOUNTS_RATE_LIMITS = {"otp_request_ip": (2, 3600)}
    request_code(phone="+6281234567801")
    request_code(phone="+6281234567802")
    with pytest.raises(services.RateLimited):
        request_code(phone="+6281234567803")
    assert [m["to"] for m in sms_outbox] == ["+6281234567801", "+6281234567802"]
    request_code(phone="+6281234567803", ip="198.51.100.1")


def test_code_verifications_are_limited_per_address(settings, sms_outbox):
    settings.ACCOUNTS_RATE_LIMITS = {"otp_verify_ip": (3, 3600)}
    request_code()
    code = last_code(sms_outbox, PHONE)
    for _ in range(3):
        with pytest.raises(services.CodeWrong):
            verify(wrong_code(code))
    # The right code from the same address is refused too: the limit is checked before the code
    with pytest.raises(services.RateLimited):
        verify(code)
    assert OtpChallenge.objects.get().attempts == 3
    assert verify(code, ip="198.51.100.1").phone == PHONE


def test_rate_limit_window_reopens(sms_outbox):
    for _ in range(3):
        request_code()
    with pytest.raises(services.RateLimited) as caught:
        request_code()
    with mock.patch("django.utils.timezone.now", return_value=caught.value.retry_at + timedelta(seconds=1)):
        request_code()
    assert len(sms_outbox) == 4


def test_login_for_unknown_number_sends_no_code_and_no_code_can_succeed(sms_outbox):
    # Given a number without an account
    request_code(purpose="login")
    # Then its holder gets a hint to sign up, not a code
    assert len(sms_outbox) == 1
    assert "belum terdaftar" in sms_outbox[0]["text"]
    assert "Kode" not in sms_outbox[0]["text"]
    # And a challenge was written just like for a known number, which no code can open
    challenge = OtpChallenge.objects.get()
    assert challenge.purpose == "login"
    for code in ("000000", "123456", "999999"):
        with pytest.raises(services.CodeWrong):
            verify(code, purpose="login")
    assert not User.objects.exists()


@pytest.mark.parametrize("purpose", ["login", "signup"])
def test_officer_cannot_log_in_by_code(purpose, sms_outbox):
    User.objects.create_user(PHONE, STRONG, role=User.Role.OFFICER)
    request_code(purpose=purpose)
    assert "kata sandi" in sms_outbox[-1]["text"]
    assert not any(ch.isdigit() for ch in sms_outbox[-1]["text"])
    with pytest.raises(services.CodeWrong):
        verify("123456", purpose=purpose)


def test_owner_promoted_after_the_code_was_sent_is_refused(sms_outbox):
    owner = User.objects.create_user(PHONE)
    request_code(purpose="login")
    owner.role = User.Role.ADMIN
    owner.set_password(STRONG)
    owner.save()
    with pytest.raises(services.CodeWrong):
        verify(last_code(sms_outbox, PHONE), purpose="login")


def test_inactive_owner_gets_no_code(sms_outbox):
    User.objects.create_user(PHONE, is_active=False)
    request_code(purpose="login")
    assert "tidak aktif" in sms_outbox[-1]["text"]


def test_user_create_refuses_an_officer_without_password():
    with pytest.raises(ValidationError) as caught:
        services.user_create(actor=None, phone="0812-1111-2222", role="officer", region_codes=["34"])
    assert "password" in caught.value.message_dict
    assert not User.objects.exists()


def test_user_create_refuses_an_admin_without_password():
    with pytest.raises(ValidationError) as caught:
        services.user_create(actor=None, phone="0812-1111-2222", role="admin")
    assert caught.value.message_dict["password"] == ["Petugas dan admin wajib memakai kata sandi."]
    assert not User.objects.exists()


def test_user_create_refuses_a_weak_password_or_unknown_region():
    with pytest.raises(ValidationError) as caught:
        services.user_create(actor=None, phone="0812-1111-2222", role="officer", password="1234", region_codes=["99"])
    assert set(caught.value.message_dict) == {"password", "regions"}
    assert not User.objects.exists()


def test_user_create_makes_a_scoped_officer_with_a_password():
    officer = services.user_create(
        actor=None, phone="0812-1111-2222", name="Pak Budi", role="officer", password=STRONG,
        region_codes=["34", "34.71", "34"],
    )  # fmt: skip
    assert officer.phone == "+6281211112222"
    assert officer.check_password(STRONG)
    assert sorted(officer.regions.values_list("code", flat=True)) == ["34", "34.71"]
    assert AuditLog.objects.filter(action="accounts.user_create", object_id=str(officer.pk)).exists()


def test_owner_password_is_optional():
    owner = services.user_create(actor=None, phone="0812-1111-2222", role="owner")
    assert not owner.has_usable_password()
    services.user_set_password(user=owner, password=STRONG)
    owner.refresh_from_db()
    assert owner.check_password(STRONG)


def test_user_clean_refuses_officer_without_password():
    user = User(phone="0812-1111-2222", role=User.Role.OFFICER)
    user.set_unusable_password()
    with pytest.raises(ValidationError) as caught:
        user.full_clean()
    assert "role" in caught.value.message_dict
    user.set_password(STRONG)
    user.full_clean()
    assert user.phone == "+6281211112222"


def test_password_authenticate_for_officer_and_refusal_for_wrong_password():
    services.user_create(actor=None, phone="0812-1111-2222", role="officer", password=STRONG, region_codes=["34"])
    assert services.password_authenticate(phone="0812 1111 2222", password=STRONG, ip=IP).phone == "+6281211112222"
    assert services.password_authenticate(phone="0812 1111 2222", password=STRONG + "x", ip=IP) is None
    assert services.password_authenticate(phone="0812 9999 2222", password=STRONG, ip=IP) is None


def test_password_guesses_are_limited_per_number():
    services.user_create(actor=None, phone="0812-1111-2222", role="officer", password=STRONG, region_codes=["34"])
    for n in range(10):
        services.password_authenticate(phone="0812-1111-2222", password="salah", ip=f"198.51.100.{n}")
    with pytest.raises(services.RateLimited):
        services.password_authenticate(phone="0812-1111-2222", password=STRONG, ip="198.51.100.99")
