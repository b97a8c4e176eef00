"""Writes for accounts: one-time codes, sign-up, users and their passwords.

One-time codes
--------------
`otp_request` sends a 6-digit code by SMS; `otp_verify` checks it and returns the user to log in. A code
lives 10 minutes, allows 5 attempts (then it is dead), and a new request kills every older code for that
phone. Only an HMAC-SHA256 of the code (keyed with SECRET_KEY, bound to the phone and the purpose) is
stored, and it is compared with `hmac.compare_digest`.

Nobody learns from these pages whether a number has an account:
- Login for a number without an account answers exactly like login for a known one. A challenge row is
  written all the same, but its hash can match no code, and the SMS that goes out tells the holder of that
  number that it has no account and to choose "Daftar". Only the person holding the phone learns anything.
- Sign-up for a number that already has an account sends a code like any sign-up; the code logs them in.
- Officers and admins log in with a password only (a lost SIM must not open the registry): a code request
  for their number answers the same way, and the SMS says to use the password.

Rate limits are fixed windows counted in the database (`core.ratelimit.hit`). The defaults are in
`DEFAULT_RATE_LIMITS` as (count, seconds); a deployment overrides any of them with
`settings.ACCOUNTS_RATE_LIMITS = {"otp_request_phone": (5, 900)}`.
"""

import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from naikkelas.accounts.models import OtpChallenge, User
from naikkelas.accounts.phones import normalize_mobile, normalize_phone
from naikkelas.accounts.sms import send_sms
from naikkelas.core.audit import audit_record
from naikkelas.core.models import RateCounter
from naikkelas.core.ratelimit import hit
from naikkelas.regions.models import Region

OTP_TTL = timedelta(minutes=10)
OTP_MAX_ATTEMPTS = 5
OTP_DIGITS = 6

DEFAULT_RATE_LIMITS: dict[str, tuple[int, int]] = {
    # Codes sent to one phone: enough for a lost SMS and a retry, too few to flood someone's phone.
    "otp_request_phone": (3, 15 * 60),
    # Codes requested from one address: a family or a kiosk sharing a connection still gets through.
    "otp_request_ip": (20, 60 * 60),
    # Codes typed from one address, across all phones (each code also dies after 5 attempts).
    "otp_verify_ip": (50, 60 * 60),
    # Password guesses against one number and from one address.
    "password_phone": (10, 15 * 60),
    "password_ip": (30, 60 * 60),
}

# Roles whose accounts open other people's data: they must have a password and may not log in by code.
PASSWORD_ROLES = frozenset({User.Role.OFFICER, User.Role.ADMIN})

# Stored for challenges that must never succeed. A real hash is 64 hex digits; this has the same length
# and cannot equal one.
_UNMATCHABLE = "!" * 64


@dataclass(eq=False)
class RateLimited(Exception):
    """Too many attempts; the window reopens at `retry_at` (aware, UTC)."""

    retry_at: datetime


@dataclass(eq=False)
class CodeWrong(Exception):
    attempts_left: int


@dataclass(eq=False)
class CodeExpired(Exception):
    """The code can no longer be used. `reason` is "expired" (10 minutes passed or a newer code replaced
    it), "exhausted" (5 wrong attempts) or "missing" (nothing was requested)."""

    reason: str


def rate_limit(name: str) -> tuple[int, timedelta]:
    count, seconds = {**DEFAULT_RATE_LIMITS, **getattr(settings, "ACCOUNTS_RATE_LIMITS", {})}[name]
    return count, timedelta(seconds=seconds)


def _limit(name: str, subject: str) -> None:
    count, window = rate_limit(name)
    if hit(f"accounts:{name}:{subject}", limit=count, window=window):
        return
    # The same window arithmetic as core.ratelimit.hit, to tell people when they may try again.
    now = timezone.now()
    seconds = int(window.total_seconds())
    window_start = now - timedelta(seconds=int(now.timestamp()) % seconds, microseconds=now.microsecond)
    raise RateLimited(retry_at=window_start + window)


def _code_hash(phone: str, purpose: str, code: str) -> str:
    return salted_hmac("naikkelas.accounts.otp", f"{phone}|{purpose}|{code}", algorithm="sha256").hexdigest()


def _may_use_code(user: User | None) -> bool:
    return user is not None and user.is_active and user.role not in PASSWORD_ROLES


def _gets_code(user: User | None, purpose: str) -> bool:
    return _may_use_code(user) or (user is None and purpose == OtpChallenge.Purpose.SIGNUP)


def _sms_text(*, user: User | None, purpose: str, code: str) -> str:
    if _gets_code(user, purpose):
        return _("Kode Naik Kelas Anda: %(code)s. Berlaku 10 menit. Jangan berikan kode ini kepada siapa pun.") % {
            "code": code
        }
    if user is None:
        return _("Nomor ini belum terdaftar di Naik Kelas. Untuk membuat akun, buka Naik Kelas dan pilih Daftar.")
    if not user.is_active:
        return _("Akun Naik Kelas untuk nomor ini tidak aktif. Hubungi petugas atau admin Naik Kelas.")
    return _("Akun petugas dan admin Naik Kelas masuk dengan kata sandi, bukan dengan kode SMS.")


def otp_request(*, phone: str, purpose: str, ip: str | None) -> str:
    """Send a one-time code to `phone` for `purpose` ("signup" or "login"); return the phone in E.164.

    Raises ValidationError for a number that cannot receive one, RateLimited, or sms.SmsError when the SMS
    could not be handed over (the code is then useless; asking again sends a new one)."""
    phone = normalize_mobile(phone)
    purpose = OtpChallenge.Purpose(purpose)
    _limit("otp_request_ip", ip or "unknown")
    _limit("otp_request_phone", phone)

    user = User.objects.filter(phone=phone).first()
    code = f"{secrets.randbelow(10**OTP_DIGITS):0{OTP_DIGITS}d}"
    sends_code = _gets_code(user, purpose)
    now = timezone.now()
    with transaction.atomic():
        OtpChallenge.objects.filter(phone=phone, used_at__isnull=True, expires_at__gt=now).update(expires_at=now)
        OtpChallenge.objects.create(
            phone=phone,
            purpose=purpose,
            code_hash=_code_hash(phone, purpose, code) if sends_code else _UNMATCHABLE,
            created_at=now,
            expires_at=now + OTP_TTL,
            ip=ip or None,
        )
    # Sent after the commit: a slow provider must not hold the write lock, and a failed send leaves a
    # harmless challenge that the next request replaces.
    send_sms(phone, _sms_text(user=user, purpose=purpose, code=code))
    return phone


def otp_verify(*, phone: str, purpose: str, code: str, ip: str | None) -> User:
    """Check `code` against the newest code sent to `phone` for `purpose`; return the user to log in
    (creating the owner account on sign-up). Raises CodeWrong, CodeExpired or RateLimited."""
    phone = normalize_mobile(phone)
    purpose = OtpChallenge.Purpose(purpose)
    _limit("otp_verify_ip", ip or "unknown")
    code = "".join(code.split())
    now = timezone.now()

    failure: Exception | None = None
    user = None
    with transaction.atomic():
        challenge = (
            OtpChallenge.objects.select_for_update()
            .filter(phone=phone, purpose=purpose, used_at__isnull=True)
            .order_by("-created_at", "-id")
            .first()
        )
        if challenge is None:
            failure = CodeExpired(reason="missing")
        elif challenge.expires_at <= now:
            failure = CodeExpired(reason="expired")
        elif challenge.attempts >= OTP_MAX_ATTEMPTS:
            failure = CodeExpired(reason="exhausted")
        else:
            # The attempt is counted and saved before the answer is known, so it sticks whatever happens.
            challenge.attempts += 1
            matches = hmac.compare_digest(_code_hash(phone, purpose, code), challenge.code_hash)
            if matches:
                user = _user_for_code(phone=phone, purpose=purpose)
                matches = user is not None
            if matches:
                challenge.used_at = now
            challenge.save(update_fields=["attempts", "used_at"])
            if not matches:
                failure = CodeWrong(attempts_left=OTP_MAX_ATTEMPTS - challenge.attempts)
    if failure is not None:
        raise failure
    return user


def _user_for_code(*, phone: str, purpose: str) -> User | None:
    user = User.objects.filter(phone=phone).first()
    if user is None and purpose == OtpChallenge.Purpose.SIGNUP:
        return user_signup(phone=phone)
    # The role may have changed since the code went out; an officer never gets in by code.
    return user if _may_use_code(user) else None


def user_signup(*, phone: str) -> User:
    """Create the owner account for a phone proved by a code; an existing account is returned as it is."""
    phone = normalize_mobile(phone)
    try:
        with transaction.atomic():
            user = User.objects.create_user(phone, role=User.Role.OWNER)
            audit_record(actor=user, action="accounts.signup", obj=user, changes={"role": user.role})
    except IntegrityError:
        # Two sign-ups for the same number raced; the other one created it.
        user = User.objects.get(phone=phone)
    return user


def user_create(
    *,
    actor: User | None,
    phone: str,
    role: str,
    name: str = "",
    password: str | None = None,
    region_codes: list[str] | tuple[str, ...] = (),
) -> User:
    """Create a user of any role. Officers and admins must have a password; officers need a region."""
    role = User.Role(role)
    errors: dict[str, list[str]] = {}
    try:
        phone = normalize_phone(phone)
    except ValidationError as error:
        errors["phone"] = error.messages
    else:
        if User.objects.filter(phone=phone).exists():
            errors["phone"] = [_("Nomor HP ini sudah punya akun.")]
    if role in PASSWORD_ROLES and not password:
        errors["password"] = [_("Petugas dan admin wajib memakai kata sandi.")]
    elif password:
        try:
            validate_password(password, User(phone=phone if "phone" not in errors else "", name=name))
        except ValidationError as error:
            errors["password"] = error.messages
    codes = list(dict.fromkeys(region_codes))
    regions = list(Region.objects.filter(code__in=codes))
    missing = sorted(set(codes) - {region.code for region in regions})
    if missing:
        errors["regions"] = [_("Kode wilayah tidak dikenal: %(codes)s.") % {"codes": ", ".join(missing)}]
    elif role == User.Role.OFFICER and not regions:
        errors["regions"] = [_("Petugas perlu paling sedikit satu wilayah tugas.")]
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        user = User.objects.create_user(
            phone, password or None, name=name, role=role, is_superuser=(role == User.Role.ADMIN)
        )
        user.regions.set(regions)
        audit_record(
            actor=actor,
            action="accounts.user_create",
            obj=user,
            changes={"role": role, "regions": [region.code for region in regions]},
        )
    return user


def user_set_password(*, user: User, password: str) -> User:
    """Set (or change) a password after Django's validators. Owners may; officers and admins must have one."""
    validate_password(password, user)
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        audit_record(actor=user, action="accounts.password_set", obj=user)
    return user


def password_authenticate(*, phone: str, password: str, ip: str | None, request=None) -> User | None:
    """The user for this phone and password, or None. Guesses are rate-limited per number and per address
    whether they succeed or not, so an attacker learns nothing from the limit either."""
    _limit("password_ip", ip or "unknown")
    try:
        subject = normalize_phone(phone)
    except ValidationError:
        subject = "invalid"
    _limit("password_phone", subject)
    user = authenticate(request, phone=phone, password=password)
    if user is None or not user.is_active:
        return None
    return user


def otp_purge(*, older_than: timedelta = timedelta(days=1)) -> int:
    """Delete one-time-code challenges that expired more than `older_than` ago: used or not, they can never
    open an account again, and each holds a phone number."""
    deleted, _ = OtpChallenge.objects.filter(expires_at__lt=timezone.now() - older_than).delete()
    return deleted


# -- erasure at the person's request (UU PDP art. 8; called by the privacy app) ---------------------------------

def sessions_end(*, user: User) -> int:
    """Delete every session signed in as `user`. Sessions are stored encoded, so the unexpired ones are read
    and decoded: slow on a large site, but an account is deleted rarely, and a session left behind would
    hold the user's id."""
    ended = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator(chunk_size=500)
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk)
    ]
    Session.objects.filter(pk__in=ended).delete()
    return len(ended)


@transaction.atomic
def user_erase(*, user: User) -> None:
    """Delete the account for good: its row, the codes sent to its phone, the rate counters keyed by the
    phone, and its sessions. What elsewhere pointed at the user (who recorded an entry, who gave a consent,
    an audit row's actor) becomes nobody through the foreign keys' SET_NULL. The caller writes the audit
    record: one naming the user would lose its actor when the row goes."""
    phone = user.phone
    OtpChallenge.objects.filter(phone=phone).delete()
    RateCounter.objects.filter(key__endswith=f":{phone}").delete()
    sessions_end(user=user)
    user.delete()
