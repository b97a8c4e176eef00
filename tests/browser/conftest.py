"""What the Playwright tests share: Debian's Chromium, and a phone-sized page signed in as someone."""

import os

import pytest
from django.conf import settings
from django.db import connections

from tests.conftest import require

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def chromium(monkeypatch):
    require(os.path.exists(CHROMIUM), f"Debian's Chromium is missing at {CHROMIUM} (apt install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's synchronous API runs an event loop in this thread, which Django would take for async code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield browser
        browser.close()
    # Work done while Playwright's loop ran has a connection of its own; PostgreSQL would refuse to drop the
    # test database while it is open.
    connections.close_all()


def phone(browser, live_server, session: str = ""):
    """A 360×740 page in Indonesian, signed in with `session` (a session cookie's value) when given."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID")
    context.set_default_timeout(15_000)
    if session:
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])
    return context.new_page()
