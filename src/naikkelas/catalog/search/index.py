"""Keeping the index in step with the catalogue: one product, one shop, or everything at once.

What is searchable: every active product of a public shop (a business with a ShopProfile), and every public
shop. Anything else has no entry. The catalogue's services call `index_products` / `index_business` in the
same transaction as the change, so the index never shows what the shop does not.

Writes are the same SQL on both engines for the SearchEntry and SearchTerm tables; on SQLite the FTS5 table
(schema.FTS_TABLE) is written beside them with the stems, while PostgreSQL computes its tsvector itself.
"""

import itertools
import time
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator

from django.db import connection, transaction

from naikkelas.catalog.models import Product, SearchEntry, SearchState, SearchTerm
from naikkelas.catalog.search import documents, schema, text
from naikkelas.catalog.search.documents import Entry, Shop
from naikkelas.regions.models import Region
from naikkelas.registry.models import Business

BATCH = 5000
ENTRY_TABLE = SearchEntry._meta.db_table
TERM_TABLE = SearchTerm._meta.db_table
_ENTRY_COLUMNS = "id, kind, business_id, price, title, body, tags"


def _chunks(items: list, size: int = BATCH) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _placeholders(count: int) -> str:
    return ", ".join(["%s"] * count)


# -- what the catalogue says --------------------------------------------------------------------------------


def _places(village_codes: Iterable[str]) -> dict[str, str]:
    """village code -> place_words() of the village and the three regions above it."""
    villages = sorted(set(village_codes))
    codes = sorted({code for village in villages for code in documents.region_codes(village)})
    names: dict[str, str] = {}
    for chunk in _chunks(codes):
        names.update(Region.objects.filter(code__in=chunk).values_list("code", "search_name"))
    return {
        village: documents.place_words(names.get(code, "") for code in reversed(documents.region_codes(village)))
        for village in villages
    }


def _shop_rows(business_ids: list[int] | None) -> list[tuple]:
    businesses = Business.objects.filter(shop__isnull=False)
    if business_ids is not None:
        businesses = businesses.filter(pk__in=business_ids)
    return list(
        businesses.values_list(
            "pk", "name", "shop__tagline", "village_id", "sector_id", "sector__kategori", "sector__title"
        ).order_by("pk")
    )


def _shops(business_ids: list[int] | None) -> dict[int, Shop]:
    """The public shops among `business_ids` (all of them for None)."""
    rows = []
    if business_ids is None:
        rows = _shop_rows(None)
    else:
        for chunk in _chunks(sorted(set(business_ids))):
            rows += _shop_rows(chunk)
    places = _places(row[3] for row in rows)
    return {
        pk: Shop(
            id=pk,
            name=name,
            tagline=tagline or "",
            village_code=village or "",
            sector_code=sector or "",
            kategori=kategori or "",
            sector_title=sector_title or "",
            place=places.get(village, ""),
        )
        for pk, name, tagline, village, sector, kategori, sector_title in rows
    }


def _product_entry(row: tuple, shop: Shop) -> Entry:
    pk, _business_id, name, category, description, price = row
    return documents.product_entry(
        product_id=pk, name=name, category=category, description=description, price=price, shop=shop
    )


_PRODUCT_FIELDS = ("pk", "business_id", "name", "category", "description", "price")


def _shop_product_words(business_id: int) -> str:
    names = (
        Product.objects.filter(business_id=business_id, is_active=True)
        .order_by("pk")
        .values_list("name", "category")
    )
    return documents.distinct_words(itertools.chain.from_iterable(names.iterator(chunk_size=500)))


# -- writing entries ----------------------------------------------------------------------------------------


class _Analyzer:
    """Stems for a batch of entries, and for each stem the word shown for it (the shortest, then first in
    alphabetical order, of the words seen with that stem)."""

    def __init__(self):
        self.shown: dict[str, str] = {}
        self._seen: dict[str, str] = {}

    def stems(self, normalized: str) -> list[str]:
        found = []
        for word in normalized.split():
            stem = self._seen.get(word)
            if stem is None:
                stem = self._seen[word] = text.stem(word)
                shown = self.shown.get(stem)
                if shown is None or (len(word), word) < (len(shown), shown):
                    self.shown[stem] = word
            found.append(stem)
        return found


def _terms(analyzer: _Analyzer, title: str, body: str) -> tuple[list[str], list[str]]:
    return analyzer.stems(title), analyzer.stems(body)


def _insert(cursor, entries: list[Entry], analyzer: _Analyzer, df: Counter) -> None:
    """Insert entries (ascending id: FTS5 writes fastest in rowid order) and count their stems into df."""
    fts_rows = []
    for entry in entries:
        title, body = _terms(analyzer, entry.title, entry.body)
        df.update(set(title) | set(body))
        terms = (*title, *(documents.title_term(term) for term in title), *body, entry.tags)
        fts_rows.append((entry.id, " ".join(terms)))
    cursor.executemany(
        f"INSERT INTO {ENTRY_TABLE} ({_ENTRY_COLUMNS}) VALUES ({_placeholders(7)})", [e.row() for e in entries]
    )
    if connection.vendor == "sqlite":
        cursor.executemany(f"INSERT INTO {schema.FTS_TABLE} (rowid, terms) VALUES (%s, %s)", fts_rows)


def _write(entries: list[Entry], remove_ids: Iterable[int]) -> None:
    """Make the index hold `entries` and nothing for `remove_ids`. Unchanged entries are left alone."""
    wanted = {entry.id: entry for entry in entries}
    ids = sorted(set(wanted) | set(remove_ids))
    if not ids:
        return
    with connection.cursor() as cursor:
        old: dict[int, tuple] = {}
        for chunk in _chunks(ids):
            cursor.execute(
                f"SELECT {_ENTRY_COLUMNS} FROM {ENTRY_TABLE} WHERE id IN ({_placeholders(len(chunk))})", chunk
            )
            old.update((row[0], tuple(row)) for row in cursor.fetchall())
        changed = sorted((e for e in wanted.values() if old.get(e.id) != e.row()), key=lambda e: e.id)
        stale = sorted({e.id for e in changed if e.id in old} | {pk for pk in old if pk not in wanted})
        if not changed and not stale:
            return
        analyzer = _Analyzer()
        removed: Counter = Counter()
        for pk in stale:
            _, _, _, _, title, body, _ = old[pk]
            old_title, old_body = _terms(analyzer, title, body)
            removed.update(set(old_title) | set(old_body))
        for chunk in _chunks(stale):
            marks = _placeholders(len(chunk))
            cursor.execute(f"DELETE FROM {ENTRY_TABLE} WHERE id IN ({marks})", chunk)
            if connection.vendor == "sqlite":
                cursor.execute(f"DELETE FROM {schema.FTS_TABLE} WHERE rowid IN ({marks})", chunk)
        added: Counter = Counter()
        for chunk in _chunks(changed):
            _insert(cursor, chunk, analyzer, added)
        delta = Counter(added)
        delta.subtract(removed)
        _vocabulary_apply(cursor, delta, analyzer.shown)


def _vocabulary_apply(cursor, delta: Counter, shown: dict[str, str]) -> None:
    """Add `delta` to each stem's entry count; a stem counted in no entry leaves the vocabulary."""
    terms = sorted(term for term, change in delta.items() if change)  # one lock order for every writer
    if not terms:
        return
    existing: set[str] = set()
    for chunk in _chunks(terms):
        cursor.execute(f"SELECT term FROM {TERM_TABLE} WHERE term IN ({_placeholders(len(chunk))})", chunk)
        existing.update(row[0] for row in cursor.fetchall())
    cursor.executemany(
        f"INSERT INTO {TERM_TABLE} (term, df, word) VALUES (%s, %s, %s) "
        f"ON CONFLICT (term) DO UPDATE SET df = {TERM_TABLE}.df + excluded.df",
        [(term, delta[term], shown.get(term, term)) for term in terms],
    )
    appeared = any(delta[term] > 0 and term not in existing for term in terms)
    left = 0
    shrunk = [term for term in terms if delta[term] < 0]
    for chunk in _chunks(shrunk):
        cursor.execute(f"DELETE FROM {TERM_TABLE} WHERE df <= 0 AND term IN ({_placeholders(len(chunk))})", chunk)
        left += cursor.rowcount
    if appeared or left:
        _vocabulary_changed()


def _vocabulary_changed() -> None:
    SearchState.objects.update_or_create(id=1, defaults={"vocabulary_version": uuid.uuid4().hex})


# -- the public entry points --------------------------------------------------------------------------------


def index_products(product_ids: Iterable[int]) -> None:
    """Bring the entries of these products, and of their shops (which are found by their products' words),
    in line with the catalogue: added, changed, or removed when a product is hidden, deleted, or its shop
    is not public."""
    ids = sorted({int(pk) for pk in product_ids})
    if not ids:
        return
    with transaction.atomic():
        for chunk in _chunks(ids):
            rows = list(Product.objects.filter(pk__in=chunk, is_active=True).values_list(*_PRODUCT_FIELDS))
            before = SearchEntry.objects.filter(pk__in=chunk).values_list("business_id", flat=True)
            business_ids = sorted({row[1] for row in rows} | set(before))
            shops = _shops(business_ids)
            entries = [_product_entry(row, shops[row[1]]) for row in rows if row[1] in shops]
            entries += [
                documents.shop_entry(shop=shop, product_words=_shop_product_words(shop.id))
                for shop in shops.values()
            ]
            kept = {entry.id for entry in entries}
            gone = [pk for pk in chunk if pk not in kept] + [-pk for pk in business_ids if pk not in shops]
            _write(entries, gone)


def index_business(business_id: int) -> None:
    """Bring the shop's own entry and all its products' entries in line with the catalogue (after the shop
    opens or closes, or its name, place, sector or tagline change)."""
    business_id = int(business_id)
    with transaction.atomic():
        shop = _shops([business_id]).get(business_id)
        listed = set(SearchEntry.objects.filter(business_id=business_id).values_list("pk", flat=True))
        kept: set[int] = set()
        if shop is not None:
            products = (
                Product.objects.filter(business_id=business_id, is_active=True)
                .order_by("pk")
                .values_list(*_PRODUCT_FIELDS)
            )
            batch: list[Entry] = []
            for row in products.iterator(chunk_size=BATCH):
                batch.append(_product_entry(row, shop))
                if len(batch) >= BATCH:
                    _write(batch, [])
                    kept.update(entry.id for entry in batch)
                    batch = []
            entry = documents.shop_entry(shop=shop, product_words=_shop_product_words(business_id))
            batch.append(entry)
            _write(batch, [])
            kept.update(entry.id for entry in batch)
        _write([], sorted(listed - kept))


def index_rebuild() -> dict:
    """Throw the index away and build it again from the catalogue, set-based: the products are read in
    batches by id, stemmed with a per-run cache of each distinct word, and written with executemany; the
    engine's full-text index is built once at the end (PostgreSQL) or merged once (SQLite). Everything
    happens in one transaction: on SQLite searches answer from the old index until the new one is complete;
    on PostgreSQL the emptied tables are locked, so searches wait for it. Catalogue writes wait on both.
    1,000,000 products take about two minutes on SQLite on two cores.

    Returns {"products", "shops", "terms", "seconds"}."""
    started = time.monotonic()
    analyzer = _Analyzer()
    df: Counter = Counter()
    with transaction.atomic(), connection.cursor() as cursor:
        _reset(cursor)
        shops = _shops(None)
        shop_count = _rebuild_shops(cursor, shops, analyzer, df)
        product_count = _rebuild_products(cursor, shops, analyzer, df)
        rows = [(term, count, analyzer.shown[term]) for term, count in sorted(df.items())]
        for chunk in _chunks(rows, 20_000):
            cursor.executemany(f"INSERT INTO {TERM_TABLE} (term, df, word) VALUES (%s, %s, %s)", chunk)
        _finish(cursor)
        _vocabulary_changed()
    return {
        "products": product_count,
        "shops": shop_count,
        "terms": len(rows),
        "seconds": round(time.monotonic() - started, 1),
    }


def _reset(cursor) -> None:
    if connection.vendor == "sqlite":
        # Dropping the FTS5 table is instant; deleting its rows one by one is not.
        for statement in (*schema.SQLITE_DROP, *schema.SQLITE_CREATE):
            cursor.execute(statement)
        cursor.execute(f"DELETE FROM {ENTRY_TABLE}")
        cursor.execute(f"DELETE FROM {TERM_TABLE}")
    else:
        # One GIN build at the end is many times faster than a million index insertions.
        cursor.execute(f"DROP INDEX IF EXISTS {schema.PG_INDEX}")
        cursor.execute(f"TRUNCATE {ENTRY_TABLE}, {TERM_TABLE}")


def _finish(cursor) -> None:
    if connection.vendor == "sqlite":
        # Merge the segments written batch by batch into one b-tree: fewer places to look per query.
        cursor.execute(f"INSERT INTO {schema.FTS_TABLE} ({schema.FTS_TABLE}) VALUES ('optimize')")
    else:
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        cursor.execute(schema.PG_CREATE_INDEX)
        cursor.execute(f"ANALYZE {ENTRY_TABLE}")


def _rebuild_shops(cursor, shops: dict[int, Shop], analyzer: _Analyzer, df: Counter) -> int:
    """Shop entries, in ascending entry id (so descending business id), each with its products' words."""
    order = sorted(shops, reverse=True)
    for group in _chunks(order, 500):
        words: dict[int, list[tuple[str, str]]] = {pk: [] for pk in group}
        names = (
            Product.objects.filter(business_id__in=group, is_active=True)
            .order_by("business_id", "pk")
            .values_list("business_id", "name", "category")
        )
        for business_id, name, category in names.iterator(chunk_size=BATCH):
            words[business_id].append((name, category))
        entries = [
            documents.shop_entry(
                shop=shops[pk], product_words=documents.distinct_words(itertools.chain.from_iterable(words[pk]))
            )
            for pk in group
        ]
        _insert(cursor, entries, analyzer, df)
    return len(order)


def _rebuild_products(cursor, shops: dict[int, Shop], analyzer: _Analyzer, df: Counter) -> int:
    count, last = 0, 0
    while True:
        rows = list(
            Product.objects.filter(is_active=True, pk__gt=last).order_by("pk").values_list(*_PRODUCT_FIELDS)[:BATCH]
        )
        if not rows:
            return count
        last = rows[-1][0]
        entries = [_product_entry(row, shops[row[1]]) for row in rows if row[1] in shops]
        _insert(cursor, entries, analyzer, df)
        count += len(entries)
