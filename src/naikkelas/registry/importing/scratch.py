"""The scratch file beside an upload: a private SQLite database holding the checked rows, ready to write,
and the preview's verdicts on them.

The check puts every good row here exactly as the commit will write it (slug made, NIK encrypted, sums and
size class computed), plus compact keys for finding repeats in a narrow table of their own; the commit
copies the rows into the registry in row order. So the file is parsed once, the commit does little besides
inserting, and neither step holds more than one batch of rows in memory: SQLite keeps the rest on disk and
sorts there.

No NIK is stored in clear: only its ciphertext, its mask and its keyed hash, as in the registry itself.
The scratch file is deleted with the upload when the batch is committed.
"""

import json
import os
import re
import sqlite3
import string
from collections.abc import Iterator

from django.utils.text import slugify

from naikkelas.core import crypto
from naikkelas.registry.importing.duplicates import name_key
from naikkelas.registry.importing.rows import Row

SLUG_NAME_PART = 60
_BASE36 = string.digits + string.ascii_lowercase
# The registry columns kept per row, in the order the commit reads them back.
RECORD_COLUMNS = (
    "name", "slug", "owner_name", "external_ref", "nib", "nik_ciphertext", "nik_hash", "nik_masked", "phone",
    "address", "village_id", "sector_id", "founded_year", "employees", "capital", "annual_sales", "size_class",
    "owner_birth_year", "channels", "marketplaces", "payment_methods", "has_bank_account",
)
JSON_COLUMNS = ("channels", "marketplaces", "payment_methods")
_EMPTY_JSON = "[]"


def base36(number: int) -> str:
    digits = ""
    while True:
        number, rest = divmod(number, 36)
        digits = _BASE36[rest] + digits
        if not number:
            return digits


_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def name_slug(name: str) -> str:
    """The name as a URL slug, like slugify (faster for plain ASCII names, whose underscores become
    hyphens); never contains "--" and never ends with "-"."""
    if name.isascii():
        slug = _NOT_SLUG.sub("-", name.lower())
    else:
        slug = slugify(name)
    return slug[:SLUG_NAME_PART].strip("-") or "usaha"


def import_slug(name: str, batch_tag: str, row_number: int) -> str:
    """Unique by construction, with no look-up: slugify never writes "--", so no slug made from a name
    alone (signup's unique_slug) can equal one with the batch tag, and the tag plus the row number is
    different for every imported row. At most 60 + 2 + 10 + 5 characters (SlugField is 80)."""
    return f"{name_slug(name)}--{batch_tag}{base36(row_number)}"


def batch_tag(batch_id) -> str:
    return batch_id.hex[:10]


def _json(items) -> str:
    # Exactly the text Django's JSONField stores on SQLite (json.dumps with its defaults), so the commit
    # can copy it into the registry as it is.
    return json.dumps(items) if items else _EMPTY_JSON


class Scratch:
    def __init__(self, path, *, create: bool = True):
        self.path = str(path)
        if create:
            self._remove_files()
        elif not os.path.exists(self.path):
            raise FileNotFoundError(self.path)
        self.db = sqlite3.connect(self.path, isolation_level=None)
        # Private and disposable: no journal, no fsync; sorts spill to disk past a 16 MB cache.
        self.db.executescript(
            "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA temp_store=FILE; PRAGMA cache_size=-16000;"
        )
        if create:
            record = ", ".join(RECORD_COLUMNS)
            self.db.executescript(
                f"""
                CREATE TABLE rows (row INTEGER PRIMARY KEY, {record});
                CREATE TABLE keys (row INTEGER PRIMARY KEY, village_id TEXT, nkey TEXT, k_nib INTEGER,
                                   k_nik INTEGER, k_phone INTEGER, k_ref TEXT);
                CREATE TABLE dups (row INTEGER, kind TEXT, other_row INTEGER, business_id INTEGER,
                                   business_name TEXT);
                """
            )
            self.db.execute("BEGIN")
        self._insert = f"INSERT INTO rows VALUES ({', '.join('?' * (1 + len(RECORD_COLUMNS)))})"

    def close(self) -> None:
        if self.db.in_transaction:
            self.db.execute("COMMIT")
        self.db.close()

    def remove(self) -> None:
        self.db.close()
        self._remove_files()

    def _remove_files(self) -> None:
        for suffix in ("", "-journal", "-wal", "-shm"):
            try:
                os.remove(self.path + suffix)
            except FileNotFoundError:
                pass

    # -- the check writes -------------------------------------------------------------------------------------

    def add(self, rows: list[tuple[int, Row]], tag: str) -> None:
        """Store checked rows as the registry will hold them. Costs one NIK encryption per row with a NIK."""
        records, keys = [], []
        for number, row in rows:
            if row.nik:
                ciphertext, masked = crypto.encrypt(row.nik), crypto.mask(row.nik)
            else:
                ciphertext = masked = ""
            keys.append(
                (
                    number,
                    row.village_id,
                    name_key(row.name),
                    int(row.nib) if row.nib else None,
                    # The keyed hash's first 60 bits: enough to tell a million NIKs apart, and no NIK.
                    int(row.nik_hash[:15], 16) if row.nik_hash else None,
                    int(row.phone[1:]) if row.phone else None,
                    row.external_ref.lower() if row.external_ref else None,
                )
            )
            records.append(
                (
                    number,
                    row.name, import_slug(row.name, tag, number), row.owner_name, row.external_ref, row.nib,
                    ciphertext, row.nik_hash, masked, row.phone, row.address, row.village_id, row.sector_id,
                    row.founded_year, row.employees, row.capital, row.annual_sales, row.size_class,
                    row.owner_birth_year, _json(row.channels), _json(row.marketplaces), _json(row.payment_methods),
                    row.has_bank_account,
                )
            )
        self.db.executemany(self._insert, records)
        self.db.executemany("INSERT INTO keys VALUES (?, ?, ?, ?, ?, ?, ?)", keys)

    def add_verdicts(self, verdicts: list[tuple]) -> None:
        """(row, kind, other row, business id, business name) tuples."""
        self.db.executemany("INSERT INTO dups VALUES (?, ?, ?, ?, ?)", verdicts)

    def repeats(self, column: str, kind: str) -> None:
        """Flag every row whose `column` key an earlier row of the file already has.

        The keys live in their own narrow table, so each sort reads a few dozen bytes a row rather than the
        whole stored row; grouping first keeps only the rare repeated values, whose rows are then found by
        one pass over the keys (about half the time of a window over every row)."""
        self.db.execute(
            f"""
            INSERT INTO dups (row, kind, other_row)
            SELECT k.row, ?, g.first
            FROM (SELECT {column} AS value, min(row) AS first FROM keys WHERE {column} IS NOT NULL
                  GROUP BY {column} HAVING count(*) > 1) g
            JOIN keys k ON k.{column} = g.value
            WHERE k.row <> g.first
            """,
            (kind,),
        )

    def names_by_village(self) -> Iterator[tuple[str, int, str]]:
        """(village, row, name key) sorted by village then row."""
        return self.db.execute("SELECT village_id, row, nkey FROM keys ORDER BY village_id, row")

    def seal(self) -> None:
        self.db.execute("CREATE INDEX dups_row ON dups (row)")
        self.db.execute("COMMIT")

    # -- the report and the commit read -------------------------------------------------------------------

    def flagged_count(self) -> int:
        return self.db.execute("SELECT count(DISTINCT row) FROM dups").fetchone()[0]

    def flagged_rows(self) -> Iterator[tuple[int, bool]]:
        """Every flagged row number, ascending, streamed; with True when it repeats an agency id, which
        the registry keeps unique, so that row can never be imported as well."""
        query = "SELECT row, max(kind = 'ref') FROM dups GROUP BY row ORDER BY row"
        for number, locked in self.db.execute(query):
            yield number, bool(locked)

    def decide(self, *, default_import: bool, import_rows, skip_rows) -> tuple[int, int]:
        """Record in the table `flag` which flagged rows the commit writes (write = 1) and which it skips:
        a row repeating an agency id never, another when the officer chose to import it. Returns (written,
        skipped) counts of flagged rows."""
        db = self.db
        db.executescript(
            """
            DROP TABLE IF EXISTS choice; DROP TABLE IF EXISTS flag;
            CREATE TABLE choice (row INTEGER PRIMARY KEY, import INTEGER NOT NULL);
            CREATE TABLE flag (row INTEGER PRIMARY KEY, locked INTEGER NOT NULL, write INTEGER NOT NULL);
            """
        )
        db.execute("BEGIN")
        db.executemany("INSERT OR REPLACE INTO choice VALUES (?, 0)", ((int(n),) for n in skip_rows))
        db.executemany("INSERT OR REPLACE INTO choice VALUES (?, 1)", ((int(n),) for n in import_rows))
        db.execute(
            """
            INSERT INTO flag (row, locked, write)
            SELECT d.row, d.locked, d.locked = 0 AND coalesce(c.import, ?)
            FROM (SELECT row, max(kind = 'ref') AS locked FROM dups GROUP BY row) d
            LEFT JOIN choice c ON c.row = d.row
            """,
            (int(default_import),),
        )
        db.execute("COMMIT")
        written, total = db.execute("SELECT coalesce(sum(write), 0), count(*) FROM flag").fetchone()
        return written, total - written

    def row_range(self) -> tuple[int, int]:
        first, last = self.db.execute("SELECT min(row), max(row) FROM rows").fetchone()
        return (first or 0, last or -1)

    def records(self) -> Iterator[tuple]:
        """(row, *RECORD_COLUMNS) for every stored row, ascending."""
        return self.db.execute(f"SELECT row, {', '.join(RECORD_COLUMNS)} FROM rows ORDER BY row")

    def listing(self, limit: int, matches_per_row: int) -> list[dict]:
        """The first `limit` flagged rows, each with its name and what it matches."""
        numbers = [n for (n,) in self.db.execute("SELECT DISTINCT row FROM dups ORDER BY row LIMIT ?", (limit,))]
        if not numbers:
            return []
        last = numbers[-1]
        entries: dict[int, dict] = {n: {"row": n, "name": "", "matches": []} for n in numbers}
        query = "SELECT row, kind, other_row, business_id, business_name FROM dups WHERE row <= ? ORDER BY row, kind"
        others: dict[int, str] = {}
        for number, kind, other_row, business_id, business_name in self.db.execute(query, (last,)):
            matches = entries[number]["matches"]
            if len(matches) >= matches_per_row:
                continue
            match = {"kind": kind}
            if other_row is not None:
                match["row"] = other_row
                others[other_row] = ""
            if business_id is not None:
                match["business_id"] = business_id
                match["business_name"] = business_name
            matches.append(match)
        wanted = list(others) + numbers
        for start in range(0, len(wanted), 900):
            part = wanted[start : start + 900]
            query = f"SELECT row, name FROM rows WHERE row IN ({', '.join('?' * len(part))})"
            for number, name in self.db.execute(query, part):
                others[number] = name
        for entry in entries.values():
            entry["name"] = others.get(entry["row"], "")
            for match in entry["matches"]:
                if "row" in match:
                    match["row_name"] = others.get(match["row"], "")
        return list(entries.values())
