"""Product feeds: /feed/mitra/<token>/<name> (a partner's, every shop that shares with it) and
/feed/toko/<slug>/<name> (one public shop's), in the formats of partners/feeds.py."""

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

import pytest
from django.core.files.base import ContentFile
from django.test import RequestFactory
from django.urls import reverse
from django.utils.http import http_date
from hypothesis import HealthCheck, given, settings as hypothesis_settings, strategies as st

from naikkelas.catalog import services as catalog_services
from naikkelas.catalog.models import Product, ProductPhoto, ShopProfile
from naikkelas.partners import feeds, sync
from naikkelas.partners import services as partner_services
from naikkelas.partners.models import Partner
from tests.catalog.factories import make_product
from tests.partners.factories import make_partner_org, share
from tests.registry.factories import KRICAK, make_business, make_owner

pytestmark = pytest.mark.django_db

G = "{http://base.google.com/ns/1.0}"
GOOGLE_REQUIRED = ("id", "title", "description", "link", "image_link", "availability", "price", "condition")


def open_shop(name: str = "Keripik Bu Sri", **fields):
    business = make_business(name=name, owner=make_owner(), **fields)
    ShopProfile.objects.create(business=business, tagline="Camilan khas Sleman")
    return business


def add_photo(product: Product, position: int = 0) -> ProductPhoto:
    photo = ProductPhoto(product=product, width=40, height=30, position=position)
    photo.image.save("foto.webp", ContentFile(b"RIFF"), save=False)
    photo.thumb.save("foto.webp", ContentFile(b"RIFF"), save=False)
    photo.save()
    return photo


def with_photo(business, **fields) -> Product:
    product = make_product(business, **fields)
    add_photo(product)
    return product


def partner_url(partner: Partner, name: str) -> str:
    return reverse("partners_feeds:partner_feed", args=[partner.feed_token, name])


def shop_url(business, name: str) -> str:
    return reverse("partners_feeds:shop_feed", args=[business.slug, name])


def body(response) -> str:
    assert response.streaming
    return b"".join(response.streaming_content).decode("utf-8")


def google_items(response) -> list[ET.Element]:
    root = ET.fromstring(body(response))
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    for tag in ("title", "link", "description"):
        assert (channel.findtext(tag) or "").strip(), f"channel without {tag}"
    return channel.findall("item")


def item_ids(items: list[ET.Element]) -> list[int]:
    return [int(item.findtext(f"{G}id")) for item in items]


@pytest.fixture
def partner():
    return make_partner_org()


@pytest.fixture
def shop(partner):
    business = open_shop()
    share(business, partner)
    return business


# -- Google Merchant Center ----------------------------------------------------------------------------------


def test_google_feed_parses_and_every_item_has_every_required_attribute(client, partner, shop):
    # Given two shared shops with products in stock, out of stock and made to order
    other = open_shop("Batik Kricak & Co <Asli>", village=KRICAK)
    share(other, partner)
    products = [
        with_photo(shop, name="Keripik Pisang", price=15000, stock=3, description="Renyah, manis."),
        with_photo(shop, name="Sambal \"Bu Sri\" & teman", price=22500, stock=0, category="Bumbu"),
        with_photo(other, name="Batik Tulis <Kawung>", price=350000, made_to_order=True, weight_grams=300),
    ]

    # When the partner's google.xml is fetched
    response = client.get(partner_url(partner, "google.xml"))

    # Then it is RSS 2.0 whose every item carries every attribute Google requires, well formed
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    items = google_items(response)
    assert sorted(item_ids(items)) == sorted(p.pk for p in products)
    for item in items:
        for name in GOOGLE_REQUIRED:
            assert (item.findtext(f"{G}{name}") or "").strip(), f"item without g:{name}"
        assert item.findtext(f"{G}brand") or item.findtext(f"{G}identifier_exists") == "no"
        assert item.findtext(f"{G}availability") in ("in_stock", "out_of_stock")
        assert re.fullmatch(r"\d+\.00 IDR", item.findtext(f"{G}price"))
        assert item.findtext(f"{G}condition") == "new"
        assert item.findtext(f"{G}link").startswith("http://testserver/")
        assert item.findtext(f"{G}image_link").startswith("http://testserver/media/")
    by_id = {int(item.findtext(f"{G}id")): item for item in items}
    sambal, batik = by_id[products[1].pk], by_id[products[2].pk]
    assert sambal.findtext(f"{G}title") == 'Sambal "Bu Sri" & teman'
    assert sambal.findtext(f"{G}availability") == "out_of_stock"
    assert sambal.findtext(f"{G}price") == "22500.00 IDR"
    assert batik.findtext(f"{G}availability") == "in_stock"
    assert batik.findtext(f"{G}brand") == "Batik Kricak & Co <Asli>"
    assert batik.findtext(f"{G}link") == f"http://testserver/{other.slug}/{products[2].pk}/"
    assert batik.findtext(f"{G}shipping_weight") == "300 g"


def test_google_feed_leaves_out_products_without_a_photo_and_hidden_or_deleted_ones(client, partner, shop):
    shown = with_photo(shop, name="Tampil")
    no_photo = make_product(shop, name="Tanpa Foto")
    hidden = with_photo(shop, name="Sembunyi", is_active=False)
    deleted = catalog_services.product_delete(actor=shop.owner, product=with_photo(shop, name="Hapus"))

    ids = item_ids(google_items(client.get(partner_url(partner, "google.xml"))))

    assert ids == [shown.pk]
    assert not {no_photo.pk, hidden.pk, deleted.pk} & set(ids)


def test_a_product_without_a_description_gets_one_from_its_name_and_shop(client, partner, shop):
    product = with_photo(shop, name="Bakpia", description="  ")

    [item] = google_items(client.get(partner_url(partner, "google.xml")))

    assert item.findtext(f"{G}description") == f"Bakpia dari {shop.name}"
    assert int(item.findtext(f"{G}id")) == product.pk


xml_text = st.text(st.characters(codec="utf-8"), min_size=1, max_size=60)


@given(name=xml_text, description=xml_text, shop_name=xml_text)
@hypothesis_settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_google_feed_is_well_formed_whatever_the_owner_wrote(name, description, shop_name):
    # Given any text at all in a product's name and description and in the shop's name (controls too)
    row = {
        "id": 7, "business_id": 3, "name": name, "description": description, "price": 1000, "stock": 1,
        "made_to_order": False, "unit": "pcs", "weight_grams": None, "category": name, "updated_at": datetime.now(UTC),
        "business__slug": "toko", "business__name": shop_name, "image": "produk/3/a b.webp",
    }
    links = sync.Links(RequestFactory().get("/"))
    channel = feeds.Channel(title=shop_name, link="http://testserver/", description=description, fallback_description="%(product)s")

    # When it is written as google.xml
    document = "".join(feeds.google_xml([[row]], links, channel))

    # Then the document parses, and each text reads back as written, less what XML cannot carry at all
    root = ET.fromstring(document.encode("utf-8"))
    [item] = root.iter("item")
    allowed = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

    def readable(text: str) -> str:
        return allowed.sub("", text).replace("\r\n", "\n").replace("\r", "\n")

    assert item.findtext(f"{G}title") == readable(name)
    assert item.findtext(f"{G}description") == (readable(description).strip() or readable(name))
    assert item.findtext(f"{G}brand") == readable(shop_name[: feeds.GOOGLE_BRAND_MAX])
    assert item.findtext(f"{G}image_link") == "http://testserver/media/produk/3/a%20b.webp"


# -- Meta, CSV and JSON --------------------------------------------------------------------------------------


def test_meta_csv_has_metas_columns_and_values(client, partner, shop):
    in_stock = with_photo(shop, name="Keripik, pedas", price=15000, stock=2, description="Satu\nDua")
    made = with_photo(shop, name="Nasi Kotak", made_to_order=True, stock=0)
    sold_out = with_photo(shop, name="Habis", stock=0)
    make_product(shop, name="Tanpa Foto")

    response = client.get(partner_url(partner, "meta.csv"))

    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(body(response))))
    assert list(rows[0]) == ["id", "title", "description", "availability", "condition", "price", "link", "image_link", "brand"]
    by_id = {int(row["id"]): row for row in rows}
    assert set(by_id) == {in_stock.pk, made.pk, sold_out.pk}
    assert by_id[in_stock.pk]["title"] == "Keripik, pedas"
    assert by_id[in_stock.pk]["description"] == "Satu\nDua"
    assert by_id[in_stock.pk]["price"] == "15000.00 IDR"
    assert by_id[in_stock.pk]["brand"] == shop.name
    assert by_id[in_stock.pk]["condition"] == "new"
    assert [by_id[p.pk]["availability"] for p in (in_stock, made, sold_out)] == ["in stock", "available for order", "out of stock"]
    assert all(row["image_link"].startswith("http://testserver/media/") for row in rows)


def test_produk_csv_lists_every_shown_product_and_escapes_formulas(client, partner, shop):
    formula = make_product(shop, name="=HYPERLINK(\"http://x\")", description="@SUM(A1)", price=5000)
    pictured = with_photo(shop, name="Keripik")

    rows = list(csv.DictReader(io.StringIO(body(client.get(partner_url(partner, "produk.csv"))))))

    assert list(rows[0]) == list(feeds.PLAIN_COLUMNS)
    by_id = {int(row["id"]): row for row in rows}
    assert set(by_id) == {formula.pk, pictured.pk}
    assert by_id[formula.pk]["name"] == "'=HYPERLINK(\"http://x\")"
    assert by_id[formula.pk]["description"] == "'@SUM(A1)"
    assert by_id[formula.pk]["image_url"] == ""
    assert by_id[formula.pk]["price"] == "5000"
    assert by_id[pictured.pk]["url"] == f"http://testserver/{shop.slug}/{pictured.pk}/"


def test_produk_json_is_one_json_array_of_products(client, partner, shop):
    products = [make_product(shop, name=f"Produk {n}", price=1000 * n) for n in range(1, 4)]
    add_photo(products[0])

    data = json.loads(body(client.get(partner_url(partner, "produk.json"))))

    assert [item["id"] for item in data] == [p.pk for p in products]
    assert data[0]["image_url"].startswith("http://testserver/media/")
    assert data[1]["image_url"] is None
    assert set(data[0]) == set(feeds.PLAIN_COLUMNS)
    assert data[2]["price"] == 3000 and data[2]["currency"] == "IDR"


def test_an_empty_feed_is_still_a_valid_document(client, partner):
    assert json.loads(body(client.get(partner_url(partner, "produk.json")))) == []
    assert google_items(client.get(partner_url(partner, "google.xml"))) == []
    assert body(client.get(partner_url(partner, "meta.csv"))).splitlines() == [",".join(feeds.META_COLUMNS)]


def test_every_feed_is_streamed(client, partner, shop):
    with_photo(shop)
    for name in feeds.FEEDS:
        for url in (partner_url(partner, name), shop_url(shop, name)):
            response = client.get(url)

            assert response.status_code == 200, url
            assert response.streaming, url
            body(response)


def test_feed_reads_in_chunks_and_matches_each_product_with_its_first_photo(partner, shop):
    # Given products whose photos straddle chunk boundaries, one with two photos out of insertion order
    products = [make_product(shop, name=f"Produk {n}") for n in range(7)]
    later = add_photo(products[3], position=5)
    first = add_photo(products[3], position=1)
    photos = {products[n].pk: add_photo(products[n]).image.name for n in (0, 4, 6)}
    photos[products[3].pk] = first.image.name

    # When the feed reads them two at a time
    chunks = list(sync.feed_chunks(partner=partner, size=2))

    # Then every product comes once, in id order, each with its first photo
    assert [len(chunk) for chunk in chunks] == [2, 2, 2, 1]
    rows = [row for chunk in chunks for row in chunk]
    assert [row["id"] for row in rows] == [p.pk for p in products]
    assert {row["id"]: row["image"] for row in rows if row["image"]} == photos
    assert later.image.name not in {row["image"] for row in rows}


# -- who gets which feed -------------------------------------------------------------------------------------


def test_partner_feed_lists_only_businesses_that_share_with_that_partner(client, partner, shop):
    mine = with_photo(shop)
    elsewhere = open_shop("Batik Kricak", village=KRICAK)
    share(elsewhere, make_partner_org("Pasar Lain"))
    not_mine = with_photo(elsewhere)
    unshared = with_photo(open_shop("Tidak Berbagi"))

    ids = item_ids(google_items(client.get(partner_url(partner, "google.xml"))))
    assert ids == [mine.pk]
    assert not {not_mine.pk, unshared.pk} & set(ids)
    assert [item["id"] for item in json.loads(body(client.get(partner_url(partner, "produk.json"))))] == [mine.pk]


def test_withdrawn_consent_takes_the_business_out_of_the_partner_feed(client, partner, shop):
    with_photo(shop)
    before = client.get(partner_url(partner, "produk.json"))
    etag = before["ETag"]
    body(before)

    partner_services.share_withdraw(actor=shop.owner, business=shop, partner=partner)
    after = client.get(partner_url(partner, "produk.json"), headers={"If-None-Match": etag})

    assert after.status_code == 200
    assert json.loads(body(after)) == []


def test_unknown_feed_token_is_404(client, partner, shop):
    with_photo(shop)

    assert client.get(reverse("partners_feeds:partner_feed", args=["bukan-token", "google.xml"])).status_code == 404
    assert client.get(partner_url(partner, "google.xml")).status_code == 200


def test_feed_of_a_switched_off_partner_is_404(client, partner, shop):
    Partner.objects.filter(pk=partner.pk).update(is_active=False)

    assert client.get(partner_url(partner, "google.xml")).status_code == 404


def test_replaced_feed_token_stops_working(client, partner, shop):
    old = partner_url(partner, "google.xml")

    partner_services.feed_token_replace(actor=None, partner=partner)

    assert client.get(old).status_code == 404
    assert client.get(partner_url(partner, "google.xml")).status_code == 200


def test_unknown_feed_name_is_404(client, partner, shop):
    for name in ("google.rss", "produk.xlsx", "GOOGLE.XML"):
        assert client.get(partner_url(partner, name)).status_code == 404
        assert client.get(shop_url(shop, name)).status_code == 404


def test_shop_feed_is_public_and_lists_that_shop_only(client, shop):
    mine = with_photo(shop)
    with_photo(open_shop("Batik Kricak", village=KRICAK))

    response = client.get(shop_url(shop, "google.xml"))

    assert response.status_code == 200
    assert item_ids(google_items(response)) == [mine.pk]
    assert "public" in response["Cache-Control"]


def test_shop_feed_of_a_shop_that_is_not_public_or_missing_is_404(client):
    closed = make_business(name="Belum Buka", owner=make_owner())
    make_product(closed)

    assert client.get(shop_url(closed, "google.xml")).status_code == 404
    assert client.get(reverse("partners_feeds:shop_feed", args=["tidak-ada", "google.xml"])).status_code == 404


def test_partner_feed_is_kept_out_of_shared_caches_and_search_engines(client, partner, shop):
    response = client.get(partner_url(partner, "meta.csv"))

    assert response["Cache-Control"] == "private, no-cache"
    assert response["X-Robots-Tag"] == "noindex"


# -- conditional GET -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["partner", "shop"])
def test_unchanged_feed_answers_304_to_its_etag_and_last_modified(client, partner, shop, which):
    # Given a feed fetched once
    with_photo(shop)
    url = partner_url(partner, "google.xml") if which == "partner" else shop_url(shop, "google.xml")
    first = client.get(url)
    body(first)
    etag, last_modified = first["ETag"], first["Last-Modified"]

    # When it is fetched again with its validators, nothing having changed
    by_etag = client.get(url, headers={"If-None-Match": etag})
    by_date = client.get(url, headers={"If-Modified-Since": last_modified})

    # Then both answers are 304 without a body, carrying the same ETag
    assert (by_etag.status_code, by_date.status_code) == (304, 304)
    assert by_etag.content == b""
    assert by_etag["ETag"] == etag


@pytest.mark.parametrize("which", ["partner", "shop"])
def test_a_changed_product_changes_the_feeds_etag(client, partner, shop, which):
    product = with_photo(shop)
    url = partner_url(partner, "google.xml") if which == "partner" else shop_url(shop, "google.xml")
    first = client.get(url)
    body(first)

    catalog_services.product_update(actor=shop.owner, product=product, price=17000)
    again = client.get(url, headers={"If-None-Match": first["ETag"]})

    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]
    assert "17000.00 IDR" in body(again)


def test_a_newly_shared_business_changes_the_partner_feeds_etag(client, partner, shop):
    with_photo(shop)
    first = client.get(partner_url(partner, "google.xml"))
    other = open_shop("Batik Kricak", village=KRICAK)
    with_photo(other)

    share(other, partner)
    again = client.get(partner_url(partner, "google.xml"), headers={"If-None-Match": first["ETag"]})

    assert again.status_code == 200
    assert len(google_items(again)) == 2


def test_etags_differ_between_feed_formats(client, partner, shop):
    tags = {client.get(partner_url(partner, name))["ETag"] for name in feeds.FEEDS}

    assert len(tags) == len(feeds.FEEDS)


def test_modified_since_an_older_date_gives_the_feed(client, partner, shop):
    with_photo(shop)
    long_ago = http_date(datetime(2020, 1, 1, tzinfo=UTC).timestamp())

    response = client.get(partner_url(partner, "google.xml"), headers={"If-Modified-Since": long_ago})

    assert response.status_code == 200
    assert len(google_items(response)) == 1


def test_head_gives_the_validators_without_reading_the_catalogue(client, partner, shop):
    with_photo(shop)

    response = client.head(partner_url(partner, "google.xml"))

    assert response.status_code == 200
    assert response["ETag"] and response["Last-Modified"]
    assert response.content == b""
