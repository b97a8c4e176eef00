"""The storefront's budget on a slow phone: HTML + CSS + JS of a page at most 50 KB gzipped (images apart), and
no image but the first product photo fetched before it is needed."""

import gzip
import io
from html.parser import HTMLParser
from pathlib import Path

import PIL.Image
import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.urls import reverse

from naikkelas.catalog.models import ProductPhoto, ShopProfile
from tests.catalog.factories import make_product
from tests.registry.factories import make_business

pytestmark = pytest.mark.django_db

BUDGET = 50 * 1024
# As long as the owner's form allows, so the budget holds for the heaviest page an owner can make.
LONG_NAME = "Keripik Pisang Kepok Manis Pedas Balado Khas Sleman Kemasan Besar Isi Lima Ratus Gram Renyah Gurih"
LONG_DESCRIPTION = ("Dibuat dari pisang kepok pilihan, digoreng dengan minyak baru setiap hari. " * 30)[:2000]


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.styles: list[str] = []
        self.scripts: list[str] = []
        self.inline_scripts: list[str] = []
        self.images: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("rel") == "stylesheet":
            self.styles.append(attrs["href"])
        elif tag == "script" and attrs.get("src"):
            self.scripts.append(attrs["src"])
        elif tag == "script":
            self.inline_scripts.append(attrs.get("type", ""))
        elif tag == "img":
            self.images.append(attrs)


def _parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def _static(url: str) -> bytes:
    assert url.startswith(settings.STATIC_URL), f"{url} is not served from our own static files"
    found = finders.find(url.removeprefix(settings.STATIC_URL).split("?")[0])
    assert found, f"{url} links a static file that does not exist"
    return Path(found).read_bytes()


def _gzipped_weight(html: bytes) -> int:
    page = _parse(html.decode())
    parts = [html] + [_static(url) for url in page.styles + page.scripts]
    return sum(len(gzip.compress(part, compresslevel=6)) for part in parts)


def _photo(product, position: int) -> None:
    buffer = io.BytesIO()
    PIL.Image.new("RGB", (8, 6), "orange").save(buffer, "WEBP")
    photo = ProductPhoto(product=product, width=1200, height=900, position=position)
    photo.image.save("besar.webp", ContentFile(buffer.getvalue()), save=False)
    photo.thumb.save("kecil.webp", ContentFile(buffer.getvalue()), save=False)
    photo.save()


@pytest.fixture
def full_shop():
    """A shop at its heaviest: a full page of 24 products (and a next page) with long names and photos, hours,
    a map, a phone; the first product has five photos."""
    business = make_business(name="Warung Bu Sri Makmur Sentosa Jaya", phone="+6281234567890")
    ShopProfile.objects.create(
        business=business,
        tagline="Aneka keripik dan camilan khas Sleman, dikirim ke seluruh Indonesia " * 2,
        opening_hours=[
            {"days": ["Mo", "Tu", "We", "Th", "Fr"], "opens": "08:00", "closes": "17:00"},
            {"days": ["Sa"], "opens": "08:00", "closes": "12:00"},
        ],
        latitude="-7.774100",
        longitude="110.374400",
    )
    products = []
    for n in range(25):
        product = make_product(business, name=f"{LONG_NAME} {n:02d}", price=1_250_000 + n, description=LONG_DESCRIPTION)
        for position in range(5 if n == 0 else 1):
            _photo(product, position)
        products.append(product)
    return business, products


def test_shop_page_with_a_full_page_of_products_stays_within_the_budget(client, full_shop):
    business, _products = full_shop

    html = client.get(reverse("storefront:shop", args=[business.slug])).content

    assert len(_parse(html.decode()).images) == 24
    assert _gzipped_weight(html) <= BUDGET


def test_product_page_stays_within_the_budget(client, full_shop):
    business, products = full_shop

    html = client.get(reverse("storefront:product", args=[business.slug, products[0].pk])).content

    assert _gzipped_weight(html) <= BUDGET


def test_shop_page_images_are_lazy_sized_and_decoded_off_the_main_thread(client, full_shop):
    business, _products = full_shop

    page = _parse(client.get(reverse("storefront:shop", args=[business.slug])).content.decode())

    assert page.images
    for image in page.images:
        assert image.get("loading") == "lazy", image
        assert image.get("decoding") == "async", image
        assert image.get("width") and image.get("height"), image


def test_product_page_fetches_only_its_first_photo_eagerly(client, full_shop):
    business, products = full_shop

    page = _parse(client.get(reverse("storefront:product", args=[business.slug, products[0].pk])).content.decode())

    first, *rest = page.images
    assert first.get("loading") != "lazy"
    assert rest and all(image.get("loading") == "lazy" for image in rest)
    assert all(image.get("width") and image.get("height") for image in page.images)


@pytest.mark.parametrize("route", ["shop", "product"])
def test_storefront_pages_carry_no_inline_script_but_json_ld(client, full_shop, route):
    business, products = full_shop
    args = [business.slug] if route == "shop" else [business.slug, products[0].pk]

    page = _parse(client.get(reverse(f"storefront:{route}", args=args)).content.decode())

    assert page.inline_scripts == ["application/ld+json"]
