import pytest

pytestmark = pytest.mark.django_db


def test_pages_are_indonesian_even_when_the_phone_asks_for_english(client):
    response = client.get("/akun/masuk/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "id"
    assert 'lang="id"' in response.content.decode()


def test_the_language_switcher_choice_is_kept(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get("/akun/masuk/")
    assert response["Content-Language"] == "en"
    assert 'lang="en"' in response.content.decode()


def test_an_unknown_language_cookie_falls_back_to_indonesian(client):
    client.cookies["django_language"] = "xx"
    assert client.get("/")["Content-Language"] == "id"
