"""The cash book on a phone-sized window of Debian's Chromium: the owner records a sale and an expense, sends the
sale's form a second time by going back and saving again (stored once), the summary shows the right totals,
and the statement for the bank downloads as a PDF that renders (poppler's pdftoppm) with those totals."""

import re
import shutil
import subprocess

import pytest
from django.conf import settings

from naikkelas.ledger.models import Entry
from tests.browser.conftest import phone
from tests.conftest import require
from tests.registry.factories import make_business, make_owner

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_owner_records_a_sale_and_an_expense_and_a_resent_sale_is_stored_once(live_server, regions, client, chromium, tmp_path):
    from playwright.sync_api import expect

    owner = make_owner()
    business = make_business(owner=owner, name="Warung Bu Sri")
    client.force_login(owner)
    page = phone(chromium, live_server, client.cookies[settings.SESSION_COOKIE_NAME].value)
    site = live_server.url

    # The owner finds the cash book from their home page
    page.goto(f"{site}/usaha/saya/")
    page.get_by_role("link", name="Buku kas").click()
    expect(page.locator("h1")).to_contain_text("Buku kas")

    # ... records a sale, the amount written the Indonesian way, everything else left as it is
    page.get_by_role("link", name="Uang masuk").click()
    page.get_by_label("Jumlah (Rp)").fill("Rp 15.000")
    page.get_by_label("Catatan").fill("Nasi bungkus 10")
    page.get_by_role("button", name="Simpan").click()
    expect(page.locator(".messages")).to_contain_text("Uang masuk Rp 15.000 tercatat.")

    # ... goes back to the sent form and saves it again, as on a connection that seemed to have failed
    page.go_back()
    expect(page.get_by_label("Jumlah (Rp)")).to_have_value("Rp 15.000")
    page.get_by_role("button", name="Simpan").click()
    expect(page.locator(".messages")).to_contain_text("Uang masuk Rp 15.000 tercatat.")
    assert Entry.objects.filter(business=business, direction="in").count() == 1

    # ... records an expense to a supplier, paid by transfer
    page.get_by_role("link", name="Uang keluar").click()
    page.get_by_label("Jumlah (Rp)").fill("4.500")
    expect(page.get_by_label("Kategori")).to_have_value("stock")
    page.get_by_label("Transfer").check()
    page.get_by_label("Pemasok (boleh kosong)").fill("Toko Plastik Jaya")
    page.get_by_role("button", name="Simpan").click()
    expect(page.locator(".messages")).to_contain_text("Uang keluar Rp 4.500 tercatat.")

    # The home page shows the cash on hand, today's figures and both entries, signed
    expect(page.locator("#uang-kas")).to_contain_text("Rp 10.500")
    today = page.locator("#periode-today")
    expect(today).to_contain_text(re.compile(r"Masuk\s*Rp 15\.000"))
    expect(today).to_contain_text(re.compile(r"Keluar\s*Rp 4\.500"))
    expect(today).to_contain_text(re.compile(r"Untung\s*Rp 10\.500"))
    expect(page.locator(".ledger-entries")).to_contain_text("−Rp 4.500")
    expect(page.locator(".ledger-entries")).to_contain_text("+Rp 15.000")
    assert page.locator(".ledger-entry").count() == 2

    # The summary page agrees, with its charts drawn
    page.get_by_role("link", name="Ringkasan dan grafik").click()
    expect(page.locator("#periode-month")).to_contain_text(re.compile(r"Untung\s*Rp 10\.500"))
    expect(page.locator("main")).to_contain_text("Jumlah penjualan 30 hari: Rp 15.000")
    expect(page.locator("svg[role=img]")).to_have_count(2)

    # Nothing on the small screen is wider than the screen
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page is {width}px wide on a 360px screen"

    stored = sorted(Entry.objects.filter(business=business).values_list("direction", "amount", "method", "party"))
    assert stored == [("in", 15000, "cash", ""), ("out", 4500, "transfer", "Toko Plastik Jaya")]

    # The statement for the bank downloads as a PDF, which renders to an image and carries the totals
    require(bool(shutil.which("pdftoppm") and shutil.which("pdftotext")), "poppler's pdftoppm and pdftotext are missing (apt install poppler-utils)")
    page.goto(f"{site}/toko/{business.pk}/kas/")
    page.get_by_role("link", name="Laporan keuangan").click()
    with page.expect_download() as downloading:
        page.get_by_role("link", name="Unduh PDF").click()
    pdf = tmp_path / "laporan.pdf"
    downloading.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "halaman")], check=True)
    [image] = list(tmp_path.glob("halaman*.png"))
    assert image.read_bytes().startswith(b"\x89PNG") and image.stat().st_size > 5_000
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    assert "LABA RUGI" in text.upper() and "Rp 15.000" in text and "Rp 4.500" in text and "Rp 10.500" in text
