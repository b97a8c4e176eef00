"""Public reads behind the shop pages. They take no actor: a shop is open to everyone once its business has a
ShopProfile, and then only its active products show (a deleted product is also hidden; the deleted_at test
says so even if something switched it back on). Anything else answers 404, like a shop that never was."""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Prefetch
from django.utils.dates import WEEKDAYS

from naikkelas.catalog.models import Product, ProductPhoto, ShopProfile
from naikkelas.core.access import not_found
from naikkelas.regions.selectors import region_path
from naikkelas.registry.models import Business

PAGE_SIZE = 24
# Village -> district -> regency -> province: the place line and the time zone need all four.
REGIONS = "village__parent__parent__parent"
# schema.org's day codes (as ShopProfile.opening_hours stores them), Monday first like datetime.weekday().
DAY_CODES = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
ZONE_LABELS = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}


def _photos() -> Prefetch:
    # Into a list, so templates and JSON-LD take photo_list.0 without another query.
    return Prefetch("photos", queryset=ProductPhoto.objects.order_by("position", "pk"), to_attr="photo_list")


def shop_public(slug: str) -> Business:
    """The business behind /<slug>/, with its `shop` profile and regions loaded; 404 unless the shop is public."""
    business = Business.objects.select_related("shop", REGIONS).filter(slug=slug, shop__isnull=False).first()
    if business is None:
        raise not_found()
    return business


def shop_products(business: Business, page: int | str = 1) -> Page:
    """One page of the shop's active products by name, each with `photo_list` (first photo first).

    The order follows the (business, is_active, name) index, so a shop with thousands of products is read a
    page at a time.
    """
    products = (
        Product.objects.filter(business=business, is_active=True, deleted_at__isnull=True)
        .order_by("name", "pk")
        .prefetch_related(_photos())
    )
    return Paginator(products, PAGE_SIZE).get_page(page)


def product_public(slug: str, product_id: int) -> Product:
    """An active product of the public shop at `slug`, with its business, shop, regions and `photo_list`.

    A hidden product, another shop's product, or a product of a shop that is not public: all 404.
    """
    product = (
        Product.objects.select_related("business__shop", f"business__{REGIONS}")
        .prefetch_related(_photos())
        .filter(
            pk=product_id, business__slug=slug, business__shop__isnull=False, is_active=True, deleted_at__isnull=True
        )
        .first()
    )
    if product is None:
        raise not_found()
    return product


def shop_zone(business: Business) -> ZoneInfo:
    """The zone the business keeps its hours in: its province's (WIB, WITA or WIT)."""
    province = region_path(business.village)[0]
    return ZoneInfo(province.timezone or settings.TIME_ZONE)


def zone_label(zone: ZoneInfo) -> str:
    return ZONE_LABELS.get(zone.key, zone.key)


@dataclass(frozen=True)
class Day:
    name: str
    hours: tuple[str, ...]  # ("08:00–12:00", "13:00–17:00"); empty when closed
    today: bool


def opening_week(shop: ShopProfile, zone: ZoneInfo, *, now: datetime) -> list[Day]:
    """Monday to Sunday with each day's hours, today (in the shop's own zone) marked; [] when no hours are set."""
    spans: dict[str, list[str]] = {code: [] for code in DAY_CODES}
    for entry in shop.opening_hours or []:
        # Written by the owner's form; a malformed entry is left out rather than breaking the page.
        if not isinstance(entry, dict) or not entry.get("opens") or not entry.get("closes"):
            continue
        for code in entry.get("days") or []:
            if code in spans:
                spans[code].append(f"{entry['opens']}–{entry['closes']}")
    if not any(spans.values()):
        return []
    today = now.astimezone(zone).weekday()
    return [
        Day(name=str(WEEKDAYS[index]), hours=tuple(sorted(spans[code])), today=index == today)
        for index, code in enumerate(DAY_CODES)
    ]
