"""The owner's catalogue pages, through HTTP as a phone would use them."""

import re

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from naikkelas.catalog import services
from naikkelas.catalog.models import Product, ProductPhoto, ShopProfile
from tests.catalog.factories import make_product
from tests.catalog.test_photos import image_bytes, upload
from tests.registry.factories import SLEMAN, make_admin, make_business, make_officer, make_owner

pytestmark = pytest.mark.django_db
LOGIN = reverse("accounts:login")


@pytest.fixture
def owner(client):
    user = make_owner()
    client.force_login(user)
    return user


@pytest.fixture
def shop(owner):
    return make_business(owner=owner)


@pytest.fixture
def product(shop):
    return make_product(shop)


def url(name: str, *args) -> str:
    return reverse(f"catalog:{name}", args=[getattr(arg, "pk", arg) for arg in args])


def body(response) -> str:
    return response.content.decode()


def messages_of(response) -> list[str]:
    return [str(message) for message in response.wsgi_request._messages]


def add_photo(owner, product) -> ProductPhoto:
    return services.photo_add(actor=owner, product=product, upload=upload(image_bytes()))


# -- the list ----------------------------------------------------------------------------------------------

def test_the_list_shows_each_product_with_thumb_price_and_a_quick_stock_form(client, owner, shop, product):
    add_photo(owner, product)
    page = body(client.get(url("product_list", shop)))
    assert "Keripik Pisang Manis" in page and "Rp 15.000" in page
    assert re.search(r'<img src="/media/produk/[^"]+\.webp"', page)
    assert f'action="{url("product_stock", shop, product)}"' in page
    assert re.search(r'<input type="number" name="stock" id="stok-\d+" value="10" inputmode="numeric"', page)
    assert f'href="{url("product_create", shop)}"' in page and "Tambah produk" in page
    assert f'action="{url("product_duplicate", shop, product)}"' in page
    assert "Sembunyikan" in page


def test_the_list_searches_by_name_and_filters_hidden_products(client, shop, product):
    make_product(shop, name="Bolu Pandan", is_active=False)
    found = body(client.get(url("product_list", shop), {"q": "bolu"}))
    assert "Bolu Pandan" in found and "Keripik Pisang Manis" not in found
    hidden = body(client.get(url("product_list", shop), {"show": "hidden"}))
    assert "Bolu Pandan" in hidden and "Keripik Pisang Manis" not in hidden
    assert "Tidak ada produk yang cocok." in body(client.get(url("product_list", shop), {"q": "rendang"}))


def test_an_empty_shop_invites_the_first_product(client, shop):
    assert "Belum ada produk." in body(client.get(url("product_list", shop)))


def test_a_nonsense_filter_shows_the_whole_list_rather_than_failing(client, shop, product):
    response = client.get(url("product_list", shop), {"show": "semua<script>", "halaman": "x"})
    assert "Keripik Pisang Manis" in body(response)


# -- adding a product --------------------------------------------------------------------------------------

def test_the_add_form_starts_with_a_photo_from_camera_or_gallery_and_uses_number_pads(client, shop):
    page = body(client.get(url("product_create", shop)))
    photo = re.search(r'<input type="file" name="photo"[^>]*>', page).group(0)
    assert 'accept="image/*"' in photo and "capture" not in photo
    assert page.index('name="photo"') < page.index('name="name"') < page.index('name="price"')
    assert re.search(r'name="price"[^>]*inputmode="numeric"|inputmode="numeric"[^>]*name="price"', page)
    assert re.search(r'<input type="number" name="stock"[^>]*inputmode="numeric"', page)
    assert 'enctype="multipart/form-data"' in page


def test_adding_a_product_with_a_photo_saves_it_and_returns_to_the_list(client, shop):
    data = {"name": "Keripik Talas", "price": "Rp 12.500", "stock": "8", "unit": "bungkus"}
    data["photo"] = upload(image_bytes())
    response = client.post(url("product_create", shop), data)
    assert response.status_code == 302 and response["Location"] == url("product_list", shop)
    product = Product.objects.get()
    assert (product.name, product.price, product.stock, product.business) == ("Keripik Talas", 12500, 8, shop)
    assert product.photos.count() == 1
    assert ShopProfile.objects.filter(business=shop).exists()
    assert messages_of(response) == ["Keripik Talas ditambahkan ke toko."]


def test_save_and_add_another_comes_back_to_an_empty_form(client, shop):
    data = {"name": "Es Teh", "price": "3000", "stock": "0", "unit": "gelas", "lagi": "1"}
    response = client.post(url("product_create", shop), data)
    assert response["Location"] == url("product_create", shop)


def test_a_refused_product_is_shown_again_with_the_errors_and_what_was_typed(client, shop):
    data = {"name": "Keripik Talas", "price": "0", "stock": "-2", "unit": "pcs"}
    response = client.post(url("product_create", shop), data)
    assert response.status_code == 200
    page = body(response)
    assert "Harga harus lebih dari Rp 0" in page
    assert re.search(r'name="name"[^>]*value="Keripik Talas"', page)
    assert re.search(r'name="stock"[^>]*value="-2"', page)
    assert not Product.objects.exists() and not ShopProfile.objects.exists()


def test_a_bad_photo_is_refused_next_to_the_photo_and_nothing_is_saved(client, shop):
    data = {"name": "Keripik Talas", "price": "12500", "stock": "8", "unit": "pcs"}
    data["photo"] = upload(b"teks", name="a.jpg")
    response = client.post(url("product_create", shop), data)
    assert response.status_code == 200
    assert "bukan foto" in body(response)
    assert not Product.objects.exists() and not ProductPhoto.objects.exists()


PAGE_TEXT = st.one_of(st.text(max_size=25), st.sampled_from(["", "12.500", "-1", "abc", "9" * 15, "Rp 1.000"]))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=PAGE_TEXT, price=PAGE_TEXT, stock=PAGE_TEXT, weight=PAGE_TEXT, category=PAGE_TEXT)
def test_any_typed_product_gives_a_saved_product_or_the_form_again_never_a_crash(
    client, shop, name, price, stock, weight, category
):
    before = Product.objects.count()
    data = {"name": name, "price": price, "stock": stock, "weight_grams": weight, "category": category, "unit": "pcs"}
    response = client.post(url("product_create", shop), data)
    assert response.status_code in (200, 302)
    assert Product.objects.count() == before + (response.status_code == 302)


# -- changing a product ------------------------------------------------------------------------------------

def test_the_edit_page_shows_the_product_with_the_price_as_people_write_it(client, owner, shop, product):
    add_photo(owner, product)
    page = body(client.get(url("product_edit", shop, product)))
    assert re.search(r'name="price"[^>]*value="15.000"', page)
    assert f'action="{url("photo_add", shop, product)}"' in page
    assert url("photo_delete", shop, product, product.photos.get()) in page
    assert "(1/5)" in page


def test_editing_saves_and_returns_to_the_list(client, shop, product):
    data = {"name": "Keripik Pisang Cokelat", "price": "18.000", "stock": "4", "unit": "bungkus", "made_to_order": "on"}
    response = client.post(url("product_edit", shop, product), data)
    assert response["Location"] == url("product_list", shop)
    product.refresh_from_db()
    assert (product.name, product.price, product.stock) == ("Keripik Pisang Cokelat", 18000, 4)
    assert product.made_to_order


def test_a_refused_edit_keeps_what_was_typed_and_changes_nothing(client, shop, product):
    data = {"name": "K", "price": "lima ribu", "stock": "3", "unit": "pcs"}
    response = client.post(url("product_edit", shop, product), data)
    page = body(response)
    assert response.status_code == 200
    assert "Nama produk paling sedikit 2 huruf." in page and "Tulis harga dalam rupiah" in page
    assert re.search(r'name="price"[^>]*value="lima ribu"', page)
    product.refresh_from_db()
    assert (product.name, product.price) == ("Keripik Pisang Manis", 15000)


# -- quick actions from the list ---------------------------------------------------------------------------

def test_the_quick_stock_edit_saves_and_goes_back_to_the_same_list(client, shop, product):
    response = client.post(url("product_stock", shop, product) + "?q=keripik&show=active", {"stock": "25"})
    assert response.status_code == 302
    assert response["Location"] == url("product_list", shop) + "?q=keripik&show=active"
    assert Product.objects.get(pk=product.pk).stock == 25
    assert messages_of(response) == ["Stok Keripik Pisang Manis sekarang 25."]


def test_a_refused_quick_stock_edit_shows_the_error_on_that_row_with_what_was_typed(client, shop, product):
    other = make_product(shop, name="Bolu Pandan", stock=3)
    response = client.post(url("product_stock", shop, product), {"stock": "-4"})
    assert response.status_code == 200
    page = body(response)
    assert re.search(rf'id="stok-{product.pk}" value="-4"[^>]*aria-invalid="true"', page)
    assert re.search(rf'id="stok-{other.pk}" value="3"', page)
    assert f'id="stok-{product.pk}-error"' in page
    assert Product.objects.get(pk=product.pk).stock == 10


def test_duplicate_opens_the_hidden_copy_for_editing(client, shop, product):
    response = client.post(url("product_duplicate", shop, product))
    copy = Product.objects.exclude(pk=product.pk).get()
    assert response["Location"] == url("product_edit", shop, copy)
    assert copy.name == "Keripik Pisang Manis (salinan)" and not copy.is_active
    page = body(client.get(response["Location"]))
    assert "Produk ini disembunyikan" in page and "Tampilkan di toko" in page


def test_hide_and_show_from_the_list_and_from_the_edit_page(client, shop, product):
    response = client.post(url("product_active", shop, product), {"active": "0"})
    assert response["Location"] == url("product_list", shop)
    assert not Product.objects.get(pk=product.pk).is_active
    response = client.post(url("product_active", shop, product), {"active": "1", "back": "edit"})
    assert response["Location"] == url("product_edit", shop, product)
    assert Product.objects.get(pk=product.pk).is_active


# -- photos ------------------------------------------------------------------------------------------------

def test_adding_and_deleting_a_photo_from_the_edit_page(client, shop, product):
    response = client.post(url("photo_add", shop, product), {"photo": upload(image_bytes(fmt="PNG"), name="a.png")})
    assert response["Location"] == url("product_edit", shop, product)
    photo = product.photos.get()
    response = client.post(url("photo_delete", shop, product, photo))
    assert response["Location"] == url("product_edit", shop, product)
    assert not product.photos.exists()


def test_a_refused_photo_is_explained_on_the_edit_page(client, shop, product):
    response = client.post(url("photo_add", shop, product), {"photo": upload(b"bukan", name="a.jpg")})
    assert response.status_code == 200
    assert "bukan foto" in body(response)
    assert "Pilih foto dulu." in body(client.post(url("photo_add", shop, product), {}))
    assert not ProductPhoto.objects.exists()


def test_the_upload_form_goes_once_five_photos_are_in(client, owner, shop, product):
    for _ in range(5):
        add_photo(owner, product)
    page = body(client.get(url("product_edit", shop, product)))
    assert f'action="{url("photo_add", shop, product)}"' not in page and "(5/5)" in page


# -- the shop profile --------------------------------------------------------------------------------------

def test_the_shop_profile_saves_hours_location_and_the_orders_switch(client, shop):
    page = body(client.get(url("shop_profile", shop)))
    assert "Toko Anda belum dibuka." in page and "Caturtunggal" in page
    hours = {f"{day}_opens": "08:00" for day in ("Mo", "Tu", "We", "Th", "Fr")}
    hours |= {f"{day}_closes": "16:00" for day in ("Mo", "Tu", "We", "Th", "Fr")}
    data = {"tagline": "Renyah", "location": "-7.7829, 110.3671", "Sa_opens": "09:00", "Sa_closes": "13:00", **hours}
    response = client.post(url("shop_profile", shop), data)
    assert response["Location"] == url("shop_profile", shop)
    profile = ShopProfile.objects.get(business=shop)
    assert profile.opening_hours == [
        {"days": ["Mo", "Tu", "We", "Th", "Fr"], "opens": "08:00", "closes": "16:00"},
        {"days": ["Sa"], "opens": "09:00", "closes": "13:00"},
    ]
    assert (str(profile.latitude), str(profile.longitude)) == ("-7.782900", "110.367100")
    assert profile.accepting_orders is False  # the box was not ticked
    page = body(client.get(url("shop_profile", shop)))
    assert 'value="-7.782900, 110.367100"' in page and 'name="Sa_opens" value="09:00"' in page


def test_a_refused_shop_profile_keeps_what_was_typed(client, shop):
    data = {"tagline": "Renyah", "location": "di dekat pasar", "Mo_opens": "08:00", "accepting_orders": "on"}
    response = client.post(url("shop_profile", shop), data)
    page = body(response)
    assert response.status_code == 200
    assert "Tulis titik lokasi seperti" in page and "Isi jam buka dan jam tutup" in page
    assert 'value="di dekat pasar"' in page and 'value="Renyah"' in page
    assert not ShopProfile.objects.exists()


def test_a_location_off_the_globe_is_refused_next_to_the_location(client, shop):
    response = client.post(url("shop_profile", shop), {"location": "95, 110"})
    assert "Lokasi di luar peta." in body(response) and not ShopProfile.objects.exists()


SHOP_TEXT = st.one_of(st.text(max_size=30), st.sampled_from(["", "08:00", "25:00", "-7.78, 110.36", "91, 0", "8"]))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(location=SHOP_TEXT, opens=SHOP_TEXT, closes=SHOP_TEXT, tagline=SHOP_TEXT)
def test_any_typed_shop_profile_is_saved_or_shown_again_never_a_crash(client, shop, location, opens, closes, tagline):
    ShopProfile.objects.filter(business=shop).delete()
    data = {"location": location, "We_opens": opens, "We_closes": closes, "tagline": tagline}
    response = client.post(url("shop_profile", shop), data)
    assert response.status_code in (200, 302)
    assert ShopProfile.objects.filter(business=shop).exists() == (response.status_code == 302)


# -- who may open these pages ------------------------------------------------------------------------------

def _pages(shop, product, photo):
    return [
        ("get", url("product_list", shop), {}),
        ("get", url("product_create", shop), {}),
        ("post", url("product_create", shop), {"name": "Curian", "price": "1000", "stock": "1", "unit": "pcs"}),
        ("get", url("product_edit", shop, product), {}),
        ("post", url("product_edit", shop, product), {"name": "Curian", "price": "1000", "stock": "1", "unit": "pcs"}),
        ("post", url("product_duplicate", shop, product), {}),
        ("post", url("product_stock", shop, product), {"stock": "0"}),
        ("post", url("product_active", shop, product), {"active": "0"}),
        ("post", url("photo_add", shop, product), {"photo": upload(image_bytes())}),
        ("post", url("photo_delete", shop, product, photo), {}),
        ("get", url("shop_profile", shop), {}),
        ("post", url("shop_profile", shop), {"tagline": "Curian"}),
    ]


def _untouched(product, photo) -> bool:
    product.refresh_from_db()
    return (
        Product.objects.count() == 1
        and (product.name, product.stock, product.is_active) == ("Keripik Pisang Manis", 10, True)
        and list(ProductPhoto.objects.all()) == [photo]
        and not ShopProfile.objects.exclude(tagline="").exists()
    )


@pytest.mark.parametrize(
    "make_user",
    [make_owner, lambda: make_officer(SLEMAN), make_admin],
    ids=["another owner", "officer in the region", "admin"],
)
def test_every_page_answers_404_to_anyone_but_the_shops_owner_and_changes_nothing(client, make_user):
    owner = make_owner()
    shop = make_business(owner=owner)
    product = make_product(shop)
    photo = add_photo(owner, product)
    client.force_login(make_user())
    for method, page, data in _pages(shop, product, photo):
        assert getattr(client, method)(page, data).status_code == 404, f"{method} {page}"
    assert _untouched(product, photo)


def test_every_page_sends_anonymous_visitors_to_log_in(client):
    owner = make_owner()
    shop = make_business(owner=owner)
    product = make_product(shop)
    photo = add_photo(owner, product)
    for method, page, data in _pages(shop, product, photo):
        response = getattr(client, method)(page, data)
        assert response.status_code == 302 and response["Location"].startswith(LOGIN), f"{method} {page}"
    assert _untouched(product, photo)


def test_an_owners_second_business_does_not_open_the_first_ones_products(client, owner, shop, product):
    second = make_business(owner=owner, name="Usaha Kedua")
    assert client.get(url("product_edit", second, product)).status_code == 404
    assert client.post(url("product_stock", second, product), {"stock": "0"}).status_code == 404
    assert Product.objects.get(pk=product.pk).stock == 10


def test_get_is_refused_on_the_post_only_actions(client, shop, product):
    for name in ("product_duplicate", "product_stock", "product_active", "photo_add"):
        assert client.get(url(name, shop, product)).status_code == 405



# -- Django admin ------------------------------------------------------------------------------------------

def test_admins_correct_a_product_in_django_admin_with_an_audit_row(client, owner, shop, product):
    from naikkelas.core.models import AuditLog

    add_photo(owner, product)
    client.force_login(make_admin())
    assert client.get(reverse("admin:catalog_product_changelist")).status_code == 200
    change = reverse("admin:catalog_product_change", args=[product.pk])
    assert "foto" in body(client.get(change))
    data = {
        "business": shop.pk, "name": "Keripik Pisang Asli", "description": "", "price": "16000", "stock": "10",
        "unit": "pcs", "weight_grams": "", "category": "", "is_active": "on",
        "created_at_0": "2025-01-02", "created_at_1": "08:00:00",
        "photos-TOTAL_FORMS": "1", "photos-INITIAL_FORMS": "1", "photos-MIN_NUM_FORMS": "0",
        "photos-MAX_NUM_FORMS": "1000", "photos-0-id": product.photos.get().pk, "photos-0-product": product.pk,
    }
    response = client.post(change, data)
    assert response.status_code == 302, body(response)[-2000:]
    product.refresh_from_db()
    assert (product.name, product.price) == ("Keripik Pisang Asli", 16000)
    assert AuditLog.objects.get(action="product.admin_change").changes["price"] == [15000, 16000]
    assert product.photos.count() == 1


def test_admin_pages_of_the_catalogue_refuse_owners(client, owner, product):
    response = client.get(reverse("admin:catalog_product_change", args=[product.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
