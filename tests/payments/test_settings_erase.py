"""payments.services.payment_settings_erase: the shop's QRIS and bank account go."""

import pytest

from naikkelas.payments import services
from naikkelas.payments.models import PaymentSettings
from tests.registry.factories import make_business, make_owner

pytestmark = pytest.mark.django_db


def test_the_settings_go_once_and_a_second_call_finds_nothing():
    owner = make_owner()
    business = make_business(owner=owner)
    services.payment_settings_update(
        actor=owner, business=business, cod_enabled=True, bank_name="BRI", bank_account_number="0123456789",
        bank_account_holder="Sri Rahayu",
    )
    assert services.payment_settings_erase(actor=owner, business=business) is True
    assert not PaymentSettings.objects.filter(business=business).exists()
    assert services.payment_settings_erase(actor=owner, business=business) is False
