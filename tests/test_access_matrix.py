"""Every URL of the site, opened by every kind of visitor, against what each of them should get.

The routes come from the URL configuration itself, so a new route without an entry in MATRIX fails this
suite until someone writes down how to reach it and who may open it. Outcomes:

    OK           200, or a redirect somewhere other than a login page (e.g. "/" sending an owner home)
    LOGIN        a redirect to the login page (how anonymous visitors are refused)
    NOT_FOUND    404: how signed-in people are refused, the same answer as for something that does not exist
    ADMIN_LOGIN  a redirect to the Django admin's login (how the admin refuses non-admins)

Django admin counts as one entry, checked at /admin/.
"""

import importlib
import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from naikkelas.catalog.models import ShopProfile
from naikkelas.registry.models import ImportBatch
from tests.catalog.factories import make_product
from tests.registry.factories import (
    CATURTUNGGAL,
    JATENG,
    KRICAK,
    SLEMAN,
    make_admin,
    make_business,
    make_officer,
    make_owner,
)

pytestmark = pytest.mark.django_db

from tests.matrix import (
    ADMIN_ENTRY, ADMIN_LOGIN, IN_REGION, LOGIN, NOT_FOUND, OK, OWNERS_ONLY, PUBLIC, ROLES, SIGNED_IN, STAFF_ONLY,
    Entry, _url, same_for_all,
)
from tests.orders.factories import make_order
from tests.partners.factories import make_partner_with_user, share

# Apps whose routes are listed in tests/<app>/matrix.py.
APPS_WITH_ENTRIES = ("catalog", "orders", "payments", "partners", "ledger", "earlywarning", "dashboard", "privacy")
# The partner API (/api/v1/) answers keys, not sessions: its routes are left out here and tried by the API's
# own matrix, key by key.
API_NAMESPACE = "api-v1"

MATRIX: dict[str, Entry] = {
    "home": Entry(_url("home"), PUBLIC),
    "healthz": Entry(_url("healthz"), PUBLIC),
    "readyz": Entry(_url("readyz"), PUBLIC),
    "set_language": Entry(_url("set_language"), PUBLIC, method="post", data={"language": "id", "next": "/"}),
    "accounts:login": Entry(_url("accounts:login"), PUBLIC),
    "accounts:password_login": Entry(_url("accounts:password_login"), PUBLIC, method="post"),
    "accounts:signup": Entry(_url("accounts:signup"), PUBLIC),
    # Without a code on its way, the code pages send everyone back to enter a phone number.
    "accounts:verify": Entry(_url("accounts:verify"), same_for_all(LOGIN)),
    "accounts:resend": Entry(_url("accounts:resend"), same_for_all(LOGIN), method="post"),
    "accounts:password_set": Entry(_url("accounts:password_set"), SIGNED_IN),
    "accounts:logout": Entry(_url("accounts:logout"), PUBLIC, method="post"),
    "regions:children": Entry(lambda w: reverse("regions:children") + "?induk=34.04", PUBLIC),
    "regions:search": Entry(lambda w: reverse("regions:search") + "?q=caturtunggal", PUBLIC),
    "registry:owner_home": Entry(_url("registry:owner_home"), OWNERS_ONLY),
    "registry:onboard": Entry(_url("registry:onboard"), OWNERS_ONLY),
    "registry:claim": Entry(_url("registry:claim"), OWNERS_ONLY),
    # The questionnaire of one business: its owner's only; another owner gets the 404 of a missing one.
    "registry:readiness": Entry(
        lambda w: reverse("registry:readiness") + f"?usaha={w['business'].pk}",
        {**OWNERS_ONLY, "other_owner": NOT_FOUND},
    ),
    "registry:business_data": Entry(
        _url("registry:business_data", lambda w: w["business"].pk), {**OWNERS_ONLY, "other_owner": NOT_FOUND}
    ),
    "registry:officer_list": Entry(_url("registry:officer_list"), STAFF_ONLY),
    "registry:officer_export": Entry(_url("registry:officer_export"), STAFF_ONLY),
    "registry:business_detail": Entry(_url("registry:business_detail", lambda w: w["business"].pk), IN_REGION),
    "registry:import_upload": Entry(_url("registry:import_upload"), STAFF_ONLY),
    # An import batch is its uploader's (an officer in the region) and the admins'.
    "registry:import_preview": Entry(_url("registry:import_preview", lambda w: w["batch"].pk), IN_REGION),
    # Uploaded files are product photos, public like the shops that show them.
    "media": Entry(lambda w: "/media/" + w["public_file"], PUBLIC),
    ADMIN_ENTRY: Entry(lambda w: "/admin/", {**same_for_all(ADMIN_LOGIN), "admin": OK}),
}
PUBLIC_KEYS = {
    "home", "healthz", "readyz", "set_language", "accounts:login", "accounts:password_login", "accounts:signup",
    "accounts:logout", "regions:children", "regions:search", "media",
}
for _app in APPS_WITH_ENTRIES:
    _module = importlib.import_module(f"tests.{_app}.matrix")
    assert not set(_module.ENTRIES) & set(MATRIX), f"tests/{_app}/matrix.py repeats an entry"
    MATRIX.update(_module.ENTRIES)
    PUBLIC_KEYS |= set(getattr(_module, "PUBLIC_KEYS", ()))


def _routes(patterns=None, namespace: str = "", prefix: str = "") -> list[tuple[str, str]]:
    """(key, pattern) for every route: "namespace:name", or ADMIN_ENTRY for anything in Django admin, or
    "<unnamed: pattern>" for a route nobody can reverse (which then fails for want of an entry)."""
    found = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == API_NAMESPACE:
                continue  # the partner API, which has a matrix of its own (see API_NAMESPACE)
            inner = ":".join(part for part in (namespace, pattern.namespace or "") if part)
            if inner == ADMIN_ENTRY:
                found.append((ADMIN_ENTRY, prefix + str(pattern.pattern)))
                continue
            found.extend(_routes(pattern.url_patterns, inner, prefix + str(pattern.pattern)))
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            if pattern.name:
                found.append((f"{namespace}:{pattern.name}" if namespace else pattern.name, route))
            else:
                found.append((f"<unnamed: {route}>", route))
    return found


ROUTES = sorted(set(_routes()))


def _public_file(media_root) -> str:
    (media_root / "produk").mkdir()
    (media_root / "produk" / "foto.webp").write_bytes(b"RIFF")
    return "produk/foto.webp"


@pytest.fixture
def world(tmp_path, media_root):
    owner = make_owner()
    officer_in_region = make_officer(SLEMAN)
    business = make_business(village=CATURTUNGGAL, owner=owner)
    other_business = make_business(village=KRICAK, name="Batik Kricak")
    ShopProfile.objects.create(business=business)  # the owner's shop is open to the public
    product = make_product(business)
    other_product = make_product(other_business, name="Batik Tulis Kawung", price=350000)
    partner_org, partner = make_partner_with_user("Pasar Nusantara")
    other_partner_org, other_partner = make_partner_with_user("Katalog Pengadaan Daerah")
    share(business, partner_org)  # the owner shares with the world's partner
    batch_file = tmp_path / "usaha.csv"
    batch_file.write_text("nama usaha,no hp,kode desa\nWarung Uji,081234567890,34.04.07.2001\n", encoding="utf-8")
    return {
        "public_file": _public_file(media_root),
        "anonymous": None,
        "owner": owner,
        "other_owner": make_owner(),
        "officer_in_region": officer_in_region,
        "officer_elsewhere": make_officer(JATENG),
        "admin": make_admin(),
        "partner": partner,
        "other_partner": other_partner,
        "partner_org": partner_org,
        "other_partner_org": other_partner_org,
        "business": business,
        "other_business": other_business,
        "product": product,
        "other_product": other_product,
        "order": make_order(business, [(product, 2)]),
        "other_order": make_order(other_business, [(other_product, 1)]),
        "batch": ImportBatch.objects.create(
            id=uuid.uuid4(), uploaded_by=officer_in_region, original_name="usaha.csv", stored_path=str(batch_file)
        ),
    }


def outcome(response) -> str:
    location = response.get("Location", "")
    if response.status_code == 404:
        return NOT_FOUND
    if response.status_code in (301, 302, 303, 307, 308):
        if location.startswith(reverse("admin:login")):
            return ADMIN_LOGIN
        if location.startswith(reverse("accounts:login")):
            return LOGIN
        return OK
    if response.status_code == 200:
        return OK
    return f"status {response.status_code}"


@pytest.mark.parametrize(("key", "route"), ROUTES, ids=[key for key, _ in ROUTES])
def test_every_route_answers_each_role_as_the_matrix_says(client, world, key, route):
    entry = MATRIX.get(key)
    if entry is None:
        pytest.fail(
            f"route {key!r} (/{route}) has no entry in tests/test_access_matrix.py MATRIX: add how to build its "
            f"URL and the outcome for each of {', '.join(ROLES)}"
        )
    url = entry.url(world)
    wrong = []
    for role in ROLES:
        client.logout()
        if world[role] is not None:
            client.force_login(world[role])
        response = getattr(client, entry.method)(url, entry.data)
        got = outcome(response)
        if got != entry.expect[role]:
            where = f"{response.status_code} {response.get('Location', '')}".strip()
            wrong.append(f"{role}: expected {entry.expect[role]}, got {got} ({where})")
    assert not wrong, f"{entry.method.upper()} {url}\n" + "\n".join(wrong)


def test_every_matrix_entry_names_a_route_that_exists():
    stale = set(MATRIX) - {key for key, _ in ROUTES}
    assert not stale, f"entries for routes that no longer exist: {sorted(stale)}"


def test_the_matrix_refuses_someone_on_every_signed_in_route():
    """A guard on the matrix itself: only the listed public routes may let everyone in."""
    public = {key for key, entry in MATRIX.items() if set(entry.expect.values()) == {OK}}
    assert public == PUBLIC_KEYS


def test_a_route_added_without_an_entry_is_caught():
    from django.urls import include, path

    def view(request):
        raise AssertionError("never called")

    extra = [
        path("baru/", view, name="brand_new"),
        path("x/", include(([path("y/", view)], "ns"))),
        path("api/", include(([path("z/", view, name="api_route")], API_NAMESPACE))),
    ]
    keys = {key for key, _ in _routes(extra)}
    assert keys == {"brand_new", "<unnamed: x/y/>"}
    assert not keys & set(MATRIX)
