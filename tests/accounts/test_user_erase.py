"""accounts.services.user_erase: the account goes with its codes, rate counters and sessions."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from naikkelas.accounts import services
from naikkelas.accounts.models import OtpChallenge, User
from naikkelas.core.models import RateCounter
from tests.registry.factories import make_owner

pytestmark = pytest.mark.django_db


def test_the_row_codes_counters_and_every_session_go_and_nobody_elses():
    owner, other = make_owner(), make_owner()
    services.otp_request(phone=owner.phone, purpose="login", ip="10.0.0.1")
    services.otp_request(phone=other.phone, purpose="login", ip="10.0.0.1")
    phone_device, laptop, others_device = Client(), Client(), Client()
    phone_device.force_login(owner)
    laptop.force_login(owner)
    others_device.force_login(other)

    services.user_erase(user=owner)

    assert not User.objects.filter(pk=owner.pk).exists()
    assert not OtpChallenge.objects.filter(phone=owner.phone).exists()
    assert not RateCounter.objects.filter(key__contains=owner.phone).exists()
    assert OtpChallenge.objects.filter(phone=other.phone).exists() and RateCounter.objects.filter(key__contains=other.phone).exists()
    assert Session.objects.count() == 1
    for device in (phone_device, laptop):
        assert device.get(reverse("registry:owner_home"))["Location"].startswith(reverse("accounts:login"))
    # The other owner is still signed in (sent on to register a business, not to the login page).
    assert not others_device.get(reverse("registry:owner_home")).get("Location", "").startswith(reverse("accounts:login"))
