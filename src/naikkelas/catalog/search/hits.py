"""What a result page shows for each entry found, read live from the catalogue for the page's ids only.

Visibility is checked again here (active product, public shop), so even an index that lags behind a change
never shows a hidden product; names, prices and places are the current ones. Plain value queries, not model
instances: building twenty products with their businesses and four levels of regions as objects cost more
than the search itself.
"""

from dataclasses import dataclass

from django.urls import reverse

from naikkelas.catalog.models import Product, ProductPhoto
from naikkelas.catalog.search.documents import region_codes
from naikkelas.regions.models import Region
from naikkelas.regions.selectors import short_name
from naikkelas.registry.models import Business


@dataclass(frozen=True)
class ProductHit:
    id: int
    name: str
    price: int
    unit: str
    in_stock: bool
    slug: str
    shop_name: str
    place: str  # "Sleman, DI Yogyakarta": regency and province
    thumb_url: str
    url: str  # the product's storefront page


@dataclass(frozen=True)
class ShopHit:
    business_id: int
    name: str
    slug: str
    tagline: str
    place: str  # "Caturtunggal, Depok, Sleman, DI Yogyakarta"
    url: str  # the shop's storefront


# Region names are reference data that never change while the site runs: each process reads a name once.
_region_names: dict[str, str] = {}


def _names(codes: set[str]) -> dict[str, str]:
    """Region code -> how a list says it (regions.selectors.short_name)."""
    missing = codes - _region_names.keys()
    if missing:
        for region in Region.objects.filter(code__in=missing).only("code", "name", "level"):
            _region_names[region.code] = short_name(region)
    return {code: _region_names[code] for code in codes if code in _region_names}


def _place(village_code: str, names: dict[str, str], levels: slice) -> str:
    codes = list(reversed(region_codes(village_code)))[levels]
    return ", ".join(names[code] for code in codes if code in names)


def _thumbs(product_ids: list[int]) -> dict[int, str]:
    """product id -> URL of its first photo's thumbnail."""
    storage = ProductPhoto._meta.get_field("thumb").storage
    photos = (
        ProductPhoto.objects.filter(product_id__in=product_ids)
        .order_by("product_id", "position", "pk")
        .values_list("product_id", "thumb")
    )
    found: dict[int, str] = {}
    for product_id, thumb in photos:
        if product_id not in found and thumb:
            found[product_id] = storage.url(thumb)
    return found


def products(ids: list[int]) -> list[ProductHit]:
    if not ids:
        return []
    rows = {
        row[0]: row
        for row in Product.objects.filter(pk__in=ids, is_active=True, business__shop__isnull=False).values_list(
            "pk", "name", "price", "unit", "stock", "made_to_order",
            "business__slug", "business__name", "business__village_id",
        )
    }
    # Regency and province: the last two of the village's four codes, read from the top.
    names = _names({code for row in rows.values() for code in region_codes(row[8])[:2]})
    thumbs = _thumbs(list(rows))
    hits = []
    for pk in ids:
        row = rows.get(pk)
        if row is None:
            continue
        _, name, price, unit, stock, made_to_order, slug, shop_name, village = row
        hits.append(
            ProductHit(
                id=pk,
                name=name,
                price=price,
                unit=unit,
                in_stock=made_to_order or stock > 0,
                slug=slug,
                shop_name=shop_name,
                place=_place(village, names, slice(2, 4)),
                thumb_url=thumbs.get(pk, ""),
                url=reverse("storefront:product", args=(slug, pk)),
            )
        )
    return hits


def shops(business_ids: list[int]) -> list[ShopHit]:
    if not business_ids:
        return []
    rows = {
        row[0]: row
        for row in Business.objects.filter(pk__in=business_ids, shop__isnull=False).values_list(
            "pk", "name", "slug", "shop__tagline", "village_id"
        )
    }
    names = _names({code for row in rows.values() for code in region_codes(row[4])})
    return [
        ShopHit(
            business_id=pk,
            name=name,
            slug=slug,
            tagline=tagline,
            place=_place(village, names, slice(0, 4)),
            url=reverse("storefront:shop", args=(slug,)),
        )
        for pk, name, slug, tagline, village in (rows[pk] for pk in business_ids if pk in rows)
    ]
