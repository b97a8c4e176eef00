"""The index follows the catalogue: product changes, hiding, deletion, shops opening and closing, rebuilds."""

from io import StringIO

import pytest
from django.core.management import call_command

from naikkelas.catalog import search
from naikkelas.catalog.models import SearchEntry, SearchState, SearchTerm, ShopProfile
from naikkelas.catalog.search import typos
from tests.catalog.factories import make_product
from tests.catalog.test_search_helpers import build_market, names, open_shop, shop_names
from tests.registry.factories import CATURTUNGGAL, make_business

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    business = open_shop(make_business(village=CATURTUNGGAL, name="Warung Bu Sri"))
    search.index_business(business.pk)
    return business


def _index_state() -> tuple:
    columns = ("pk", "kind", "business_id", "price", "title", "body", "tags")
    entries = list(SearchEntry.objects.order_by("pk").values_list(*columns))
    terms = list(SearchTerm.objects.order_by("term").values_list("term", "df"))
    return entries, terms


def test_a_new_product_is_found_once_indexed(shop):
    product = make_product(shop, name="Rempeyek Kacang")
    assert names(search.search("rempeyek")) == []
    search.index_products([product.pk])
    assert names(search.search("rempeyek")) == ["Rempeyek Kacang"]


def test_a_renamed_product_is_found_by_its_new_name_only(shop):
    product = make_product(shop, name="Rempeyek Kacang")
    search.index_products([product.pk])
    product.name = "Rempeyek Teri"
    product.price = 9000
    product.save()
    search.index_products([product.pk])
    assert names(search.search("teri")) == ["Rempeyek Teri"]
    assert names(search.search("kacang")) == []
    assert names(search.search("rempeyek", price_max=9000)) == ["Rempeyek Teri"]


def test_a_hidden_product_leaves_the_results_and_comes_back_when_shown(shop):
    product = make_product(shop, name="Rempeyek Kacang")
    search.index_products([product.pk])
    product.is_active = False
    product.save()
    search.index_products([product.pk])
    assert names(search.search("rempeyek")) == []
    assert shop_names(search.search("rempeyek")) == []  # the shop is no longer found by it either
    product.is_active = True
    product.save()
    search.index_products([product.pk])
    assert names(search.search("rempeyek")) == ["Rempeyek Kacang"]


def test_a_deleted_product_leaves_the_index(shop):
    product = make_product(shop, name="Rempeyek Kacang")
    search.index_products([product.pk])
    pk = product.pk
    product.delete()
    search.index_products([pk])
    assert not SearchEntry.objects.filter(pk=pk).exists()
    assert names(search.search("rempeyek")) == []


def test_a_product_hidden_but_not_yet_reindexed_is_still_never_shown(shop):
    # The result page reads the catalogue for the ids the index returns, and checks again.
    product = make_product(shop, name="Rempeyek Kacang")
    search.index_products([product.pk])
    product.is_active = False
    product.save()
    assert names(search.search("rempeyek")) == []


def test_a_closed_shop_takes_its_products_out_and_reopening_brings_them_back(shop):
    make_product(shop, name="Rempeyek Kacang")
    search.index_business(shop.pk)
    ShopProfile.objects.filter(business=shop).delete()
    search.index_business(shop.pk)
    assert names(search.search("rempeyek")) == [] and shop_names(search.search("bu sri")) == []
    assert not SearchEntry.objects.filter(business_id=shop.pk).exists()
    open_shop(shop)
    search.index_business(shop.pk)
    assert names(search.search("rempeyek")) == ["Rempeyek Kacang"]


def test_a_renamed_shop_is_found_by_its_new_name_in_its_products_too(shop):
    make_product(shop, name="Rempeyek Kacang")
    search.index_business(shop.pk)
    shop.name = "Dapur Mbak Yuni"
    shop.save()
    search.index_business(shop.pk)
    assert shop_names(search.search("yuni")) == ["Dapur Mbak Yuni"]
    assert names(search.search("rempeyek yuni")) == ["Rempeyek Kacang"]
    # The old name is in no entry any more: the word is left out (and the page says so)
    assert search.search("rempeyek sri").parsed.ignored == ("sri",)
    assert shop_names(search.search("bu sri")) == []


def test_the_vocabulary_counts_entries_and_forgets_words_no_entry_has(shop):
    first = make_product(shop, name="Rempeyek Kacang")
    second = make_product(shop, name="Rempeyek Teri")
    search.index_products([first.pk, second.pk])
    # Two products and the shop (which is found by its products' words)
    assert SearchTerm.objects.get(term="rempeyek").df == 3
    pk = second.pk
    second.delete()
    search.index_products([pk])
    assert SearchTerm.objects.get(term="rempeyek").df == 2
    assert not SearchTerm.objects.filter(term="teri").exists()


def test_typo_correction_learns_new_words_at_once(shop):
    search.search("rempeyek")  # loads this process's copy of the vocabulary
    product = make_product(shop, name="Rempeyek Kacang")
    search.index_products([product.pk])
    assert names(search.search("rempeyk")) == ["Rempeyek Kacang"]


def test_indexing_an_unchanged_product_writes_nothing(shop):
    product = make_product(shop, name="Rempeyek Kacang")
    search.index_products([product.pk])
    version = SearchState.objects.get().vocabulary_version
    before = _index_state()
    search.index_products([product.pk])
    search.index_business(shop.pk)
    assert _index_state() == before
    assert SearchState.objects.get().vocabulary_version == version


def test_a_rebuild_gives_exactly_the_index_that_step_by_step_indexing_gave():
    # Given the market indexed shop by shop, with the changes the catalogue makes along the way
    market = build_market()
    for key in ("sri", "kricak", "semarang", "hidden_shop"):
        search.index_business(market[key].pk)
    renamed = market["products"]["Batik Cap Parang"]
    renamed.name = "Batik Cap Parang Rusak"
    renamed.save()
    search.index_products([renamed.pk])
    stepwise = _index_state()
    # When everything is rebuilt
    counts = search.index_rebuild()
    # Then the index is the same, and the counts say what it holds
    assert _index_state() == stepwise
    assert (counts["products"], counts["shops"]) == (6, 3)
    assert counts["terms"] == SearchTerm.objects.count()


def test_a_rebuild_empties_what_no_longer_exists(shop):
    product = make_product(shop, name="Rempeyek Kacang")
    search.index_products([product.pk])
    product.delete()  # without telling the index
    search.index_rebuild()
    assert not SearchEntry.objects.filter(kind=SearchEntry.Kind.PRODUCT).exists()
    assert names(search.search("rempeyek")) == []
    assert typos.nearest("rempeyk") is None


def test_reindex_command_prints_the_counts(shop):
    make_product(shop, name="Rempeyek Kacang")
    out = StringIO()
    call_command("reindex", stdout=out)
    assert "1 produk, 1 toko" in out.getvalue()
    assert names(search.search("rempeyek")) == ["Rempeyek Kacang"]
