import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from naikkelas.core.models import AuditLog
from naikkelas.registry.models import Business, Consent
from tests.registry.factories import CATURTUNGGAL, SLEMAN, make_business, make_imported, make_officer, make_owner

pytestmark = pytest.mark.django_db
ONBOARD = reverse("registry:onboard")
CLAIM = reverse("registry:claim")


def _form(**changes):
    data = {
        "name": "Warung Bu Sri",
        "sector": "47112",
        "sector_q": "",
        "village_province": "34",
        "village_regency": "34.04",
        "village_district": "34.04.07",
        "village_village": CATURTUNGGAL,
        "village_q": "",
        "consent": "on",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def owner_client(client):
    owner = make_owner()
    client.force_login(owner)
    client.owner = owner
    return client


def test_onboard_shows_the_last_screen_in_indonesian(owner_client):
    response = owner_client.get(ONBOARD)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Langkah 3 dari 3" in body
    assert "Nama usaha" in body and "Jenis usaha" in body and "Desa/Kelurahan" in body
    assert "Warung / toko kelontong" in body


def test_onboard_registers_the_business_with_consent_and_lands_on_the_owner_home(owner_client):
    response = owner_client.post(ONBOARD, _form())
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:owner_home")
    business = Business.objects.get(owner=owner_client.owner)
    assert (business.name, business.village_id, business.sector_id) == ("Warung Bu Sri", CATURTUNGGAL, "47112")
    assert Consent.objects.get(business=business).version == "2025-1"


def test_onboard_accepts_a_village_found_by_search(owner_client):
    data = _form(village_province="", village_regency=None, village_district=None, village_village=None)
    data.update(village_q="caturtunggal", village_found=CATURTUNGGAL)
    assert owner_client.post(ONBOARD, data).status_code == 302
    assert Business.objects.get(owner=owner_client.owner).village_id == CATURTUNGGAL


@pytest.mark.parametrize(
    ("changes", "field_error"),
    [
        ({"name": "   "}, "Tulis nama usaha Anda."),
        ({"sector": ""}, "Pilih jenis usaha Anda."),
        ({"village_village": ""}, "Pilih sampai desa/kelurahan."),
        (
            {"village_province": "", "village_regency": "", "village_district": "", "village_village": ""},
            "Pilih desa/kelurahan tempat usaha Anda.",
        ),
        ({"consent": None}, "Centang persetujuan untuk melanjutkan."),
        ({"village_village": "33.74.01.1001"}, "Pilih sampai desa/kelurahan."),
        ({"village_found": "34.04.07"}, "Pilih sampai desa/kelurahan."),
        ({"village_found": "99.99.99.9999", "village_province": ""}, "Wilayah tidak dikenali. Pilih dari daftar."),
    ],
)
def test_onboard_rejects_bad_input_with_an_indonesian_message_and_writes_nothing(owner_client, changes, field_error):
    response = owner_client.post(ONBOARD, _form(**changes))
    assert response.status_code == 200
    assert field_error in response.content.decode()
    assert not Business.objects.exists()
    assert not AuditLog.objects.exists()


def test_onboard_lanjut_button_reloads_with_the_next_level_without_errors_or_writes(owner_client):
    data = {"name": "Warung", "sector": "47112", "village_province": "34", "village_step": "lanjut"}
    response = owner_client.post(ONBOARD, data)
    body = response.content.decode()
    assert response.status_code == 200
    assert 'value="34.04"' in body  # Sleman is now offered
    assert 'value="Warung"' in body  # what was typed is kept
    assert "errorlist" not in body
    assert not Business.objects.exists()


def test_onboard_lainnya_finds_kbli_entries_and_stores_the_chosen_one(owner_client):
    reload = owner_client.post(ONBOARD, _form(sector="lainnya", sector_q="reparasi alas kaki", sector_step="cari"))
    body = reload.content.decode()
    assert "errorlist" not in body
    assert 'value="95230"' in body and "Reparasi Alas Kaki Dan Barang Dari Kulit" in body
    assert not Business.objects.exists()
    response = owner_client.post(ONBOARD, _form(sector="lainnya", sector_q="reparasi alas kaki", sector_code="95230"))
    assert response.status_code == 302
    assert Business.objects.get(owner=owner_client.owner).sector_id == "95230"


def test_onboard_lainnya_without_a_match_registers_without_a_sector(owner_client):
    assert owner_client.post(ONBOARD, _form(sector="lainnya", sector_q="zzzz")).status_code == 302
    assert Business.objects.get(owner=owner_client.owner).sector_id is None


def test_onboard_rejects_a_forged_kbli_code(owner_client):
    response = owner_client.post(ONBOARD, _form(sector="lainnya", sector_code="ZZ999"))
    assert response.status_code == 200
    assert not Business.objects.exists()


def test_onboard_sends_an_owner_who_already_has_a_business_home(owner_client):
    make_business(owner=owner_client.owner)
    response = owner_client.get(ONBOARD)
    assert response.status_code == 302 and response["Location"] == reverse("registry:owner_home")
    owner_client.post(ONBOARD, _form(name="Usaha Kedua"))
    assert Business.objects.filter(owner=owner_client.owner).count() == 1


def test_onboard_first_offers_businesses_imported_with_the_owners_phone(owner_client):
    make_imported(phone=owner_client.owner.phone)
    response = owner_client.get(ONBOARD)
    assert response.status_code == 302 and response["Location"] == CLAIM


def test_onboard_refuses_officers_and_sends_anonymous_visitors_to_log_in(client):
    officer = make_officer(SLEMAN)
    client.force_login(officer)
    assert client.get(ONBOARD).status_code == 404
    assert client.post(ONBOARD, _form()).status_code == 404
    assert not Business.objects.exists()
    client.logout()
    response = client.get(ONBOARD)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_claim_asks_apakah_ini_usaha_anda_with_the_business_details(owner_client):
    make_imported(phone=owner_client.owner.phone, name="Keripik Pak Joko", address="Jl. Kaliurang km 5")
    body = owner_client.get(CLAIM).content.decode()
    assert "Apakah ini usaha Anda?" in body
    assert "Keripik Pak Joko" in body and "Jl. Kaliurang km 5" in body
    assert "Caturtunggal, Depok, Sleman, DI Yogyakarta" in body


def test_claim_yes_needs_consent_then_makes_the_owner_the_owner(owner_client):
    imported = make_imported(phone=owner_client.owner.phone)
    refused = owner_client.post(CLAIM, {"business_id": imported.pk, "answer": "ya"})
    assert refused.status_code == 200
    assert "Centang persetujuan" in refused.content.decode()
    imported.refresh_from_db()
    assert imported.owner is None
    accepted = owner_client.post(CLAIM, {"business_id": imported.pk, "answer": "ya", "consent": "on"})
    assert accepted.status_code == 302
    imported.refresh_from_db()
    assert imported.owner == owner_client.owner
    assert imported.consents.filter(purpose="registry", version="2025-1").exists()
    # Nothing left to claim: the owner goes home.
    assert owner_client.get(CLAIM)["Location"] == reverse("registry:owner_home")


def test_claim_no_leaves_the_business_alone_and_moves_on_to_onboarding(owner_client):
    imported = make_imported(phone=owner_client.owner.phone)
    response = owner_client.post(CLAIM, {"business_id": imported.pk, "answer": "bukan"})
    assert response.status_code == 302
    imported.refresh_from_db()
    assert imported.owner is None
    assert owner_client.get(CLAIM)["Location"] == ONBOARD
    assert owner_client.get(ONBOARD).status_code == 200


def test_claim_refuses_a_business_that_is_not_the_owners_to_claim(owner_client):
    make_imported(phone=owner_client.owner.phone)
    other = make_imported(phone="+6281311112222", name="Punya orang lain")
    response = owner_client.post(CLAIM, {"business_id": other.pk, "answer": "ya", "consent": "on"})
    assert response.status_code == 200
    assert "tidak bisa diklaim" in response.content.decode()
    other.refresh_from_db()
    assert other.owner is None


def test_claim_refuses_officers(client):
    officer = make_officer(SLEMAN)
    imported = make_imported(phone=officer.phone)
    client.force_login(officer)
    assert client.get(CLAIM).status_code == 404
    assert client.post(CLAIM, {"business_id": imported.pk, "answer": "ya", "consent": "on"}).status_code == 404
    imported.refresh_from_db()
    assert imported.owner is None


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.text(max_size=200))
def test_onboard_any_business_name_is_saved_cleanly_or_refused_with_a_message(client, name):
    owner = make_owner()
    client.force_login(owner)
    response = client.post(ONBOARD, _form(name=name))
    business = Business.objects.filter(owner=owner).first()
    if response.status_code == 302:
        assert business is not None
        assert business.name == " ".join(name.split()) and business.name
    else:
        assert response.status_code == 200
        assert business is None
        assert "errorlist" in response.content.decode()


def test_every_plain_sector_choice_is_a_kbli_kelompok():
    from naikkelas.regions.selectors import sector_kelompok
    from naikkelas.registry.forms import SECTOR_CHOICES

    missing = [code for code, _label in SECTOR_CHOICES if sector_kelompok(code) is None]
    assert missing == []
