"""Finding products and shops by words: stemming, prefixes, typos, ranking, pagination, filters."""

import pytest

from naikkelas.catalog import search
from naikkelas.catalog.search import PER_PAGE
from tests.catalog.factories import make_product
from tests.catalog.test_search_helpers import build_market, names, open_shop, ranking_path, shop_names  # noqa: F401
from tests.registry.factories import CATURTUNGGAL, KRICAK, make_business

pytestmark = pytest.mark.django_db


@pytest.fixture
def market():
    built = build_market()
    search.index_rebuild()
    return built


def test_keripik_pisang_finds_keripik_pisang_manis(market):
    # When a buyer searches for banana chips
    results = search.search("keripik pisang")
    # Then the chips are found; the hidden flavour and the chips of a shop that is not public are not
    assert names(results) == ["Keripik Pisang Manis"]


def test_batik_tulis_yogya_finds_the_shop_in_yogyakarta_and_not_the_one_in_semarang(market):
    results = search.search("batik tulis yogya")
    assert shop_names(results) == ["Batik Kricak"]
    assert names(results) == ["Batik Tulis Kawung"]


def test_everyday_place_names_find_the_official_ones(market):
    # "Jogja" is how most people write Yogyakarta
    assert shop_names(search.search("batik jogja")) == ["Batik Kricak"]


def test_a_prefix_of_four_letters_or_more_finds_longer_words(market):
    assert names(search.search("singk")) == ["Keripik Singkong Balado"]


def test_stemming_finds_makanan_from_makan(market):
    assert names(search.search("makan")) == ["Aneka Makanan Ringan"]
    assert names(search.search("makanannya")) == ["Aneka Makanan Ringan"]


def test_typos_are_corrected_and_the_correction_is_shown(market):
    results = search.search("kripik pisng")
    assert names(results) == ["Keripik Pisang Manis"]
    assert results.parsed.corrected
    assert results.parsed.corrected_text == "keripik pisang"


def test_swapped_neighbouring_letters_count_as_one_typo(market):
    assert names(search.search("keirpik pisang")) == ["Keripik Pisang Manis"]


def test_a_word_found_nowhere_is_left_out_and_named(market):
    results = search.search("keripik pisang qzxwv")
    assert names(results) == ["Keripik Pisang Manis"]
    assert results.parsed.ignored == ("qzxwv",)


def test_nothing_is_found_when_no_word_is_known(market):
    results = search.search("qzxwv")
    assert names(results) == [] and shop_names(results) == []
    assert results.total == 0


def test_small_function_words_do_not_have_to_match(market):
    assert names(search.search("keripik pisang yang manis dari sleman")) == ["Keripik Pisang Manis"]


def test_accents_and_case_do_not_matter(market):
    assert names(search.search("KÉRIPIK Pisáng")) == ["Keripik Pisang Manis"]


def test_an_empty_query_without_filters_searches_nothing(market):
    for query in ("", "   ", "!!!"):
        results = search.search(query)
        assert not results.searched
        assert results.products == [] and results.shops == []


def test_the_name_ranks_before_the_description_then_newest_first(ranking_path):
    # Given a shop with "pisang" in two names and in one description, the description one newest of all
    shop = open_shop(make_business(village=CATURTUNGGAL, name="Toko Ani"))
    make_product(shop, name="Pisang Goreng")
    make_product(shop, name="Pisang Molen")
    make_product(shop, name="Kolak", description="Kolak pisang dan ubi")
    search.index_business(shop.pk)
    # Then names first (newest first among them), then the description match
    assert names(search.search("pisang")) == ["Pisang Molen", "Pisang Goreng", "Kolak"]


def test_an_exact_word_ranks_before_a_longer_word_it_begins(ranking_path):
    shop = open_shop(make_business(village=CATURTUNGGAL, name="Toko Ani"))
    make_product(shop, name="Kopi Tubruk")
    make_product(shop, name="Kopiah Hitam")
    search.index_business(shop.pk)
    assert names(search.search("kopi")) == ["Kopi Tubruk", "Kopiah Hitam"]


def test_more_of_the_words_in_the_name_ranks_higher(ranking_path):
    # Given a shop called "Batik Tulis Bu Ani" in Yogyakarta that also sells honey, and a batik newer than it
    shop = open_shop(make_business(village=KRICAK, name="Batik Tulis Bu Ani"))
    make_product(shop, name="Batik Tulis Parang")
    make_product(shop, name="Kain Batik Sogan")
    make_product(shop, name="Madu Hutan")
    search.index_business(shop.pk)
    # Then both words in the name, then one, then none (the place is in no name)
    assert names(search.search("batik tulis yogya")) == ["Batik Tulis Parang", "Kain Batik Sogan", "Madu Hutan"]


def test_results_come_in_pages_of_twenty(ranking_path):
    shop = open_shop(make_business(village=CATURTUNGGAL, name="Toko Ani"))
    for number in range(PER_PAGE + 5):
        make_product(shop, name=f"Kue Lapis {number}")
    search.index_business(shop.pk)

    first = search.search("kue lapis")
    second = search.search("kue lapis", page=2)

    assert (len(first.products), len(second.products)) == (20, 5)
    assert first.products[0].name == "Kue Lapis 24" and second.products[-1].name == "Kue Lapis 0"
    assert not set(names(first)) & set(names(second))
    assert first.has_next and not second.has_next
    # A page filled by the best group does not count what lies beyond it; the last page knows the total
    assert (first.total, first.pages) == (None, None)
    assert (second.total, second.pages) == (25, 2)
    # A page past the end (an old link) shows the last page
    assert names(search.search("kue lapis", page=9)) == names(second)
    assert search.search("kue lapis", page=2).shops == []  # shops are listed on the first page only


def test_pages_continue_across_ranking_groups(ranking_path):
    # Given 15 products with the word in the name and 15 with it only in the description
    shop = open_shop(make_business(village=CATURTUNGGAL, name="Toko Ani"))
    in_name = [make_product(shop, name=f"Pisang Goreng {n}").name for n in range(15)]
    in_text = [make_product(shop, name=f"Kolak {n}", description="pakai pisang").name for n in range(15)]
    search.index_business(shop.pk)
    # Then the pages run through the names first, newest first, and then the descriptions, with no gap
    pages = [names(search.search("pisang", page=page)) for page in (1, 2)]
    assert pages[0] + pages[1] == in_name[::-1] + in_text[::-1]
    assert search.search("pisang", page=2).total == 30
    # The best group (15) does not fill the first page: with few matches they are all counted at once
    assert search.search("pisang").total == (30 if ranking_path == "few" else None)
    assert names(search.search("pisang", page=3)) == pages[1]


def test_the_last_page_served_is_the_fiftieth():
    assert search.search("kue", page=10**9).page == search.MAX_PAGES


def test_filter_by_region_takes_any_level_of_code(market):
    def shops_in(region):
        return sorted(shop_names(search.search("batik", region=region)))

    assert shops_in("34") == ["Batik Kricak"]
    assert shops_in("34.71") == ["Batik Kricak"]
    assert shops_in("34.71.01.1001") == ["Batik Kricak"]
    assert shops_in("33") == ["Batik Semarangan"]
    assert shops_in("34.04") == []
    assert sorted(names(search.search("keripik", region="34.04"))) == [
        "Keripik Pisang Manis", "Keripik Singkong Balado",
    ]


def test_filter_by_sector_takes_a_kbli_prefix_or_kategori_letter(market):
    assert sorted(names(search.search("", sector="10794"))) == [
        "Aneka Makanan Ringan", "Keripik Pisang Manis", "Keripik Singkong Balado",
    ]
    assert names(search.search("batik", sector="1313")) == [
        "Batik Tulis Semarang", "Batik Cap Parang", "Batik Tulis Kawung",
    ]
    assert len(search.search("", sector="C").products) == 6  # both trades are manufacturing (kategori C)
    assert len(search.search("", sector="c").products) == 6
    assert search.search("batik", sector="47").products == []


def test_filter_by_price_is_inclusive(market):
    assert names(search.search("keripik", price_min=12000, price_max=15000)) == [
        "Keripik Singkong Balado", "Keripik Pisang Manis",
    ]
    assert names(search.search("keripik", price_min=13000)) == ["Keripik Pisang Manis"]
    assert names(search.search("batik", price_max=150000)) == ["Batik Cap Parang"]


def test_filters_alone_list_everything_they_allow(market):
    results = search.search("", region="34.71")
    assert names(results) == ["Batik Cap Parang", "Batik Tulis Kawung"]
    assert shop_names(results) == ["Batik Kricak"]


def test_filters_that_cannot_be_used_are_refused_with_a_message(market):
    for arguments in (
        {"region": "abc"}, {"region": "34.7"}, {"sector": "Z"}, {"sector": "1"}, {"sector": "C1"},
        {"price_min": "murah"}, {"price_min": -1}, {"price_min": 20000, "price_max": 10000},
    ):
        with pytest.raises(search.SearchError) as refused:
            search.search("keripik", **arguments)
        assert refused.value.messages[0]


def test_hidden_products_and_shops_that_are_not_public_are_never_found(market):
    everything = search.search("keripik pisang")
    assert "Keripik Pisang Keju" not in names(everything)
    assert "Keripik Pisang Coklat" not in names(everything)
    assert "Keripik Diam-diam" not in shop_names(search.search("keripik"))
    assert search.search("", region="34").total == 5  # Bu Sri's three and Kricak's two


def test_a_shop_is_found_by_its_name_place_tagline_and_what_it_sells(market):
    assert shop_names(search.search("bu sri")) == ["Warung Bu Sri"]
    assert shop_names(search.search("camilan rumahan")) == ["Warung Bu Sri"]
    assert shop_names(search.search("singkong")) == ["Warung Bu Sri"]
    assert shop_names(search.search("semarang")) == ["Batik Semarangan"]


def test_a_shop_without_products_is_found_once_public():
    business = make_business(village=KRICAK, name="Jahit Bu Tini")
    search.index_business(business.pk)
    assert shop_names(search.search("jahit")) == []
    open_shop(business)
    search.index_business(business.pk)
    assert shop_names(search.search("jahit")) == ["Jahit Bu Tini"]


def test_a_hit_carries_what_the_result_page_shows(market):
    [hit] = search.search("keripik pisang").products
    assert (hit.name, hit.price, hit.shop_name) == ("Keripik Pisang Manis", 15000, "Warung Bu Sri")
    assert hit.slug == market["sri"].slug
    assert hit.place == "Sleman, DI Yogyakarta"
    assert hit.id == market["products"]["Keripik Pisang Manis"].pk
    [shop] = search.search("bu sri").shops
    assert shop.place == "Caturtunggal, Depok, Sleman, DI Yogyakarta"
