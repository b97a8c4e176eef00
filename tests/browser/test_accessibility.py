"""axe-core (bundled with axe-playwright-python, nothing fetched) finds no serious or critical accessibility
violation on the pages a buyer and a new owner meet first: a shop, a product, the cart and checkout, search,
sign-in and onboarding, on a phone-sized window; nor on an officer's dashboard: the nation's map, a province,
a regency and a kategori's view, on a phone and on a desktop."""

import pytest
from django.conf import settings

from naikkelas.catalog.models import ShopProfile
from tests.browser.conftest import phone
from tests.browser.test_dashboard import DESKTOP, build_dashboard, signed_in
from tests.catalog.factories import make_product
from tests.registry.factories import make_business, make_officer, make_owner

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
BLOCKING = {"serious", "critical"}


def violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{page.url} {item['id']} ({item['impact']}): {item['help']} at {', '.join(n['target'][0] for n in item['nodes'][:3])}"
        for item in results.response["violations"]
        if item["impact"] in BLOCKING
    ]


def test_buyer_and_new_owner_pages_have_no_serious_accessibility_violation(live_server, regions, client, chromium):
    business = make_business(owner=make_owner(), name="Warung Bu Sri", phone="+6281234560001")
    ShopProfile.objects.create(business=business, tagline="Keripik dan camilan khas Sleman")
    product = make_product(business, name="Keripik Pisang Manis", description="Renyah, tanpa pengawet.")
    site = live_server.url
    found = []

    buyer = phone(chromium, live_server)
    for path in (f"/{business.slug}/", f"/{business.slug}/{product.pk}/", "/cari/?q=keripik", "/akun/masuk/"):
        buyer.goto(site + path)
        found += violations(buyer)
    buyer.goto(f"{site}/{business.slug}/{product.pk}/")
    buyer.get_by_role("button", name="Masukkan keranjang").click()
    found += violations(buyer)  # the cart
    buyer.get_by_role("link", name="Lanjut pesan").click()
    found += violations(buyer)  # checkout
    buyer.get_by_role("button", name="Kirim pesanan").click()  # empty: every field says what it needs
    found += violations(buyer)

    newcomer = make_owner()
    client.force_login(newcomer)
    owner = phone(chromium, live_server, client.cookies[settings.SESSION_COOKIE_NAME].value)
    owner.goto(site + "/usaha/saya/mulai/")
    found += violations(owner)

    assert not found, "\n".join(found)


def test_dashboard_pages_have_no_serious_accessibility_violation(
    live_server, regions, client, chromium, tmp_path, settings
):
    settings.SNAPSHOT_DIR = tmp_path / "snapshot"
    build_dashboard(settings.SNAPSHOT_DIR)
    officer = make_officer("34")
    client.force_login(officer)
    found = []
    # the nation's map and table, the province's and the regency's ranked bars, each with the monthly lines,
    # the sectors and the indicators' definitions; then a kategori's view of the province
    on_phone = phone(chromium, live_server, client.cookies[settings.SESSION_COOKIE_NAME].value)
    for path in ("/dasbor/", "/dasbor/34/", "/dasbor/34.04/", "/dasbor/34/?sektor=G&indikator=bank_share"):
        on_phone.goto(live_server.url + path)
        found += violations(on_phone)
    on_desktop = signed_in(chromium, live_server, client, officer, DESKTOP)
    for path in ("/dasbor/", "/dasbor/34/"):
        on_desktop.goto(live_server.url + path)
        found += violations(on_desktop)
    assert not found, "\n".join(found)
