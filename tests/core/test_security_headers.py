"""Every response carries the site's Content-Security-Policy and the other security headers
(core.middleware.SecurityHeadersMiddleware, Django's SecurityMiddleware and XFrameOptionsMiddleware): pages of
every kind, JSON, feeds, downloads, errors, probes and static files. The templates keep to what the policy
allows (no inline script, event handler or style), and in Chromium no page, the Django admin and the API docs
included, trips the policy while its scripts still run."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.browser.conftest import chromium, phone  # noqa: F401 (chromium is a fixture)
from tests.partners.factories import Api, make_key
from tests.test_access_matrix import world  # noqa: F401 (a fixture: an owner's shop, products, officers, partners)

pytestmark = pytest.mark.django_db

POLICY = (
    "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; "
    "form-action 'self'; img-src 'self' data:; style-src 'self'"
)
PERMISSIONS = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()"
)
TEMPLATES = Path(settings.PACKAGE_DIR) / "templates"


def assert_security_headers(response, policy: str = POLICY, frame_options: bool = True) -> None:
    assert response["Content-Security-Policy"] == policy
    assert response["Permissions-Policy"] == PERMISSIONS
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    if frame_options:
        assert response["X-Frame-Options"] == "DENY"


def _signed_in(client, user):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client


def _shop(w):
    return reverse("storefront:shop", args=[w["business"].slug])


def _product(w):
    return reverse("storefront:product", args=[w["business"].slug, w["product"].pk])


def _checkout(client, w):
    """The checkout page with one product in the cart (an empty cart sends the buyer back to it)."""
    client.post(reverse("orders:cart_add", args=[w["business"].slug]), {"product": w["product"].pk, "quantity": 1})
    return reverse("orders:checkout", args=[w["business"].slug])


# (what, who opens it, its URL, the status it answers with)
PAGES = [
    ("home", "anonymous", lambda c, w: reverse("home"), 200),
    ("storefront", "anonymous", lambda c, w: _shop(w), 200),
    ("product", "anonymous", lambda c, w: _product(w), 200),
    ("search", "anonymous", lambda c, w: reverse("catalog:search") + "?q=keripik", 200),
    ("checkout", "anonymous", _checkout, 200),
    ("login", "anonymous", lambda c, w: reverse("accounts:login"), 200),
    ("owner page", "owner", lambda c, w: reverse("registry:owner_home"), 200),
    ("owner's products", "owner", lambda c, w: reverse("catalog:product_list", args=[w["business"].pk]), 200),
    ("officer list", "officer_in_region", lambda c, w: reverse("registry:officer_list"), 200),
    ("dashboard", "officer_in_region", lambda c, w: reverse("dashboard:nation"), 200),
    ("dashboard JSON", "officer_in_region", lambda c, w: reverse("dashboard:nation_data"), 200),
    ("CSV download", "officer_in_region", lambda c, w: reverse("registry:officer_export"), 200),
    ("feed", "anonymous", lambda c, w: reverse("partners_feeds:shop_feed", args=[w["business"].slug, "google.xml"]),
     200),
    ("redirect to login", "anonymous", lambda c, w: reverse("registry:owner_home"), 302),
    ("404", "anonymous", lambda c, w: "/tidak/ada/di/sini/", 404),
    ("404 of a shop", "anonymous", lambda c, w: "/toko-yang-tidak-ada/", 404),
    ("admin", "admin", lambda c, w: "/admin/", 200),
    ("healthz", "anonymous", lambda c, w: reverse("healthz"), 200),
    ("readyz", "anonymous", lambda c, w: reverse("readyz"), 200),
    ("stylesheet (WhiteNoise)", "anonymous", lambda c, w: "/static/css/site.css", 200),
]


@pytest.mark.parametrize(("what", "role", "url", "status"), PAGES, ids=[page[0] for page in PAGES])
def test_every_kind_of_response_carries_the_policy_and_security_headers(client, world, what, role, url, status):
    _signed_in(client, world[role])

    response = client.get(url(client, world))

    assert response.status_code == status, what
    # WhiteNoise answers static files before XFrameOptionsMiddleware; the policy's frame-ancestors covers them.
    assert_security_headers(response, frame_options=not what.startswith("stylesheet"))


def test_partner_api_json_and_its_errors_carry_the_headers(world):
    api = Api(make_key(world["partner_org"]))

    answered = api.get("/products")
    refused = Api("nk_not_a_key").get("/products")

    assert answered.status_code == 200
    assert answered["Content-Type"].startswith("application/json")
    assert_security_headers(answered)
    assert refused.status_code == 401
    assert_security_headers(refused)


def test_api_docs_page_keeps_the_policy_and_loads_swagger_ui_from_this_site(client):
    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    assert_security_headers(response)  # the same policy: Swagger UI needs no exception
    scripts = re.findall(r'<script[^>]*\bsrc="([^"]+)"', response.content.decode())
    assert scripts and all(src.startswith(settings.STATIC_URL) for src in scripts)


# --- The templates keep to the policy ------------------------------------------------------------------------

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*\btype=\"application/(?:ld\+)?json\")[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I)
STYLE_ELEMENT = re.compile(r"<style[\s>]", re.I)
JAVASCRIPT_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']?\s*javascript:""", re.I)


def test_templates_have_no_inline_script_event_handler_or_style():
    """`script-src 'self'` and `style-src 'self'` would silently disable any of these: put scripts in
    static/js/ and styles in static/css/."""
    templates = sorted(TEMPLATES.rglob("*.html"))
    assert len(templates) > 50
    found = []
    for template in templates:
        text = template.read_text(encoding="utf-8")
        for name, pattern in (
            ("inline <script>", INLINE_SCRIPT),
            ("on…= handler", EVENT_HANDLER),
            ("style= attribute", STYLE_ATTRIBUTE),
            ("<style> element", STYLE_ELEMENT),
            ("javascript: URL", JAVASCRIPT_URL),
        ):
            found += [f"{template.relative_to(TEMPLATES)}: {name}" for _ in pattern.finditer(text)]
    assert not found, "\n".join(found)


def test_the_guard_catches_what_it_looks_for():
    assert INLINE_SCRIPT.search('<script>alert(1)</script>')
    assert not INLINE_SCRIPT.search('<script src="/static/js/x.js"></script>')
    assert not INLINE_SCRIPT.search('<script type="application/ld+json">{}</script>')
    assert EVENT_HANDLER.search('<button class="x" onclick="go()">')
    assert not EVENT_HANDLER.search('<button class="x" data-action="go">')
    assert STYLE_ATTRIBUTE.search('<p class="x" style="color: red">')
    assert STYLE_ELEMENT.search("<style>p{}</style>")
    assert JAVASCRIPT_URL.search('<a href="javascript:void(0)">')


# --- In Chromium: nothing trips the policy, and the scripts still run ----------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_no_page_trips_the_policy_in_chromium(live_server, regions, chromium, world):  # noqa: F811
    from django.test import Client
    from playwright.sync_api import expect

    site = live_server.url
    violations: list[str] = []

    def page_as(role: str | None):
        session = ""
        if role is not None:
            client = Client()
            client.force_login(world[role])
            session = client.cookies[settings.SESSION_COOKIE_NAME].value
        page = phone(chromium, live_server, session)
        page.on(
            "console",
            lambda message: violations.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text or "Permissions-Policy" in message.text
            else None,
        )
        page.on("pageerror", lambda error: violations.append(f"{page.url}: {error}"))
        return page

    # A buyer: home, search, the shop, a product into the cart, and checkout with the region picker's script
    buyer = page_as(None)
    for url in ("/", "/cari/?q=keripik", _shop(world), reverse("accounts:login"), "/tidak/ada/di/sini/"):
        buyer.goto(site + url)
    buyer.goto(site + _product(world))
    buyer.get_by_role("button", name="Masukkan keranjang").click()
    buyer.goto(site + reverse("orders:checkout", args=[world["business"].slug]))
    # region-picker.js ran: it hides the "Lanjut" steps buttons the page has for browsers without scripts
    step = buyer.locator("[data-region-picker] [data-step]").first
    expect(step).to_be_hidden()

    # An owner and an officer on their own pages (the officer list's filter has the region picker too)
    owner = page_as("owner")
    owner.goto(site + reverse("registry:owner_home"))
    owner.goto(site + reverse("catalog:product_list", args=[world["business"].pk]))
    owner.goto(site + reverse("catalog:product_edit", args=[world["business"].pk, world["product"].pk]))
    officer = page_as("officer_in_region")
    officer.goto(site + reverse("registry:officer_list"))
    expect(officer.locator("[data-region-picker] [data-step]").first).to_be_hidden()
    officer.goto(site + reverse("dashboard:nation"))

    # The Django admin: its index, a list with actions and filters, and a change form with its widgets
    admin = page_as("admin")
    for url in ("/admin/", "/admin/registry/business/", f"/admin/registry/business/{world['business'].pk}/change/",
                f"/admin/orders/order/{world['order'].pk}/change/", "/admin/catalog/product/",
                f"/admin/catalog/product/{world['product'].pk}/change/"):
        response = admin.goto(site + url)
        assert response is not None and response.status == 200, url
    admin.goto(site + "/admin/catalog/product/")
    admin.locator("#action-toggle").check()  # actions.js ran: the "select all" box ticks every row
    expect(admin.locator("input.action-select").first).to_be_checked()

    # The API docs: Swagger UI from this site's static files renders the API's operations
    docs = page_as(None)
    requests: list[str] = []
    docs.on("request", lambda request: requests.append(request.url))
    docs.goto(site + "/api/v1/docs")
    expect(docs.locator(".swagger-ui .opblock").first).to_be_visible()
    assert all(url.startswith(site) or url.startswith("data:") for url in requests), requests

    assert not violations, "\n".join(violations)
