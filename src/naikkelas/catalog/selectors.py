"""Reads for the owner's catalogue pages, always for an actor and inside what catalog/access.py lets them manage
(the public pages read through catalog/storefront.py instead)."""

from django.db.models import Prefetch, QuerySet

from naikkelas.catalog.models import Product, ProductPhoto, ShopProfile
from naikkelas.registry.models import Business

SHOW_ALL, SHOW_ACTIVE, SHOW_HIDDEN, SHOW_OUT_OF_STOCK = "all", "active", "hidden", "out_of_stock"
_SHOW_FILTERS = {
    SHOW_ALL: {},
    SHOW_ACTIVE: {"is_active": True},
    SHOW_HIDDEN: {"is_active": False},
    SHOW_OUT_OF_STOCK: {"made_to_order": False, "stock": 0},
}


def _first_photo() -> Prefetch:
    # A sliced prefetch (one window query) brings each product's first photo only, as `first_photo`: [] or [photo].
    photos = ProductPhoto.objects.order_by("position", "pk")[:1]
    return Prefetch("photos", queryset=photos, to_attr="first_photo")


def owner_products(*, actor, business: Business, query: str = "", show: str = SHOW_ALL) -> QuerySet[Product]:
    """The business's products (its owner's view: hidden ones too, deleted ones not), by name, each with
    `first_photo`."""
    products = Product.objects.filter(
        business=business, business__owner=actor, deleted_at__isnull=True, **_SHOW_FILTERS.get(show, {})
    )
    query = " ".join(query.split())
    if query:
        products = products.filter(name__icontains=query)
    return products.order_by("name", "pk").prefetch_related(_first_photo())


def product_photos(*, actor, product: Product) -> list[ProductPhoto]:
    return list(product.photos.filter(product__business__owner=actor).order_by("position", "pk"))


def shop_profile(*, actor, business: Business) -> ShopProfile | None:
    """The shop's profile, or None while the shop is not open yet."""
    return ShopProfile.objects.filter(business=business, business__owner=actor).first()
