"""Likely duplicates: the same NIB, NIK, phone or agency id, or a similar name in the same village, either
in the database or earlier in the same file. They are only listed; the officer decides row by row.

Memory stays flat however long the file is:
- against the database, identifiers are looked up one batch of rows at a time (indexed IN queries), and
  names one village at a time, each village's businesses read once per check;
- within the file, every good row's identifiers are kept as compact keys in the scratch SQLite file on
  disk (scratch.py), and SQLite's own disk-backed sort finds the repeats at the end. Names are compared
  village by village in the same sorted pass.
"""

import itertools
import re
import unicodedata

from django.db import connection
from django.utils.translation import gettext_lazy
from rapidfuzz import fuzz, process

from naikkelas.core.bulk import db_value
from naikkelas.registry.models import Business

KIND_LABELS = {
    "nib": gettext_lazy("NIB sama"),
    "nik": gettext_lazy("NIK sama"),
    "phone": gettext_lazy("nomor HP sama"),
    "ref": gettext_lazy("ID dinas sama"),
    "name": gettext_lazy("nama mirip di desa yang sama"),
}
# fuzz.ratio on the word-sorted key: "Warung Makan Bu Sri" and "Warung Makan Bu Sri." are 100, one letter
# wrong in a 20-letter name is about 95, "Toko Berkah" and "Toko Berkah Jaya" 81 (not flagged).
NAME_CUTOFF = 90
# Beyond this many rows of one village in one file, later rows are compared by exact name only:
# comparing every pair costs the square of the count.
FUZZY_VILLAGE_LIMIT = 2_000
# Villages are handled a few at a time: one query for their registered businesses, a bounded list of rows.
VILLAGE_CHUNK = 500
CHUNK_ROWS = 20_000
_LEGAL_FORMS = frozenset({"cv", "ud", "pt", "tbk", "pd", "fa", "persero"})
_WORDS = re.compile(r"[a-z0-9]+")


def name_key(name: str) -> str:
    """The name as compared: "CV. Toko  Maju-Jaya" -> "jaya maju toko" (case, accents, punctuation, legal
    form and word order do not count)."""
    if name.isascii():
        text = name.lower()
    else:
        text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return " ".join(sorted(word for word in _WORDS.findall(text) if word not in _LEGAL_FORMS))


class DatabaseIdentifiers:
    """Businesses already in the database with the same NIB, NIK, phone or agency id as some rows.

    Plain SQL on the indexed columns: the ORM's per-parameter preparation of a 5,000-value IN list costs
    more than the query itself, a million rows over."""

    # (kind, column), in the order of the keys `find` receives
    LOOKUPS = (("nib", "nib"), ("nik", "nik_hash"), ("phone", "phone"), ("ref", "external_ref"))
    CHUNK = 5_000

    def __init__(self, *, exclude_batch_id=None):
        quote = connection.ops.quote_name
        self.quote = quote
        self.table = quote(Business._meta.db_table)
        self.exclude = ""
        self.exclude_params: list = []
        if exclude_batch_id is not None:
            column = quote("import_batch_id")
            self.exclude = f" AND ({column} IS NULL OR {column} <> %s)"
            self.exclude_params = [db_value(Business, "import_batch_id")(exclude_batch_id)]

    def find(self, keys: list[tuple]) -> list[tuple[int, str, None, int, str]]:
        """`keys` are (row, nib, nik hash, phone, agency id) with "" or None where absent. Returns verdicts:
        (row, kind, None, business id, business name)."""
        found = []
        for position, (kind, column) in enumerate(self.LOOKUPS, start=1):
            # Distinct values only; the rows holding a value are looked for only when the database has it,
            # which is rare, so the common case costs one pass over the batch.
            values = list({key[position]: None for key in keys if key[position]})
            quoted = self.quote(column)
            hits: dict[str, list[tuple[int, str]]] = {}
            for start in range(0, len(values), self.CHUNK):
                part = values[start : start + self.CHUNK]
                if connection.vendor == "postgresql":
                    # One array parameter: PostgreSQL plans `= ANY` quickly, a 5,000-item IN list slowly.
                    condition, params = f"{quoted} = ANY(%s)", [part]
                else:
                    condition, params = f"{quoted} IN ({', '.join(['%s'] * len(part))})", part
                sql = (
                    f"SELECT {quoted}, {self.quote('id')}, {self.quote('name')} FROM {self.table} "
                    f"WHERE {condition}{self.exclude}"
                )
                with connection.cursor() as cursor:
                    cursor.execute(sql, params + self.exclude_params)
                    for value, pk, name in cursor.fetchall():
                        hits.setdefault(value, []).append((pk, name))
            if hits:
                for key in keys:
                    for pk, name in hits.get(key[position], ()):
                        found.append((key[0], kind, None, pk, name))
        return found


def mark_repeats_and_names(scratch, *, exclude_batch_id=None) -> None:
    """After the last row: flag repeats within the file, then similar names (within the file and in the
    database), village by village."""
    for column, kind in (("k_nib", "nib"), ("k_nik", "nik"), ("k_phone", "phone"), ("k_ref", "ref")):
        scratch.repeats(column, kind)
    businesses = Business.objects.all()
    if exclude_batch_id is not None:
        businesses = businesses.exclude(import_batch_id=exclude_batch_id)
    groups = (
        (village, [(row, key) for _village, row, key in members])
        for village, members in itertools.groupby(scratch.names_by_village(), key=lambda item: item[0])
    )
    for chunk in _chunks(groups):
        known: dict[str, list[tuple[str, int, str]]] = {}
        villages = [village for village, _members in chunk]
        for village, pk, name in businesses.filter(village_id__in=villages).values_list("village_id", "pk", "name"):
            known.setdefault(village, []).append((name_key(name), pk, name))
        verdicts = []
        for village, members in chunk:
            verdicts += similar_names(members, known.get(village, ()))
        scratch.add_verdicts(verdicts)


def _chunks(groups):
    """Lists of (village, rows) with at most VILLAGE_CHUNK villages and, past the first, CHUNK_ROWS rows."""
    chunk, rows = [], 0
    for village, members in groups:
        if chunk and (len(chunk) >= VILLAGE_CHUNK or rows + len(members) > CHUNK_ROWS):
            yield chunk
            chunk, rows = [], 0
        chunk.append((village, members))
        rows += len(members)
    if chunk:
        yield chunk


def similar_names(members: list[tuple[int, str]], known) -> list[tuple]:
    """Verdicts for one village's rows (row, name key), in row order, against the earlier rows and against
    `known` businesses there (name key, id, name): (row, "name", other row, business id, business name)."""
    verdicts = []
    first_with_key: dict[str, int] = {}
    earlier_keys: list[str] = []
    earlier_rows: list[int] = []
    known_keys = [key for key, _pk, _name in known]
    for position, (number, key) in enumerate(members):
        if not key:
            continue
        if key in first_with_key:
            verdicts.append((number, "name", first_with_key[key], None, None))
        elif earlier_keys and position < FUZZY_VILLAGE_LIMIT:
            best = process.extractOne(key, earlier_keys, scorer=fuzz.ratio, score_cutoff=NAME_CUTOFF)
            if best is not None:
                verdicts.append((number, "name", earlier_rows[best[2]], None, None))
        if known_keys:
            best = process.extractOne(key, known_keys, scorer=fuzz.ratio, score_cutoff=NAME_CUTOFF)
            if best is not None:
                _key, pk, name = known[best[2]]
                verdicts.append((number, "name", None, pk, name))
        if key not in first_with_key:
            first_with_key[key] = number
            if position < FUZZY_VILLAGE_LIMIT:
                earlier_keys.append(key)
                earlier_rows.append(number)
    return verdicts
