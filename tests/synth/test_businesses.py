"""The pure generator: calibration on a 20,000 sample, consistency of each row, determinism, bad input.

Tolerances are four standard errors of a share on 20,000 draws (about 1 percentage point at 16 %), so a
test fails when a share is off target, not when the sample is merely unlucky.
"""

import math
import re
import subprocess
import sys
from collections import Counter

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from naikkelas.registry import readiness
from naikkelas.registry.sizeclass import CAPITAL_LIMITS, size_class
from naikkelas.synth import calibration as cal
from naikkelas.synth.businesses import MAX_SEED, Regency, SynthError, generate_businesses
from tests.synth.conftest import SAMPLE


def share(rows, predicate) -> float:
    return sum(1 for row in rows if predicate(row)) / len(rows)


def assert_share(observed: float, expected: float, n: int = SAMPLE) -> None:
    tolerance = 4 * math.sqrt(expected * (1 - expected) / n)
    assert abs(observed - expected) <= tolerance, f"{observed:.4f} is not within {tolerance:.4f} of {expected:.4f}"


# Calibration


def test_generate_businesses_follows_kemenkop_2019_size_classes(sample):
    total = sum(cal.UMKM_2019.values())
    for size in ("micro", "small", "medium"):
        assert_share(share(sample, lambda row: row["size_class"] == size), cal.UMKM_2019[size] / total)


def test_generate_businesses_makes_trade_the_largest_sector_at_about_45_percent(sample, kelompok):
    by_kategori = Counter(kelompok[row["sector_code"]] for row in sample)
    assert by_kategori.most_common(1)[0][0] == "G"
    assert_share(by_kategori["G"] / SAMPLE, 0.4525)
    assert_share(by_kategori["I"] / SAMPLE, cal.SECTOR_SHARES["I"] / 100)
    assert_share(by_kategori["C"] / SAMPLE, cal.SECTOR_SHARES["C"] / 100)


def test_generate_businesses_spreads_over_regencies_by_population(sample, diy_regencies):
    population = {regency.code: regency.population for regency in diy_regencies}
    total = sum(population.values())
    counts = Counter(row["village_code"][:5] for row in sample)
    assert set(counts) == set(population)
    for code, people in population.items():
        assert_share(counts[code] / SAMPLE, people / total)


def test_generate_businesses_has_the_programme_seed_figures(sample):
    assert_share(share(sample, lambda row: row["readiness_level"] >= 2), cal.USING_TECHNOLOGY)
    assert_share(share(sample, lambda row: "marketplace" in row["channels"]), cal.SELLING_ONLINE)
    assert_share(share(sample, lambda row: row["has_bank_account"]), cal.WITH_BANK_ACCOUNT)


def test_generate_businesses_gives_technology_users_the_ages_of_internet_users(sample):
    digital = [row for row in sample if row["readiness_level"] >= 2]
    young = share(digital, lambda row: 19 <= cal.REFERENCE_YEAR - row["owner_birth_year"] <= 34)
    weights = cal.INTERNET_USERS_BY_AGE
    assert_share(young, weights[(19, 34)] / sum(weights.values()), n=len(digital))
    assert young > 0.5  # most internet users are 20–34 (APJII)
    offline = [row for row in sample if row["readiness_level"] < 2]
    assert young > share(offline, lambda row: cal.REFERENCE_YEAR - row["owner_birth_year"] <= 34) + 0.2


def test_generate_businesses_gives_micro_businesses_kemenkop_mean_workforce(sample):
    micro = [row["employees"] for row in sample if row["size_class"] == "micro"]
    expected = cal.WORKERS_2019["micro"] / cal.UMKM_2019["micro"]
    assert abs(sum(micro) / len(micro) - expected) < 0.05


# Each row is consistent


def test_generate_businesses_keeps_capital_and_sales_inside_the_size_class(sample):
    capital_class = dict(CAPITAL_LIMITS)
    for row in sample:
        assert size_class(capital=row["capital"], annual_sales=row["annual_sales"]) == row["size_class"]
        assert size_class(capital=row["capital"], annual_sales=None) == row["size_class"]
        assert row["capital"] > 0 and row["annual_sales"] > 0
        assert row["capital"] <= capital_class[row["size_class"]]
        low, high = cal.EMPLOYEE_RANGE[row["size_class"]]
        assert low <= row["employees"] <= high


def test_generate_businesses_scores_readiness_like_the_questionnaire(sample):
    for row in sample:
        payment = bool({"qris", "transfer", "ewallet"} & set(row["payment_methods"]))
        marketplace = "marketplace" in row["channels"]
        catalogue = row["readiness_level"] - bool(row["nib"]) - payment - marketplace
        assert catalogue in (0, 1)
        answers = {
            "nib": "yes" if row["nib"] else "no",
            "catalogue": "yes" if catalogue else "no",
            "payments": row["payment_methods"],
            "channels": row["channels"],
            "books": "paper",
            "bank": "yes" if row["has_bank_account"] else "no",
        }
        assert readiness.assess(answers).level == row["readiness_level"]
        if "social" in row["channels"]:
            assert catalogue
        if catalogue:
            assert {"whatsapp", "social"} & set(row["channels"])
        assert bool(row["marketplaces"]) == marketplace
        assert "cash" in row["payment_methods"]
        if "transfer" in row["payment_methods"]:
            assert row["has_bank_account"]


def test_generate_businesses_makes_owners_adults_when_they_founded_the_business(sample):
    for row in sample:
        age = cal.REFERENCE_YEAR - row["owner_birth_year"]
        assert 19 <= age <= 72
        assert row["owner_birth_year"] + 17 <= row["founded_year"] <= cal.REFERENCE_YEAR


def test_generate_businesses_uses_existing_kbli_kelompok_and_province_villages(sample, kelompok, diy_regencies):
    villages = {code for regency in diy_regencies for code in regency.villages}
    for row in sample:
        assert row["sector_code"] in kelompok
        assert row["village_code"] in villages


def test_generate_businesses_gives_unique_valid_mobile_numbers(sample):
    phones = [row["phone"] for row in sample]
    assert len(set(phones)) == len(phones)
    for phone in phones[:2000]:
        number = phonenumbers.parse(phone, None)
        assert phonenumbers.is_valid_number(number)
        assert phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE
    # The demo logins (0812-0000-0001, -0002) can never be a synthetic business's number.
    assert not any(phone.startswith("+628120000") for phone in phones)


def test_generate_businesses_gives_unique_slugs_refs_and_nibs(sample):
    for key in ("slug", "external_ref"):
        values = [row[key] for row in sample]
        assert len(set(values)) == len(values)
    nibs = [row["nib"] for row in sample if row["nib"]]
    assert len(set(nibs)) == len(nibs)
    assert all(re.fullmatch(r"\d{13}", nib) for nib in nibs)
    assert sample[0]["external_ref"] == "SYN-34-1-000001"
    for row in sample:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*--34s1-[0-9a-z]+", row["slug"])
        assert len(row["slug"]) <= 80


def test_generate_businesses_names_shops_like_indonesian_umkm(sample):
    names = [row["name"] for row in sample]
    assert any(name.startswith("Warung ") for name in names)
    assert any(name.startswith("Keripik ") for name in names)
    assert any(name.startswith("Batik ") for name in names)
    assert any(name.startswith("Bengkel ") for name in names)
    assert all("{" not in name and name.strip() == name for name in names)
    # Owners in Yogyakarta carry Javanese names, shown in shop names with Bu/Pak/Mbak/Mas.
    assert share(sample, lambda row: re.search(r"\b(Bu|Pak|Mbak|Mas) ", row["name"])) > 0.1


# Determinism


def test_generate_businesses_repeats_itself_for_the_same_seed(sample, diy_regencies, kelompok):
    again = list(
        generate_businesses(province_code="34", regencies=diy_regencies, kelompok=kelompok, seed=1, count=500)
    )
    assert again == sample[:500]


def test_generate_businesses_does_not_depend_on_input_order(sample, diy_regencies, kelompok):
    shuffled_regencies = [Regency(r.code, r.population, tuple(reversed(r.villages))) for r in reversed(diy_regencies)]
    shuffled_kelompok = dict(reversed(list(kelompok.items())))
    again = list(
        generate_businesses(
            province_code="34", regencies=shuffled_regencies, kelompok=shuffled_kelompok, seed=1, count=200
        )
    )
    assert again == sample[:200]


def test_generate_businesses_differs_between_seeds(sample, diy_regencies, kelompok):
    other = list(generate_businesses(province_code="34", regencies=diy_regencies, kelompok=kelompok, seed=2, count=200))
    assert [row["name"] for row in other] != [row["name"] for row in sample[:200]]
    assert not {row["slug"] for row in other} & {row["slug"] for row in sample}
    assert not {row["external_ref"] for row in other} & {row["external_ref"] for row in sample}


# Bad input


@pytest.mark.parametrize("seed", [-1, MAX_SEED, 1.5, "1"])
def test_generate_businesses_rejects_a_bad_seed(seed, diy_regencies, kelompok):
    with pytest.raises(SynthError):
        list(generate_businesses(province_code="34", regencies=diy_regencies, kelompok=kelompok, seed=seed, count=1))


@pytest.mark.parametrize("province_code", ["", "3", "34.71", "xx"])
def test_generate_businesses_rejects_a_bad_province_code(province_code, diy_regencies, kelompok):
    with pytest.raises(SynthError):
        list(
            generate_businesses(
                province_code=province_code, regencies=diy_regencies, kelompok=kelompok, seed=1, count=1
            )
        )


def test_generate_businesses_rejects_a_province_without_villages(kelompok):
    empty = [Regency("34.71", 415_605, ())]
    with pytest.raises(SynthError):
        list(generate_businesses(province_code="34", regencies=empty, kelompok=kelompok, seed=1, count=1))


def test_generate_businesses_rejects_unknown_sectors(diy_regencies):
    with pytest.raises(SynthError):
        list(generate_businesses(province_code="34", regencies=diy_regencies, kelompok={"99999": "Z"}, seed=1, count=1))


def test_generate_businesses_falls_back_to_the_kategori_when_preferred_codes_are_missing(diy_regencies):
    only = {"47999": "G", "56109": "I"}
    rows = list(generate_businesses(province_code="34", regencies=diy_regencies, kelompok=only, seed=1, count=300))
    assert {row["sector_code"] for row in rows} == {"47999", "56109"}


def test_generate_businesses_treats_a_regency_without_population_as_typical(kelompok):
    regencies = [Regency("34.01", 100, ("34.01.01.2001",)), Regency("34.02", None, ("34.02.01.2001",))]
    rows = list(generate_businesses(province_code="34", regencies=regencies, kelompok=kelompok, seed=1, count=200))
    assert Counter(row["village_code"] for row in rows).keys() == {"34.01.01.2001", "34.02.01.2001"}


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(min_value=0, max_value=MAX_SEED - 1), count=st.integers(min_value=0, max_value=40))
def test_generate_businesses_gives_valid_rows_for_any_seed(seed, count, diy_regencies, kelompok):
    rows = list(
        generate_businesses(province_code="34", regencies=diy_regencies, kelompok=kelompok, seed=seed, count=count)
    )
    assert len(rows) == count
    assert len({row["phone"] for row in rows}) == count
    for row in rows:
        assert size_class(capital=row["capital"], annual_sales=row["annual_sales"]) == row["size_class"]
        assert len(row["slug"]) <= 80 and row["slug"].endswith(f"--34s{seed}-" + row["slug"].rsplit("-", 1)[1])


@settings(max_examples=200)
@given(st.text())
def test_django_slugify_never_makes_the_double_dash_synthetic_slugs_use(text):
    # Why synthetic slugs cannot collide with the slugs of businesses people create (registry.unique_slug).
    from django.utils.text import slugify

    assert "--" not in slugify(text)


# Purity


def test_synth_imports_no_django():
    code = (
        "import sys, naikkelas.synth.businesses, naikkelas.synth.calibration;"
        "print(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
