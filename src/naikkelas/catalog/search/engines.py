"""Asking each engine the same question: which entries match this boolean expression of terms, in id order.

An expression is built once (query.py) from `Term`, `All`, `Any` and `Without`, and compiled here to an FTS5
MATCH string for SQLite or a tsquery for PostgreSQL. Terms are stems exactly as indexed, so PostgreSQL gets
them as tsquery lexemes directly (no second stemming). Prefixes are expanded to known terms before they get
here (query.py), never left to the engines: FTS5 builds a whole merged doclist for every prefix term of
every query, which costs tens of milliseconds for a place name that every product of a province carries.

Products and shops share one index; entry ids are positive for products and negative for shops, so the kind
is a rowid range, which both engines answer from the key without touching the text index.

Results are ordered by entry id, never by an engine's score, so both engines give the same ids in the same
order for the same data. Queries walk the matches in id order and stop at LIMIT, which is what keeps a
common word among a million products cheap.
"""

from dataclasses import dataclass

from django.db import connection

from naikkelas.catalog.models import SearchEntry
from naikkelas.catalog.search import schema

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


def _id_column() -> str:
    return f"{schema.FTS_TABLE}.rowid" if connection.vendor == "sqlite" else "id"


def _matching(expr, bounds: Bounds, products: bool) -> tuple[str, list]:
    """FROM ... WHERE ... for the entries of one kind matching `expr` within `bounds` (`expr` already holds
    the price tags that narrow the matches to about the bounds; the exact bounds are checked here)."""
    kind = f" AND {_id_column()} {'>' if products else '<'} 0"
    if connection.vendor == "sqlite":
        fts = schema.FTS_TABLE
        if bounds:
            # Prices live in the entry table: the FTS5 match drives, the join checks each match.
            extra, params = bounds.sql("e.price")
            sql = f"FROM {fts} JOIN {ENTRY_TABLE} e ON e.id = {fts}.rowid WHERE {fts} MATCH %s{kind}{extra}"
            return sql, [_fts5(expr), *params]
        return f"FROM {fts} WHERE {fts} MATCH %s{kind}", [_fts5(expr)]
    extra, params = bounds.sql("price")
    return f"FROM {ENTRY_TABLE} WHERE document @@ %s::tsquery{kind}{extra}", [_tsquery(expr), *params]


def count(expr, bounds: Bounds, *, products: bool, cap: int) -> int:
    """How many entries of the kind match, counting no further than `cap` (counting every match of a
    common word would cost more than the page itself)."""
    if cap <= 0:
        return 0
    where, params = _matching(expr, bounds, products)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM (SELECT {_id_column()} {where} LIMIT %s) AS found", [*params, cap])
        return cursor.fetchone()[0]


def ids(expr, bounds: Bounds, *, products: bool, limit: int, offset: int = 0) -> list[int]:
    """A slice of the ids of matching entries of the kind, newest first: products by descending id, shops
    (whose ids are minus the business id) by ascending id."""
    if limit <= 0:
        return []
    where, params = _matching(expr, bounds, products)
    column = _id_column()
    order = "DESC" if products else "ASC"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {column} {where} ORDER BY {column} {order} LIMIT %s OFFSET %s", [*params, limit, offset]
        )
        return [row[0] for row in cursor.fetchall()]
