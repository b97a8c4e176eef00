"""Sign-up and login pages. Phone -> code -> in; officers and admins use a password.

The phone number and purpose travel between the steps in the session, never in the URL (URLs end up in
browser history, proxy logs and shared screenshots).
"""

import math

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from naikkelas.accounts import services
from naikkelas.accounts.forms import CodeForm, PasswordLoginForm, PhoneForm
from naikkelas.accounts.models import OtpChallenge
from naikkelas.accounts.phones import display_phone
from naikkelas.accounts.sms import SmsError
from naikkelas.core.ratelimit import client_ip

SESSION_PHONE = "accounts_otp_phone"
SESSION_PURPOSE = "accounts_otp_purpose"
SESSION_NEXT = "accounts_next"
BACKEND = "naikkelas.accounts.backends.PhoneBackend"


def rate_limited_message(error: services.RateLimited) -> str:
    minutes = max(1, math.ceil((error.retry_at - timezone.now()).total_seconds() / 60))
    local = timezone.localtime(error.retry_at)
    return ngettext(
        "Terlalu banyak permintaan. Coba lagi pukul %(time)s %(zone)s (sekitar %(minutes)d menit lagi).",
        "Terlalu banyak permintaan. Coba lagi pukul %(time)s %(zone)s (sekitar %(minutes)d menit lagi).",
        minutes,
    ) % {"time": time_format(local, "TIME_FORMAT"), "zone": local.tzname(), "minutes": minutes}


def _safe_next(request, value: str | None) -> str:
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return ""


def _send_code(request, *, phone: str, purpose: str) -> tuple[str, int] | None:
    """Ask for a code; on success remember the phone for the next step. Returns (message, status) on failure."""
    try:
        phone = services.otp_request(phone=phone, purpose=purpose, ip=client_ip(request))
    except services.RateLimited as error:
        return rate_limited_message(error), 429
    except ValidationError as error:
        return " ".join(error.messages), 200
    except SmsError:
        return _("SMS belum bisa dikirim. Coba lagi sebentar lagi."), 503
    request.session[SESSION_PHONE] = phone
    request.session[SESSION_PURPOSE] = purpose
    return None


def _phone_step(request, *, purpose: str, template: str, context: dict | None = None):
    form = PhoneForm(request.POST if request.method == "POST" else None)
    status = 200
    if form.is_bound and form.is_valid():
        error = _send_code(request, phone=form.cleaned_data["phone"], purpose=purpose)
        if error is None:
            request.session[SESSION_NEXT] = _safe_next(request, request.POST.get("next"))
            return redirect("accounts:verify")
        message, status = error
        form.add_error(None, message)
    return render(request, template, {"form": form, **(context or {})}, status=status)


@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("home")
    return _phone_step(request, purpose=OtpChallenge.Purpose.SIGNUP, template="accounts/signup.html")


@require_http_methods(["GET", "POST"])
def login(request):
    if request.user.is_authenticated:
        return redirect("home")
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    return _phone_step(
        request,
        purpose=OtpChallenge.Purpose.LOGIN,
        template="accounts/login.html",
        context={"password_form": PasswordLoginForm(), "next": next_url},
    )


@require_POST
def password_login(request):
    form = PasswordLoginForm(request.POST)
    next_url = _safe_next(request, request.POST.get("next"))
    status = 200
    if form.is_valid():
        try:
            user = services.password_authenticate(
                phone=form.cleaned_data["phone"],
                password=form.cleaned_data["password"],
                ip=client_ip(request),
                request=request,
            )
        except services.RateLimited as error:
            form.add_error(None, rate_limited_message(error))
            status = 429
        else:
            if user is not None:
                auth_login(request, user, backend=BACKEND)
                return redirect(next_url or "home")
            form.add_error(None, _("Nomor HP atau kata sandi salah."))
    context = {"form": PhoneForm(), "password_form": form, "next": next_url, "password_open": True}
    return render(request, "accounts/login.html", context, status=status)


def _code_error(error: Exception) -> tuple[str, bool]:
    """The message for a failed code and whether the code is dead (so "send again" is the way on)."""
    if isinstance(error, services.CodeWrong):
        if error.attempts_left:
            message = ngettext(
                "Kode salah. Sisa %(count)d kali percobaan.",
                "Kode salah. Sisa %(count)d kali percobaan.",
                error.attempts_left,
            ) % {"count": error.attempts_left}
            return message, False
        return _("Kode salah, dan kode ini sudah 5 kali dicoba. Minta kode baru."), True
    if isinstance(error, services.CodeExpired):
        if error.reason == "exhausted":
            return _("Kode ini sudah 5 kali dicoba. Minta kode baru."), True
        return _("Kode sudah kedaluwarsa (berlaku 10 menit). Minta kode baru."), True
    return rate_limited_message(error), False


@require_http_methods(["GET", "POST"])
def verify(request):
    phone = request.session.get(SESSION_PHONE)
    purpose = request.session.get(SESSION_PURPOSE)
    if not phone or purpose not in OtpChallenge.Purpose.values:
        messages.info(request, _("Masukkan nomor HP Anda dulu."))
        return redirect("accounts:login")

    form = CodeForm(request.POST if request.method == "POST" else None)
    code_dead = False
    status = 200
    if form.is_bound and form.is_valid():
        try:
            user = services.otp_verify(phone=phone, purpose=purpose, code=form.cleaned_data["code"], ip=client_ip(request))
        except (services.CodeWrong, services.CodeExpired, services.RateLimited) as error:
            message, code_dead = _code_error(error)
            form.add_error(None, message)
            status = 429 if isinstance(error, services.RateLimited) else 200
        else:
            next_url = request.session.get(SESSION_NEXT, "")
            auth_login(request, user, backend=BACKEND)
            for key in (SESSION_PHONE, SESSION_PURPOSE, SESSION_NEXT):
                request.session.pop(key, None)
            if purpose == OtpChallenge.Purpose.SIGNUP:
                return redirect("registry:onboard")
            return redirect(next_url or "home")
    context = {
        "form": form,
        "phone_display": display_phone(phone),
        "purpose": purpose,
        "signup": purpose == OtpChallenge.Purpose.SIGNUP,
        "code_dead": code_dead,
    }
    return render(request, "accounts/verify.html", context, status=status)


@require_POST
def resend(request):
    phone = request.session.get(SESSION_PHONE)
    purpose = request.session.get(SESSION_PURPOSE)
    if not phone or purpose not in OtpChallenge.Purpose.values:
        return redirect("accounts:login")
    error = _send_code(request, phone=phone, purpose=purpose)
    if error is None:
        messages.success(request, _("Kode baru sudah dikirim. Kode yang lama tidak berlaku lagi."))
    else:
        messages.error(request, error[0])
    return redirect("accounts:verify")


@login_required
@require_http_methods(["GET", "POST"])
def password_set(request):
    form = SetPasswordForm(request.user, request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        user = services.user_set_password(user=request.user, password=form.cleaned_data["new_password1"])
        # Changing the password ends other sessions; keep this one.
        update_session_auth_hash(request, user)
        messages.success(request, _("Kata sandi tersimpan. Anda bisa masuk dengan nomor HP dan kata sandi ini."))
        return redirect("home")
    return render(request, "accounts/password_set.html", {"form": form})
