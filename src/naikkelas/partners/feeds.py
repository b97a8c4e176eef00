"""Product feeds: one catalogue written for Google Merchant Center (RSS 2.0 with the g: namespace), for Meta
catalogues (CSV), and as plain CSV and JSON.

Writers take the products chunk by chunk (sync.feed_chunks) and give back one string per chunk, so a feed of
a million products is written, and sent, without ever being held whole. Each product is written on its own;
nothing in one product's text can break the document around it (XML escaping, CSV quoting, JSON encoding).

Google and Meta both require an image for every item: products without a photo are left out of google.xml
and meta.csv (the plain CSV and JSON list them, with an empty image address). Hidden and deleted products
are in no feed.
"""

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from xml.sax.saxutils import escape

from naikkelas.core.spreadsheets import escape_row
from naikkelas.partners.sync import Links

GOOGLE_NS = "http://base.google.com/ns/1.0"
CURRENCY = "IDR"
# Google: brand 1–70 characters; Meta: up to 100.
GOOGLE_BRAND_MAX, META_BRAND_MAX = 70, 100
# Characters XML 1.0 does not allow in a document at all (escaping cannot help): most C0 controls, lone
# surrogates, U+FFFE and U+FFFF. An owner's pasted text may hold them; they are dropped.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

Chunks = Iterable[list[dict]]


@dataclass(frozen=True)
class Channel:
    """What a feed says about itself, and the words it needs, resolved in the request's language before
    streaming starts."""

    title: str
    link: str
    description: str
    # A product without a description gets one from this pattern ("%(product)s dari %(shop)s"): Google and
    # Meta require a description.
    fallback_description: str


@dataclass(frozen=True)
class Feed:
    name: str
    content_type: str
    write: Callable[[Chunks, Links, Channel], Iterator[str]]


def _in_stock(row: dict) -> bool:
    return row["made_to_order"] or row["stock"] > 0


def _description(row: dict, channel: Channel) -> str:
    # Control characters first, so a description of nothing else counts as empty and gets the fallback.
    text = _NOT_XML.sub("", row["description"]).strip()
    return text or channel.fallback_description % {"product": row["name"], "shop": row["business__name"]}


def _price(row: dict) -> str:
    return f"{row['price']}.00 {CURRENCY}"


def _xml(value) -> str:
    return escape(_NOT_XML.sub("", str(value)))


# -- Google Merchant Center ----------------------------------------------------------------------------------


def _google_item(row: dict, links: Links, channel: Channel) -> str:
    slug = row["business__slug"]
    parts = [
        "<item>",
        f"<g:id>{row['id']}</g:id>",
        f"<g:title>{_xml(row['name'])}</g:title>",
        f"<g:description>{_xml(_description(row, channel))}</g:description>",
        f"<g:link>{_xml(links.product(slug, row['id']))}</g:link>",
        f"<g:image_link>{_xml(links.photo(row['image']))}</g:image_link>",
        f"<g:availability>{'in_stock' if _in_stock(row) else 'out_of_stock'}</g:availability>",
        f"<g:price>{_price(row)}</g:price>",
        "<g:condition>new</g:condition>",
        # Made by the shop itself: Google asks for the maker as the brand, and for identifier_exists "no"
        # where there is no GTIN or MPN, which home-made goods do not have.
        f"<g:brand>{_xml(row['business__name'][:GOOGLE_BRAND_MAX])}</g:brand>",
        "<g:identifier_exists>no</g:identifier_exists>",
    ]
    if row["category"]:
        parts.append(f"<g:product_type>{_xml(row['category'])}</g:product_type>")
    if row["weight_grams"]:
        parts.append(f"<g:shipping_weight>{row['weight_grams']} g</g:shipping_weight>")
    parts.append("</item>\n")
    return "".join(parts)


def google_xml(chunks: Chunks, links: Links, channel: Channel) -> Iterator[str]:
    yield (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<rss version="2.0" xmlns:g="{GOOGLE_NS}">\n<channel>\n'
        f"<title>{_xml(channel.title)}</title>\n"
        f"<link>{_xml(channel.link)}</link>\n"
        f"<description>{_xml(channel.description)}</description>\n"
    )
    for chunk in chunks:
        items = "".join(_google_item(row, links, channel) for row in chunk if row["image"])
        if items:
            yield items
    yield "</channel>\n</rss>\n"


# -- Meta catalogue ------------------------------------------------------------------------------------------

META_COLUMNS = ("id", "title", "description", "availability", "condition", "price", "link", "image_link", "brand")


def _meta_availability(row: dict) -> str:
    if row["made_to_order"]:
        return "available for order"
    return "in stock" if row["stock"] > 0 else "out of stock"


def _csv_text(rows: Iterable[Iterable]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def meta_csv(chunks: Chunks, links: Links, channel: Channel) -> Iterator[str]:
    # Written as the owner wrote it, without spreadsheet escaping: Meta's fetcher reads this file, and an
    # apostrophe put before a title starting with "-" would show on Facebook and Instagram.
    yield _csv_text([META_COLUMNS])
    for chunk in chunks:
        rows = [
            (
                row["id"],
                row["name"],
                _description(row, channel),
                _meta_availability(row),
                "new",
                _price(row),
                links.product(row["business__slug"], row["id"]),
                links.photo(row["image"]),
                row["business__name"][:META_BRAND_MAX],
            )
            for row in chunk
            if row["image"]
        ]
        if rows:
            yield _csv_text(rows)


# -- plain CSV and JSON --------------------------------------------------------------------------------------

PLAIN_COLUMNS = (
    "id", "business_id", "shop", "name", "description", "price", "currency", "stock", "made_to_order",
    "availability", "unit", "weight_grams", "category", "url", "image_url", "updated_at",
)


def _plain(row: dict, links: Links) -> dict:
    """A product as the API's GET /products gives it, with its shop's name."""
    return {
        "id": row["id"],
        "business_id": row["business_id"],
        "shop": row["business__name"],
        "name": row["name"],
        "description": row["description"],
        "price": row["price"],
        "currency": CURRENCY,
        "stock": None if row["made_to_order"] else row["stock"],
        "made_to_order": row["made_to_order"],
        "availability": "in_stock" if _in_stock(row) else "out_of_stock",
        "unit": row["unit"],
        "weight_grams": row["weight_grams"],
        "category": row["category"],
        "url": links.product(row["business__slug"], row["id"]),
        "image_url": links.photo(row["image"]),
        "updated_at": row["updated_at"].isoformat().replace("+00:00", "Z"),
    }


def produk_csv(chunks: Chunks, links: Links, channel: Channel) -> Iterator[str]:
    # People open this one in a spreadsheet: every text cell is escaped against formulas.
    yield _csv_text([PLAIN_COLUMNS])
    for chunk in chunks:
        rows = []
        for row in chunk:
            item = _plain(row, links)
            item["made_to_order"] = "true" if item["made_to_order"] else "false"
            rows.append(escape_row(item[column] for column in PLAIN_COLUMNS))
        yield _csv_text(rows)


def produk_json(chunks: Chunks, links: Links, channel: Channel) -> Iterator[str]:
    yield "["
    separator = "\n"
    for chunk in chunks:
        if not chunk:
            continue
        yield separator + ",\n".join(json.dumps(_plain(row, links), ensure_ascii=False) for row in chunk)
        separator = ",\n"
    yield "\n]\n"


FEEDS = {
    feed.name: feed
    for feed in (
        Feed("google.xml", "application/xml; charset=utf-8", google_xml),
        Feed("meta.csv", "text/csv; charset=utf-8", meta_csv),
        Feed("produk.csv", "text/csv; charset=utf-8", produk_csv),
        Feed("produk.json", "application/json", produk_json),
    )
}
