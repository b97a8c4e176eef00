"""The region picker's script in Debian's Chromium: the live cascade and search-as-you-type on the owner's
onboarding screen, on a small phone-sized window."""

import os

import pytest
from django.conf import settings
from django.db import connections

from naikkelas.registry.models import Business
from tests.conftest import require
from tests.registry.factories import CATURTUNGGAL, make_owner

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def phone_page(live_server, regions, client, monkeypatch):
    require(os.path.exists(CHROMIUM), f"Debian's Chromium is missing at {CHROMIUM} (apt install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    owner = make_owner()
    client.force_login(owner)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    # Playwright's synchronous API runs an event loop in this thread, which Django would take for async code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        context = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID")
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])
        page = context.new_page()
        page.goto(f"{live_server.url}/usaha/saya/mulai/")
        yield owner, page
        browser.close()
        # Database work done while Playwright's loop runs gets a connection of its own (Django keeps them per
        # async context); close it here, or PostgreSQL refuses to drop the test database at the end.
        connections.close_all()


def _fill_the_rest(page):
    page.fill("#id_name", "Warung Bu Sri")
    page.select_option("#id_sector", "47112")
    page.check("#id_consent")


def test_picker_script_fills_each_level_when_the_one_above_is_chosen(phone_page):
    owner, page = phone_page
    # The "Lanjut"/"Cari" reload buttons are for phones without JavaScript.
    assert page.locator("button[name=village_step]").first.is_hidden()
    page.select_option("#id_village_province", "34")
    page.wait_for_selector("#id_village_regency option[value='34.04']", state="attached")
    page.select_option("#id_village_regency", "34.04")
    page.wait_for_selector("#id_village_district option[value='34.04.07']", state="attached")
    page.select_option("#id_village_district", "34.04.07")
    page.wait_for_selector(f"#id_village_village option[value='{CATURTUNGGAL}']", state="attached")
    page.select_option("#id_village_village", CATURTUNGGAL)
    assert "Caturtunggal" in page.inner_text("[data-region-chosen]")
    _fill_the_rest(page)
    page.click("button.primary[type=submit]")
    page.wait_for_url("**/usaha/saya/")
    assert Business.objects.get(owner=owner).village_id == CATURTUNGGAL


def test_picker_script_searches_as_the_owner_types(phone_page):
    owner, page = phone_page
    page.fill("#id_village_q", "caturtung")
    match = page.wait_for_selector(f"input[name=village_found][value='{CATURTUNGGAL}']")
    assert "Caturtunggal, Depok, Sleman, DI Yogyakarta" in page.inner_text("[data-region-matches]")
    # Using the selects again un-picks the match, so the two never disagree...
    match.check()
    page.select_option("#id_village_province", "33")
    assert not page.is_checked(f"input[name=village_found][value='{CATURTUNGGAL}']")
    assert page.locator("#id_village_district").is_disabled()
    # ...and a pick made last is what is saved.
    match.check()
    _fill_the_rest(page)
    page.click("button.primary[type=submit]")
    page.wait_for_url("**/usaha/saya/")
    assert Business.objects.get(owner=owner).village_id == CATURTUNGGAL
