"""The owner sees what the registry holds about their business and corrects it (the right to rectification);
a NIK is never shown back, only replaced or removed; bad input is explained and nothing is written."""

import pytest
from django.urls import reverse
from django.utils import translation

from naikkelas.core import crypto
from naikkelas.core.models import AuditLog
from naikkelas.registry.identity import nik_read
from naikkelas.registry.models import Business
from naikkelas.registry.services import nik_fields
from tests.registry.factories import CATURTUNGGAL, KRICAK, SLEMAN, make_admin, make_business, make_officer, make_owner

pytestmark = pytest.mark.django_db

NIK, NEW_NIK = "3404071203900001", "3471015507850002"


@pytest.fixture
def business():
    business = make_business(owner=make_owner(), village=CATURTUNGGAL, name="Keripik Bu Tini")
    Business.objects.filter(pk=business.pk).update(**nik_fields(NIK))
    business.refresh_from_db()
    return business


def url(business):
    return reverse("registry:business_data", args=[business.pk])


def form_data(**overrides):
    data = {
        "name": "Keripik Bu Tini", "owner_name": "Tini Rahayu", "owner_birth_year": "1980", "phone": "0812-3456-7890",
        "address": "Jl. Kaliurang km 5",
        "village_province": "34", "village_regency": "34.71", "village_district": KRICAK[:8], "village_village": KRICAK, "nib": "1234567890123", "nik": "", "founded_year": "2015",
        "employees": "3", "capital": "25000000", "annual_sales": "120000000", "has_bank_account": "true",
    }
    return {**data, **overrides}


def test_the_owner_sees_the_data_with_the_nik_masked(client, business):
    client.force_login(business.owner)

    page = client.get(url(business)).content.decode()

    assert "Keripik Bu Tini" in page and business.nik_masked in page
    assert NIK not in page


def test_the_owner_corrects_it_and_the_change_is_audited(client, business):
    client.force_login(business.owner)

    response = client.post(url(business), form_data())

    assert response.status_code == 302
    business.refresh_from_db()
    assert (business.owner_name, business.phone, business.village_id, business.nib) == (
        "Tini Rahayu", "+6281234567890", KRICAK, "1234567890123"
    )
    assert (business.capital, business.annual_sales, business.has_bank_account) == (25_000_000, 120_000_000, True)
    assert business.size_class  # follows capital and sales
    assert crypto.decrypt(business.nik_ciphertext) == NIK  # an empty NIK field keeps the stored one
    change = AuditLog.objects.get(action="business.update", object_id=str(business.pk))
    assert change.actor == business.owner and "owner_name" in change.changes


def test_a_new_nik_is_stored_encrypted_and_removing_clears_it(client, business):
    client.force_login(business.owner)

    client.post(url(business), form_data(nik="3471 0155 0785 0002"))
    business.refresh_from_db()
    assert crypto.decrypt(business.nik_ciphertext) == NEW_NIK
    assert business.nik_hash == crypto.keyed_hash(NEW_NIK) and business.nik_masked == crypto.mask(NEW_NIK)
    assert NEW_NIK not in str(list(AuditLog.objects.values_list("changes", flat=True)))

    client.post(url(business), form_data(remove_nik="on"))
    business.refresh_from_db()
    assert (business.nik_ciphertext, business.nik_hash, business.nik_masked) == ("", "", "")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("nik", "3404071203", "NIK harus 16 angka."),
        ("nik", "9999991203900001", "NIK ini tidak sah"),
        ("phone", "12", "Nomor HP tidak dikenali"),
        ("nib", "12345", "NIB harus 13 angka."),
        ("owner_birth_year", "1850", "Tahun antara 1900"),
        ("capital", "-5", ""),
        ("name", "   ", "Tulis nama usaha Anda."),
    ],
)
def test_bad_input_is_explained_and_nothing_is_written(client, business, field, value, message):
    client.force_login(business.owner)
    before = Business.objects.filter(pk=business.pk).values().get()

    with translation.override("id"):
        response = client.post(url(business), form_data(**{field: value}))

    page = response.content.decode()
    assert response.status_code == 200 and message in page
    assert value.strip() == "" or field != "nik" or value not in page  # a typed NIK is not echoed back
    assert Business.objects.filter(pk=business.pk).values().get() == before
    assert not AuditLog.objects.filter(action="business.update").exists()


def test_both_a_new_nik_and_removal_is_refused(client, business):
    client.force_login(business.owner)
    with translation.override("id"):
        page = client.post(url(business), form_data(nik=NEW_NIK, remove_nik="on")).content.decode()
    assert "jangan keduanya" in page
    business.refresh_from_db()
    assert crypto.decrypt(business.nik_ciphertext) == NIK


@pytest.mark.parametrize("who", ["other owner", "officer", "admin"])
def test_nobody_else_sees_or_changes_it(client, business, who):
    client.force_login({"other owner": make_owner, "officer": lambda: make_officer(SLEMAN), "admin": make_admin}[who]())
    assert client.get(url(business)).status_code == 404
    assert client.post(url(business), form_data(owner_name="Orang Lain")).status_code == 404
    business.refresh_from_db()
    assert business.owner_name != "Orang Lain"


def test_the_owner_sees_when_and_why_their_full_nik_was_read(client, business):
    nik_read(actor=make_admin(), business_id=business.pk, reason="Surat Dinas Koperasi No. 500/123")
    client.force_login(business.owner)

    page = client.get(url(business)).content.decode()

    assert "Surat Dinas Koperasi No. 500/123" in page and NIK not in page
