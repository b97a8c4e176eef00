import io
import json
import re
from datetime import datetime
from datetime import timezone as dt_timezone
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import defusedxml.ElementTree
import PIL.Image
import pytest
import zxingcpp
from hypothesis import given
from hypothesis import strategies as st
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from naikkelas.catalog import seo, storefront
from naikkelas.catalog.models import ProductPhoto, ShopProfile
from tests.catalog.factories import make_product
from tests.registry.factories import KRICAK, make_business, make_owner

pytestmark = pytest.mark.django_db

GURABESI = "91.71.01.1001"  # Kota Jayapura, Papua: WIT
HOURS = [{"days": ["Mo"], "opens": "08:00", "closes": "17:00"}, {"days": ["Tu"], "opens": "09:00", "closes": "15:00"}]
# Monday 1 January 2024, 23:30 in Jakarta and already Tuesday 01:30 in Jayapura.
LATE_MONDAY_IN_JAKARTA = datetime(2024, 1, 1, 16, 30, tzinfo=dt_timezone.utc)


def make_shop(business=None, **fields) -> ShopProfile:
    return ShopProfile.objects.create(business=business or make_business(), **fields)


def make_photo(product, *, position: int = 0, size: tuple[int, int] = (800, 600)) -> ProductPhoto:
    buffer = io.BytesIO()
    PIL.Image.new("RGB", size, "orange").save(buffer, "WEBP")
    photo = ProductPhoto(product=product, width=size[0], height=size[1], position=position)
    photo.image.save("besar.webp", ContentFile(buffer.getvalue()), save=False)
    photo.thumb.save("kecil.webp", ContentFile(buffer.getvalue()), save=False)
    photo.save()
    return photo


def shop_url(business) -> str:
    return reverse("storefront:shop", args=[business.slug])


def product_url(product) -> str:
    return reverse("storefront:product", args=[product.business.slug, product.pk])


def jsonld(body: str) -> dict:
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', body, re.S)
    assert len(found) == 1
    return json.loads(found[0])


def og(body: str) -> dict[str, str]:
    return dict(re.findall(r'<meta property="([^"]+)" content="([^"]*)">', body))


# The shop page


def test_shop_page_shows_the_shop_and_only_its_active_products(client):
    shop = make_shop(tagline="Renyah sejak 1998")
    make_product(shop.business, name="Keripik Pisang Manis", price=15000)
    make_product(shop.business, name="Keripik Rahasia", is_active=False)
    make_product(make_business(village=KRICAK, name="Toko Lain"), name="Batik Tetangga")

    body = client.get(shop_url(shop.business)).content.decode()

    assert "<h1>Warung Bu Sri</h1>" in body and "Renyah sejak 1998" in body
    assert "Caturtunggal, Depok, Sleman, DI Yogyakarta" in body
    assert "Keripik Pisang Manis" in body and "Rp 15.000" in body
    assert "Keripik Rahasia" not in body and "Batik Tetangga" not in body


def test_shop_page_marks_products_out_of_stock_and_made_to_order(client):
    shop = make_shop()
    make_product(shop.business, name="Habis", stock=0)
    make_product(shop.business, name="Pesanan", stock=0, made_to_order=True)

    body = client.get(shop_url(shop.business)).content.decode()

    assert body.count("Stok habis") == 1
    assert "Dibuat sesuai pesanan" in body


def test_shop_page_lists_24_products_a_page(client):
    shop = make_shop()
    for n in range(25):
        make_product(shop.business, name=f"Produk {n:02d}")

    first = client.get(shop_url(shop.business)).content.decode()
    second = client.get(shop_url(shop.business) + "?page=2").content.decode()

    assert first.count('class="item"') == 24 and "Produk 23" in first and "Produk 24" not in first
    assert second.count('class="item"') == 1 and "Produk 24" in second
    assert "Halaman 2 dari 2" in second


def test_shop_page_reads_a_fixed_number_of_queries_however_many_products(client, django_assert_max_num_queries):
    shop = make_shop(opening_hours=HOURS)
    for n in range(24):
        make_photo(make_product(shop.business, name=f"Produk {n:02d}"))

    # The shop with its regions, the count, the page of products, their photos.
    with django_assert_max_num_queries(4):
        response = client.get(shop_url(shop.business))

    assert response.content.decode().count('loading="lazy"') == 24


def test_shop_page_links_thumbnails_lazily_with_their_size(client):
    shop = make_shop()
    product = make_product(shop.business)
    photo = make_photo(product, size=(640, 480))

    body = client.get(shop_url(shop.business)).content.decode()

    assert f'<img src="{photo.thumb.url}" alt="" width="640" height="480" loading="lazy" decoding="async">' in body


def test_shop_page_offers_whatsapp_chat_and_share_with_the_shop_url(client):
    shop = make_shop(business=make_business(phone="+6281234567890"))

    body = client.get(shop_url(shop.business)).content.decode()

    links = re.findall(r'href="(https://wa\.me/[^"]*)"', body)
    chat = [link for link in links if link.startswith("https://wa.me/6281234567890?")]
    share = [link for link in links if link.startswith("https://wa.me/?")]
    assert chat and "Warung Bu Sri" in parse_qs(urlsplit(chat[0].replace("&amp;", "&")).query)["text"][0]
    assert share
    text = parse_qs(urlsplit(share[0].replace("&amp;", "&")).query)["text"][0]
    assert "http://testserver/warung-bu-sri/" in text and "Warung Bu Sri" in text


def test_shop_page_without_a_phone_offers_no_chat(client):
    shop = make_shop()

    body = client.get(shop_url(shop.business)).content.decode()

    assert "https://wa.me/?" in body
    assert not re.search(r"https://wa\.me/\d", body)


def test_shop_page_links_the_map_only_when_the_shop_is_placed(client):
    placed = make_shop(latitude=Decimal("-7.774100"), longitude=Decimal("110.374400"))
    unplaced = make_shop(business=make_business(name="Tanpa Peta"))

    placed_body = client.get(shop_url(placed.business)).content.decode()
    unplaced_body = client.get(shop_url(unplaced.business)).content.decode()

    assert "https://www.openstreetmap.org/?mlat=-7.774100&amp;mlon=110.374400" in placed_body
    assert "openstreetmap" not in unplaced_body


def test_shop_page_links_the_printable_sign_and_keeps_the_language_switcher(client):
    shop = make_shop()

    body = client.get(shop_url(shop.business)).content.decode()

    assert reverse("storefront:qr_print", args=[shop.business.slug]) in body
    assert f'action="{reverse("set_language")}"' in body


def test_shop_jsonld_is_a_store_with_its_place_hours_and_position(client):
    shop = make_shop(
        business=make_business(phone="+6281234567890"), opening_hours=HOURS,
        latitude=Decimal("-7.774100"), longitude=Decimal("110.374400"),
    )

    data = jsonld(client.get(shop_url(shop.business)).content.decode())

    assert data["@type"] == "Store" and data["name"] == "Warung Bu Sri"
    assert data["url"] == "http://testserver/warung-bu-sri/"
    assert data["address"] == {
        "@type": "PostalAddress",
        "streetAddress": "Caturtunggal, Depok",
        "addressLocality": "Kabupaten Sleman",
        "addressRegion": "Daerah Istimewa Yogyakarta",
        "addressCountry": "ID",
    }
    assert data["openingHoursSpecification"][0] == {
        "@type": "OpeningHoursSpecification",
        "dayOfWeek": ["https://schema.org/Monday"],
        "opens": "08:00",
        "closes": "17:00",
    }
    assert data["geo"] == {"@type": "GeoCoordinates", "latitude": -7.7741, "longitude": 110.3744}
    assert data["telephone"] == "+6281234567890"


def test_shop_open_graph_shows_the_first_photo_at_an_absolute_url(client):
    shop = make_shop(tagline="Renyah sejak 1998")
    photo = make_photo(make_product(shop.business))

    tags = og(client.get(shop_url(shop.business)).content.decode())

    assert tags["og:title"] == "Warung Bu Sri"
    assert tags["og:description"] == "Renyah sejak 1998"
    assert tags["og:url"] == "http://testserver/warung-bu-sri/"
    assert tags["og:image"] == f"http://testserver{photo.image.url}"
    assert (tags["og:image:width"], tags["og:image:height"]) == ("800", "600")


def test_shop_opening_hours_mark_today_in_the_shops_own_time_zone(client, monkeypatch):
    # Given the same instant, Monday night in Jakarta and already Tuesday in Jayapura
    monkeypatch.setattr(timezone, "now", lambda: LATE_MONDAY_IN_JAKARTA)
    yogya = make_shop(opening_hours=HOURS)
    papua = make_shop(business=make_business(village=GURABESI, name="Noken Papua"), opening_hours=HOURS)

    # When each shop's page is opened
    yogya_body = client.get(shop_url(yogya.business)).content.decode()
    papua_body = client.get(shop_url(papua.business)).content.decode()

    # Then each marks its own today, and says which zone its hours are in
    today = re.compile(r'<tr class="today" aria-current="date"><th scope="row">(\w+)')
    assert today.findall(yogya_body) == ["Senin"] and "(WIB)" in yogya_body
    assert today.findall(papua_body) == ["Selasa"] and "(WIT)" in papua_body
    assert "09:00–15:00" in papua_body


def test_opening_week_lists_every_day_with_closed_days_empty():
    shop = ShopProfile(opening_hours=[*HOURS, {"days": ["Mo"], "opens": "19:00", "closes": "21:00"}, {"days": ["Sa"]}])

    week = storefront.opening_week(shop, ZoneInfo("Asia/Jakarta"), now=LATE_MONDAY_IN_JAKARTA)

    assert [day.name for day in week] == ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
    assert week[0].hours == ("08:00–17:00", "19:00–21:00") and week[0].today
    assert week[5].hours == () and not week[5].today
    assert storefront.opening_week(ShopProfile(opening_hours=[]), ZoneInfo("Asia/Jakarta"), now=timezone.now()) == []


def test_shop_page_without_hours_shows_no_hours_table(client):
    shop = make_shop()

    assert "Jam buka" not in client.get(shop_url(shop.business)).content.decode()


# The product page


def test_product_page_shows_price_stock_unit_weight_and_description(client):
    shop = make_shop()
    product = make_product(
        shop.business, price=1250000, stock=3, unit="kodi", weight_grams=750, description="Baris satu\nbaris <b>dua</b>"
    )

    body = client.get(product_url(product)).content.decode()

    assert "Rp 1.250.000" in body and "/ kodi" in body
    assert "Stok: 3 kodi" in body and "750 gram" in body
    assert "Baris satu<br>baris &lt;b&gt;dua&lt;/b&gt;" in body


@pytest.mark.parametrize(
    ("fields", "availability"),
    [
        ({"stock": 5}, "https://schema.org/InStock"),
        ({"stock": 0}, "https://schema.org/OutOfStock"),
        ({"stock": 0, "made_to_order": True}, "https://schema.org/PreOrder"),
    ],
)
def test_product_jsonld_gives_price_in_rupiah_and_availability(client, fields, availability):
    shop = make_shop()
    product = make_product(shop.business, price=15000, **fields)
    photo = make_photo(product)

    data = jsonld(client.get(product_url(product)).content.decode())

    assert data["@type"] == "Product" and data["name"] == "Keripik Pisang Manis"
    assert data["offers"]["price"] == 15000 and data["offers"]["priceCurrency"] == "IDR"
    assert data["offers"]["availability"] == availability
    assert data["image"] == [f"http://testserver{photo.image.url}"]
    assert data["offers"]["seller"]["url"] == "http://testserver/warung-bu-sri/"


def test_product_jsonld_cannot_be_broken_out_of_by_the_owners_text(client):
    shop = make_shop()
    name = '</script><script>alert("x")</script> & <!--'
    product = make_product(shop.business, name=name)

    body = client.get(product_url(product)).content.decode()

    assert "<script>alert" not in body
    assert jsonld(body)["name"] == name


@given(st.text())
def test_jsonld_script_holds_any_text_without_letting_it_out(text):
    html = str(seo.jsonld_script({"name": text}))

    body = html.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert "<" not in body and ">" not in body and "&" not in body
    assert json.loads(body) == {"name": text}


def test_product_open_graph_tags_are_absolute_and_carry_the_price(client):
    shop = make_shop()
    product = make_product(shop.business, price=15000, description="Pisang kepok pilihan.")
    first = make_photo(product)
    make_photo(product, position=1)

    tags = og(client.get(product_url(product)).content.decode())

    assert tags["og:type"] == "product"
    assert tags["og:title"] == "Keripik Pisang Manis · Warung Bu Sri"
    assert tags["og:description"] == "Pisang kepok pilihan."
    assert tags["og:url"] == f"http://testserver{product_url(product)}"
    assert tags["og:image"] == f"http://testserver{first.image.url}"
    assert tags["product:price:amount"] == "15000" and tags["product:price:currency"] == "IDR"


def test_product_page_loads_the_first_photo_at_once_and_the_rest_lazily(client):
    shop = make_shop()
    product = make_product(shop.business)
    photos = [make_photo(product, position=n) for n in range(3)]

    body = client.get(product_url(product)).content.decode()

    images = re.findall(r"<img [^>]*>", body)
    assert [photos[0].image.url in images[0], 'loading="lazy"' in images[0]] == [True, False]
    assert all('loading="lazy"' in image for image in images[1:]) and len(images) == 3


def test_product_page_offers_the_cart_whatsapp_order_and_share(client):
    shop = make_shop()
    product = make_product(shop.business, stock=4)

    body = client.get(product_url(product)).content.decode()

    assert f'action="{reverse("orders:cart_add", args=[shop.business.slug])}"' in body
    assert f'<input type="hidden" name="product" value="{product.pk}">' in body
    assert 'name="quantity" type="number" inputmode="numeric" min="1" max="4" value="1"' in body
    assert f'href="{reverse("orders:whatsapp_order", args=[shop.business.slug])}?product={product.pk}"' in body
    share = re.search(r'href="(https://wa\.me/\?[^"]*)"', body).group(1).replace("&amp;", "&")
    text = parse_qs(urlsplit(share).query)["text"][0]
    assert text == f"Keripik Pisang Manis (Rp 15.000) di Warung Bu Sri: http://testserver{product_url(product)}"


@pytest.mark.parametrize(
    ("shop_fields", "product_fields", "notice"),
    [
        ({}, {"stock": 0}, "Stok habis"),
        ({"accepting_orders": False}, {"stock": 9}, "Toko sedang tidak menerima pesanan."),
    ],
)
def test_product_page_takes_no_order_when_out_of_stock_or_closed(client, shop_fields, product_fields, notice):
    shop = make_shop(**shop_fields)
    product = make_product(shop.business, **product_fields)

    body = client.get(product_url(product)).content.decode()

    assert notice in body
    assert reverse("orders:cart_add", args=[shop.business.slug]) not in body
    assert reverse("orders:whatsapp_order", args=[shop.business.slug]) not in body


def test_product_page_reads_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    shop = make_shop(opening_hours=HOURS)
    product = make_product(shop.business)
    for n in range(5):
        make_photo(product, position=n)

    # The product with its shop and regions, then its photos.
    with django_assert_max_num_queries(2):
        assert client.get(product_url(product)).status_code == 200


# The QR code and the counter sign


def test_qr_png_decodes_to_the_shop_url_and_may_be_cached(client):
    shop = make_shop()

    response = client.get(reverse("storefront:qr_png", args=[shop.business.slug]))

    assert response["Content-Type"] == "image/png"
    assert "public" in response["Cache-Control"] and "max-age=86400" in response["Cache-Control"]
    codes = zxingcpp.read_barcodes(PIL.Image.open(io.BytesIO(response.content)))
    assert [code.text for code in codes] == ["http://testserver/warung-bu-sri/"]


def test_qr_svg_is_valid_xml_even_for_a_name_with_markup(client):
    shop = make_shop(business=make_business(name='Kopi & <Teh> "Enak"'))

    response = client.get(reverse("storefront:qr_svg", args=[shop.business.slug]))

    assert response["Content-Type"] == "image/svg+xml"
    assert "public" in response["Cache-Control"] and "max-age=86400" in response["Cache-Control"]
    root = defusedxml.ElementTree.fromstring(response.content)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.find("{http://www.w3.org/2000/svg}title").text == 'Kopi & <Teh> "Enak"'


@pytest.mark.parametrize(("query", "size"), [("", "a4"), ("?ukuran=a6", "a6"), ("?ukuran=z9", "a4")])
def test_printable_sign_shows_the_name_the_code_and_the_address(client, query, size):
    shop = make_shop()

    body = client.get(reverse("storefront:qr_print", args=[shop.business.slug]) + query).content.decode()

    assert "<h1>Warung Bu Sri</h1>" in body and "Scan untuk belanja" in body
    assert f'<img src="{reverse("storefront:qr_svg", args=[shop.business.slug])}"' in body
    assert "http://testserver/warung-bu-sri/" in body
    assert f'class="sign sign-{size}"' in body


# What is not public


def _shop_routes(business, product_id: int) -> list[str]:
    slug = business.slug
    return [
        reverse("storefront:shop", args=[slug]),
        reverse("storefront:product", args=[slug, product_id]),
        reverse("storefront:qr_png", args=[slug]),
        reverse("storefront:qr_svg", args=[slug]),
        reverse("storefront:qr_print", args=[slug]),
    ]


def test_a_business_without_a_shop_profile_has_no_public_pages(client):
    business = make_business(owner=make_owner())
    product = make_product(business)

    for url in _shop_routes(business, product.pk):
        assert client.get(url).status_code == 404, url


def test_an_unknown_slug_is_not_found(client):
    assert client.get("/tidak-ada-toko-ini/").status_code == 404
    assert client.get("/tidak-ada-toko-ini/1/").status_code == 404
    assert client.get("/tidak-ada-toko-ini/qr.png").status_code == 404


def test_a_hidden_product_is_not_found(client):
    shop = make_shop()
    hidden = make_product(shop.business, is_active=False)

    assert client.get(product_url(hidden)).status_code == 404


def test_another_shops_product_under_this_shops_slug_is_not_found(client):
    shop = make_shop()
    other = make_shop(business=make_business(village=KRICAK, name="Batik Kricak"))
    theirs = make_product(other.business, name="Batik Tulis Kawung")

    response = client.get(reverse("storefront:product", args=[shop.business.slug, theirs.pk]))

    assert response.status_code == 404
    assert client.get(product_url(theirs)).status_code == 200


def test_shop_pages_answer_only_get_and_head(client):
    shop = make_shop()

    assert client.post(shop_url(shop.business)).status_code == 405
    assert client.head(shop_url(shop.business)).status_code == 200
