"""Asking each engine the same question: which entries match this boolean expression of terms, in id order.

An expression is built once (query.py) from `Term`, `All`, `Any` and `Without`, and compiled here to an FTS5
MATCH string for SQLite or a tsquery for PostgreSQL. Terms are stems exactly as indexed, so PostgreSQL gets
them as tsquery lexemes directly (no second stemming). Prefixes are expanded to known terms before they get
here (query.py), never left to the engines: FTS5 builds a whole merged doclist for every prefix term of
every query, which costs tens of milliseconds for a place name that every product of a province carries.

Products and shops share one index; entry ids are positive for products and negative for shops, so the kind
is a rowid range, which both engines answer from the key without touching the text index.

Results are ordered by entry id, never by an engine's score, so both engines give the same ids in the same
order for the same data. FTS5 walks the matches in rowid order and stops at LIMIT, which is what keeps a
common word among a million products cheap; PostgreSQL needs help to do as well (_pg_ids).
"""

from dataclasses import dataclass

from django.db import connection

from naikkelas.catalog.models import SearchEntry
from naikkelas.catalog.search import documents, schema

ENTRY_TABLE = SearchEntry._meta.db_table


@dataclass(frozen=True)
class Term:
    lexeme: str  # [a-z0-9]+ only (stems, marked title terms, tags), so it needs no escaping in either syntax


@dataclass(frozen=True)
class All:
    parts: tuple


@dataclass(frozen=True)
class Any:
    parts: tuple


@dataclass(frozen=True)
class Without:
    wanted: object
    unwanted: object


@dataclass(frozen=True)
class Bounds:
    """Price bounds, inclusive; None for open."""

    low: int | None = None
    high: int | None = None

    def sql(self, column: str) -> tuple[str, list]:
        clauses, params = [], []
        if self.low is not None:
            clauses.append(f"{column} >= %s")
            params.append(self.low)
        if self.high is not None:
            clauses.append(f"{column} <= %s")
            params.append(self.high)
        return "".join(f" AND {clause}" for clause in clauses), params

    def __bool__(self) -> bool:
        return self.low is not None or self.high is not None


def _fts5(expr) -> str:
    if isinstance(expr, Term):
        return f'"{expr.lexeme}"'
    if isinstance(expr, All):
        return "(" + " AND ".join(_fts5(part) for part in expr.parts) + ")"
    if isinstance(expr, Any):
        return "(" + " OR ".join(_fts5(part) for part in expr.parts) + ")"
    if isinstance(expr, Without):
        return f"({_fts5(expr.wanted)} NOT {_fts5(expr.unwanted)})"
    raise TypeError(expr)


def _tsquery(expr) -> str:
    if isinstance(expr, Term):
        return f"'{expr.lexeme}'"
    if isinstance(expr, All):
        return "(" + " & ".join(_tsquery(part) for part in expr.parts) + ")"
    if isinstance(expr, Any):
        return "(" + " | ".join(_tsquery(part) for part in expr.parts) + ")"
    if isinstance(expr, Without):
        return f"({_tsquery(expr.wanted)} & !{_tsquery(expr.unwanted)})"
    raise TypeError(expr)


def _sqlite_matching(expr, bounds: Bounds, products: bool) -> tuple[str, list]:
    """FROM ... WHERE ... for the entries of one kind matching `expr` within `bounds` (`expr` already holds
    the price tags that narrow the matches to about the bounds; the exact bounds are checked here)."""
    fts = schema.FTS_TABLE
    kind = f" AND {fts}.rowid {'>' if products else '<'} 0"
    if bounds:
        # Prices live in the entry table: the FTS5 match drives, the join checks each match.
        extra, params = bounds.sql("e.price")
        sql = f"FROM {fts} JOIN {ENTRY_TABLE} e ON e.id = {fts}.rowid WHERE {fts} MATCH %s{kind}{extra}"
        return sql, [_fts5(expr), *params]
    return f"FROM {fts} WHERE {fts} MATCH %s{kind}", [_fts5(expr)]


def count(expr, bounds: Bounds, *, products: bool, cap: int) -> int:
    """How many entries of the kind match, counting no further than `cap`."""
    if cap <= 0:
        return 0
    if connection.vendor == "postgresql":
        return len(_pg_ids(expr, bounds, products=products, want=cap))
    where, params = _sqlite_matching(expr, bounds, products)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM (SELECT {schema.FTS_TABLE}.rowid {where} LIMIT %s) AS found", [*params, cap]
        )
        return cursor.fetchone()[0]


def ids(expr, bounds: Bounds, *, products: bool, limit: int, offset: int = 0) -> list[int]:
    """A slice of the ids of matching entries of the kind, newest first: products by descending id, shops
    (whose ids are minus the business id) by ascending id."""
    if limit <= 0:
        return []
    if connection.vendor == "postgresql":
        return _pg_ids(expr, bounds, products=products, want=offset + limit)[offset:]
    where, params = _sqlite_matching(expr, bounds, products)
    column = f"{schema.FTS_TABLE}.rowid"
    order = "DESC" if products else "ASC"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {column} {where} ORDER BY {column} {order} LIMIT %s OFFSET %s", [*params, limit, offset]
        )
        return [row[0] for row in cursor.fetchall()]


# PostgreSQL cannot walk a GIN index in id order. Its two ways to the newest matches are walking the
# primary key and testing each row (cheap per row, and it stops at LIMIT: right when matches are common),
# or collecting every match from the GIN index and sorting (a heap read per match: right when they are
# rare). It picks by estimating how common the words are, and words that go together ("batik tulis")
# defeat the estimate: measured with 1,000,000 products, 280 ms for a bitmap over 17,600 matches that a walk
# answers in under 1 ms, and 2 s for a walk over a word no name has. So the choice is made here, on what a
# first stretch of the walk actually finds: walk stretches of ids (growing), and as soon as the matches seen
# so far say that few enough remain further on, collect those from the GIN index instead.
WALK_FIRST = 2_000  # ids in the first stretch walked
# A shop's entry carries its products' words, often enough to be stored out of line: each row tested costs
# several times a product's, so shops are walked in shorter stretches.
WALK_FIRST_SHOPS = 250
WALK_GROWTH = 4
BITMAP_MATCHES = 2_000  # matches expected further on, below which the GIN index collects them


def _pg_ids(expr, bounds: Bounds, *, products: bool, want: int) -> list[int]:
    """Up to `want` ids of matching entries of the kind, newest first (see above)."""
    query = _tsquery(expr)
    extra, price = bounds.sql("price")
    kind = "id > 0" if products else "id < 0"
    # Products are walked down from the highest id, shops up from the lowest (minus the newest business id).
    order, step = ("DESC", -1) if products else ("ASC", 1)
    found: list[int] = []
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {'max' if products else 'min'}(id) FROM {ENTRY_TABLE} WHERE {kind}")
        start = cursor.fetchone()[0]
        if start is None:
            return found
        stretch, walked = (WALK_FIRST if products else WALK_FIRST_SHOPS), 0
        while True:
            end = start + step * stretch  # the stretch is the ids from start (included) to end (excluded)
            low, high = sorted((start, end - step))
            # ts_match_vq is the @@ operator as a plain function, which no index answers: this is the walk.
            cursor.execute(
                f"SELECT id FROM {ENTRY_TABLE} WHERE {kind} AND id BETWEEN %s AND %s "
                f"AND ts_match_vq(document, %s::tsquery){extra} ORDER BY id {order} LIMIT %s",
                [low, high, query, *price, want - len(found)],
            )
            found += [row[0] for row in cursor.fetchall()]
            walked += stretch
            # Further on lie the ids from end on: about this many rows, ids being about dense.
            remaining = end if products else -end
            if len(found) >= want or remaining <= 0:
                return found
            if len(found) * remaining / walked < BITMAP_MATCHES:
                # "id + 0": not orderable by the primary key, so the GIN index collects and the rows are sorted.
                # The kind's tag keeps the collection to products or to shops: the index knows no ids.
                beyond = "id <= %s" if products else "id >= %s"
                tagged = f"{query} & '{documents.kind_tag(documents.PRODUCT if products else documents.SHOP)}'"
                cursor.execute(
                    f"SELECT id FROM {ENTRY_TABLE} WHERE document @@ %s::tsquery AND {kind} AND {beyond}{extra} "
                    f"ORDER BY id + 0 {order} LIMIT %s",
                    [tagged, end, *price, want - len(found)],
                )
                found += [row[0] for row in cursor.fetchall()]
                return found
            start, stretch = end, stretch * WALK_GROWTH
