"""Set up the load scenario's actors on a database that already holds `naikkelas synth` data, and write what
the load users need to know (fixture.json). Run by tests/load/run.py inside Django:

    DATABASE_URL=... python tests/load/prepare.py FIXTURE.json --shops 20 --seed 1

- **Flash-sale shops**: --shops public shops with at least five products kept in stock. Each gets an owner
  (a phone login with a session made here, so the load users need no SMS), a static QRIS, cash on delivery
  and a bank account, and its stocked products a small stock (8–40), so buyers, partners and owners fight
  over the last units and some sell out during the run.
- **Partners**: three marketplaces, each with a write key, shared with every flash-sale shop by its owner.
- **A payment gateway** with its signing secret, for the buyers' QRIS payments called back.
- **Browsing**: a sample of every public shop and product, and search words from their names.
- **The baseline** the invariants start from: each flash-sale product's stock plus the units its open orders
  hold, and the moment the scenario starts (orders and entries older than it are the synthetic history).
"""

import argparse
import json
import os
import random
import secrets
import sys
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "naikkelas.settings")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db import transaction  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.utils import timezone  # noqa: E402

from naikkelas.accounts.models import User  # noqa: E402
from naikkelas.catalog import services as catalog_services  # noqa: E402
from naikkelas.catalog.models import Product, ShopProfile  # noqa: E402
from naikkelas.partners import services as partner_services  # noqa: E402
from naikkelas.partners.models import ApiKey, Partner  # noqa: E402
from naikkelas.payments import services as payment_services  # noqa: E402
from naikkelas.payments.models import Gateway  # noqa: E402
from naikkelas.registry.models import Business  # noqa: E402
from tests.load import invariants  # noqa: E402

# A valid static QRIS from the published test vectors (tests/payments/vectors.tsv).
STATIC_QRIS = (
    "00020101021126680016ID.CO.TELKOM.WWW011893600898026635207502150001952663520750303UMI51440014ID.CO.QRIS.WWW"
    "0215ID10211254059720303UMI5204549953033605502015802ID5906BIOLBE6011KAB. MALANG610565168622005091147938120703"
    "A03630404CB"
)
GATEWAY = "uji-beban"
PARTNERS = ("Pasar Nusantara", "Toko Rakyat", "Katalog Desa")
BROWSE_SHOPS = 400
BROWSE_PRODUCTS = 1500


def owner_session(user: User) -> str:
    """A logged-in session for `user`, as Django's login() would leave it."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def flash_sale_shops(count: int, rng: random.Random) -> list[Business]:
    candidates = list(
        Business.objects.filter(shop__accepting_orders=True)
        .annotate(stocked=Count("products", filter=Q(products__is_active=True, products__deleted_at__isnull=True,
                                                    products__made_to_order=False)))
        .filter(stocked__gte=5)
        .order_by("pk")
        .values_list("pk", flat=True)[:5000]
    )
    if len(candidates) < count:
        sys.exit(f"only {len(candidates)} shops have five stocked products; load more synthetic data")
    return list(Business.objects.filter(pk__in=rng.sample(candidates, count)).order_by("pk"))


@transaction.atomic
def prepare(count: int, seed: int) -> dict:
    rng = random.Random(seed)
    shops = []
    partners = [
        Partner.objects.filter(name=name).first() or partner_services.partner_create(actor=None, name=name)
        for name in PARTNERS
    ]
    for key in ApiKey.objects.filter(partner__in=partners, revoked_at__isnull=True):  # an earlier run's
        partner_services.api_key_revoke(actor=None, key=key)
    keys = [partner_services.api_key_create(actor=None, partner=p, name=f"beban {secrets.token_hex(3)}",
                                            scope="write").secret for p in partners]
    for index, business in enumerate(flash_sale_shops(count, rng)):
        owner = business.owner
        if owner is None:
            phone = f"+62812{9000000 + seed * 1000 + index:07d}"
            owner = User.objects.filter(phone=phone).first() or User.objects.create_user(
                phone=phone, role=User.Role.OWNER, name=f"Pemilik {business.name}"[:150]
            )
            Business.objects.filter(pk=business.pk).update(owner=owner)
            business.owner = owner
        ShopProfile.objects.filter(business=business).update(accepting_orders=True)
        payment_services.payment_settings_update(
            actor=owner, business=business, cod_enabled=True, bank_name="BRI",
            bank_account_number="0123-01-000123-50-1", bank_account_holder=business.name[:60],
            qris_payload=STATIC_QRIS,
        )
        products = Product.objects.filter(business=business, is_active=True, deleted_at__isnull=True,
                                          made_to_order=False)
        stocked = []
        for product in products.order_by("pk"):
            catalog_services.product_stock_set(actor=owner, product=product, stock=rng.randint(8, 40))
            stocked.append(product.pk)
        for partner in partners:
            partner_services.share_grant(actor=owner, business=business, partner=partner)
        shops.append({"id": business.pk, "slug": business.slug, "products": stocked, "session": owner_session(owner)})

    gateway, _ = Gateway.objects.get_or_create(name=GATEWAY, defaults={"secret": secrets.token_hex(32)})
    public = list(ShopProfile.objects.values_list("business__slug", flat=True).order_by("?")[:BROWSE_SHOPS])
    browse_products = list(
        Product.objects.filter(is_active=True, deleted_at__isnull=True, business__shop__isnull=False)
        .order_by("?")
        .values_list("business__slug", "pk", "name")[:BROWSE_PRODUCTS]
    )
    words = sorted({word.lower() for _, _, name in browse_products for word in name.split() if len(word) > 3 and word.isalpha()})
    return {
        "started_at": timezone.now().isoformat(),
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "shops": shops,
        "partner_keys": keys,
        "gateway": {"name": gateway.name, "secret": gateway.secret},
        "browse_shops": public,
        "browse_products": [[slug, pk] for slug, pk, _ in browse_products],
        "search_words": words[:400],
        "baseline": invariants.stock_baseline([pk for shop in shops for pk in shop["products"]]),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("fixture", type=Path)
    parser.add_argument("--shops", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    fixture = prepare(args.shops, args.seed)
    args.fixture.write_text(json.dumps(fixture))
    products = sum(len(shop["products"]) for shop in fixture["shops"])
    print(f"prepared {len(fixture['shops'])} flash-sale shops with {products} stocked products, "
          f"{len(fixture['partner_keys'])} partner keys, {len(fixture['browse_shops'])} shops to browse")


if __name__ == "__main__":
    main()
