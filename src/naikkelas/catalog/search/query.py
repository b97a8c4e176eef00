"""search(): from what a buyer typed and the filters to one page of products and the matching shops.

How a query is read
    Words as text.words() cuts them, small function words dropped (text.STOPWORDS), at most MAX_WORDS,
    each stemmed. A term of four letters or more also matches the known terms it begins ("yogya" finds
    "yogyakarta"), expanded here from the vocabulary (the most common MAX_COMPLETIONS of them), so both
    engines get the same plain terms. A term the index does not know (not as a term, nor as the start of one)
    is replaced by the nearest known
    term (typos.nearest: "kripik pisng" searches "keripik pisang" and says so); one with no near term is left
    out, and the page says which words were left out. Every remaining term must match (AND).

How results are ranked (the same on both engines, so pages are identical on SQLite and PostgreSQL)
    1. every word in the name, as typed;  2. every word in the name, counting completions;
    3. every word somewhere (name, description, category, shop, place), as typed;  4. the same with completions;
    newest first within each group (products by product id; shops by business id). Scoring by the engines'
    own bm25 / ts_rank was measured and dropped: it scores every match, which for a common word among a
    million products takes FTS5 about 180 ms, and the two engines' scores would order pages differently.

Filters
    region: a Kemendagri code at any level ("34", "34.71", "34.71.01", "34.71.01.1001");
    sector: a KBLI code of 2–5 digits (the business's KBLI code starts with it) or a kategori letter A–U;
    price_min / price_max: whole rupiah, inclusive (products only; shops are not priced).
    All are tags in the full-text index, intersected by the engine (prices to two significant digits:
    documents.price_cover); the exact price bounds are then checked on the entry.

At most MAX_RESULTS products are counted and paged through: a thousand results is already more than anyone
reads, and counting every match of a common word would cost more than the page.
"""

import math
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from naikkelas.catalog.search import documents, engines, text, typos
from naikkelas.catalog.search.engines import All, Any, Bounds, Term, Without

PER_PAGE = 20
SHOPS_SHOWN = 6
MAX_RESULTS = 1000
MAX_WORDS = 8
# A word of four letters or more also matches the known terms it begins: the most common ones, up to this
# many (a short prefix of a common word could otherwise stand for hundreds of terms).
MAX_COMPLETIONS = 20
MAX_QUERY_LENGTH = 200
PREFIX_MIN_LENGTH = 4
MAX_PRICE = 10**13

REGION_PATTERN = re.compile(r"^\d{2}(?:\.\d{2}(?:\.\d{2}(?:\.\d{4})?)?)?$")
SECTOR_PATTERN = re.compile(r"^(?:[A-Ua-u]|\d{2,5})$")


class SearchError(ValidationError):
    """A filter that cannot be used, with a message for the buyer."""


@dataclass(frozen=True)
class Filters:
    region: str = ""
    sector: str = ""
    price: Bounds = field(default_factory=Bounds)

    def tags(self) -> list[Term]:
        found = []
        if self.region:
            found.append(Term(documents.region_tag(self.region)))
        if self.sector:
            found.append(Term(documents.sector_tag(self.sector.upper() if self.sector.isalpha() else self.sector)))
        return found

    def __bool__(self) -> bool:
        return bool(self.region or self.sector or self.price)


def _price(value, label: str) -> int | None:
    if value is None or value == "":
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise SearchError(_("%(label)s harus berupa angka rupiah, mis. 15000.") % {"label": label}) from None
    if number < 0 or number > MAX_PRICE:
        raise SearchError(_("%(label)s di luar batas yang masuk akal.") % {"label": label})
    return number


def parse_filters(*, region=None, sector=None, price_min=None, price_max=None) -> Filters:
    """Checked filters; SearchError (with an Indonesian message) for one that cannot be used."""
    region = (region or "").strip()
    if region and not REGION_PATTERN.match(region):
        raise SearchError(_("Kode wilayah tidak dikenali. Contoh: 34 (provinsi) atau 34.71 (kabupaten/kota)."))
    sector = (sector or "").strip()
    if sector and not SECTOR_PATTERN.match(sector):
        raise SearchError(_("Kode sektor tidak dikenali: satu huruf kategori KBLI (mis. C) atau 2–5 angka."))
    low = _price(price_min, _("Harga terendah"))
    high = _price(price_max, _("Harga tertinggi"))
    if low is not None and high is not None and low > high:
        raise SearchError(_("Harga terendah lebih besar dari harga tertinggi."))
    return Filters(region=region, sector=sector.upper() if sector.isalpha() else sector, price=Bounds(low, high))


@dataclass(frozen=True)
class Word:
    typed: str  # as text.words() gave it
    term: str  # the stem searched for
    shown: str  # how to write it back to the buyer (the typed word, or the word of a corrected term)
    known: bool  # the term itself occurs in the index (a prefix may occur only inside longer terms)
    completions: tuple[str, ...]  # the known terms it matches as a prefix, itself included when known
    corrected: bool = False


@dataclass(frozen=True)
class ParsedQuery:
    words: tuple[Word, ...]
    ignored: tuple[str, ...]  # typed words nothing in the index matches, even after correction

    @property
    def corrected(self) -> bool:
        return any(word.corrected for word in self.words)

    @property
    def corrected_text(self) -> str:
        return " ".join(word.shown for word in self.words) if self.corrected else ""


def _completions(term: str, known: bool) -> tuple[str, ...]:
    if len(term) < PREFIX_MIN_LENGTH or term.isdigit():
        return (term,) if known else ()
    return tuple(typos.completions(term, limit=MAX_COMPLETIONS))


def parse_query(query: str) -> ParsedQuery:
    typed = text.words((query or "")[:MAX_QUERY_LENGTH])
    content = [word for word in typed if word not in text.STOPWORDS]
    typed = (content or typed)[:MAX_WORDS]
    by_term: dict[str, str] = {}
    for word in typed:
        by_term.setdefault(text.stem(word), word)
    known = typos.known(list(by_term))
    words: list[Word] = []
    ignored: list[str] = []
    for term, word in by_term.items():
        completions = _completions(term, term in known)
        if completions:
            words.append(Word(typed=word, term=term, shown=word, known=term in known, completions=completions))
            continue
        nearest = typos.nearest(term)
        if nearest is None:
            ignored.append(word)
            continue
        shown = typos.known([nearest]).get(nearest, nearest)
        completions = _completions(nearest, True)
        words.append(Word(typed=word, term=nearest, shown=shown, known=True, completions=completions, corrected=True))
    # Two typed words may correct to the same term.
    unique = {word.term: word for word in reversed(words)}
    words = [word for word in words if unique[word.term] is word]
    return ParsedQuery(words=tuple(words), ignored=tuple(ignored))


def _term(term: str, title_only: bool) -> Term:
    return Term(documents.title_term(term) if title_only else term)


def _one_of(terms: tuple[str, ...], title_only: bool):
    found = tuple(_term(term, title_only) for term in terms)
    return found[0] if len(found) == 1 else Any(found)


def tiers(words: tuple[Word, ...]) -> list:
    """The ranking groups as expressions, best first (see the module docstring); repeats dropped. Every
    group lies inside the last one, so the last one is everything that matches."""
    if not words:
        return []
    exact = all(word.known for word in words)
    candidates = []
    for title_only in (True, False):
        if exact:
            candidates.append(All(tuple(_term(word.term, title_only) for word in words)))
        candidates.append(All(tuple(_one_of(word.completions, title_only) for word in words)))
    found = []
    for expr in candidates:
        if expr not in found:
            found.append(expr)
    return found


def _earlier(groups: list, index: int):
    """What the groups before `index` found. The first group (every word in the name, as typed) lies inside
    every later one, so once there is a later one it adds nothing but work."""
    before = groups[:index]
    if len(before) > 1:
        before = before[1:]
    return before[0] if len(before) == 1 else Any(tuple(before))


@dataclass(frozen=True)
class Found:
    ids: list[int]
    total: int  # capped at the cap asked for
    capped: bool


def find(groups: list, filters: list[Term], bounds: Bounds, *, products: bool, offset: int, limit: int, cap: int) -> Found:
    """Entries of one kind matching the first group, then those of the second not already found, and so on;
    `limit` of them from `offset`; and how many match in all (up to `cap`).

    One count of everything that matches (the last group), then, group by group, only as much as the page
    needs: for the first page a walk down the best group that stops after `limit` ids. A later page needs
    the size of a group only when it skips the group whole."""
    kind = documents.PRODUCT if products else documents.SHOP
    tags = tuple(filters)
    if bounds:
        tags += (_one_of(tuple(documents.price_cover(bounds.low, bounds.high)), False),)
    if not groups and not tags:
        tags = (Term(documents.kind_tag(kind)),)

    def narrowed(group):
        parts = ((group,) if group is not None else ()) + tags
        return parts[0] if len(parts) == 1 else All(parts)

    groups = groups or [None]
    total = engines.count(narrowed(groups[-1]), bounds, products=products, cap=cap + 1)
    capped = total > cap
    total = min(total, cap)
    found: list[int] = []
    consumed = 0  # entries in the groups already walked
    for index, group in enumerate(groups):
        if len(found) >= limit or consumed >= total:
            break
        expr = narrowed(group)
        if index:
            expr = Without(expr, narrowed(_earlier(groups, index)))
        start = max(0, offset - consumed)
        wanted = limit - len(found)
        got = engines.ids(expr, bounds, products=products, limit=wanted, offset=start)
        found += got
        if len(got) < wanted:
            # The group ends before the page does; its size says where the page goes on in the next one.
            if got or start == 0:
                consumed += start + len(got)
            else:
                consumed += engines.count(expr, bounds, products=products, cap=start)
    return Found(ids=found, total=total, capped=capped)


@dataclass
class SearchResults:
    query: str
    parsed: ParsedQuery
    filters: Filters
    page: int
    per_page: int
    total: int  # products, at most MAX_RESULTS
    capped: bool  # more products than MAX_RESULTS matched
    product_ids: list[int]
    shop_ids: list[int]  # business ids; first page only
    shop_total: int
    products: list = field(default_factory=list)  # filled by hydrate()
    shops: list = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def searched(self) -> bool:
        """Whether anything was asked: words or a filter."""
        return bool(self.parsed.words or self.parsed.ignored or self.filters)


def run(query: str, filters: Filters, *, page: int = 1) -> SearchResults:
    parsed = parse_query(query)
    page = max(1, min(int(page), math.ceil(MAX_RESULTS / PER_PAGE)))
    results = SearchResults(
        query=query, parsed=parsed, filters=filters, page=page, per_page=PER_PAGE, total=0, capped=False,
        product_ids=[], shop_ids=[], shop_total=0,
    )
    if parsed.ignored and not parsed.words:
        return results  # words given, and none of them is in the index: nothing can match
    if not parsed.words and not filters:
        return results
    groups = tiers(parsed.words)
    products = find(
        groups, filters.tags(), filters.price, products=True,
        offset=(page - 1) * PER_PAGE, limit=PER_PAGE, cap=MAX_RESULTS,
    )
    if products.total and not products.ids and page > 1:
        # Past the last page (an old link): show the last one.
        return run(query, filters, page=math.ceil(products.total / PER_PAGE))
    results.product_ids, results.total, results.capped = products.ids, products.total, products.capped
    if page == 1:
        shops = find(groups, filters.tags(), Bounds(), products=False, offset=0, limit=SHOPS_SHOWN, cap=MAX_RESULTS)
        results.shop_ids, results.shop_total = [-pk for pk in shops.ids], shops.total
    return results
