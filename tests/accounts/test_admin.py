import pytest
from django.urls import reverse

from naikkelas.accounts import services
from naikkelas.accounts.models import OtpChallenge, User

pytestmark = pytest.mark.django_db

STRONG = "kopi-tubruk-sleman-77"


@pytest.fixture
def admin_client(client):
    admin = services.user_create(actor=None, phone="0812-9000-0001", role="admin", password=STRONG)
    client.force_login(admin)
    return client


def test_admin_lists_users_and_codes(admin_client):
    services.otp_request(phone="0812-3456-7890", purpose="signup", ip="127.0.0.1")
    assert admin_client.get(reverse("admin:accounts_user_changelist")).status_code == 200
    response = admin_client.get(reverse("admin:accounts_otpchallenge_changelist"))
    assert response.status_code == 200
    assert "+6281234567890" in response.content.decode()


def test_admin_user_form_does_not_list_every_region(admin_client):
    officer = services.user_create(
        actor=None, phone="0812-1111-2222", role="officer", password=STRONG, region_codes=["34"]
    )
    response = admin_client.get(reverse("admin:accounts_user_change", args=[officer.pk]))
    assert response.status_code == 200
    # A raw id box, not a select with 91,599 options
    assert response.content.decode().count("<option") < 500


def test_admin_add_form_refuses_an_officer_without_password(admin_client):
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {"phone": "0812-1111-2222", "name": "Pak Budi", "role": "officer", "regions": "34"},
    )
    assert response.status_code == 200
    assert "wajib memakai kata sandi" in response.content.decode()
    assert not User.objects.filter(phone="+6281211112222").exists()


def test_admin_add_form_creates_an_officer_with_password(admin_client):
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {"phone": "0812-1111-2222", "role": "officer", "regions": "34,34.71", "password1": STRONG, "password2": STRONG},
    )
    assert response.status_code == 302
    officer = User.objects.get(phone="+6281211112222")
    assert officer.check_password(STRONG)
    assert sorted(officer.regions.values_list("code", flat=True)) == ["34", "34.71"]


def test_admin_add_form_creates_an_owner_without_password(admin_client):
    response = admin_client.post(reverse("admin:accounts_user_add"), {"phone": "0812-1111-3333", "role": "owner"})
    assert response.status_code == 302
    assert not User.objects.get(phone="+6281211113333").has_usable_password()


def test_admin_cannot_edit_codes(admin_client):
    services.otp_request(phone="0812-3456-7890", purpose="signup", ip="127.0.0.1")
    challenge = OtpChallenge.objects.get()
    response = admin_client.get(reverse("admin:accounts_otpchallenge_change", args=[challenge.pk]))
    assert response.status_code == 200
    assert "code_hash" not in response.content.decode()
    assert admin_client.post(reverse("admin:accounts_otpchallenge_delete", args=[challenge.pk])).status_code == 403


def test_admin_site_refuses_officers(client):
    officer = services.user_create(
        actor=None, phone="0812-1111-2222", role="officer", password=STRONG, region_codes=["34"]
    )
    client.force_login(officer)
    response = client.get(reverse("admin:accounts_user_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response.url
