"""The catalogue's writes and reads: products, quick stock, restock, duplicates, photos, the shop profile, and
who may reach them."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.http import Http404
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from naikkelas.catalog import search, selectors, services
from naikkelas.catalog.access import access_photo, access_product, access_shop
from naikkelas.catalog.forms import ProductForm, parse_price
from naikkelas.catalog.models import Product, ProductPhoto, ShopProfile
from naikkelas.core.models import AuditLog
from tests.catalog.factories import make_product
from tests.catalog.test_photos import image_bytes, phone_jpeg, upload
from tests.registry.factories import SLEMAN, make_admin, make_business, make_officer, make_owner

pytestmark = pytest.mark.django_db

VALID = {"name": "Keripik Pisang Manis", "price": 15000, "stock": 10, "unit": "bungkus"}


@pytest.fixture
def indexed(monkeypatch):
    """What the services asked the search index to refresh, in order (the index itself still runs)."""
    calls = []

    def recorded(name, kind):
        real = getattr(search, name)

        def call(arg):
            calls.append((kind, list(arg) if kind == "products" else arg))
            return real(arg)

        monkeypatch.setattr(search, name, call)

    recorded("index_products", "products")
    recorded("index_business", "business")
    return calls


@pytest.fixture
def owner():
    return make_owner()


@pytest.fixture
def shop(owner):
    return make_business(owner=owner)


def audit(action: str):
    return AuditLog.objects.filter(action=action)


def nothing_written() -> bool:
    return not (Product.objects.exists() or ShopProfile.objects.exists() or ProductPhoto.objects.exists())


def stored_files(media_root) -> list:
    return [path for path in media_root.rglob("*") if path.is_file()]


# -- creating and changing products ------------------------------------------------------------------------

def test_product_create_saves_the_product_opens_the_shop_audits_and_indexes(owner, shop, indexed):
    product = services.product_create(actor=owner, business=shop, **VALID, category=" Makanan  ringan ")
    product.refresh_from_db()
    assert (product.name, product.price, product.stock, product.unit) == ("Keripik Pisang Manis", 15000, 10, "bungkus")
    assert product.category == "Makanan ringan" and product.is_active
    assert ShopProfile.objects.filter(business=shop).exists()
    assert audit("product.create").get().object_id == str(product.pk)
    assert ("business", shop.pk) in indexed and ("products", [product.pk]) in indexed


def test_product_create_with_a_photo_stores_it_as_webp(owner, shop, indexed, media_root):
    product = services.product_create(actor=owner, business=shop, photo=upload(phone_jpeg()), **VALID)
    photo = product.photos.get()
    assert photo.image.name.endswith(".webp") and photo.thumb.name.endswith(".webp")
    with photo.image.open("rb") as stored:
        data = stored.read()
    assert data[8:12] == b"WEBP" and b"Exif" not in data
    assert len(stored_files(media_root)) == 2


def test_product_create_with_a_bad_photo_writes_nothing(owner, shop, indexed, media_root):
    with pytest.raises(ValidationError) as caught:
        services.product_create(actor=owner, business=shop, photo=upload(b"bukan foto"), **VALID)
    assert "photo" in caught.value.message_dict
    assert nothing_written() and not audit("product.create").exists()
    assert stored_files(media_root) == []


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "K"),
        ("name", "   "),
        ("name", "x" * 121),
        ("price", 0),
        ("price", -5),
        ("price", 1_000_000_001),
        ("price", "15000"),
        ("stock", -1),
        ("stock", True),
        ("stock", 1_000_000_001),
        ("weight_grams", 0),
        ("weight_grams", 1_000_001),
        ("category", "k" * 61),
        ("description", "d" * 2001),
        ("unit", ""),
    ],
)
def test_product_create_rejects_a_bad_value_by_field_and_writes_nothing(owner, shop, indexed, field, value):
    with pytest.raises(ValidationError) as caught:
        services.product_create(actor=owner, business=shop, **{**VALID, field: value})
    assert field in caught.value.message_dict
    assert nothing_written() and not AuditLog.objects.filter(action__startswith="product").exists()
    assert indexed == []


def test_product_create_accepts_the_limits(owner, shop, indexed):
    product = services.product_create(
        actor=owner, business=shop, name="Ab", price=1_000_000_000, stock=0, weight_grams=1,
        category="k" * 60, description="d" * 2000, unit="kg",
    )
    assert product.pk


def test_product_update_records_old_and_new_values(owner, shop, indexed):
    product = make_product(shop)
    services.product_update(actor=owner, product=product, price=17500, made_to_order=True)
    product.refresh_from_db()
    assert (product.price, product.made_to_order) == (17500, True)
    assert audit("product.update").get().changes == {"price": [15000, 17500], "made_to_order": [False, True]}
    assert indexed == [("products", [product.pk])]


def test_product_update_without_a_change_writes_nothing(owner, shop, indexed):
    product = make_product(shop)
    services.product_update(actor=owner, product=product, price=product.price)
    assert not audit("product.update").exists() and indexed == []


def test_product_update_refused_leaves_the_row_and_the_object_as_they_were(owner, shop, indexed):
    product = make_product(shop)
    with pytest.raises(ValidationError):
        services.product_update(actor=owner, product=product, name="Keripik Baru", price=0)
    assert (product.name, product.price) == ("Keripik Pisang Manis", 15000)
    product.refresh_from_db()
    assert (product.name, product.price) == ("Keripik Pisang Manis", 15000)
    assert not audit("product.update").exists()


def test_product_update_refuses_a_field_that_is_not_the_owners_to_set(owner, shop):
    with pytest.raises(TypeError):
        services.product_update(actor=owner, product=make_product(shop), business_id=99)


def test_product_set_active_hides_and_shows(owner, shop, indexed):
    product = make_product(shop)
    services.product_set_active(actor=owner, product=product, active=False)
    assert not Product.objects.get(pk=product.pk).is_active
    services.product_set_active(actor=owner, product=product, active=True)
    assert Product.objects.get(pk=product.pk).is_active
    assert audit("product.update").count() == 2 and len(indexed) == 2


def test_search_finds_what_the_services_show_and_never_what_they_hide(owner, shop, indexed):
    product = services.product_create(actor=owner, business=shop, **VALID)
    copy = services.product_duplicate(actor=owner, product=product)
    found = search.search("keripik pisang").product_ids
    assert product.pk in found and copy.pk not in found
    services.product_set_active(actor=owner, product=product, active=False)
    assert product.pk not in search.search("keripik pisang").product_ids


# -- stock -------------------------------------------------------------------------------------------------

def test_product_stock_set_is_the_quick_edit(owner, shop, indexed):
    product = make_product(shop, stock=10)
    services.product_stock_set(actor=owner, product=product, stock=3)
    assert Product.objects.get(pk=product.pk).stock == 3
    assert audit("product.stock").get().changes == {"stock": [10, 3]}


@pytest.mark.parametrize("stock", [-1, "5", 2.5, None, True, 1_000_000_001])
def test_product_stock_set_refuses_anything_but_a_whole_count(owner, shop, indexed, stock):
    product = make_product(shop, stock=10)
    with pytest.raises(ValidationError) as caught:
        services.product_stock_set(actor=owner, product=product, stock=stock)
    assert "stock" in caught.value.message_dict
    assert Product.objects.get(pk=product.pk).stock == 10 and not audit("product.stock").exists()


def test_product_restock_adds_to_what_is_in_the_database_not_to_a_stale_copy(shop, indexed):
    product = make_product(shop, stock=10)
    Product.objects.filter(pk=product.pk).update(stock=4)  # an order took 6 meanwhile
    assert services.product_restock(product_id=product.pk, quantity=5) == 9
    assert Product.objects.get(pk=product.pk).stock == 9
    assert indexed == [("products", [product.pk])]


@pytest.mark.parametrize("quantity", [0, -3, True, "2", 1.5])
def test_product_restock_refuses_a_quantity_that_is_not_positive_and_whole(shop, indexed, quantity):
    product = make_product(shop, stock=10)
    with pytest.raises(ValidationError):
        services.product_restock(product_id=product.pk, quantity=quantity)
    assert Product.objects.get(pk=product.pk).stock == 10 and indexed == []


def test_product_restock_refuses_a_missing_product_and_an_overflowing_stock(shop, indexed):
    product = make_product(shop, stock=services.STOCK_MAX - 1)
    with pytest.raises(ValidationError):
        services.product_restock(product_id=product.pk + 1000, quantity=1)
    with pytest.raises(ValidationError):
        services.product_restock(product_id=product.pk, quantity=2)
    assert services.product_restock(product_id=product.pk, quantity=1) == services.STOCK_MAX


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_product_restock_from_many_threads_loses_no_unit(request, indexed):
    request.getfixturevalue("regions")  # after the check: loading every region takes a while
    product = make_product(make_business(owner=make_owner()), stock=0)
    errors = []

    def restock():
        try:
            services.product_restock(product_id=product.pk, quantity=2)
        except Exception as error:  # pragma: no cover - shown by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=restock) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Product.objects.get(pk=product.pk).stock == 20


# -- duplicates --------------------------------------------------------------------------------------------

def test_product_duplicate_makes_a_hidden_copy_with_its_own_photo_files(owner, shop, indexed, media_root):
    original = services.product_create(
        actor=owner, business=shop, photo=upload(phone_jpeg()), **VALID, weight_grams=250, category="Camilan"
    )
    copy = services.product_duplicate(actor=owner, product=original)
    assert copy.name == "Keripik Pisang Manis (salinan)"
    assert (copy.is_active, copy.stock) == (False, 0)
    assert (copy.price, copy.unit, copy.weight_grams, copy.category) == (15000, "bungkus", 250, "Camilan")
    original_photo, copied_photo = original.photos.get(), copy.photos.get()
    assert copied_photo.image.name != original_photo.image.name
    assert copied_photo.image.read() == original_photo.image.read()
    assert len(stored_files(media_root)) == 4
    assert audit("product.duplicate").get().changes == {"from": original.pk}
    assert ("products", [copy.pk]) in indexed


def test_deleting_the_originals_photo_keeps_the_copys(owner, shop, indexed, django_capture_on_commit_callbacks):
    original = services.product_create(actor=owner, business=shop, photo=upload(phone_jpeg()), **VALID)
    copy = services.product_duplicate(actor=owner, product=original)
    with django_capture_on_commit_callbacks(execute=True):
        services.photo_delete(actor=owner, photo=original.photos.get())
    copied = copy.photos.get()
    assert copied.image.storage.exists(copied.image.name) and copied.thumb.storage.exists(copied.thumb.name)


def test_a_duplicate_of_a_long_name_still_fits(owner, shop, indexed):
    copy = services.product_duplicate(actor=owner, product=make_product(shop, name="x" * 120))
    assert len(copy.name) == 120 and copy.name.endswith(" (salinan)")


# -- photos ------------------------------------------------------------------------------------------------

def test_photo_add_puts_each_photo_after_the_others_up_to_five(owner, shop, indexed):
    product = make_product(shop)
    added = [services.photo_add(actor=owner, product=product, upload=upload(image_bytes())) for _ in range(5)]
    assert [photo.position for photo in added] == [0, 1, 2, 3, 4]
    with pytest.raises(ValidationError) as caught:
        services.photo_add(actor=owner, product=product, upload=upload(image_bytes()))
    assert caught.value.message_dict["photo"] == ["Paling banyak 5 foto per produk."]
    assert product.photos.count() == 5


def test_photo_add_refuses_a_bad_file_under_photo(owner, shop, indexed, media_root):
    product = make_product(shop)
    with pytest.raises(ValidationError) as caught:
        services.photo_add(actor=owner, product=product, upload=upload(b"GIF89a nope"))
    assert "photo" in caught.value.message_dict
    assert not ProductPhoto.objects.exists() and stored_files(media_root) == []


def test_photo_delete_removes_the_row_then_the_files_once_committed(
    owner, shop, indexed, media_root, django_capture_on_commit_callbacks
):
    product = make_product(shop)
    photo = services.photo_add(actor=owner, product=product, upload=upload(image_bytes()))
    photo_id = photo.pk
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.photo_delete(actor=owner, photo=photo)
    assert not ProductPhoto.objects.exists()
    assert len(stored_files(media_root)) == 2  # still there until the commit
    for callback in callbacks:
        callback()
    assert stored_files(media_root) == []
    assert audit("product.photo_delete").get().changes == {"photo": photo_id}


def test_a_new_photo_after_a_deleted_one_goes_last(owner, shop, indexed):
    product = make_product(shop)
    first, second = (services.photo_add(actor=owner, product=product, upload=upload(image_bytes())) for _ in "ab")
    services.photo_delete(actor=owner, photo=first)
    third = services.photo_add(actor=owner, product=product, upload=upload(image_bytes()))
    assert list(product.photos.all()) == [second, third]


# -- the shop profile --------------------------------------------------------------------------------------

HOURS = [
    {"days": ["Tu", "Mo"], "opens": "08:00", "closes": "17:00"},
    {"days": ["Sa"], "opens": "18:00", "closes": "02:00"},  # a night market, past midnight
]


def test_shop_profile_update_opens_the_shop_and_keeps_the_hours_in_schema_org_form(owner, shop, indexed):
    profile = services.shop_profile_update(
        actor=owner, business=shop, tagline="  Renyah   tanpa pengawet ", opening_hours=HOURS,
        latitude=Decimal("-7.782900"), longitude=Decimal("110.367100"), accepting_orders=False,
    )
    profile.refresh_from_db()
    assert profile.tagline == "Renyah tanpa pengawet"
    assert profile.opening_hours[0] == {"days": ["Mo", "Tu"], "opens": "08:00", "closes": "17:00"}
    assert (profile.latitude, profile.longitude, profile.accepting_orders) == (
        Decimal("-7.782900"), Decimal("110.367100"), False
    )
    assert audit("shop.update").get().object_id == str(shop.pk)
    assert indexed.count(("business", shop.pk)) == 2  # opened, then changed


@pytest.mark.parametrize(
    "fields",
    [
        {"opening_hours": [{"days": ["Xx"], "opens": "08:00", "closes": "17:00"}]},
        {"opening_hours": [{"days": ["Mo"], "opens": "8", "closes": "17:00"}]},
        {"opening_hours": [{"days": ["Mo"], "opens": "24:00", "closes": "17:00"}]},
        {"opening_hours": [{"days": ["Mo"], "opens": "08:00", "closes": "08:00"}]},
        {"opening_hours": [{"days": [], "opens": "08:00", "closes": "17:00"}]},
        {"opening_hours": "setiap hari"},
        {"latitude": Decimal("-7.78")},
        {"latitude": Decimal("91"), "longitude": Decimal("110")},
        {"tagline": "t" * 161},
    ],
)
def test_shop_profile_update_refuses_bad_input_and_writes_nothing(owner, shop, indexed, fields):
    with pytest.raises(ValidationError):
        services.shop_profile_update(actor=owner, business=shop, **fields)
    assert not ShopProfile.objects.exists() and not audit("shop.update").exists()


def test_shop_open_is_idempotent(shop, indexed):
    assert services.shop_open(shop) == services.shop_open(shop)
    assert indexed == [("business", shop.pk)]


# -- reads -------------------------------------------------------------------------------------------------

def test_owner_products_filters_by_name_and_state_in_name_order_with_the_first_photo(owner, shop, indexed):
    keripik = make_product(shop, name="Keripik Pisang")
    make_product(shop, name="Bolu Pandan", is_active=False)
    make_product(shop, name="Abon Sapi", stock=0)
    make_product(shop, name="Nasi Kuning", stock=0, made_to_order=True)
    make_product(make_business(owner=make_owner()), name="Keripik Tetangga")
    second = services.photo_add(actor=owner, product=keripik, upload=upload(image_bytes()))
    ProductPhoto.objects.filter(pk=second.pk).update(position=5)
    first = services.photo_add(actor=owner, product=keripik, upload=upload(image_bytes()))
    ProductPhoto.objects.filter(pk=first.pk).update(position=1)

    def names(**filters):
        return [p.name for p in selectors.owner_products(actor=owner, business=shop, **filters)]

    assert names() == ["Abon Sapi", "Bolu Pandan", "Keripik Pisang", "Nasi Kuning"]
    assert names(query=" keripik ") == ["Keripik Pisang"]
    assert names(show="active") == ["Abon Sapi", "Keripik Pisang", "Nasi Kuning"]
    assert names(show="hidden") == ["Bolu Pandan"]
    assert names(show="out_of_stock") == ["Abon Sapi"]
    rows = {p.name: p for p in selectors.owner_products(actor=owner, business=shop)}
    assert rows["Keripik Pisang"].first_photo == [first] and rows["Abon Sapi"].first_photo == []


def test_owner_products_shows_another_owner_nothing(shop, indexed):
    make_product(shop)
    assert not selectors.owner_products(actor=make_owner(), business=shop).exists()


# -- access ------------------------------------------------------------------------------------------------

def test_access_shop_lets_the_owner_in(owner, shop):
    assert access_shop(owner, shop.pk) == shop
    assert access_shop(owner, str(shop.pk)) == shop


@pytest.mark.parametrize(
    "make_actor",
    [make_owner, lambda: make_officer(SLEMAN), make_admin, lambda: None],
    ids=["other owner", "officer in the region", "admin", "nobody"],
)
def test_access_shop_refuses_everyone_else_with_a_404(shop, make_actor):
    with pytest.raises(Http404):
        access_shop(make_actor(), shop.pk)


def test_access_shop_answers_a_missing_or_malformed_id_with_the_same_404(owner):
    for business_id in (999_999, "abc", None):
        with pytest.raises(Http404):
            access_shop(owner, business_id)


def test_access_product_needs_the_product_to_be_in_that_shop(owner, shop, indexed):
    product = make_product(shop)
    other_shop_of_same_owner = make_business(owner=owner, name="Usaha Kedua")
    assert access_product(owner, shop.pk, product.pk) == product
    with pytest.raises(Http404):
        access_product(owner, other_shop_of_same_owner.pk, product.pk)
    with pytest.raises(Http404):
        access_product(make_owner(), shop.pk, product.pk)


def test_access_photo_needs_the_photo_to_be_that_products(owner, shop, indexed):
    product, other = make_product(shop), make_product(shop, name="Lain")
    photo = services.photo_add(actor=owner, product=product, upload=upload(image_bytes()))
    assert access_photo(owner, shop.pk, product.pk, photo.pk) == photo
    with pytest.raises(Http404):
        access_photo(owner, shop.pk, other.pk, photo.pk)


# -- what owners type --------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "price"),
    [
        ("15000", 15000), ("15.000", 15000), ("Rp 15.000", 15000), ("rp15.000", 15000), ("Rp. 1.500.000", 1500000),
        ("15 000", 15000), ("Rp 15.000,-", 15000), ("15.000,00", 15000), (" 7500 ", 7500), ("0", 0),
    ],
)
def test_parse_price_reads_rupiah_as_people_write_them(text, price):
    assert parse_price(text) == price


@pytest.mark.parametrize(
    "text", ["", "15,5", "15.5", "1.50.000", "Rp", "lima ribu", "-5000", "15000.00", "١٥٠٠٠", "1e5", "9" * 14]
)
def test_parse_price_refuses_anything_else_in_indonesian(text):
    with pytest.raises(ValidationError) as caught:
        parse_price(text)
    assert "Tulis harga dalam rupiah" in caught.value.messages[0]


@given(st.integers(min_value=0, max_value=10**12))
def test_parse_price_reads_back_every_way_a_price_is_shown(amount):
    grouped = f"{amount:,}".replace(",", ".")
    for text in (str(amount), grouped, f"Rp {grouped}", f"Rp{grouped},-"):
        assert parse_price(text) == amount


@settings(max_examples=300)
@given(st.text(max_size=40))
def test_parse_price_gives_a_whole_number_or_a_validation_error_for_any_text(text):
    try:
        assert isinstance(parse_price(text), int)
    except ValidationError:
        pass


FORM_TEXT = st.one_of(st.text(max_size=30), st.sampled_from(["", "0", "15.000", "-1", "1" * 12, "Rp 5.000", "ab"]))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=FORM_TEXT, price=FORM_TEXT, stock=FORM_TEXT, weight=FORM_TEXT, unit=FORM_TEXT)
def test_the_product_form_accepts_exactly_what_the_service_saves(owner, shop, name, price, stock, weight, unit):
    """For any input, a valid form is a product the service saves, and an invalid one says why in words:
    an owner never gets a 500 and never a half-saved product."""
    form = ProductForm({"name": name, "price": price, "stock": stock, "weight_grams": weight, "unit": unit})
    if not form.is_valid():
        assert all(isinstance(message, str) and message for errors in form.errors.values() for message in errors)
        return
    with transaction.atomic():
        services.product_create(actor=owner, business=shop, **form.product_fields())
        transaction.set_rollback(True)  # keep each example's database the same
