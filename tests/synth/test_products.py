"""The pure shop generator: who opens a shop, what it sells and at what price, exact totals, determinism."""

import re
import subprocess
import sys
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from naikkelas.synth.archetypes import ARCHETYPES
from naikkelas.synth.businesses import SynthError
from naikkelas.synth.products import (
    ALL_DAYS,
    CATALOGUE_BY_KELOMPOK,
    SHOP_IF_CATALOGUE,
    SHOP_OTHERWISE,
    STOCK_MOST,
    Seller,
    catalogue_for,
    generate_shops,
    has_catalogue_step,
    nice_price,
)

PLACES = {"34.01": "Kulon Progo", "34.02": "Bantul", "34.03": "Gunungkidul", "34.04": "Sleman", "34.71": "Yogyakarta"}


def sellers_from(rows, kelompok) -> list[Seller]:
    return [
        Seller(
            key=n,
            sector_code=row["sector_code"],
            kategori=kelompok[row["sector_code"]],
            size_class=row["size_class"],
            catalogue_step=has_catalogue_step(row),
            place=PLACES[row["village_code"][:5]],
        )
        for n, row in enumerate(rows)
    ]


@pytest.fixture(scope="module")
def sellers(sample, kelompok) -> list[Seller]:
    return sellers_from(sample, kelompok)


@pytest.fixture(scope="module")
def shops(sellers):
    return list(generate_shops(sellers, seed=1))


def seller(sector_code: str, kategori: str, *, size: str = "micro", key: int = 1) -> Seller:
    return Seller(key=key, sector_code=sector_code, kategori=kategori, size_class=size, catalogue_step=True,
                  place="Sleman")


def test_the_generators_import_no_django():
    code = "import sys, naikkelas.synth.products, naikkelas.synth.orders; print('django' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


# Who opens a shop


def test_businesses_with_an_online_catalogue_open_most_shops(sample, sellers, shops):
    # Given 20,000 calibrated businesses, about a fifth of which show a catalogue online (readiness step)
    with_catalogue = sum(s.catalogue_step for s in sellers)
    assert 0.18 < with_catalogue / len(sellers) < 0.28

    # Then most of those open a shop, and few others do
    opened = Counter(shop.seller.catalogue_step for shop in shops)
    assert abs(opened[True] / with_catalogue - SHOP_IF_CATALOGUE) < 0.02
    assert abs(opened[False] / (len(sellers) - with_catalogue) - SHOP_OTHERWISE) < 0.01


def test_has_catalogue_step_agrees_with_the_readiness_level(sample):
    # The level counts register, catalogue, payment and marketplace steps; catalogue is what remains.
    for row in sample[:2000]:
        others = bool(row["nib"]) + bool({"qris", "transfer", "ewallet"} & set(row["payment_methods"])) + (
            "marketplace" in row["channels"]
        )
        assert has_catalogue_step(row) == (row["readiness_level"] - others == 1)


def test_every_kind_of_business_has_something_to_sell():
    codes = {code for archetype in ARCHETYPES for code in archetype.kelompok}
    assert codes <= set(CATALOGUE_BY_KELOMPOK)
    # An unknown kelompok falls back to what its kategori sells.
    assert catalogue_for("56999", "I") is catalogue_for("56102", "I")
    assert catalogue_for("99999", "Z").items


# What a shop sells


def test_a_shop_sells_what_its_trade_makes():
    def first_shop(code: str, kategori: str, total: int):
        sellers = [seller(code, kategori, size="small", key=n) for n in range(5)]
        return next(generate_shops(sellers, seed=3, total_products=total))

    keripik = first_shop("10794", "C", 30)
    batik = first_shop("13134", "C", 30)
    laundry = first_shop("96200", "S", 5)

    assert all(p["name"].startswith(("Keripik", "Kerupuk", "Peyek", "Emping", "Kacang", "Makaroni", "Basreng",
                                     "Sale", "Rengginang", "Stik", "Paket")) for p in keripik.products)
    assert any(re.match(r"Batik Tulis (Motif )?\w", p["name"]) for p in batik.products)
    assert all(p["made_to_order"] and p["weight_grams"] is None for p in laundry.products)
    assert all(p["category"] == "Laundry" for p in laundry.products)


def test_products_have_plausible_fields(shops):
    products = [p for shop in shops for p in shop.products]
    assert len(products) > 30_000
    for product in products:
        assert "{" not in product["name"] and product["name"] == product["name"].strip()
        assert 2 <= len(product["name"]) <= 120
        assert isinstance(product["price"], int) and 100 <= product["price"] <= 1_000_000_000
        assert product["price"] % 100 == 0
        assert 0 <= product["stock"] <= STOCK_MOST
        if product["made_to_order"]:
            assert product["stock"] == 0
        assert product["weight_grams"] is None or 1 <= product["weight_grams"] <= 1_000_000
        assert 1 <= len(product["unit"]) <= 20 and 1 <= len(product["category"]) <= 60
        assert product["description"] and "{" not in product["description"]
        assert 0 <= product["listed_days_ago"] < 365


def test_prices_are_round_the_way_shops_write_them(shops):
    prices = Counter(p["price"] for shop in shops for p in shop.products)
    cheap = [price for price in prices if 1_000 <= price < 20_000]
    assert all(price % 500 == 0 for price in cheap)
    assert all(price % 1_000 == 0 for price in prices if 20_000 <= price < 100_000)
    assert 10_000 <= sorted(prices.elements())[sum(prices.values()) // 2] <= 100_000  # median


def test_most_products_are_on_sale_some_hidden_some_sold_out(shops):
    products = [p for shop in shops for p in shop.products]
    hidden = sum(not p["is_active"] for p in products) / len(products)
    stocked = [p for p in products if not p["made_to_order"]]
    sold_out = sum(p["stock"] == 0 for p in stocked) / len(stocked)
    made = sum(p["made_to_order"] for p in products) / len(products)
    assert 0.02 < hidden < 0.06
    assert 0.04 < sold_out < 0.08
    assert 0.15 < made < 0.6  # warungs cook to order, services have no stock


def test_names_are_unique_within_a_shop(shops):
    for shop in shops:
        names = [p["name"] for p in shop.products]
        assert len(set(names)) == len(names)


def test_keripik_pisang_and_batik_tulis_are_among_the_products(shops):
    names = [p["name"] for shop in shops for p in shop.products]
    assert any(name.startswith("Keripik Pisang") for name in names)
    assert any(name.startswith("Batik Tulis") for name in names)


def test_shops_have_a_tagline_and_valid_opening_hours(shops):
    with_hours = 0
    for shop in shops:
        assert 0 < len(shop.tagline) <= 160 and "{" not in shop.tagline
        for span in shop.opening_hours:
            assert span["days"] and set(span["days"]) <= set(ALL_DAYS)
            assert re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", span["opens"])
            assert re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", span["closes"])
            assert span["opens"] != span["closes"]
        with_hours += bool(shop.opening_hours)
    assert 0.7 < with_hours / len(shops) < 0.9


def test_bigger_businesses_list_more_products(shops):
    by_size: dict[str, list[int]] = {}
    for shop in shops:
        by_size.setdefault(shop.seller.size_class, []).append(len(shop.products))
    mean = {size: sum(counts) / len(counts) for size, counts in by_size.items()}
    assert 5 < mean["micro"] < 15
    assert mean["small"] > 1.5 * mean["micro"]


# Totals


@pytest.mark.parametrize("total", [1, 500, 7_777, 60_000])
def test_the_total_number_of_products_is_exact(sellers, total):
    shops = list(generate_shops(sellers[:4000], seed=2, total_products=total))

    assert sum(len(shop.products) for shop in shops) == total
    assert len({shop.key for shop in shops}) == len(shops)


def test_a_large_total_grows_shops_within_their_catalogues_before_repeating_names(sellers):
    # Given 4,000 businesses, whose shops would list about 2,000 products of their own accord
    shops = list(generate_shops(sellers[:4000], seed=2, total_products=60_000))

    # Then every shop lists more, and numbered packs stay rare
    packs = sum(bool(re.search(r" Paket \d+$", p["name"])) for shop in shops for p in shop.products)
    assert packs < 0.05 * 60_000


def test_zero_products_opens_no_shop(sellers):
    assert list(generate_shops(sellers[:100], seed=1, total_products=0)) == []


def test_a_total_without_any_business_that_opens_a_shop_is_refused():
    nobody = [Seller(1, "47111", "G", "micro", False)] * 0
    with pytest.raises(SynthError):
        list(generate_shops(nobody, seed=1, total_products=10))


@pytest.mark.parametrize("seed, total", [(-1, None), (1.5, None), ("1", None), (1, -3), (1, 2.0)])
def test_bad_arguments_are_refused(seed, total):
    with pytest.raises(SynthError):
        list(generate_shops([seller("10794", "C")], seed=seed, total_products=total))


# Determinism


def test_the_same_seed_gives_the_same_shops(sellers, shops):
    again = list(generate_shops(sellers, seed=1))
    assert [(s.key, s.tagline, s.opening_hours, s.products) for s in again] == [
        (s.key, s.tagline, s.opening_hours, s.products) for s in shops
    ]


def test_another_seed_gives_other_shops(sellers, shops):
    other = list(generate_shops(sellers[:3000], seed=2))
    mine = [s for s in shops if s.key < 3000]
    assert [p["name"] for s in other for p in s.products] != [p["name"] for s in mine for p in s.products]


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(min_value=0, max_value=10**9), total=st.integers(min_value=0, max_value=400))
def test_any_seed_and_total_give_valid_shops(seed, total):
    sellers = [seller(code, kategori, key=n) for n, (code, kategori) in enumerate(
        [("10794", "C"), ("96200", "S"), ("56102", "I"), ("47111", "G"), ("31001", "C")] * 4
    )]
    shops = list(generate_shops(sellers, seed=seed, total_products=total))
    assert sum(len(shop.products) for shop in shops) == total
    for shop in shops:
        assert len({p["name"] for p in shop.products}) == len(shop.products)
        assert all(p["price"] > 0 and len(p["name"]) <= 120 for p in shop.products)


@settings(max_examples=300)
@given(st.floats(min_value=1, max_value=1e9, allow_nan=False))
def test_nice_price_stays_close_and_round(amount):
    price = nice_price(amount)
    assert isinstance(price, int) and price % 100 == 0
    assert abs(price - amount) <= max(0.25 * amount, 100)
