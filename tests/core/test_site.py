import pytest

pytestmark = pytest.mark.django_db


def test_home_page_invites_owners_to_sign_up_in_indonesian(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "Daftar usaha" in response.content.decode()


def test_healthz_answers_when_the_database_does(client):
    assert client.get("/healthz").content == b"ok"
