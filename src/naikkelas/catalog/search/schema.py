"""The engine-specific half of the index, next to the SearchEntry table that both engines share.

Both engines index, per entry, one bag of terms: the stems of the title, the same stems marked as title
terms (documents.title_term: "t0" + stem), the stems of the body, and the tags. "Every word in the name"
is then a plain intersection of marked terms, which both engines answer from their index alone, instead of
a column or weight check on every entry that has the word anywhere (for a place name, every product of the
province).

SQLite: an FTS5 table whose rowid is the entry's id, fed the terms computed in Python (text.stems).
`detail=none` stores only which entries hold a term: no positions or columns, which nothing here asks for.

PostgreSQL: a stored tsvector computed from the entry's own columns with the built-in `indonesian`
configuration (the same Snowball stemmer as PyStemmer), the marked title terms from an immutable function,
the tags through `simple`; a GIN index on it; and more lexeme statistics than the default (see PG_CREATE).
"""

from naikkelas.catalog.search.documents import TITLE_MARK

FTS_TABLE = "catalog_search_fts"

SQLITE_CREATE = (f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(terms, tokenize='ascii', detail='none')",)
SQLITE_DROP = (f"DROP TABLE IF EXISTS {FTS_TABLE}",)

PG_TITLE_FUNCTION = "catalog_search_title_terms"
PG_INDEX = "catalog_searchentry_document"
PG_CREATE_INDEX = f"CREATE INDEX {PG_INDEX} ON catalog_searchentry USING gin (document)"
PG_CREATE = (
    f"CREATE FUNCTION {PG_TITLE_FUNCTION}(title text) RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ "
    f"SELECT array_to_tsvector(ARRAY(SELECT '{TITLE_MARK}' || lexeme "
    f"FROM unnest(to_tsvector('indonesian'::regconfig, title)))) $$",
    "ALTER TABLE catalog_searchentry ADD COLUMN document tsvector GENERATED ALWAYS AS ("
    "to_tsvector('indonesian'::regconfig, title) || "
    f"{PG_TITLE_FUNCTION}(title) || "
    "to_tsvector('indonesian'::regconfig, body) || "
    "to_tsvector('simple'::regconfig, tags)) STORED",
    # The planner chooses between walking the primary key backwards (right for a common word) and the GIN
    # index (right for a rare one) from the lexeme statistics. With the default hundred most common ones,
    # every lexeme outside them looks common enough to walk for, and a word no product has in its name made
    # it read all 1,000,000 rows (2 s); a thousand keeps such estimates small.
    "ALTER TABLE catalog_searchentry ALTER COLUMN document SET STATISTICS 1000",
    PG_CREATE_INDEX,
)
PG_DROP = (
    f"DROP INDEX IF EXISTS {PG_INDEX}",
    "ALTER TABLE catalog_searchentry DROP COLUMN IF EXISTS document",
    f"DROP FUNCTION IF EXISTS {PG_TITLE_FUNCTION}(text)",
)


def create(schema_editor) -> None:
    for statement in _statements(schema_editor.connection.vendor, SQLITE_CREATE, PG_CREATE):
        schema_editor.execute(statement)


def drop(schema_editor) -> None:
    for statement in _statements(schema_editor.connection.vendor, SQLITE_DROP, PG_DROP):
        schema_editor.execute(statement)


def _statements(vendor: str, sqlite: tuple, postgresql: tuple) -> tuple:
    if vendor == "sqlite":
        return sqlite
    if vendor == "postgresql":
        return postgresql
    raise NotImplementedError(f"search has no index for {vendor}")
