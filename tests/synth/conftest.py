"""Inputs for the pure generator, read straight from the shipped reference files (no database)."""

import csv
from collections import defaultdict
from importlib import resources

import pytest

from naikkelas.synth.businesses import Regency, generate_businesses

SAMPLE = 20_000


def _rows(filename: str):
    with resources.files("naikkelas.regions").joinpath("data", filename).open(encoding="utf-8", newline="") as f:
        yield from csv.DictReader(f)


@pytest.fixture(scope="session")
def kelompok() -> dict[str, str]:
    codes, kategori = {}, ""
    for row in _rows("kbli2020.csv"):
        if row["level"] == "kategori":
            kategori = row["code"]
        elif row["level"] == "kelompok":
            codes[row["code"]] = kategori
    return codes


@pytest.fixture(scope="session")
def diy_regencies() -> list[Regency]:
    population = {row["code"]: int(row["population"]) for row in _rows("population.csv")}
    villages = defaultdict(list)
    for row in _rows("villages.csv"):
        if row["code"].startswith("34."):
            villages[row["code"][:5]].append(row["code"])
    return [Regency(code, population.get(code), tuple(codes)) for code, codes in sorted(villages.items())]


@pytest.fixture(scope="session")
def sample(diy_regencies, kelompok) -> list[dict]:
    """20,000 businesses of DI Yogyakarta, seed 1."""
    return list(
        generate_businesses(province_code="34", regencies=diy_regencies, kelompok=kelompok, seed=1, count=SAMPLE)
    )
