import pytest
from django.core.exceptions import ValidationError

from naikkelas.core.models import AuditLog
from naikkelas.registry import services
from naikkelas.registry.models import Business, Consent, ReadinessAssessment, Source
from tests.registry.factories import (
    CATURTUNGGAL,
    KRICAK,
    SLEMAN,
    make_admin,
    make_business,
    make_imported,
    make_officer,
    make_owner,
)

pytestmark = pytest.mark.django_db

ANSWERS = {
    "nib": "yes",
    "catalogue": "yes",
    "payments": ["cash", "qris"],
    "channels": ["offline"],
    "books": "paper",
    "bank": "yes",
}
NIK = "3471140209790001"


def _audit(business, action):
    return AuditLog.objects.filter(object_type="registry.business", object_id=str(business.pk), action=action)


def test_business_onboard_creates_the_owners_business_with_consent_and_an_audit_row():
    owner = make_owner(name="Sri")
    business = services.business_onboard(
        actor=owner, name="  Warung Bu Sri ", village_code=CATURTUNGGAL, sector_code="47112"
    )
    assert (business.owner, business.phone, business.owner_name) == (owner, owner.phone, "Sri")
    assert business.source == Source.SIGNUP
    assert business.name == "Warung Bu Sri"
    consent = business.consents.get()
    assert (consent.purpose, consent.version, consent.granted, consent.by) == ("registry", "2025-1", True, owner)
    assert _audit(business, "business.create").exists()
    assert _audit(business, "consent.grant").exists()


def test_business_onboard_refuses_an_officer_and_writes_nothing():
    with pytest.raises(ValidationError):
        services.business_onboard(actor=make_officer(SLEMAN), name="Warung", village_code=CATURTUNGGAL)
    assert not Business.objects.exists()
    assert not Consent.objects.exists()


def test_business_onboard_rejects_an_unknown_village_and_writes_nothing():
    owner = make_owner()
    with pytest.raises(ValidationError):
        services.business_onboard(actor=owner, name="Warung", village_code="99.99.99.9999")
    assert not Business.objects.exists()
    assert not AuditLog.objects.exists()


def test_business_update_records_old_and_new_values_and_recomputes_the_size_class():
    admin = make_admin()
    business = make_business(annual_sales=100_000_000)
    services.business_update(actor=admin, business=business, name="Warung Sri Rejeki", annual_sales=3_000_000_000)
    business.refresh_from_db()
    assert (business.name, business.size_class) == ("Warung Sri Rejeki", "small")
    changes = _audit(business, "business.update").get().changes
    assert changes["name"] == ["Warung Bu Sri", "Warung Sri Rejeki"]
    assert changes["size_class"] == ["micro", "small"]


def test_business_update_stores_a_nik_encrypted_and_never_writes_it_to_the_audit_log():
    business = make_business()
    services.business_update(actor=make_admin(), business=business, nik=NIK)
    business.refresh_from_db()
    assert business.nik_masked == "3471********0001"
    assert NIK not in business.nik_ciphertext
    changes = _audit(business, "business.update").get().changes
    assert changes == {"nik": "diubah"}
    assert NIK not in str(changes)


def test_business_update_moves_a_business_to_another_village_and_rejects_bad_values():
    business = make_business()
    services.business_update(actor=None, business=business, village_code=KRICAK)
    assert Business.objects.get(pk=business.pk).village_id == KRICAK
    with pytest.raises(ValidationError):
        services.business_update(actor=None, business=business, village_code="99.99.99.9999")
    with pytest.raises(ValidationError):
        services.business_update(actor=None, business=business, name="x" * 161)
    assert Business.objects.get(pk=business.pk).village_id == KRICAK
    assert AuditLog.objects.filter(action="business.update").count() == 1


def test_business_update_without_changes_writes_no_audit_row():
    business = make_business()
    services.business_update(actor=None, business=business, name="Warung Bu Sri")
    assert not _audit(business, "business.update").exists()


def test_business_claim_makes_the_owner_the_owner_and_records_consent():
    owner = make_owner()
    imported = make_imported(phone=owner.phone)
    claimed = services.business_claim(actor=owner, business_id=imported.pk)
    assert claimed.owner == owner
    assert claimed.consents.filter(purpose="registry", granted=True, by=owner).exists()
    assert _audit(claimed, "business.claim").get().actor == owner


@pytest.mark.parametrize("case", ["other_phone", "already_owned", "officer"])
def test_business_claim_refuses_what_is_not_the_actors_to_claim(case):
    owner = make_owner()
    if case == "other_phone":
        business = make_imported(phone="+6281311112222")
        actor = owner
    elif case == "already_owned":
        business = make_business(owner=make_owner(), phone=owner.phone)
        actor = owner
    else:
        actor = make_officer(SLEMAN)
        business = make_imported(phone=actor.phone)
    before = business.owner_id
    with pytest.raises(ValidationError):
        services.business_claim(actor=actor, business_id=business.pk)
    business.refresh_from_db()
    assert business.owner_id == before
    assert not business.consents.exists()


def test_business_claim_second_claim_of_the_same_business_fails():
    owner = make_owner()
    imported = make_imported(phone=owner.phone)
    services.business_claim(actor=owner, business_id=imported.pk)
    with pytest.raises(ValidationError):
        services.business_claim(actor=owner, business_id=imported.pk)
    assert imported.consents.count() == 1


def test_business_claim_decline_changes_nothing_but_is_remembered():
    owner = make_owner()
    imported = make_imported(phone=owner.phone)
    services.business_claim_decline(actor=owner, business_id=imported.pk)
    imported.refresh_from_db()
    assert imported.owner is None
    assert _audit(imported, "business.claim_declined").get().actor == owner
    with pytest.raises(ValidationError):
        services.business_claim_decline(actor=make_owner(), business_id=imported.pk)


def test_readiness_record_keeps_history_and_updates_the_business():
    owner = make_owner()
    business = make_business(owner=owner)
    first = services.readiness_record(actor=owner, business=business, answers={**ANSWERS, "payments": ["cash"]})
    second = services.readiness_record(actor=owner, business=business, answers=ANSWERS)
    assert (first.level, second.level) == (2, 3)
    business.refresh_from_db()
    assert business.readiness_level == 3
    assert business.payment_methods == ["cash", "qris"]
    assert business.channels == ["offline"]
    assert business.has_bank_account is True
    assert business.assessments.count() == 2
    assert _audit(business, "business.readiness").count() == 2


def test_readiness_record_rejects_incomplete_answers_and_writes_nothing():
    owner = make_owner()
    business = make_business(owner=owner)
    with pytest.raises(ValidationError) as caught:
        services.readiness_record(actor=owner, business=business, answers={**ANSWERS, "books": "abacus"})
    assert caught.value.messages == ["Jawab semua pertanyaan."]
    assert not ReadinessAssessment.objects.exists()
    business.refresh_from_db()
    assert business.readiness_level is None


def test_consent_record_can_record_a_withdrawal():
    owner = make_owner()
    business = make_business(owner=owner)
    services.consent_record(actor=owner, business=business, purpose="registry", version="2025-1", granted=False)
    assert business.consents.get().granted is False
    assert _audit(business, "consent.withdraw").exists()


def test_export_record_notes_who_exported_what():
    officer = make_officer(SLEMAN)
    entry = services.export_record(actor=officer, filters={"q": "warung", "region": ""}, rows=12)
    assert (entry.actor, entry.action) == (officer, "business.export")
    assert entry.changes == {"filters": {"q": "warung"}, "rows": 12}


def test_business_update_with_the_same_nik_again_is_not_a_change():
    business = make_business(nik=NIK)
    services.business_update(actor=None, business=business, nik=NIK)
    assert not _audit(business, "business.update").exists()
