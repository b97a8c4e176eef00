"""The search page, /cari/: the form, results, corrections, pagination, and input it cannot use."""

from urllib.parse import parse_qs, urlencode, urlparse

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from naikkelas.catalog import search
from tests.catalog.factories import make_product
from tests.catalog.test_search_helpers import build_market, open_shop
from tests.registry.factories import CATURTUNGGAL, make_business

pytestmark = pytest.mark.django_db

URL = reverse("catalog:search")


@pytest.fixture
def market():
    built = build_market()
    search.index_rebuild()
    return built


def _get(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200
    return response, response.content.decode()


def test_without_a_query_the_page_shows_the_form_and_how_to_search(client):
    response, page = _get(client)
    assert 'role="search"' in page and 'name="q"' in page
    assert "Tulis nama produk, nama toko, atau tempat" in page
    assert response.context["results"] is None


def test_results_show_name_price_shop_place_and_link_to_the_product(client, market):
    product = market["products"]["Keripik Pisang Manis"]
    _response, page = _get(client, q="keripik pisang")
    assert "Keripik Pisang Manis" in page
    assert "Rp 15.000" in page
    assert "Warung Bu Sri · Sleman, DI Yogyakarta" in page
    assert f'href="/{market["sri"].slug}/{product.pk}/"' in page
    assert f'href="/{market["sri"].slug}/"' in page  # the shop, in the shops list
    assert "1 produk cocok." in page


def test_a_corrected_query_says_what_was_searched_with_a_link(client, market):
    response, page = _get(client, q="kripik pisng", wilayah="34")
    assert "Menampilkan hasil untuk" in page and "Anda menulis: kripik pisng" in page
    link = response.context["corrected_url"]
    assert parse_qs(urlparse(link).query) == {"q": ["keripik pisang"], "wilayah": ["34"]}
    assert "Keripik Pisang Manis" in page


def test_words_found_nowhere_are_named(client, market):
    _response, page = _get(client, q="keripik qzxwv")
    assert "Tidak ditemukan, jadi tidak dipakai:" in page and "qzxwv" in page


def test_no_results_gets_a_clear_message(client, market):
    _response, page = _get(client, q="qzxwv")
    assert "Tidak ada produk atau toko yang cocok." in page


def test_filters_come_from_the_query_string_and_narrow_the_results(client, market):
    response, page = _get(client, q="batik", wilayah="34.71", sektor="13134", min="100.000", max="Rp 200.000")
    assert [hit.name for hit in response.context["results"].products] == ["Batik Cap Parang"]
    assert '<option value="34.71" selected>' in page  # the regency is listed under its province


def test_a_filter_that_cannot_be_read_is_named_and_the_rest_still_searches(client, market):
    response, page = _get(client, q="keripik pisang", wilayah="jogja", min="murah")
    assert "Wilayah tidak dikenali. Pilih dari daftar." in page
    assert "Tulis harga dengan angka saja" in page
    assert [hit.name for hit in response.context["results"].products] == ["Keripik Pisang Manis"]


def test_prices_the_wrong_way_round_get_a_message(client, market):
    response, page = _get(client, q="keripik", min="20000", max="10000")
    assert "Harga terendah lebih besar dari harga tertinggi." in page
    assert response.context["results"] is None


def test_page_links_keep_the_query_and_filters(client):
    shop = open_shop(make_business(village=CATURTUNGGAL, name="Toko Ani"))
    for number in range(45):
        make_product(shop, name=f"Kue Lapis {number}")
    search.index_business(shop.pk)
    response, page = _get(client, q="kue lapis", wilayah="34", hal="2")
    results = response.context["results"]
    assert (results.page, results.pages, results.has_next) == (2, None, True)
    kept = urlencode({"q": "kue lapis", "wilayah": "34"}).replace("&", "&amp;")
    assert f'href="?{kept}&amp;hal=1"' in page and f'href="?{kept}&amp;hal=3"' in page
    assert "Halaman 2" in page
    _response, last = _get(client, q="kue lapis", wilayah="34", hal="3")
    assert "Halaman 3 dari 3" in last and "45 produk cocok." in last  # the last page knows the total


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    params=st.dictionaries(
        st.sampled_from(["q", "wilayah", "sektor", "min", "max", "hal", "x"]),
        st.one_of(
            st.text(max_size=300),
            st.sampled_from(["34", "34.71", "34.71.01.1001", "C", "10794", "0", "-1", "99999999999999999999", "1e9"]),
        ),
    )
)
def test_any_query_string_gets_a_page_never_an_error(client, params):
    response = client.get(URL, params)
    assert response.status_code == 200
