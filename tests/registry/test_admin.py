import pytest
from django.urls import reverse

from naikkelas.core.models import AuditLog
from naikkelas.registry.models import Business
from naikkelas.registry.services import readiness_record
from tests.registry.factories import CATURTUNGGAL, KRICAK, SLEMAN, make_admin, make_business, make_officer, make_owner

pytestmark = pytest.mark.django_db
NIK = "3471140209790001"


@pytest.fixture
def admin_client(client):
    admin = make_admin()
    client.force_login(admin)
    client.user = admin
    return client


def _change_url(business):
    return reverse("admin:registry_business_change", args=[business.pk])


def _form_data(business, **changes):
    data = {
        "name": business.name,
        "slug": business.slug,
        "owner": business.owner_id or "",
        "owner_name": business.owner_name,
        "external_ref": business.external_ref or "",
        "nib": business.nib,
        "phone": business.phone,
        "address": business.address,
        "village": business.village_id,
        "sector": business.sector_id or "",
        "founded_year": "",
        "employees": "",
        "capital": "",
        "annual_sales": "" if business.annual_sales is None else business.annual_sales,
        "owner_birth_year": "",
        "channels": "[]",
        "marketplaces": "[]",
        "payment_methods": "[]",
        "has_bank_account": "unknown",
        "readiness_level": "",
        "source": business.source,
        "import_batch": "",
        "created_at_0": "2025-01-02",
        "created_at_1": "10:00:00",
        "new_nik": "",
    }
    data.update(changes)
    return data


def test_admin_business_list_and_form_never_send_the_villages_as_a_select(admin_client):
    business = make_business()
    assert admin_client.get(reverse("admin:registry_business_changelist")).status_code == 200
    response = admin_client.get(_change_url(business))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'name="village"' in body and 'class="vForeignKeyRawIdAdminField"' in body
    assert body.count("<option") < 100


def test_admin_change_writes_an_audit_row_with_the_changed_fields(admin_client):
    business = make_business(annual_sales=100_000_000)
    data = _form_data(business, name="Warung Sri Rejeki", village=KRICAK, annual_sales="3000000000")
    response = admin_client.post(_change_url(business), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    entry = AuditLog.objects.get(action="business.admin_change")
    assert entry.actor == admin_client.user
    assert entry.changes["name"] == ["Warung Bu Sri", "Warung Sri Rejeki"]
    assert entry.changes["village_id"] == [CATURTUNGGAL, KRICAK]
    assert entry.changes["size_class"] == ["micro", "small"]
    business.refresh_from_db()
    assert business.size_class == "small"


def test_admin_sets_a_nik_that_is_stored_encrypted_shown_masked_and_kept_out_of_the_audit_log(admin_client):
    business = make_business()
    admin_client.post(_change_url(business), _form_data(business, new_nik=NIK))
    business.refresh_from_db()
    assert business.nik_masked == "3471********0001"
    entry = AuditLog.objects.get(action="business.admin_change")
    assert entry.changes == {"nik": "diubah"}
    body = admin_client.get(_change_url(business)).content.decode()
    assert "3471********0001" in body and NIK not in body


def test_admin_rejects_an_invalid_nik_with_a_message_and_changes_nothing(admin_client):
    business = make_business()
    response = admin_client.post(_change_url(business), _form_data(business, new_nik="1234"))
    assert response.status_code == 200
    assert "NIK tidak valid" in response.content.decode()
    business.refresh_from_db()
    assert business.nik_masked == ""
    assert not AuditLog.objects.filter(action="business.admin_change").exists()


def test_admin_finds_a_business_by_nik_through_its_hash(admin_client):
    make_business(nik=NIK, name="Warung Ber-NIK")
    make_business(name="Warung Lain")
    body = admin_client.get(reverse("admin:registry_business_changelist"), {"q": NIK}).content.decode()
    assert "Warung Ber-NIK" in body and "Warung Lain" not in body


def test_admin_add_and_delete_are_audited(admin_client):
    response = admin_client.post(
        reverse("admin:registry_business_add"),
        _form_data(Business(name="Toko Baru", slug="", village_id=CATURTUNGGAL, source="admin")),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    business = Business.objects.get(name="Toko Baru")
    assert business.slug == "toko-baru"
    assert AuditLog.objects.filter(action="business.admin_add", object_id=str(business.pk)).exists()
    admin_client.post(reverse("admin:registry_business_delete", args=[business.pk]), {"post": "yes"})
    assert not Business.objects.filter(pk=business.pk).exists()
    assert AuditLog.objects.filter(action="business.admin_delete", object_id=str(business.pk)).exists()


def test_admin_bulk_delete_audits_each_business(admin_client):
    businesses = [make_business(name=f"Usaha {n}") for n in range(3)]
    admin_client.post(
        reverse("admin:registry_business_changelist"),
        {"action": "delete_selected", "_selected_action": [b.pk for b in businesses], "post": "yes"},
    )
    assert not Business.objects.exists()
    assert AuditLog.objects.filter(action="business.admin_delete").count() == 3


def test_admin_evidence_records_are_read_only(admin_client):
    owner = make_owner()
    business = make_business(owner=owner)
    assessment = readiness_record(
        actor=owner,
        business=business,
        answers={"nib": "no", "catalogue": "no", "payments": [], "channels": [], "books": "none", "bank": "no"},
    )
    assert admin_client.get(reverse("admin:core_auditlog_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:core_auditlog_add")).status_code == 403
    assert admin_client.get(reverse("admin:registry_consent_add")).status_code == 403
    change = reverse("admin:registry_readinessassessment_change", args=[assessment.pk])
    assert admin_client.get(change).status_code == 200
    admin_client.post(change, {"level": 4})
    assessment.refresh_from_db()
    assert assessment.level == 0


@pytest.mark.parametrize("make", [make_owner, lambda: make_officer(SLEMAN)])
def test_admin_refuses_everyone_but_admins(client, make):
    business = make_business()
    client.force_login(make())
    for url in (reverse("admin:index"), _change_url(business), reverse("admin:core_auditlog_changelist")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    client.post(_change_url(business), _form_data(business, name="Diubah"))
    business.refresh_from_db()
    assert business.name == "Warung Bu Sri"


def test_admin_filters_businesses_by_province(admin_client):
    make_business(name="Warung Sleman")
    make_business(village="33.74.01.1001", name="Warung Semarang")
    body = admin_client.get(reverse("admin:registry_business_changelist"), {"provinsi": "34"}).content.decode()
    assert "Warung Sleman" in body and "Warung Semarang" not in body
