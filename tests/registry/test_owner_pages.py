import re

import pytest
from django.urls import reverse

from naikkelas.registry import services
from naikkelas.registry.models import ReadinessAssessment
from tests.registry.factories import SLEMAN, make_admin, make_business, make_imported, make_officer, make_owner

pytestmark = pytest.mark.django_db
HOME = reverse("registry:owner_home")
READINESS = reverse("registry:readiness")
ANSWERS = {
    "nib": "yes",
    "catalogue": "no",
    "payments": ["cash"],
    "channels": ["offline", "whatsapp"],
    "books": "paper",
    "bank": "no",
}


@pytest.fixture
def owner(client):
    user = make_owner()
    client.force_login(user)
    return user


def test_owner_home_without_a_business_sends_the_owner_to_onboarding(client, owner):
    response = client.get(HOME)
    assert response.status_code == 302 and response["Location"] == reverse("registry:onboard")


def test_owner_home_invites_a_first_assessment(client, owner):
    make_business(owner=owner)
    body = client.get(HOME).content.decode()
    assert "Warung Bu Sri" in body
    assert "Belum diukur" in body
    assert f'{READINESS}?usaha=' in body


def test_owner_home_shows_the_level_big_the_next_step_and_the_history(client, owner):
    business = make_business(owner=owner)
    services.readiness_record(actor=owner, business=business, answers={**ANSWERS, "nib": "no"})
    services.readiness_record(actor=owner, business=business, answers=ANSWERS)
    body = client.get(HOME).content.decode()
    assert '<span class="level">Level 1</span>' in body
    assert "Langkah berikutnya:" in body and "Pasang produk di internet dengan foto dan harga" in body
    assert "Isi ulang kuesioner" in body
    assert body.count("<li>") >= 2 and "level 0" in body and "level 1" in body


def test_owner_home_points_a_business_without_nib_to_oss(client, owner):
    business = make_business(owner=owner)
    services.readiness_record(actor=owner, business=business, answers={**ANSWERS, "nib": "unsure"})
    assert 'href="https://oss.go.id/"' in client.get(HOME).content.decode()


def test_owner_home_mentions_other_businesses_waiting_to_be_claimed(client, owner):
    make_business(owner=owner)
    make_imported(phone=owner.phone)
    body = client.get(HOME).content.decode()
    assert reverse("registry:claim") in body


def test_owner_home_shows_only_the_owners_own_businesses(client, owner):
    make_business(owner=owner, name="Punyaku")
    make_business(owner=make_owner(), name="Punya Tetangga")
    body = client.get(HOME).content.decode()
    assert "Punyaku" in body and "Punya Tetangga" not in body


@pytest.mark.parametrize("make", [lambda: make_officer(SLEMAN), make_admin])
def test_owner_pages_refuse_officers_and_admins(client, make):
    client.force_login(make())
    assert client.get(HOME).status_code == 404
    assert client.get(READINESS).status_code == 404


def test_owner_pages_send_anonymous_visitors_to_log_in(client):
    for url in (HOME, READINESS):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_readiness_asks_six_questions_in_indonesian(client, owner):
    make_business(owner=owner)
    body = client.get(READINESS).content.decode()
    assert "Apakah usaha Anda sudah punya NIB" in body
    assert "Pembeli bisa membayar dengan apa?" in body
    assert body.count("<legend>") == 6
    assert 'id="langkah-books"' in body


def test_readiness_records_the_answers_and_returns_home_with_the_new_level(client, owner):
    business = make_business(owner=owner)
    response = client.post(f"{READINESS}?usaha={business.pk}", ANSWERS)
    assert response.status_code == 302 and response["Location"] == HOME
    business.refresh_from_db()
    assert business.readiness_level == 1
    assert ReadinessAssessment.objects.get(business=business).answers["channels"] == ["offline", "whatsapp"]


def test_readiness_prefills_the_last_answers(client, owner):
    business = make_business(owner=owner)
    services.readiness_record(actor=owner, business=business, answers=ANSWERS)
    body = client.get(READINESS).content.decode()
    assert re.search(r'<input[^>]*name="books" value="paper"[^>]*checked', body)
    assert re.search(r'<input[^>]*name="channels" value="whatsapp"[^>]*checked', body)
    assert not re.search(r'<input[^>]*name="channels" value="marketplace"[^>]*checked', body)


def test_readiness_rejects_unanswered_questions_in_indonesian_and_writes_nothing(client, owner):
    business = make_business(owner=owner)
    response = client.post(READINESS, {"nib": "yes", "books": "abacus"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Pilih salah satu jawaban." in body
    assert not ReadinessAssessment.objects.exists()
    business.refresh_from_db()
    assert business.readiness_level is None


@pytest.mark.parametrize("which", ["someone_elses", "missing", "junk"])
def test_readiness_for_a_business_that_is_not_the_owners_is_404(client, owner, which):
    make_business(owner=owner)
    other = make_business(owner=make_owner(), name="Punya Tetangga")
    target = {"someone_elses": other.pk, "missing": 10**9, "junk": "abc"}[which]
    assert client.get(f"{READINESS}?usaha={target}").status_code == 404
    assert client.post(f"{READINESS}?usaha={target}", ANSWERS).status_code == 404
    assert not ReadinessAssessment.objects.exists()
