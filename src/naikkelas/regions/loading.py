"""Load the shipped reference data (regions, population, KBLI 2020) into the database.

Idempotent: rows are inserted when missing and left alone when present, so running it again after an
upgrade adds new codes without touching what businesses point at. 91,599 regions load in a few seconds.
"""

import csv
from importlib import resources

from django.db import transaction

from naikkelas.regions.models import Region, Sector
from naikkelas.regions.names import search_form

# Indonesia's three zones, by province code (Permendagri / Keppres 41/1987, Papua provinces split since 2022).
WITA_PROVINCES = {"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"}
WIT_PROVINCES = {"81", "82", "91", "92", "93", "94", "95", "96"}
BATCH = 5000


def province_timezone(code: str) -> str:
    if code in WIT_PROVINCES:
        return "Asia/Jayapura"
    if code in WITA_PROVINCES:
        return "Asia/Makassar"
    return "Asia/Jakarta"


def _rows(filename: str):
    with resources.files("naikkelas.regions").joinpath("data", filename).open(encoding="utf-8", newline="") as f:
        yield from csv.DictReader(f)


def _insert_missing(model, objects: list) -> int:
    existing = set(model.objects.values_list("pk", flat=True))
    fresh = [obj for obj in objects if obj.pk not in existing]
    for start in range(0, len(fresh), BATCH):
        model.objects.bulk_create(fresh[start : start + BATCH], batch_size=BATCH)
    return len(fresh)


def load_regions() -> int:
    population = {row["code"]: int(row["population"]) for row in _rows("population.csv")}
    files = [
        ("provinces.csv", Region.Level.PROVINCE, None),
        ("regencies.csv", Region.Level.REGENCY, "province_code"),
        ("districts.csv", Region.Level.DISTRICT, "regency_code"),
        ("villages.csv", Region.Level.VILLAGE, "district_code"),
    ]
    objects = []
    for filename, level, parent_column in files:
        for row in _rows(filename):
            code = row["code"]
            objects.append(
                Region(
                    code=code,
                    level=level,
                    parent_id=row[parent_column] if parent_column else None,
                    name=row["name"],
                    search_name=search_form(row["name"]),
                    timezone=province_timezone(code) if level == Region.Level.PROVINCE else "",
                    population=population.get(code),
                )
            )
    return _insert_missing(Region, objects)


def load_sectors() -> int:
    objects = []
    kategori = ""
    for row in _rows("kbli2020.csv"):
        if row["level"] == Sector.Level.KATEGORI:
            kategori = row["code"]
        objects.append(
            Sector(
                code=row["code"],
                level=row["level"],
                parent_id=row["parent_code"] or None,
                title=row["title"],
                kategori=kategori,
            )
        )
    return _insert_missing(Sector, objects)


@transaction.atomic
def load_all() -> dict[str, int]:
    """Returns how many rows were added to each table."""
    return {"regions": load_regions(), "sectors": load_sectors()}
