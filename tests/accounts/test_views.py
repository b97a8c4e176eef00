import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import assume, given
from hypothesis import settings as examples
from hypothesis import strategies as st

from naikkelas.accounts import services
from naikkelas.accounts.models import OtpChallenge, User
from naikkelas.accounts.phones import normalize_mobile
from tests.accounts.conftest import last_code, wrong_code

pytestmark = pytest.mark.django_db

PHONE = "+6281234567890"
STRONG = "kopi-tubruk-sleman-77"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def page(response) -> str:
    return response.content.decode()


def start(client, purpose="signup", phone="0812-3456-7890"):
    url = reverse("accounts:signup" if purpose == "signup" else "accounts:login")
    return client.post(url, {"phone": phone})


def test_signup_by_code_logs_in_and_goes_to_onboarding(client, sms_outbox):
    # Given the sign-up page
    assert "Langkah 1 dari 3" in page(client.get(reverse("accounts:signup")))
    # When a phone number is sent, then the code page follows, and the number is not in the URL
    response = start(client)
    assert response.status_code == 302
    assert response.url == reverse("accounts:verify")
    verify_page = page(client.get(response.url))
    assert "0812-3456-7890" in verify_page
    assert "Langkah 2 dari 3" in verify_page
    # When the code from the SMS is typed, then the new owner is logged in on the onboarding page
    response = client.post(reverse("accounts:verify"), {"code": last_code(sms_outbox, PHONE)})
    assert response.status_code == 302
    assert response.url == reverse("registry:onboard")
    user = User.objects.get(phone=PHONE)
    assert int(client.session["_auth_user_id"]) == user.pk
    assert "accounts_otp_phone" not in client.session


def test_signup_rejects_an_invalid_number_with_a_message(client, sms_outbox):
    response = start(client, phone="12345")
    assert response.status_code == 200
    assert "Nomor HP tidak dikenali. Contoh: 0812-3456-7890." in page(response)
    assert sms_outbox == [] and not OtpChallenge.objects.exists()


def test_verify_code_accepts_spaces_and_rejects_letters(client, sms_outbox):
    start(client)
    response = client.post(reverse("accounts:verify"), {"code": "12a456"})
    assert "Kode terdiri dari 6 angka." in page(response)
    assert OtpChallenge.objects.get().attempts == 0
    code = last_code(sms_outbox, PHONE)
    response = client.post(reverse("accounts:verify"), {"code": f"{code[:3]} {code[3:]}"})
    assert response.url == reverse("registry:onboard")


def test_wrong_code_says_how_many_attempts_are_left(client, sms_outbox):
    start(client)
    code = last_code(sms_outbox, PHONE)
    response = client.post(reverse("accounts:verify"), {"code": wrong_code(code)})
    assert response.status_code == 200
    assert "Kode salah. Sisa 4 kali percobaan." in page(response)
    assert "_auth_user_id" not in client.session


def test_fifth_wrong_code_asks_for_a_new_one(client, sms_outbox):
    start(client)
    code = last_code(sms_outbox, PHONE)
    for _ in range(5):
        response = client.post(reverse("accounts:verify"), {"code": wrong_code(code)})
    assert "Minta kode baru" in page(response)
    response = client.post(reverse("accounts:verify"), {"code": code})
    assert "sudah 5 kali dicoba" in page(response)
    assert "_auth_user_id" not in client.session


def test_expired_code_offers_to_send_a_new_one(client, sms_outbox):
    # Given a code that has expired
    start(client)
    code = last_code(sms_outbox, PHONE)
    OtpChallenge.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    # When it is typed, then the page says so and offers "Kirim ulang kode" as the main button
    response = client.post(reverse("accounts:verify"), {"code": code})
    body = page(response)
    assert "Kode sudah kedaluwarsa" in body
    assert re.search(r'action="/akun/kode/kirim-ulang/".*?<button type="submit" class="primary">Kirim ulang kode', body, re.S)
    assert "_auth_user_id" not in client.session
    # When a new code is asked for and typed, then the owner gets in
    response = client.post(reverse("accounts:resend"))
    assert response.url == reverse("accounts:verify")
    assert "Kode baru sudah dikirim" in page(client.get(response.url))
    response = client.post(reverse("accounts:verify"), {"code": last_code(sms_outbox, PHONE)})
    assert response.url == reverse("registry:onboard")


def test_too_many_code_requests_say_when_to_try_again(client, sms_outbox):
    for _ in range(3):
        start(client)
    response = start(client)
    assert response.status_code == 429
    body = page(response)
    assert re.search(r"Terlalu banyak permintaan. Coba lagi pukul \d{1,2}\.\d{2} WIB \(sekitar \d+ menit lagi\)", body)
    assert len(sms_outbox) == 3


def test_resend_beyond_the_limit_shows_the_message_on_the_code_page(client, sms_outbox):
    start(client)
    client.post(reverse("accounts:resend"))
    client.post(reverse("accounts:resend"))
    response = client.post(reverse("accounts:resend"), follow=True)
    assert "Terlalu banyak permintaan" in page(response)
    assert len(sms_outbox) == 3
    # The last code sent still works
    response = client.post(reverse("accounts:verify"), {"code": last_code(sms_outbox, PHONE)})
    assert response.url == reverse("registry:onboard")


def test_verify_without_a_phone_in_the_session_goes_back_to_login(client):
    response = client.get(reverse("accounts:verify"))
    assert response.url == reverse("accounts:login")
    assert client.post(reverse("accounts:resend")).url == reverse("accounts:login")


def test_login_for_unknown_and_known_number_looks_the_same(client, sms_outbox):
    def attempt():
        client.cookies.clear()
        first = start(client, purpose="login")
        code_page = client.get(first.url)
        wrong = client.post(reverse("accounts:verify"), {"code": "000000"})
        return [(r.status_code, r.get("Location"), CSRF.sub("", page(r))) for r in (first, code_page, wrong)]

    # Given the same number, first without an account and then with one
    unknown = attempt()
    User.objects.create_user(PHONE)
    known = attempt()
    # Then every response is the same, apart from the CSRF token
    assert unknown == known
    assert unknown[0][:2] == (302, reverse("accounts:verify"))
    assert "Kode salah" in unknown[2][2]
    # Only the SMS differs: a sign-up hint to the unknown number, a code to the known one
    assert "belum terdaftar" in sms_outbox[0]["text"]
    assert re.search(r"\d{6}", sms_outbox[1]["text"])


def test_login_by_code_goes_home_or_to_next(client, sms_outbox):
    User.objects.create_user(PHONE)
    client.post(reverse("accounts:login"), {"phone": "0812 3456 7890", "next": "/usaha/saya/kesiapan/"})
    response = client.post(reverse("accounts:verify"), {"code": last_code(sms_outbox, PHONE)})
    assert response.url == "/usaha/saya/kesiapan/"


def test_login_ignores_a_next_on_another_site(client, sms_outbox):
    User.objects.create_user(PHONE)
    client.post(reverse("accounts:login"), {"phone": "0812 3456 7890", "next": "https://evil.example/"})
    response = client.post(reverse("accounts:verify"), {"code": last_code(sms_outbox, PHONE)})
    assert response.url == reverse("home")


def test_login_page_offers_password_login(client):
    body = page(client.get(reverse("accounts:login")))
    assert "Masuk dengan kata sandi" in body
    assert 'action="/akun/masuk/sandi/"' in body


def test_password_login_works_for_an_officer(client):
    services.user_create(actor=None, phone="0812-1111-2222", role="officer", password=STRONG, region_codes=["34"])
    response = client.post(reverse("accounts:password_login"), {"phone": "0812 1111 2222", "password": STRONG})
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert client.session["_auth_user_id"]


def test_password_login_refuses_a_wrong_password_without_saying_which_part(client):
    services.user_create(actor=None, phone="0812-1111-2222", role="officer", password=STRONG, region_codes=["34"])
    wrong_password = client.post(reverse("accounts:password_login"), {"phone": "081211112222", "password": "salah"})
    unknown_phone = client.post(reverse("accounts:password_login"), {"phone": "081299992222", "password": "salah"})
    for response in (wrong_password, unknown_phone):
        assert response.status_code == 200
        assert "Nomor HP atau kata sandi salah." in page(response)
    assert "_auth_user_id" not in client.session


def test_password_login_refuses_an_owner_without_password(client):
    User.objects.create_user(PHONE)
    response = client.post(reverse("accounts:password_login"), {"phone": PHONE, "password": ""})
    assert "Isi kata sandi Anda." in page(response)
    assert "_auth_user_id" not in client.session


def test_owner_can_add_a_password_and_then_log_in_with_it(client):
    owner = User.objects.create_user(PHONE)
    client.force_login(owner)
    response = client.post(reverse("accounts:password_set"), {"new_password1": STRONG, "new_password2": STRONG})
    assert response.status_code == 302
    client.post(reverse("accounts:logout"))
    assert "_auth_user_id" not in client.session
    client.post(reverse("accounts:password_login"), {"phone": "0812-3456-7890", "password": STRONG})
    assert int(client.session["_auth_user_id"]) == owner.pk


def test_password_page_refuses_anonymous_visitors(client):
    response = client.get(reverse("accounts:password_set"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_logout_needs_post(client):
    owner = User.objects.create_user(PHONE)
    client.force_login(owner)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.session["_auth_user_id"]
    response = client.post(reverse("accounts:logout"))
    assert response.url == reverse("home")
    assert "_auth_user_id" not in client.session


@given(st.text(max_size=40))
@examples(max_examples=60, deadline=None)
def test_signup_answers_any_text_with_a_message_and_writes_nothing(raw):
    try:
        normalize_mobile(raw)
    except ValidationError:
        pass
    else:
        assume(False)
    response = Client().post(reverse("accounts:signup"), {"phone": raw})
    assert response.status_code == 200
    assert b'class="errorlist"' in response.content
    assert not OtpChallenge.objects.exists()


@given(st.text(max_size=30))
@examples(max_examples=60, deadline=None)
def test_verify_answers_any_text_without_crashing(raw):
    # Given a code sent (once: the examples share the database) and a visitor at the code step
    if not OtpChallenge.objects.exists():
        services.otp_request(phone=PHONE, purpose="signup", ip="127.0.0.1")
    client = Client()
    session = client.session
    session.update({"accounts_otp_phone": PHONE, "accounts_otp_purpose": "signup"})
    session.save()
    # When anything at all is typed as the code, then the page answers with a message
    response = client.post(reverse("accounts:verify"), {"code": raw})
    assert response.status_code == 200
    assert b'class="errorlist"' in response.content


class BrokenProvider:
    def send(self, phone, text):
        from naikkelas.accounts.sms import SmsError

        raise SmsError("provider down")


def test_signup_says_so_when_the_sms_cannot_be_sent(client, settings):
    settings.SMS_BACKEND = f"{__name__}.BrokenProvider"
    response = start(client)
    assert response.status_code == 503
    assert "SMS belum bisa dikirim. Coba lagi sebentar lagi." in page(response)
    assert "accounts_otp_phone" not in client.session


def test_signup_without_a_phone_asks_for_one(client, sms_outbox):
    response = client.post(reverse("accounts:signup"), {})
    assert "Isi nomor HP Anda." in page(response)
    assert sms_outbox == []
