"""registry.services.business_erase: what an owner's account deletion does to the registry record."""

import pytest

from naikkelas.registry import services
from naikkelas.registry.models import Business, Consent, ReadinessAssessment
from tests.registry.factories import make_business, make_owner

pytestmark = pytest.mark.django_db

ANSWERS = {"nib": "yes", "catalogue": "no", "payments": ["cash"], "channels": ["whatsapp"], "books": "paper", "bank": "no"}


def test_the_record_stays_marked_with_no_personal_data_and_the_registry_consent_withdrawn():
    owner = make_owner(name="Sri Rahayu")
    business = make_business(
        owner=owner, name="Warung Bu Sri", owner_name="Sri Rahayu", phone=owner.phone, address="Jl. Kaliurang 5",
        nib="1234567890123", nik="3404074501800001", external_ref="DINAS-7", capital=5_000_000, sector_code="10794",
    )
    services.readiness_record(actor=owner, business=business, answers=ANSWERS)

    services.business_erase(actor=owner, business=business)

    business = Business.objects.get(pk=business.pk)
    assert (business.name, business.slug, business.owner) == (services.ERASED_NAME, f"dihapus-{business.pk}", None)
    assert [business.owner_name, business.phone, business.address, business.nib, business.nik_ciphertext,
            business.nik_hash, business.nik_masked, business.external_ref, business.capital] == [
        "", "", "", "", "", "", "", None, None,
    ]
    # What the programme counts stays.
    assert (business.village_id, business.sector_id, business.readiness_level) == ("34.04.07.2001", "10794", 1)
    assert not ReadinessAssessment.objects.filter(business=business).exists()
    assert Consent.objects.filter(business=business, purpose="registry").first().granted is False
