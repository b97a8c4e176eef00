"""`naikkelas synth`: writes the generators' rows (businesses, shops, products, photos, orders), replaces its
own earlier run, and says clearly what is missing."""

import io
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, F, Max
from PIL import Image

from naikkelas.accounts.models import User
from naikkelas.catalog.models import Product, ProductPhoto, ShopProfile
from naikkelas.orders.models import Order, OrderLine
from naikkelas.registry.models import Business, Source
from naikkelas.registry.sizeclass import size_class
from tests.catalog.factories import make_product
from tests.orders.factories import make_order

pytestmark = pytest.mark.django_db

# Shops, products and orders on a small scale; businesses only, for the tests about businesses.
SMALL = ("--products", "120", "--orders-days", "14", "--photos", "5")
NO_SHOPS = ("--products", "0")


def synth(*args: str) -> str:
    if "--cash-book-months" not in args:  # cash books have tests of their own (tests/demo/test_cash_books.py)
        args = (*args, "--cash-book-months", "0")
    out = StringIO()
    call_command("synth", *args, stdout=out)
    return out.getvalue()


def run_files() -> set[str]:
    return {name for pair in ProductPhoto.objects.values_list("image", "thumb") for name in pair}


def test_synth_writes_the_requested_businesses_into_the_province():
    output = synth("--province", "34", "--businesses", "300", "--seed", "1", *NO_SHOPS)

    businesses = Business.objects.filter(source=Source.SYNTH)
    assert businesses.count() == 300
    assert "300 usaha sintetis" in output and "detik" in output
    assert not businesses.exclude(village__code__startswith="34.").exists()
    assert not businesses.filter(sector__isnull=True).exists()
    first = businesses.get(external_ref="SYN-34-1-000001")
    assert first.size_class == size_class(capital=first.capital, annual_sales=first.annual_sales)
    assert first.sector.level == "kelompok"
    assert first.village.level == 4
    assert isinstance(first.channels, list) and "offline" in first.channels


def test_synth_run_again_with_the_same_seed_replaces_its_rows_instead_of_colliding():
    synth("--province", "34", "--businesses", "200", "--seed", "1")
    before = sorted(Business.objects.values_list("slug", "name", "phone"))

    output = synth("--province", "34", "--businesses", "200", "--seed", "1")

    assert "200 usaha dari proses sebelumnya diganti" in output
    assert sorted(Business.objects.values_list("slug", "name", "phone")) == before


def test_synth_leaves_other_seeds_and_provinces_alone():
    synth("--province", "34", "--businesses", "50", "--seed", "1", *NO_SHOPS)
    synth("--province", "51", "--businesses", "40", "--seed", "1", *NO_SHOPS)
    synth("--province", "34", "--businesses", "30", "--seed", "2", *NO_SHOPS)

    synth("--province", "34", "--businesses", "10", "--seed", "1", *NO_SHOPS)

    assert Business.objects.filter(external_ref__startswith="SYN-34-1-").count() == 10
    assert Business.objects.filter(external_ref__startswith="SYN-51-1-").count() == 40
    assert Business.objects.filter(external_ref__startswith="SYN-34-2-").count() == 30
    assert Business.objects.filter(village__code__startswith="51.", owner_name__regex=r"^(I|Ni) ").exists()


def test_synth_keep_existing_reuses_an_earlier_run():
    synth("--province", "34", "--businesses", "100", "--seed", "1")
    ids = set(Business.objects.values_list("pk", flat=True))

    output = synth("--province", "34", "--businesses", "500", "--seed", "1", "--keep-existing")

    assert "sudah ada" in output
    assert set(Business.objects.values_list("pk", flat=True)) == ids


def test_synth_refuses_to_delete_a_run_whose_business_was_claimed():
    synth("--province", "34", "--businesses", "20", "--seed", "1")
    owner = User.objects.create_user("0812-7777-0001", role=User.Role.OWNER)
    Business.objects.filter(external_ref="SYN-34-1-000003").update(owner=owner)

    with pytest.raises(CommandError, match="sudah diklaim"):
        synth("--province", "34", "--businesses", "20", "--seed", "1")

    assert Business.objects.filter(source=Source.SYNTH).count() == 20


@pytest.mark.parametrize(
    "args, message",
    [
        (["--province", "99"], "Provinsi dengan kode 99 tidak ada"),
        (["--province", "34", "--seed", "-1"], "--seed harus"),
        (["--province", "34", "--businesses", "-5"], "--businesses harus"),
        (["--province", "34", "--products", "-1"], "--products harus"),
        (["--province", "34", "--orders-days", "-1"], "--orders-days harus"),
        (["--province", "34", "--orders-days", "4000"], "--orders-days harus"),
        (["--province", "34", "--photos", "-2"], "--photos harus"),
    ],
)
def test_synth_rejects_bad_arguments_and_writes_nothing(args, message):
    with pytest.raises(CommandError, match=message):
        synth(*args)

    assert not Business.objects.exists()
    assert not Product.objects.exists()


def test_synth_says_to_load_regions_when_they_are_missing():
    with connection.cursor() as cursor:
        # Inside the test's transaction, so the shared reference data comes back afterwards.
        cursor.execute("DELETE FROM regions_region")

    with pytest.raises(CommandError, match="naikkelas load_regions"):
        synth("--province", "34", "--businesses", "10")

    assert not Business.objects.exists()


# Shops, products, photos, orders


def test_synth_opens_shops_with_exactly_the_products_asked_for():
    output = synth("--province", "34", "--businesses", "300", "--seed", "1", *SMALL)

    run = Business.objects.filter(external_ref__startswith="SYN-34-1-")
    shops = ShopProfile.objects.all()
    assert Product.objects.count() == 120
    assert shops.count() == Business.objects.filter(products__isnull=False).distinct().count() > 5
    assert not Product.objects.exclude(business__in=run).exists()
    assert "toko" in output and "120 produk" in output
    product = Product.objects.order_by("pk").first()
    assert product.price > 0 and product.price % 100 == 0
    assert product.stock >= 0 and (product.stock == 0 or not product.made_to_order)
    assert all(shop.tagline for shop in shops)


def test_synth_photos_are_valid_webp_files_stored_like_uploads(media_root):
    synth("--province", "34", "--businesses", "300", "--seed", "1", *SMALL)

    photos = list(ProductPhoto.objects.select_related("product"))
    assert len(photos) == 5
    for photo in photos:
        assert photo.product.is_active
        for field, size in ((photo.image, photo.width), (photo.thumb, 400)):
            assert field.name.startswith(f"produk/{photo.product.business_id}/") and field.name.endswith(".webp")
            assert (media_root / field.name).is_file()
            with Image.open(io.BytesIO((media_root / field.name).read_bytes())) as image:
                assert image.format == "WEBP"
                assert image.size == (size, size)


def test_synth_writes_an_order_history_that_points_at_the_shops_own_products():
    synth("--province", "34", "--businesses", "300", "--seed", "1", *SMALL)

    orders = Order.objects.all()
    assert orders.count() > 10
    assert not OrderLine.objects.exclude(product__business=F("order__business")).exists()
    for business_id, count, top in orders.order_by().values_list("business").annotate(n=Count("pk"), top=Max("number")):
        assert count == top  # numbered 1..n per shop
    assert len(set(orders.values_list("token", flat=True))) == orders.count()
    assert not orders.exclude(buyer_village__code__startswith="34.").exists()
    for order in orders.prefetch_related("lines")[:50]:
        assert order.subtotal == sum(line.line_total for line in order.lines.all())
        assert order.total == order.subtotal + order.unique_code
    assert set(orders.values_list("payment_method", flat=True)) <= {"cod", "qris", "transfer"}


def test_synth_run_again_replaces_shops_products_orders_and_photo_files(django_capture_on_commit_callbacks, media_root):
    synth("--province", "34", "--businesses", "200", "--seed", "1", *SMALL)
    before = sorted(Product.objects.values_list("business__slug", "name", "price", "stock"))
    old_files = run_files()
    orders_before = Order.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        synth("--province", "34", "--businesses", "200", "--seed", "1", *SMALL)

    assert sorted(Product.objects.values_list("business__slug", "name", "price", "stock")) == before
    assert Order.objects.count() == orders_before
    assert ProductPhoto.objects.count() == 5
    assert not any((media_root / name).exists() for name in old_files)
    assert all((media_root / name).exists() for name in run_files())


def test_synth_products_zero_writes_businesses_only():
    synth("--province", "34", "--businesses", "100", "--seed", "1", *NO_SHOPS)

    assert Business.objects.count() == 100
    assert not ShopProfile.objects.exists() and not Product.objects.exists() and not Order.objects.exists()


def test_synth_keep_existing_opens_shops_for_businesses_written_before_shops_existed():
    synth("--province", "34", "--businesses", "300", "--seed", "1", *NO_SHOPS)
    ids = set(Business.objects.values_list("pk", flat=True))

    synth("--province", "34", "--businesses", "300", "--seed", "1", "--keep-existing", *SMALL)

    assert set(Business.objects.values_list("pk", flat=True)) == ids
    assert Product.objects.count() == 120


def test_ids_written_by_synth_leave_room_for_ordinary_inserts():
    # The bulk load writes explicit ids; the next product or order made the ordinary way must not collide.
    synth("--province", "34", "--businesses", "200", "--seed", "1", *SMALL)
    business = Business.objects.filter(products__isnull=False).first()

    product = make_product(business, name="Bakpia Baru")
    order = make_order(business, [(product, 1)])

    assert product.pk > Product.objects.exclude(pk=product.pk).aggregate(top=Max("pk"))["top"]
    assert order.pk > Order.objects.exclude(pk=order.pk).aggregate(top=Max("pk"))["top"]


def test_search_finds_a_synthetic_product():
    from naikkelas.catalog.search import search

    synth("--province", "34", "--businesses", "300", "--seed", "1", *SMALL)
    product = Product.objects.filter(is_active=True).order_by("pk").first()

    results = search(product.name)

    assert product.pk in [hit.id for hit in results.products]


def test_synth_writes_two_files_per_photo_and_nothing_else_under_media_root(media_root):
    synth("--province", "34", "--businesses", "100", "--seed", "1", "--products", "20", "--photos", "3")

    assert str(settings.MEDIA_ROOT) == str(media_root)
    assert sorted(path.relative_to(media_root).as_posix() for path in media_root.rglob("*.webp")) == sorted(run_files())
    assert len(run_files()) == 6
