"""Sign-up by one-time code in a real Chromium: wrong code, expired code, rate limit, then onboarding.

The site runs as a real server in a subprocess on a throwaway database (a temporary SQLite file, or a
`nk_browser_<pid>` database next to DATABASE_URL's when that is set), migrated and loaded with the regions
before the browser starts. SMS go to the file backend, where the test reads the codes; an expired code is
made by moving its expiry into the past in that database.
"""

import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import require

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ONBOARDING = "/usaha/saya/mulai/"


def require_chromium() -> None:
    require(os.path.exists(CHROMIUM), f"Debian's Chromium is missing at {CHROMIUM} (apt install chromium)")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Site:
    """The server under test, its database and its SMS outbox."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.outbox = workdir / "sms" / "outbox.jsonl"
        self.env = {
            **os.environ,
            "NAIKKELAS_VAR": str(workdir),
            "SMS_BACKEND": "naikkelas.accounts.sms.FileBackend",
            "SMS_FILE_PATH": str(self.outbox),
            "DEBUG": "false",
            "PYTHONUNBUFFERED": "1",
        }
        self.env.pop("NAIKKELAS_ENV", None)
        self.pg_admin_url = ""
        self.pg_name = ""
        base_url = os.environ.get("DATABASE_URL", "")
        if base_url:
            self.pg_name = f"nk_browser_{os.getpid()}"
            self.pg_admin_url = urlsplit(base_url)._replace(path="/postgres").geturl()
            self.env["DATABASE_URL"] = urlsplit(base_url)._replace(path=f"/{self.pg_name}").geturl()
        self.process: subprocess.Popen | None = None
        self.url = ""

    def naikkelas(self, *args: str) -> None:
        done = subprocess.run(
            [sys.executable, "-m", "naikkelas", *args], env=self.env, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, f"naikkelas {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"

    def create_database(self) -> None:
        if not self.pg_name:
            return
        import psycopg

        with psycopg.connect(self.pg_admin_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{self.pg_name}"')

    def drop_database(self) -> None:
        if not self.pg_name:
            return
        import psycopg

        with psycopg.connect(self.pg_admin_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')

    def start(self) -> None:
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        self.log = (self.workdir / "server.log").open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "naikkelas", "runserver", "--noreload", f"127.0.0.1:{port}"],
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as response:
                    if response.read() == b"ok":
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        raise RuntimeError("the server did not start:\n" + (self.workdir / "server.log").read_text())

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.log.close()

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join((self.workdir / "server.log").read_text(errors="replace").splitlines()[-lines:])

    def execute(self, statement: str, params: tuple) -> None:
        """Change the site's database directly, the way an hour passing would."""
        if self.pg_name:
            import psycopg

            with psycopg.connect(self.env["DATABASE_URL"], autocommit=True) as connection:
                connection.execute(statement, params)
        else:
            with sqlite3.connect(self.workdir / "naikkelas.sqlite3", timeout=20) as connection:
                connection.execute(statement.replace("%s", "?"), params)
            connection.close()

    def expire_codes(self, phone: str) -> None:
        self.execute(
            "UPDATE accounts_otpchallenge SET expires_at = '2000-01-01 00:00:00' WHERE phone = %s AND used_at IS NULL",
            (phone,),
        )

    def messages_to(self, phone: str) -> list[str]:
        if not self.outbox.exists():
            return []
        lines = self.outbox.read_text(encoding="utf-8").splitlines()
        return [message["text"] for message in map(json.loads, lines) if message["to"] == phone]

    def last_code(self, phone: str) -> str:
        texts = self.messages_to(phone)
        assert texts, f"no SMS to {phone} in {self.outbox}"
        match = re.search(r"\b(\d{6})\b", texts[-1])
        assert match, f"no code in {texts[-1]!r}"
        return match.group(1)


@pytest.fixture(scope="module")
def site():
    require_chromium()
    site = Site(Path(tempfile.mkdtemp(prefix="nk-browser-")))
    try:
        site.create_database()
        site.naikkelas("migrate", "--noinput")
        site.naikkelas("load_regions")
        site.start()
        yield site
    finally:
        site.stop()
        site.drop_database()
        shutil.rmtree(site.workdir, ignore_errors=True)


@pytest.fixture(scope="module")
def browser():
    require_chromium()
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    finally:
        # Stopped here, not at exit: later tests use Django's ORM, which refuses to run beside an event loop.
        playwright.stop()


@pytest.fixture
def page(site, browser):
    # A small Android phone, in Indonesian.
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID")
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def press(page, button: str) -> None:
    """Click a submit button and wait for the page it leads to (often the same URL)."""
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()


def submit_phone(page, site, phone: str) -> None:
    page.goto(site.url + "/akun/daftar/")
    page.get_by_label("Nomor HP").fill(phone)
    press(page, "Kirim kode")


def finish_on_onboarding(page, site, code: str) -> None:
    page.get_by_label("Kode dari SMS").fill(code)
    with page.expect_response(lambda response: response.url == site.url + ONBOARDING) as arrival:
        page.get_by_role("button", name="Lanjut").click()
    page.wait_for_url(site.url + ONBOARDING)
    assert arrival.value.status == 200, site.log_tail()


def test_signup_by_code_in_chromium_survives_a_wrong_and_an_expired_code(site, page):
    from playwright.sync_api import expect

    phone = "+6281234567001"
    # Given a number typed wrong, the page says how to write it and nothing is sent
    submit_phone(page, site, "0812-345")
    expect(page.get_by_role("alert")).to_contain_text("Nomor HP tidak dikenali. Contoh: 0812-3456-7890.")
    assert site.messages_to(phone) == []
    # Thumbs on a small phone: the stylesheet is served and makes the button at least 48px tall
    assert page.get_by_role("button", name="Kirim kode").bounding_box()["height"] >= 48

    # When the owner sends their number, then the code page shows it (and the URL does not)
    page.get_by_label("Nomor HP").fill("0812 3456 7001")
    press(page, "Kirim kode")
    page.wait_for_url(site.url + "/akun/kode/")
    expect(page.locator("main")).to_contain_text("0812-3456-7001")
    code = site.last_code(phone)

    # A wrong code: told how many attempts are left
    page.get_by_label("Kode dari SMS").fill(wrong(code))
    press(page, "Lanjut")
    expect(page.get_by_role("alert")).to_contain_text("Kode salah. Sisa 4 kali percobaan.")

    # The right code, but after it expired: told so, with a button to send a new one
    site.expire_codes(phone)
    page.get_by_label("Kode dari SMS").fill(code)
    press(page, "Lanjut")
    expect(page.get_by_role("alert")).to_contain_text("Kode sudah kedaluwarsa")
    press(page, "Kirim ulang kode")
    expect(page.get_by_role("status")).to_contain_text("Kode baru sudah dikirim")
    assert len(site.messages_to(phone)) == 2

    # The new code opens the account and lands on onboarding
    finish_on_onboarding(page, site, site.last_code(phone))


def test_signup_in_chromium_tells_when_to_retry_after_too_many_codes(site, page):
    from playwright.sync_api import expect

    phone = "+6281234567002"
    submit_phone(page, site, "0812-3456-7002")
    page.wait_for_url(site.url + "/akun/kode/")
    # Two more codes are allowed ...
    for _ in range(2):
        press(page, "Kirim ulang kode")
        expect(page.get_by_role("status")).to_contain_text("Kode baru sudah dikirim")
    # ... the fourth within 15 minutes is refused with the time to try again, and not sent
    press(page, "Kirim ulang kode")
    expect(page.get_by_role("status")).to_contain_text(
        re.compile(r"Terlalu banyak permintaan\. Coba lagi pukul \d{1,2}\.\d{2} WIB \(sekitar \d+ menit lagi\)")
    )
    # Starting over from the sign-up page is refused the same way
    submit_phone(page, site, "0812-3456-7002")
    expect(page.get_by_role("alert")).to_contain_text("Terlalu banyak permintaan")
    assert len(site.messages_to(phone)) == 3

    # The last code that did go out still works
    page.goto(site.url + "/akun/kode/")
    finish_on_onboarding(page, site, site.last_code(phone))
