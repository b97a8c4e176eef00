"""What an entry says: the title, body and tags of a product or a shop, from plain values. No Django here.

Tags are the filters, indexed like words: the kind ("j1" product, "j2" shop), the region at each level
("w34", "w3404", "w340407", "w3404072001"), the KBLI code at each level ("k10", "k107", "k1079", "k10794")
and its kategori letter ("k0c"), and a product's price at three precisions (price_tags). Each mixes letters
and digits, which no word from text.words() ever does, so a search for words can never match a tag, and a
filter is one more term for the engine to intersect. Title terms are marked the same way ("t0" + stem).
"""

from collections.abc import Iterable
from dataclasses import dataclass

from naikkelas.catalog.search import text

PRODUCT, SHOP = 1, 2
TITLE_MARK = "t0"
# A shop is also found by what it sells: the distinct words of its active products' names and categories,
# oldest product first, up to this many (a shop of 10,000 products should not carry a 10,000-word body).
SHOP_PRODUCT_WORDS = 200


@dataclass(frozen=True)
class Shop:
    """What the entries of one public shop and of its products need to know about the business."""

    id: int
    name: str
    tagline: str
    village_code: str
    sector_code: str
    kategori: str
    sector_title: str
    place: str  # place_words() of its village


@dataclass(frozen=True)
class Entry:
    id: int
    kind: int
    business_id: int
    price: int | None
    title: str
    body: str
    tags: str

    def row(self) -> tuple:
        return (self.id, self.kind, self.business_id, self.price, self.title, self.body, self.tags)


def place_words(names: Iterable[str]) -> str:
    """The words of a place, village first: official names (already without "Kota"/"Kabupaten") and the
    everyday names people search with (text.PLACE_ALIASES)."""
    parts = []
    for name in names:
        parts.append(name)
        alias = text.PLACE_ALIASES.get(text.normalized(name))
        if alias:
            parts.append(alias)
    return text.normalized(*parts)


def region_codes(village_code: str) -> list[str]:
    """"34.04.07.2001" -> ["34", "34.04", "34.04.07", "34.04.07.2001"]."""
    parts = village_code.split(".")
    return [".".join(parts[:depth]) for depth in range(1, len(parts) + 1)]


def region_tag(code: str) -> str:
    return "w" + code.replace(".", "")


def sector_tag(code: str) -> str:
    """A KBLI code of 2–5 digits, or a kategori letter."""
    if code.isalpha():
        return "k0" + code.lower()
    return "k" + code


def kind_tag(kind: int) -> str:
    return f"j{kind}"


def title_term(term: str) -> str:
    """The term that says `term` is in the name (see schema.py)."""
    return TITLE_MARK + term


# Prices are tagged by their number of digits and their first one and two digits: 25,000 is "p5" (10,000–
# 99,999), "p5x2" (20,000–29,999) and "p5x25" (25,000–25,999). A price range is then an OR of a few tags
# (price_cover) that the engine intersects with the words, tight to two significant digits; the exact bounds
# are checked on the entry itself.
_PRICE_PRECISION = 2


def price_tags(price: int) -> list[str]:
    digits = str(price) if price > 0 else ""
    found = [f"p{len(digits)}"]
    found += [f"p{len(digits)}x{digits[:length]}" for length in range(1, min(_PRICE_PRECISION, len(digits)) + 1)]
    return found


def price_cover(low: int | None, high: int | None) -> list[str]:
    """Tags whose prices together include every price from `low` to `high` (inclusive; None for open), and
    as few others as two significant digits allow."""
    low = 0 if low is None else low
    high = 10 ** 15 - 1 if high is None else high
    found: list[str] = []
    if low == 0:
        found.append("p0")
    for length in range(max(1, len(str(max(low, 1)))), len(str(high)) + 1):
        _cover(found, length, "", low, high)
    return found


def _cover(found: list[str], length: int, prefix: str, low: int, high: int) -> None:
    spare = length - len(prefix)
    first = int(prefix.ljust(length, "0")) if prefix else 10 ** (length - 1)
    last = int(prefix.ljust(length, "9")) if prefix else 10**length - 1
    if last < low or first > high:
        return
    tag = f"p{length}x{prefix}" if prefix else f"p{length}"
    if (low <= first and last <= high) or len(prefix) == _PRICE_PRECISION or spare == 0:
        found.append(tag)
        return
    for digit in ("123456789" if not prefix else "0123456789"):
        _cover(found, length, prefix + digit, low, high)


def tags(*, kind: int, shop: Shop, price: int | None = None) -> str:
    found = [kind_tag(kind)]
    if shop.village_code:
        found += [region_tag(code) for code in region_codes(shop.village_code)]
    if shop.sector_code:
        found += [sector_tag(shop.sector_code[:length]) for length in range(2, len(shop.sector_code) + 1)]
    if shop.kategori:
        found.append(sector_tag(shop.kategori))
    if price is not None:
        found += price_tags(price)
    return " ".join(found)


def product_entry(*, product_id: int, name: str, category: str, description: str, price: int, shop: Shop) -> Entry:
    return Entry(
        id=product_id,
        kind=PRODUCT,
        business_id=shop.id,
        price=price,
        title=text.normalized(name),
        body=" ".join(part for part in (text.normalized(category, description, shop.name), shop.place) if part),
        tags=tags(kind=PRODUCT, shop=shop, price=price),
    )


def shop_entry(*, shop: Shop, product_words: str) -> Entry:
    body = (text.normalized(shop.tagline, shop.sector_title), shop.place, product_words)
    return Entry(
        id=-shop.id,
        kind=SHOP,
        business_id=shop.id,
        price=None,
        title=text.normalized(shop.name),
        body=" ".join(part for part in body if part),
        tags=tags(kind=SHOP, shop=shop),
    )


def distinct_words(texts: Iterable[str], limit: int = SHOP_PRODUCT_WORDS) -> str:
    """The first `limit` distinct words of `texts`, in order of first appearance."""
    seen: dict[str, None] = {}
    for piece in texts:
        for word in text.words(piece):
            if word not in seen:
                seen[word] = None
                if len(seen) >= limit:
                    return " ".join(seen)
    return " ".join(seen)
