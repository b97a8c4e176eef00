"""The pure half of search: words, stems, place words and filter tags (no database)."""

from hypothesis import given
from hypothesis import strategies as st

from naikkelas.catalog.search import documents, text
from naikkelas.catalog.search.documents import Shop


def test_words_are_folded_to_lower_case_ascii_and_cut_at_letters_and_digits():
    assert text.words("Keripik PISANG, Kafé 500gr!") == ["keripik", "pisang", "kafe", "500", "gr"]
    assert text.words("") == [] and text.words(None) == []


def test_runs_longer_than_a_word_are_dropped():
    assert text.words("a" * 41 + " teh") == ["teh"]


@given(st.text())
def test_words_are_always_plain_runs_of_letters_or_of_digits(value):
    for word in text.words(value):
        assert (word.isascii() and word.isalpha() and word.islower()) or word.isdigit()
        assert len(word) <= text.MAX_WORD_LENGTH


def test_stems_follow_snowball_indonesian_and_leave_numbers_alone():
    assert [text.stem(word) for word in ("keripik", "makanan", "penjualan", "dimakan", "500")] == [
        "ripik", "makan", "jual", "makan", "500",
    ]


def test_place_words_add_the_everyday_names():
    assert documents.place_words(["kricak", "tegalrejo", "yogyakarta", "yogyakarta"]) == (
        "kricak tegalrejo yogyakarta jogja jogjakarta yogyakarta jogja jogjakarta"
    )
    assert documents.place_words(["laweyan", "surakarta", "jawa tengah"]) == "laweyan surakarta solo jawa tengah"


SHOP = Shop(
    id=7, name="Warung Bu Sri", tagline="Camilan", village_code="34.04.07.2001", sector_code="10794",
    kategori="C", sector_title="Industri Kerupuk, Keripik", place="caturtunggal depok sleman yogyakarta",
)


def test_tags_name_every_level_of_region_and_sector_and_the_price():
    assert documents.tags(kind=documents.PRODUCT, shop=SHOP, price=25000).split() == [
        "j1", "w34", "w3404", "w340407", "w3404072001", "k10", "k107", "k1079", "k10794", "k0c",
        "p5", "p5x2", "p5x25",
    ]


def test_price_tags_cover_a_range_to_two_significant_digits():
    assert documents.price_cover(20000, 30000) == ["p5x2", "p5x30"]
    assert documents.price_cover(None, 50000) == ["p0", "p1", "p2", "p3", "p4", "p5x1", "p5x2", "p5x3", "p5x4", "p5x50"]
    assert documents.price_cover(100000, None)[:2] == ["p6", "p7"]
    assert documents.price_cover(0, 0) == ["p0"]


@given(
    price=st.integers(min_value=0, max_value=10**13),
    low=st.none() | st.integers(min_value=0, max_value=10**13),
    high=st.none() | st.integers(min_value=0, max_value=10**13),
)
def test_a_price_in_a_range_always_carries_a_tag_of_its_cover(price, low, high):
    inside = (low is None or price >= low) and (high is None or price <= high)
    if inside:
        assert set(documents.price_tags(price)) & set(documents.price_cover(low, high))


@given(st.text(), st.integers(min_value=0, max_value=10**13))
def test_no_word_of_any_text_can_equal_a_tag_or_a_marked_title_term(value, price):
    tags = set(documents.tags(kind=documents.PRODUCT, shop=SHOP, price=price).split())
    tags |= {documents.title_term(text.stem(word)) for word in text.words(value)}
    assert not tags & set(text.words(value))
    assert not tags & {text.stem(word) for word in text.words(value)}


def test_a_product_entry_carries_its_shop_and_place_and_a_shop_entry_its_products_words():
    entry = documents.product_entry(
        product_id=3, name="Keripik Pisang", category="Camilan", description="Renyah", price=15000, shop=SHOP
    )
    assert (entry.id, entry.title, entry.price) == (3, "keripik pisang", 15000)
    assert entry.body == "camilan renyah warung bu sri caturtunggal depok sleman yogyakarta"
    shop = documents.shop_entry(shop=SHOP, product_words="keripik pisang")
    assert (shop.id, shop.kind, shop.price, shop.title) == (-7, documents.SHOP, None, "warung bu sri")
    assert shop.body == "camilan industri kerupuk keripik caturtunggal depok sleman yogyakarta keripik pisang"


def test_a_shops_product_words_are_the_first_distinct_ones_up_to_a_limit():
    assert documents.distinct_words(["Keripik Pisang", "keripik singkong", "Teh"], limit=3) == "keripik pisang singkong"
