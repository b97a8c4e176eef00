"""What search engines and chat apps read from a shop page: schema.org JSON-LD and Open Graph tags.

WhatsApp builds its link preview from og:title, og:description and og:image, so a shared shop link shows the
shop's name and a product photo. Every URL given here must already be absolute.
"""

import json

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from naikkelas.catalog.models import Product
from naikkelas.catalog.storefront import DAY_CODES
from naikkelas.regions.selectors import region_path
from naikkelas.registry.models import Business

SCHEMA = "https://schema.org"
_DAY_NAMES = dict(zip(DAY_CODES, ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")))
# Inside <script> the HTML parser ends the element at "</script>" whatever JSON thinks; with these three
# written as \u escapes no text from an owner can close the element or open a comment.
_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def jsonld_script(data: dict) -> SafeString:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


def _address(business: Business) -> dict:
    province, regency, district, village = region_path(business.village)
    return {
        "@type": "PostalAddress",
        # Village and district stand where Indonesian addresses write "Kel. …, Kec. …"; the owner's street
        # address is not published.
        "streetAddress": f"{village.name}, {district.name}",
        "addressLocality": regency.name,
        "addressRegion": province.name,
        "addressCountry": "ID",
    }


def _opening_hours(hours: list) -> list[dict]:
    specs = []
    for entry in hours or []:
        if not isinstance(entry, dict) or not entry.get("opens") or not entry.get("closes"):
            continue
        days = [f"{SCHEMA}/{_DAY_NAMES[code]}" for code in entry.get("days") or [] if code in _DAY_NAMES]
        if days:
            specs.append(
                {
                    "@type": "OpeningHoursSpecification",
                    "dayOfWeek": days,
                    "opens": entry["opens"],
                    "closes": entry["closes"],
                }
            )
    return specs


def store_jsonld(business: Business, *, url: str, image: str = "") -> dict:
    """A schema.org Store (a LocalBusiness) for a public shop: `business.shop` and its regions loaded."""
    shop = business.shop
    data = {"@context": SCHEMA, "@type": "Store", "name": business.name, "url": url, "address": _address(business)}
    if shop.tagline:
        data["description"] = shop.tagline
    if business.phone:
        data["telephone"] = business.phone
    if image:
        data["image"] = image
    if shop.latitude is not None and shop.longitude is not None:
        data["geo"] = {"@type": "GeoCoordinates", "latitude": float(shop.latitude), "longitude": float(shop.longitude)}
    if hours := _opening_hours(shop.opening_hours):
        data["openingHoursSpecification"] = hours
    return data


def availability(product: Product) -> str:
    if product.made_to_order:
        return f"{SCHEMA}/PreOrder"
    return f"{SCHEMA}/InStock" if product.stock > 0 else f"{SCHEMA}/OutOfStock"


def product_jsonld(product: Product, *, url: str, images: list[str], shop_url: str) -> dict:
    business = product.business
    data = {
        "@context": SCHEMA,
        "@type": "Product",
        "name": product.name,
        "sku": str(product.pk),
        "url": url,
        "offers": {
            "@type": "Offer",
            "price": product.price,
            "priceCurrency": "IDR",
            "availability": availability(product),
            "url": url,
            "seller": {"@type": "Store", "name": business.name, "url": shop_url},
        },
    }
    if product.description:
        data["description"] = product.description
    if product.category:
        data["category"] = product.category
    if images:
        data["image"] = images
    return data


def og_tags(
    *, title: str, description: str, url: str, image: str = "", image_size: tuple[int, int] | None = None,
    kind: str = "website",
) -> list[tuple[str, str]]:
    """(property, content) pairs for <meta property=… content=…>."""
    tags = [
        ("og:site_name", "Naik Kelas"),
        ("og:type", kind),
        ("og:title", title),
        ("og:description", description),
        ("og:url", url),
        ("og:locale", "id_ID"),
    ]
    if image:
        tags.append(("og:image", image))
        if image_size:
            tags += [("og:image:width", str(image_size[0])), ("og:image:height", str(image_size[1]))]
    return tags


def product_og(product: Product, *, description: str, url: str, image: str = "", image_size=None) -> list:
    tags = og_tags(
        title=f"{product.name} · {product.business.name}", description=description, url=url, image=image,
        image_size=image_size, kind="product",
    )
    return tags + [("product:price:amount", str(product.price)), ("product:price:currency", "IDR")]
