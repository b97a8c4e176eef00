"""Which query terms the index knows, and the nearest known term for one it does not ("pisng" -> "pisang").

The same Python decides for both engines, from the SearchTerm vocabulary, so a corrected query is the same
query on SQLite and PostgreSQL. The distance is optimal string alignment (Levenshtein plus swapping two
neighbouring letters, the commonest slip on a phone keyboard): at most 1 for words of up to five letters, 2
for longer ones; nothing under four letters is corrected (too many short words are one letter apart). Among
equally near terms, one reached by adding or dropping letters wins over one reached by changing a letter
("btik" is "batik" rather than "baik"), then the one in most entries, then the first alphabetically.

Fuzzy matching scans the whole vocabulary, so each process keeps a copy in memory and reloads it when
SearchState.vocabulary_version says a term came or went (a random token, so a rolled-back change can never
look current). Exact and prefix look-ups go to the database, which answers them from the primary key.
"""

import threading
from dataclasses import dataclass

from django.db import connection
from rapidfuzz import process
from rapidfuzz.distance import OSA, Indel

from naikkelas.catalog.models import SearchState, SearchTerm

MIN_LENGTH = 4


def max_distance(term: str) -> int:
    return 1 if len(term) <= 5 else 2


TERM_TABLE = SearchTerm._meta.db_table


def known(terms: list[str]) -> dict[str, str]:
    """term -> its shown word, for the terms that occur in the index."""
    if not terms:
        return {}
    marks = ", ".join(["%s"] * len(terms))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT term, word FROM {TERM_TABLE} WHERE term IN ({marks})", list(terms))
        return dict(cursor.fetchall())


def completions(term: str, *, limit: int) -> list[str]:
    """Up to `limit` known terms starting with `term` (itself included when known), in most entries first."""
    if connection.vendor == "postgresql":
        # LIKE 'x%' is answered by the varchar_pattern_ops index Django adds beside the primary key; ties are
        # broken in byte order, as on SQLite, whatever the database's collation.
        where, params, tie = "term LIKE %s", [term + "%"], 'term COLLATE "C"'
    else:
        # Terms are [a-z0-9]+, so those starting with `term` are exactly those in [term, term + "{") ("{"
        # follows "z"): a range on the primary key. (SQLite's LIKE ignores case and cannot use the index.)
        where, params, tie = "term >= %s AND term < %s", [term, term + "{"], "term"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT term FROM {TERM_TABLE} WHERE {where} ORDER BY df DESC, {tie} LIMIT %s", [*params, limit]
        )
        return [row[0] for row in cursor.fetchall()]


@dataclass(frozen=True)
class _Vocabulary:
    version: str
    # length -> (terms, df): fuzzy candidates are only the terms of a near length.
    by_length: dict[int, tuple[list[str], list[int]]]


_lock = threading.Lock()
_cache: dict[str, _Vocabulary] = {}


def _vocabulary() -> _Vocabulary:
    version = SearchState.objects.filter(id=1).values_list("vocabulary_version", flat=True).first() or ""
    alias = connection.alias
    cached = _cache.get(alias)
    if cached is not None and cached.version == version:
        return cached
    with _lock:
        by_length: dict[int, tuple[list[str], list[int]]] = {}
        for term, df in SearchTerm.objects.values_list("term", "df").order_by("term").iterator(chunk_size=20_000):
            terms, counts = by_length.setdefault(len(term), ([], []))
            terms.append(term)
            counts.append(df)
        cached = _cache[alias] = _Vocabulary(version=version, by_length=by_length)
    return cached


def nearest(term: str) -> str | None:
    """The known term nearest to an unknown `term`, or None when none is near enough."""
    if len(term) < MIN_LENGTH or term.isdigit():
        return None
    limit = max_distance(term)
    vocabulary = _vocabulary()
    best: tuple | None = None
    for length in range(len(term) - limit, len(term) + limit + 1):
        terms, counts = vocabulary.by_length.get(length, ((), ()))
        if not terms:
            continue
        for candidate, distance, index in process.extract_iter(term, terms, scorer=OSA.distance, score_cutoff=limit):
            key = (distance, Indel.distance(term, candidate), -counts[index], candidate)
            if best is None or key < best:
                best = key
    return best[-1] if best else None
