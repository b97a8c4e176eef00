"""An officer invites a region's businesses to share with a partner, through HTTP; only within their regions."""

import pytest
from django.urls import reverse

from naikkelas.partners.models import Partner, Share
from tests.partners.factories import make_partner_org, make_partner_with_user
from tests.registry.factories import CATURTUNGGAL, JATENG, KRICAK, SLEMAN, make_admin, make_business, make_officer, make_owner

pytestmark = pytest.mark.django_db
INVITE = reverse("partners:officer_invite")
LOGIN = reverse("accounts:login")
SLEMAN_PICKED = {"region_province": "34", "region_regency": SLEMAN}
KOTA_YOGYA_PICKED = {"region_province": "34", "region_regency": "34.71"}


@pytest.fixture
def officer(client):
    user = make_officer(SLEMAN)
    client.force_login(user)
    return user


@pytest.fixture
def partner():
    return make_partner_org("Pasar Nusantara")


@pytest.fixture
def places():
    """Two claimed businesses in Sleman, one not yet claimed there, one claimed in Kota Yogyakarta."""
    return {
        "sleman": [make_business(owner=make_owner(), name=f"Warung Sleman {n}") for n in (1, 2)],
        "unclaimed": make_business(name="Warung Tanpa Pemilik"),
        "kota": make_business(village=KRICAK, owner=make_owner(), name="Warung Kricak"),
    }


def body(response) -> str:
    return response.content.decode()


def test_an_officer_invites_the_claimed_businesses_of_a_region_and_sees_how_many(client, officer, partner, places):
    response = client.post(INVITE, {"partner": partner.pk, **SLEMAN_PICKED})
    assert response.status_code == 200
    page = body(response)
    assert "2 usaha di Sleman, DI Yogyakarta diundang berbagi dengan Pasar Nusantara." in page
    invited = Share.objects.filter(partner=partner)
    assert {share.business for share in invited} == set(places["sleman"])
    assert all(share.state == Share.State.INVITED and share.invited_by == officer for share in invited)
    # Nothing is shared by an invitation.
    assert not Share.objects.filter(state=Share.State.GRANTED).exists()


def test_inviting_the_same_region_again_invites_nobody_twice(client, officer, partner, places):
    client.post(INVITE, {"partner": partner.pk, **SLEMAN_PICKED})
    again = client.post(INVITE, {"partner": partner.pk, **SLEMAN_PICKED})
    assert "0 usaha di Sleman" in body(again) and "2 undangan di wilayah ini belum dijawab" in body(again)
    assert Share.objects.count() == 2


def test_a_region_outside_the_officers_own_is_refused_and_nothing_is_written(client, officer, partner, places):
    for picked in (KOTA_YOGYA_PICKED, {"region_province": "34"}, {"region_province": JATENG}):
        response = client.post(INVITE, {"partner": partner.pk, **picked})
        assert response.status_code == 200
        assert "di luar wilayah tugas Anda" in body(response)
    assert not Share.objects.exists()


def test_a_village_inside_the_officers_region_is_enough(client, officer, partner, places):
    response = client.post(INVITE, {"partner": partner.pk, "region_found": CATURTUNGGAL})
    assert "2 usaha di Caturtunggal" in body(response)


def test_an_admin_may_invite_any_region(client, partner, places):
    client.force_login(make_admin())
    response = client.post(INVITE, {"partner": partner.pk, **KOTA_YOGYA_PICKED})
    assert "1 usaha di Kota Yogyakarta" in body(response)
    assert Share.objects.get().business == places["kota"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({**SLEMAN_PICKED}, "Pilih mitra."),
        ({"partner": "999999", **SLEMAN_PICKED}, "Pilih mitra dari daftar."),
        ({"partner": "x", **SLEMAN_PICKED}, "Pilih mitra dari daftar."),
        ({"partner": "PARTNER"}, "Pilih wilayah yang usahanya diundang."),
        ({"partner": "PARTNER", "region_found": "99.99"}, "Wilayah tidak dikenali"),
    ],
)
def test_bad_input_gets_a_clear_message_and_nothing_is_written(client, officer, partner, places, data, message):
    data = {key: (partner.pk if value == "PARTNER" else value) for key, value in data.items()}
    response = client.post(INVITE, data)
    assert response.status_code == 200 and message in body(response)
    assert not Share.objects.exists()


def test_a_partner_that_was_switched_off_cannot_be_chosen(client, officer, partner, places):
    Partner.objects.filter(pk=partner.pk).update(is_active=False)
    assert "Pasar Nusantara" not in body(client.get(INVITE))
    response = client.post(INVITE, {"partner": partner.pk, **SLEMAN_PICKED})
    assert "Pilih mitra dari daftar." in body(response)
    assert not Share.objects.exists()


def test_the_region_pickers_next_step_writes_nothing(client, officer, partner, places):
    response = client.post(INVITE, {"partner": partner.pk, "region_province": "34", "region_step": "1"})
    assert response.status_code == 200
    assert "Sleman" in body(response)  # the regencies of the chosen province, to go on choosing
    assert response.context["result"] is None and not Share.objects.exists()


@pytest.mark.parametrize("who", ["owner", "partner"])
def test_everyone_but_officers_and_admins_gets_a_404(client, partner, places, who):
    person = make_owner() if who == "owner" else make_partner_with_user("Lain")[1]
    client.force_login(person)
    assert client.get(INVITE).status_code == 404
    assert client.post(INVITE, {"partner": partner.pk, **SLEMAN_PICKED}).status_code == 404
    assert not Share.objects.exists()
    client.logout()
    assert client.post(INVITE, {"partner": partner.pk, **SLEMAN_PICKED})["Location"].startswith(LOGIN)
    assert not Share.objects.exists()


def test_an_officer_elsewhere_invites_none_of_this_regions_businesses(client, partner, places):
    client.force_login(make_officer(JATENG))
    response = client.post(INVITE, {"partner": partner.pk, **SLEMAN_PICKED})
    assert "di luar wilayah tugas Anda" in body(response)
    assert not Share.objects.exists()
