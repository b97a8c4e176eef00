"""search(): from what a buyer typed and the filters to one page of products and the matching shops.

How a query is read
    Words as text.words() cuts them, small function words dropped (text.STOPWORDS), at most MAX_WORDS,
    each stemmed. A term of four letters or more also matches the known terms it begins ("yogya" finds
    "yogyakarta"), expanded here from the vocabulary (the most common MAX_COMPLETIONS of them), so both
    engines get the same plain terms. A term the index does not know (not as a term, nor as the start of one)
    is replaced by the nearest known term (typos.nearest: "kripik pisng" searches "keripik pisang" and says
    so); one with no near term is left out, and the page says which. Every remaining term must match (AND).

How results are ranked (the same on both engines, so pages are identical on SQLite and PostgreSQL)
    Everything that matches has every word somewhere (name, description, category, shop name, place). First
    come those whose name has every word as typed; then those whose name has every word counting
    completions ("kopi" in "Kopiah"); then those whose name has all but one of the words, and so on down to
    none ("batik tulis yogya": names with "batik tulis" before a shop called "Batik Tulis" selling honey);
    newest first within each group (products by product id; shops by business id). Scoring by the engines'
    own bm25 / ts_rank was measured and dropped: it scores every match, which for a common word among a
    million products takes FTS5 about 180 ms, and the two engines' scores would order pages differently.

Filters
    region: a Kemendagri code at any level ("34", "34.71", "34.71.01", "34.71.01.1001");
    sector: a KBLI code of 2–5 digits (the business's KBLI code starts with it) or a kategori letter A–U;
    price_min / price_max: whole rupiah, inclusive (products only; shops are not priced).
    All are tags in the full-text index, intersected by the engine (prices to two significant digits:
    documents.price_cover); the exact price bounds are then checked on the entry.

Pages are PER_PAGE products; at most MAX_PAGES of them. Matches are never counted beyond what a page walks
(see find), so the page knows whether a next page exists, and the total only when it has seen the end.
"""

import math
import re
from collections.abc import Callable
from itertools import combinations
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils.translation import gettext as _

from naikkelas.catalog.search import documents, engines, text, typos
from naikkelas.catalog.search.engines import All, Any, Bounds, Term, Without

PER_PAGE = 20
SHOPS_SHOWN = 6
# Pages beyond this are not served: nobody reads a thousand results, and every page skipped costs a walk.
MAX_PAGES = 50
MAX_WORDS = 8
# Up to this many words, results are ranked by how many of them the name holds; beyond it (the groups grow
# as the number of ways to choose them), only by whether it holds all of them.
TITLE_COUNT_WORDS = 4
# When no more than this many entries match, they are ranked in Python from their titles rather than by
# asking the engine group by group (see find).
SMALL_SET = 200
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
    """The terms a word matches: itself when known, and for four letters or more the commonest known terms
    it begins."""
    found = (term,) if known else ()
    if len(term) < PREFIX_MIN_LENGTH or term.isdigit():
        return found
    longer = (other for other in typos.completions(term, limit=MAX_COMPLETIONS) if other != term)
    return found + tuple(longer)[: MAX_COMPLETIONS - len(found)]


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


def _all(parts) -> object:
    parts = tuple(parts)
    return parts[0] if len(parts) == 1 else All(parts)


@dataclass(frozen=True)
class Group:
    """One ranking group: as an expression for the engines, and as a test of an entry's title terms for
    ranking a handful of matches in Python (the same rule, two ways of asking it)."""

    expr: object
    holds: Callable[[set[str]], bool]


def tiers(words: tuple[Word, ...]) -> list[Group]:
    """The ranking groups, best first (see the module docstring), repeats dropped. Each lies inside the
    next, so the last one is everything that matches, and a group's own entries are those of its expression
    without those of the group before."""
    if not words:
        return []
    title = [_one_of(word.completions, True) for word in words]
    anywhere = _all(_one_of(word.completions, False) for word in words)

    def in_title(title_terms: set[str]) -> int:
        return sum(1 for word in words if not title_terms.isdisjoint(word.completions))

    chain = []
    if all(word.known for word in words):
        exact = _all(_term(word.term, True) for word in words)
        chain.append(Group(exact, lambda terms: all(word.term in terms for word in words)))
    count = len(words)
    for least in range(count, -1, -1) if count <= TITLE_COUNT_WORDS else (count, 0):
        if least == count:
            expr = _all(title)  # title terms are indexed plainly too: this lies inside `anywhere`
        elif least == 0:
            expr = anywhere
        else:
            some = tuple(_all(title[index] for index in chosen) for chosen in combinations(range(count), least))
            expr = All((anywhere, some[0] if len(some) == 1 else Any(some)))
        chain.append(Group(expr, lambda terms, least=least: in_title(terms) >= least))
    found: list[Group] = []
    for group in chain:
        if all(group.expr != other.expr for other in found):
            found.append(group)
    return found


@dataclass(frozen=True)
class Found:
    ids: list[int]
    more: bool  # entries match beyond these
    total: int | None  # how many match in all, when the walk saw them all (it never counts beyond a page)


def _title_terms(entry_ids: list[int]) -> dict[int, set[str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, title FROM {engines.ENTRY_TABLE} WHERE id IN ({', '.join(['%s'] * len(entry_ids))})",
            entry_ids,
        )
        return {pk: set(text.stems(title)) for pk, title in cursor.fetchall()}


def _ranked(groups: list[Group], entry_ids: list[int], *, products: bool) -> list[int]:
    """A few matching entries in the groups' order, ranked here from their titles."""
    if not entry_ids:
        return []
    titles = _title_terms(entry_ids)

    def key(pk: int) -> tuple[int, int]:
        terms = titles.get(pk, set())
        group = next((index for index, group in enumerate(groups) if group.holds(terms)), len(groups))
        return group, -pk if products else pk

    return sorted(entry_ids, key=key)


def find(groups: list[Group], filters: list[Term], bounds: Bounds, *, products: bool, offset: int, limit: int) -> Found:
    """Entries of one kind matching the first group, then those of the second not already found, and so on:
    `limit` of them from `offset`, and whether there are more.

    Group by group, only as much as the page needs (and one more, to know whether a next page exists): for
    the first page, a walk down the best group that stops after `limit` + 1 ids. When the best group does
    not fill the page and few entries match at all (SMALL_SET), they are fetched at once and ranked here
    from their titles instead of group by group. Nothing counts every match: on PostgreSQL even a count
    stopped at a thousand costs more than the page (each match is a row to read), so a total is known only
    when every match has been seen. A later page needs the size of a group only when it skips it whole."""
    kind = documents.PRODUCT if products else documents.SHOP
    tags = tuple(filters)
    if bounds:
        tags += (_one_of(tuple(documents.price_cover(bounds.low, bounds.high)), False),)
    if not groups and not tags:
        tags = (Term(documents.kind_tag(kind)),)

    def narrowed(expr):
        parts = ((expr,) if expr is not None else ()) + tags
        return parts[0] if len(parts) == 1 else All(parts)

    exprs = [group.expr for group in groups] or [None]
    found: list[int] = []
    consumed = 0  # entries in the groups walked to their end
    for index, expr in enumerate(exprs):
        if len(found) > limit:
            break
        if index == 1:
            # The best group did not fill the page. If few entries match at all, fetch them at once and rank
            # them here: walking group after group would walk most of them several times over.
            every = engines.ids(narrowed(exprs[-1]), bounds, products=products, limit=SMALL_SET + 1)
            if len(every) <= SMALL_SET:
                ranked = _ranked(groups, every, products=products)
                page = ranked[offset : offset + limit]
                return Found(ids=page, more=len(ranked) > offset + limit, total=len(ranked))
        expr = narrowed(expr)
        if index:
            expr = Without(expr, narrowed(exprs[index - 1]))
        start = max(0, offset - consumed)
        wanted = limit + 1 - len(found)
        got = engines.ids(expr, bounds, products=products, limit=wanted, offset=start)
        found += got
        if len(got) < wanted:
            # The group ends before the page does; its size says where the page goes on in the next one.
            if got or start == 0:
                consumed += start + len(got)
            else:
                consumed += engines.count(expr, bounds, products=products, cap=start)
    if len(found) > limit:
        return Found(ids=found[:limit], more=True, total=None)
    # Every group was walked to its end: what was walked is everything.
    return Found(ids=found, more=False, total=consumed)


@dataclass
class SearchResults:
    query: str
    parsed: ParsedQuery
    filters: Filters
    page: int
    per_page: int
    product_ids: list[int]
    has_next: bool
    total: int | None  # products matching in all, when known (the last page, or everything on one page)
    shop_ids: list[int]  # business ids; first page only
    more_shops: bool
    products: list = field(default_factory=list)  # filled by hydrate()
    shops: list = field(default_factory=list)

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def pages(self) -> int | None:
        """The number of pages, when the total is known."""
        return None if self.total is None else max(1, math.ceil(self.total / self.per_page))

    @property
    def searched(self) -> bool:
        """Whether anything was asked: words or a filter."""
        return bool(self.parsed.words or self.parsed.ignored or self.filters)


def run(query: str, filters: Filters, *, page: int = 1) -> SearchResults:
    parsed = parse_query(query)
    page = max(1, min(int(page), MAX_PAGES))
    results = SearchResults(
        query=query, parsed=parsed, filters=filters, page=page, per_page=PER_PAGE,
        product_ids=[], has_next=False, total=0, shop_ids=[], more_shops=False,
    )
    if parsed.ignored and not parsed.words:
        return results  # words given, and none of them is in the index: nothing can match
    if not parsed.words and not filters:
        return results
    groups = tiers(parsed.words)
    products = find(groups, filters.tags(), filters.price, products=True, offset=(page - 1) * PER_PAGE, limit=PER_PAGE)
    if page > 1 and not products.ids and products.total:
        # Past the last page (an old link): show the last one.
        return run(query, filters, page=math.ceil(products.total / PER_PAGE))
    results.product_ids, results.total = products.ids, products.total
    results.has_next = products.more and page < MAX_PAGES
    if page == 1:
        shops = find(groups, filters.tags(), Bounds(), products=False, offset=0, limit=SHOPS_SHOWN)
        results.shop_ids, results.more_shops = [-pk for pk in shops.ids], shops.more
    return results
