"""SQLite and PostgreSQL give the same results for the same data.

Each run of the suite uses one database, so the expectations are written here once: the same dataset and
queries must give exactly these products and shops, in this order, on SQLite (FTS5 fed PyStemmer stems) and
on PostgreSQL (tsvector with the built-in `indonesian` configuration). Ranking is by match group and id on
both (catalog/search/query.py), so the order is part of the promise, not only the sets.
"""

import csv
import re
from importlib import resources

import pytest
from django.db import connection

from naikkelas.catalog import search
from naikkelas.catalog.models import SearchEntry
from naikkelas.catalog.search import documents, engines, schema, text
from naikkelas.catalog.search import query as search_query
from tests.catalog.factories import make_product
from tests.catalog.test_search_helpers import build_market, names, open_shop, ranking_path, shop_names  # noqa: F401
from tests.registry.factories import KRICAK, make_business

pytestmark = pytest.mark.django_db

KAOS_SHOP = "Kaos Dagadu Kafé"
ALL_DIY = [
    "Kue Lapis Legit", "Beras Pandan Wangi 5 kg", "Bakpia Pathok 25", "Kaos2 Anak", "Kaos Oblong Hitam",
    "Batik Cap Parang", "Batik Tulis Kawung", "Aneka Makanan Ringan", "Keripik Singkong Balado",
    "Keripik Pisang Manis",
]
KAOS_PRODUCTS = ["Kue Lapis Legit", "Beras Pandan Wangi 5 kg", "Bakpia Pathok 25", "Kaos2 Anak", "Kaos Oblong Hitam"]
DIY_SHOPS = [KAOS_SHOP, "Batik Kricak", "Warung Bu Sri"]
ALL_BATIK = ["Batik Tulis Semarang", "Batik Cap Parang", "Batik Tulis Kawung"]
BATIK_SHOPS = ["Batik Semarangan", "Batik Kricak"]
ALL_SHOPS = ["Batik Semarangan", "Batik Kricak", "Warung Bu Sri"]
KERIPIK = ["Keripik Singkong Balado", "Keripik Pisang Manis"]

# (query, filters, products in order, shops in order, corrected query)
EXPECTED = [
    ("keripik", {}, KERIPIK, ["Warung Bu Sri"], ""),
    ("keripik pisang", {}, ["Keripik Pisang Manis"], ["Warung Bu Sri"], ""),
    ("kripik", {}, KERIPIK, ["Warung Bu Sri"], "keripik"),
    ("kripik pisng", {}, ["Keripik Pisang Manis"], ["Warung Bu Sri"], "keripik pisang"),
    ("batik", {}, ALL_BATIK, BATIK_SHOPS, ""),
    ("batik tulis yogya", {}, ["Batik Tulis Kawung"], ["Batik Kricak"], ""),
    ("batk", {}, ALL_BATIK, BATIK_SHOPS, "batik"),
    ("yogya", {}, ALL_DIY, DIY_SHOPS, ""),
    ("jogja", {}, ALL_DIY, DIY_SHOPS, ""),
    ("sleman", {}, ["Aneka Makanan Ringan", "Keripik Singkong Balado", "Keripik Pisang Manis"], ["Warung Bu Sri"], ""),
    ("semarng", {}, ["Batik Tulis Semarang"], ["Batik Semarangan"], "semarang"),
    ("makanan", {}, ["Aneka Makanan Ringan"], ["Warung Bu Sri"], ""),
    ("penjualan", {}, [], [KAOS_SHOP], ""),
    ("jual", {}, [], [KAOS_SHOP], ""),
    ("dimasak", {}, ["Bakpia Pathok 25"], [], ""),
    ("beras 5 kg", {}, ["Beras Pandan Wangi 5 kg"], [KAOS_SHOP], ""),
    ("kaos", {}, ["Kaos2 Anak", "Kaos Oblong Hitam", *KAOS_PRODUCTS[:3]], [KAOS_SHOP], ""),
    ("kafe", {}, KAOS_PRODUCTS, [KAOS_SHOP], ""),
    ("oleh-oleh jogja", {}, ["Bakpia Pathok 25"], [KAOS_SHOP], ""),
    ("kain", {}, ["Batik Tulis Semarang", "Batik Tulis Kawung"], ["Batik Semarangan"], ""),
    ("katun", {}, ["Kaos Oblong Hitam", "Batik Tulis Kawung"], [], ""),
    ("industri", {}, [], ALL_SHOPS, ""),
    ("", {"region": "34"}, ALL_DIY, DIY_SHOPS, ""),
    ("", {"region": "33.74"}, ["Batik Tulis Semarang"], ["Batik Semarangan"], ""),
    ("batik", {"price_min": 200000}, ["Batik Tulis Semarang", "Batik Tulis Kawung"], BATIK_SHOPS, ""),
    ("", {"sector": "G"}, KAOS_PRODUCTS, [KAOS_SHOP], ""),
    ("", {"sector": "C", "price_max": 15000}, KERIPIK, ALL_SHOPS, ""),
    ("toko", {}, [], [], ""),
]


def _build() -> None:
    build_market()
    kaos = open_shop(
        make_business(village=KRICAK, name=KAOS_SHOP, sector_code="47711"),
        tagline="Penjualan kaos dan oleh-oleh khas Jogja",
    )
    for name, price, fields in (
        ("Kaos Oblong Hitam", 85000, {"description": "Katun 30s, sablon tangan."}),
        ("Kaos2 Anak", 45000, {}),
        ("Bakpia Pathok 25", 30000, {"category": "Oleh-oleh", "description": "Isi kacang hijau, dimasak setiap pagi."}),
        ("Beras Pandan Wangi 5 kg", 75000, {"description": "Beras pulen."}),
        ("Kue Lapis Legit", 120000, {"description": "Masakan rumahan."}),
    ):
        make_product(kaos, name=name, price=price, **fields)
    search.index_rebuild()


@pytest.mark.parametrize(("query", "filters", "products", "shops", "corrected"), EXPECTED, ids=[
    f"{query or '-'} {filters or ''}".strip() for query, filters, *_ in EXPECTED
])
def test_the_same_data_gives_these_results_on_either_engine(ranking_path, query, filters, products, shops, corrected):
    _build()
    results = search.search(query, **filters)
    assert (names(results), shop_names(results), results.parsed.corrected_text) == (products, shops, corrected)


def _engine_terms(entry_id: int) -> set[str]:
    """The terms the engine's own index holds for one entry."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"SELECT terms FROM {schema.FTS_TABLE} WHERE rowid = %s", [entry_id])
            return set(cursor.fetchone()[0].split())
        cursor.execute("SELECT tsvector_to_array(document) FROM catalog_searchentry WHERE id = %s", [entry_id])
        return set(cursor.fetchone()[0])


def test_each_engine_indexes_exactly_the_stems_python_computes():
    _build()
    for entry in SearchEntry.objects.all():
        title = set(text.stems(entry.title))
        expected = title | {documents.title_term(term) for term in title} | set(text.stems(entry.body))
        assert _engine_terms(entry.pk) == expected | set(entry.tags.split()), entry.title


def _reference_words() -> list[str]:
    """Every word of every region name and KBLI title: tens of thousands of real Indonesian words."""
    found: set[str] = set()
    for name in ("provinces.csv", "regencies.csv", "districts.csv", "villages.csv", "kbli2020.csv"):
        with resources.files("naikkelas.regions").joinpath("data", name).open(encoding="utf-8", newline="") as handle:
            for row in csv.reader(handle):
                found.update(text.words(" ".join(row)))
    affixed = [
        prefix + root + suffix
        for root in ("makan", "jual", "tulis", "beli", "ajar", "pakai", "kerja", "guna", "rasa", "anyam")
        for prefix in ("", "me", "mem", "men", "meng", "ber", "pe", "pem", "pen", "peng", "per", "ter", "di", "ke")
        for suffix in ("", "an", "kan", "i", "nya", "lah", "kah", "pun", "ku", "mu", "annya")
    ]
    return sorted(found | set(affixed))


def test_the_engines_stem_every_word_of_the_reference_data_alike():
    # Given every word of the region and KBLI names and the common affixes
    words = _reference_words()
    assert len(words) > 40_000
    stems = [text.stem(word) for word in words]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Then PostgreSQL's `indonesian` configuration gives each word the stem PyStemmer gives it
            cursor.execute(
                "SELECT (ts_lexize('indonesian_stem', w))[1] FROM unnest(%s::text[]) WITH ORDINALITY AS t(w, n) "
                "ORDER BY n",
                [words],
            )
            engine = [row[0] for row in cursor.fetchall()]
            digits = [word for word in words if word.isdigit()]
            cursor.execute("SELECT tsvector_to_array(to_tsvector('indonesian', %s))", [" ".join(digits)])
            assert set(cursor.fetchone()[0]) == set(digits)  # numbers stay as they are
            engine = [stem if not word.isdigit() else word for word, stem in zip(words, engine)]
        else:
            # Then FTS5's tokenizer keeps every stem whole, as one term
            cursor.execute("CREATE VIRTUAL TABLE temp.stem_check USING fts5(body, tokenize='ascii', detail='none')")
            cursor.execute("CREATE VIRTUAL TABLE temp.stem_check_terms USING fts5vocab(temp, stem_check, 'row')")
            cursor.executemany("INSERT INTO temp.stem_check (rowid, body) VALUES (%s, %s)", list(enumerate(stems, 1)))
            cursor.execute("SELECT term FROM temp.stem_check_terms")
            assert {row[0] for row in cursor.fetchall()} == set(stems)
            cursor.execute("DROP TABLE temp.stem_check_terms")
            cursor.execute("DROP TABLE temp.stem_check")
            engine = stems
    different = [(word, mine, theirs) for word, mine, theirs in zip(words, stems, engine) if mine != theirs]
    assert different == []


def test_what_the_parser_keeps_apart_both_engines_keep_apart():
    # Letters and digits are cut apart before either engine sees them, so PostgreSQL's parser cannot read
    # "3e10x" as a number and a word where FTS5 sees one token.
    assert text.words("3e10x 500gr kaos2 a4 jum'at oleh-oleh Kafé") == [
        "3", "e", "10", "x", "500", "gr", "kaos", "2", "a", "4", "jum", "at", "oleh", "oleh", "kafe",
    ]
    assert all(re.fullmatch(r"[a-z]+|[0-9]+", word) for word in text.words("Ünïcödé ½ 𝟘 ĳ ß ø"))


@pytest.mark.parametrize(
    ("walk_first", "bitmap_matches"),
    [(1, 0), (1, 10**9), (3, 2)],
    ids=["walk only", "index after one id", "mixed"],
)
def test_how_postgresql_reaches_the_matches_never_changes_them(monkeypatch, walk_first, bitmap_matches):
    # PostgreSQL walks stretches of ids and may switch to its GIN index (engines._pg_ids); whatever the
    # stretch and the switch point, the results and their order are the same (on SQLite this changes nothing).
    monkeypatch.setattr(search_query, "SMALL_SET", 0)  # ask the engine group by group
    monkeypatch.setattr(engines, "WALK_FIRST", walk_first)
    monkeypatch.setattr(engines, "WALK_FIRST_SHOPS", walk_first)
    monkeypatch.setattr(engines, "BITMAP_MATCHES", bitmap_matches)
    _build()
    for query, filters, products, shops, _corrected in EXPECTED:
        results = search.search(query, **filters)
        assert (names(results), shop_names(results)) == (products, shops), (query, filters)
    shop = open_shop(make_business(village=KRICAK, name="Toko Ani"))
    in_name = [make_product(shop, name=f"Pisang Goreng {n}").name for n in range(15)]
    in_text = [make_product(shop, name=f"Kolak {n}", description="pakai pisang").name for n in range(15)]
    search.index_business(shop.pk)
    pages = [search.search("pisang goreng kolak pakai", page=1)]  # nothing has all four: no results
    assert names(pages[0]) == []
    pages = [names(search.search("pisang", region="34.71", page=page)) for page in (1, 2)]
    assert pages[0] + pages[1] == in_name[::-1] + in_text[::-1]
