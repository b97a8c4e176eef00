"""Writing the synthetic data of `naikkelas synth` and `naikkelas demo` into the database.

The pure generators (naikkelas.synth) say what the businesses, shops, products and orders are; this module
turns them into rows and writes them in bulk (core.bulk: prepared inserts on SQLite, COPY on PostgreSQL),
which is what makes a province of a million products a matter of minutes. It lives in the demo app because
it writes into every layer (registry, catalog, orders), and only an edge may import them all.

A run is identified by its province and seed: the businesses' `external_ref` starts with
`SYN-<province>-<seed>-` (synth.businesses), and everything else of the run hangs off those businesses, so
running the same command again replaces exactly its own data.

Orders are written as history, not placed through orders.services.order_place: the products' stock is what
is on the shelf now, after these sales, and the orders' steps are already in the past.
"""

import gc
import random
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone
from itertools import islice
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management.base import CommandError
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from naikkelas.catalog.models import Product, ProductPhoto, ShopProfile
from naikkelas.core.bulk import bulk_insert, bulk_insert_rows, db_value
from naikkelas.demo.placeholders import tile
from naikkelas.ledger.models import Entry
from naikkelas.orders.models import Order, OrderLine, new_token
from naikkelas.regions.models import Region, Sector
from naikkelas.registry.models import Business, Source
from naikkelas.registry.sizeclass import size_class
from naikkelas.synth.businesses import MAX_SEED, Regency, SynthError, external_ref_prefix, generate_businesses
from naikkelas.synth.orders import Listing, OrderHistory, Storefront
from naikkelas.synth.products import Seller, Shop, generate_shops, has_catalogue_step

BATCH = 5_000
DELETE_BATCH = 2_000
# Shops are written in groups of about this many products: big enough for fast inserts, small enough that
# the rows waiting in memory stay a few megabytes.
PRODUCT_BATCH = 20_000
# SQLite's default page cache (2 MiB) is far smaller than the dozen indexes of a million-row business
# table, so a long bulk write keeps evicting index pages and writing them to the WAL again. A bigger cache
# for this connection, while it writes, makes 1,000,000 rows about a third faster.
SQLITE_BULK_CACHE_KIB = 256 * 1024

__all__ = [
    "BATCH", "MAX_SEED", "ShopKey", "ShopSummary", "cyclic_gc_paused", "index_shop", "province_history",
    "province_inputs", "rebuild_search_index", "sqlite_bulk_cache", "synthetic_run", "write_shops",
    "write_synthetic_businesses", "write_synthetic_shops",
]


def synthetic_run(province_code: str, seed: int):
    """The businesses an earlier `synth` run for this province and seed wrote."""
    prefix = external_ref_prefix(province_code, seed)
    return Business.objects.filter(source=Source.SYNTH, external_ref__startswith=prefix)


def province_inputs(province_code: str) -> tuple[list[Regency], dict[str, str]]:
    if not Region.objects.filter(level=Region.Level.PROVINCE).exists():
        raise CommandError(_("Data wilayah belum dimuat. Jalankan dulu: naikkelas load_regions"))
    if not Region.objects.filter(code=province_code, level=Region.Level.PROVINCE).exists():
        raise CommandError(
            _("Provinsi dengan kode %(code)s tidak ada. Contoh kode: 34 (DI Yogyakarta).") % {"code": province_code}
        )
    villages: dict[str, list[str]] = {}
    for code in Region.objects.filter(level=Region.Level.VILLAGE, code__startswith=f"{province_code}.").values_list(
        "code", flat=True
    ):
        villages.setdefault(code[:5], []).append(code)
    regencies = [
        Regency(code=code, population=population, villages=tuple(villages.get(code, ())))
        for code, population in Region.objects.filter(level=Region.Level.REGENCY, parent_id=province_code).values_list(
            "code", "population"
        )
    ]
    kelompok = dict(Sector.objects.filter(level=Sector.Level.KELOMPOK).values_list("code", "kategori"))
    if not kelompok:
        raise CommandError(_("Data KBLI belum dimuat. Jalankan dulu: naikkelas load_regions"))
    return regencies, kelompok


@contextmanager
def sqlite_bulk_cache():
    """A larger SQLite page cache on this connection while a bulk write runs; nothing on other databases."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_BULK_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")


@contextmanager
def cyclic_gc_paused():
    """Python's cycle collector runs every few hundred allocations and then walks every live object; a bulk
    load allocates millions of short-lived ones and keeps none in cycles (reference counting frees each
    batch), so pausing the collector saves about a fifth of the run and costs no memory."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _delete_run(province_code: str, seed: int) -> int:
    claimed = synthetic_run(province_code, seed).filter(owner__isnull=False).count()
    if claimed:
        raise CommandError(
            _(
                "%(n)s usaha sintetis dari provinsi %(code)s, seed %(seed)s sudah diklaim pemilik, jadi tidak "
                "dihapus otomatis. Pakai seed lain."
            )
            % {"n": claimed, "code": province_code, "seed": seed}
        )
    # Through the ORM, so whatever else points at a business (consents, assessments, products, photos...)
    # goes with it; in slices of known ids, so memory stays bounded and the prefix filter is evaluated once.
    # Orders first: a business's orders protect it from deletion.
    ids = list(synthetic_run(province_code, seed).order_by("pk").values_list("pk", flat=True))
    files: list[str] = []
    for start in range(0, len(ids), DELETE_BATCH):
        chunk = ids[start : start + DELETE_BATCH]
        for image, thumb in ProductPhoto.objects.filter(product__business_id__in=chunk).values_list("image", "thumb"):
            files += [image, thumb]
        OrderLine.objects.filter(order__business_id__in=chunk).delete()
        Order.objects.filter(business_id__in=chunk).delete()
        Business.objects.filter(pk__in=chunk).delete()
    if files:
        storage = ProductPhoto._meta.get_field("image").storage
        transaction.on_commit(lambda: [storage.delete(name) for name in files if name])
    return len(ids)


# The generator's keys are Business attribute names, except for the two foreign keys.
_ROW_KEYS = {"village_id": "village_code", "sector_id": "sector_code"}


# (row key, default, field) in the order of Business's concrete fields: positional construction, the way
# Django builds instances read from the database, costs a third of building them from keyword arguments.
# Immutable defaults are computed once; `field` is set when the default must be made afresh for each row
# (a list, a time), so no two rows share one.
def _column(field):
    key = _ROW_KEYS.get(field.attname, field.attname)
    if field.primary_key:
        return key, None, None
    default = field.get_default()
    if default is None or isinstance(default, (str, int, bool)):
        return key, default, None
    return key, None, field


_COLUMNS = [_column(field) for field in Business._meta.concrete_fields]


def _business(row: dict, now) -> Business:
    row["size_class"] = size_class(capital=row["capital"], annual_sales=row["annual_sales"])
    row["source"] = Source.SYNTH.value
    row["created_at"] = row["updated_at"] = now
    return Business(
        *[
            row[key] if key in row else default if field is None else field.get_default()
            for key, default, field in _COLUMNS
        ]
    )


def write_synthetic_businesses(*, province_code: str, count: int, seed: int) -> tuple[int, int]:
    """Replace the (province, seed) run with `count` fresh businesses (and nothing else: shops come from
    write_synthetic_shops). Returns (written, replaced)."""
    regencies, kelompok = province_inputs(province_code)
    try:
        rows = generate_businesses(
            province_code=province_code, regencies=regencies, kelompok=kelompok, seed=seed, count=count
        )
        now = timezone.now()
        with cyclic_gc_paused(), sqlite_bulk_cache(), transaction.atomic():
            replaced = _delete_run(province_code, seed)
            written = 0
            while batch := list(islice(rows, BATCH)):
                written += bulk_insert(Business, [_business(row, now) for row in batch])
    except SynthError as error:
        raise CommandError(str(error)) from error
    return written, replaced


# -- shops, products, photos, orders -----------------------------------------------------------------------


@dataclass
class ShopSummary:
    shops: int = 0
    products: int = 0
    photos: int = 0
    orders: int = 0
    lines: int = 0
    files: list[str] = field(default_factory=list, repr=False)  # photo files written, removed on failure


@dataclass(frozen=True)
class ShopKey:
    """What the writer needs of a business besides what the generator passes through."""

    business_id: int
    regency: str
    size_class: str
    methods: tuple[str, ...]  # order payment methods it takes
    paid_by: int | None = None  # the user who marks its orders paid (its owner), if any
    waiting: int = 0  # latest orders left new, for the owner to answer


def place_name(regency_name: str) -> str:
    """How people name a regency in a sentence: "Kabupaten Sleman" -> "Sleman", "Kota Yogyakarta" ->
    "Yogyakarta"."""
    for prefix in ("Kabupaten Administrasi ", "Kota Administrasi ", "Kabupaten ", "Kota "):
        if regency_name.startswith(prefix):
            return regency_name[len(prefix) :]
    return regency_name


def order_methods(payment_methods: Iterable[str]) -> tuple[str, ...]:
    """The order payment methods a business takes, from the registry's answer (cash, qris, transfer,
    ewallet): cash on delivery always; QRIS when it takes QRIS or an e-wallet (both pay a QRIS code)."""
    methods = {"cod"}
    taken = set(payment_methods or ())
    if taken & {"qris", "ewallet"}:
        methods.add("qris")
    if "transfer" in taken:
        methods.add("transfer")
    return tuple(sorted(methods))


def _datetime_to_db():
    """Aware datetimes (or None) as the database takes them, quickly: an order has eight timestamps, and the
    field's own conversion chain was a third of the time spent writing orders. SQLite stores Django's text
    form of the UTC time; psycopg's COPY takes the datetime itself."""
    if connection.vendor == "sqlite" and settings.USE_TZ:
        return lambda value: None if value is None else str(value.astimezone(dt_timezone.utc).replace(tzinfo=None))
    if connection.vendor == "postgresql":
        return lambda value: value
    return db_value(Order, "created_at")


def _lock_and_next_ids() -> dict[type, int]:
    """The first free ids of the tables written with explicit ids (so lines and photos can point at rows
    without reading them back). PostgreSQL: the tables are locked against other writers until commit, and
    the id sequences are moved past the written rows afterwards (`_reset_sequences`). SQLite: the IMMEDIATE
    transaction already holds the only write lock, and AUTOINCREMENT follows explicit ids by itself."""
    if connection.vendor == "postgresql":
        tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in (Product, Order))
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {tables} IN SHARE ROW EXCLUSIVE MODE")
    return {model: (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1 for model in (Product, Order)}


def _reset_sequences() -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), [Product, Order])
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


_PRODUCT_COLUMNS = (
    "id", "business_id", "name", "description", "price", "stock", "made_to_order", "unit", "weight_grams",
    "category", "is_active", "created_at", "updated_at",
)
_ORDER_TIMES = ("created_at", "updated_at", "confirmed_at", "paid_at", "shipped_at", "completed_at", "cancelled_at",
                "refunded_at")
_ORDER_COLUMNS = (
    "id", "business_id", "number", "token", "status", "buyer_name", "buyer_phone", "buyer_address",
    "buyer_village_id", "delivery", "payment_method", "note", "subtotal", "unique_code", "total",
    "stock_returned", *_ORDER_TIMES, "paid_by_id", "paid_via", "channel", "external_ref",
)
_PHOTO_COLUMNS = ("product_id", "image", "thumb", "width", "height", "position", "created_at")
_LINE_COLUMNS = ("order_id", "product_id", "name", "unit", "unit_price", "quantity", "line_total", "stock_taken")


class _Writer:
    """Collects shops and writes them in groups: profiles, products (explicit ids), photos, orders, lines."""

    def __init__(self, *, now: datetime, photos: int, history: OrderHistory | None):
        self.now = now
        self.photos_left = photos
        self.history = history
        self.next_id = _lock_and_next_ids()
        self.summary = ShopSummary()
        self.profiles: list[ShopProfile] = []
        self.products: list[tuple] = []
        self.photos: list[tuple] = []
        self.orders: list[tuple] = []
        self.lines: list[tuple] = []
        self.product_time = db_value(Product, "created_at")
        self.listed: dict[int, object] = {}  # days ago -> database value of that moment
        self.order_time = _datetime_to_db()
        self.photo_time = db_value(ProductPhoto, "created_at")(now)

    def listed_at(self, days_ago: int):
        if days_ago not in self.listed:
            self.listed[days_ago] = self.product_time(self.now - timedelta(days=days_ago))
        return self.listed[days_ago]

    def add(self, shop: Shop, key: ShopKey) -> None:
        business_id = key.business_id
        self.profiles.append(
            ShopProfile(
                business_id=business_id,
                tagline=shop.tagline[:160],
                opening_hours=shop.opening_hours,
                accepting_orders=True,
                updated_at=self.now,
            )
        )
        listings = []
        for product in shop.products:
            product_id = self.next_id[Product]
            self.next_id[Product] += 1
            listed = self.listed_at(product["listed_days_ago"])
            self.products.append(
                (
                    product_id, business_id, product["name"], product["description"], product["price"],
                    product["stock"], product["made_to_order"], product["unit"], product["weight_grams"],
                    product["category"], product["is_active"], listed, listed,
                )
            )
            listings.append(Listing(product_id, product["name"], product["unit"], product["price"]))
            if self.photos_left > 0 and product["is_active"]:
                self.photos_left -= 1
                self.photos.append(self._photo(product_id, business_id, product["name"], product["category"]))
        self.summary.shops += 1
        self.summary.products += len(shop.products)
        if self.history is not None:
            storefront = Storefront(business_id, key.size_class, key.regency, tuple(listings), key.methods)
            for order in self.history.for_shop(storefront, waiting=key.waiting):
                self._order(order, key)
        if len(self.products) >= PRODUCT_BATCH:
            self.flush()

    def _photo(self, product_id: int, business_id: int, name: str, category: str) -> tuple:
        """A placeholder photo stored the way catalog.services stores an upload (same fields, same paths)."""
        picture = tile(name, colour_key=category)
        # An unsaved Product carrying the ids is enough for the upload path (produk/<business id>/...).
        photo = ProductPhoto(product=Product(id=product_id, business_id=business_id))
        photo.image.save("foto.webp", ContentFile(picture.large), save=False)
        self.summary.files.append(photo.image.name)
        photo.thumb.save("foto.webp", ContentFile(picture.thumb), save=False)
        self.summary.files.append(photo.thumb.name)
        return (product_id, photo.image.name, photo.thumb.name, picture.width, picture.height, 0, self.photo_time)

    def _order(self, order: dict, key: ShopKey) -> None:
        order_id = self.next_id[Order]
        self.next_id[Order] += 1
        convert = self.order_time
        paid_by = key.paid_by if order["paid_at"] else None
        self.orders.append(
            (
                order_id, key.business_id, order["number"], new_token(), order["status"], order["buyer_name"],
                order["buyer_phone"], order["buyer_address"], order["buyer_village_code"], order["delivery"],
                order["payment_method"], order["note"], order["subtotal"], order["unique_code"], order["total"],
                order["stock_returned"], *(convert(order[name]) for name in _ORDER_TIMES), paid_by,
                order["paid_via"], "", "",  # the shop's own pages: no partner channel
            )
        )
        for line in order["lines"]:
            self.lines.append(
                (order_id, line["product"], line["name"], line["unit"], line["unit_price"], line["quantity"],
                 line["line_total"], line.get("stock_taken", line["quantity"]))
            )
        self.summary.orders += 1
        self.summary.lines += len(order["lines"])

    def flush(self) -> None:
        # ShopProfile's JSON column goes through bulk_insert's conversion; the other rows are already in
        # database form. Products before photos and orders, orders before lines: the foreign keys are
        # checked as each row goes in.
        bulk_insert(ShopProfile, self.profiles)
        bulk_insert_rows(Product, _PRODUCT_COLUMNS, self.products)
        bulk_insert_rows(ProductPhoto, _PHOTO_COLUMNS, self.photos)
        bulk_insert_rows(Order, _ORDER_COLUMNS, self.orders)
        bulk_insert_rows(OrderLine, _LINE_COLUMNS, self.lines)
        self.summary.photos += len(self.photos)
        self.profiles, self.products, self.photos, self.orders, self.lines = [], [], [], [], []

    def close(self) -> ShopSummary:
        self.flush()
        _reset_sequences()
        return self.summary


@contextmanager
def _files_removed_on_failure(summary_of):
    """Photo files are written while the transaction is open; if it rolls back, they go too."""
    try:
        yield
    except BaseException:
        summary = summary_of()
        if summary is not None and summary.files:
            storage = ProductPhoto._meta.get_field("image").storage
            for name in summary.files:
                storage.delete(name)
        raise


def write_shops(
    shops: Iterable[tuple[Shop, ShopKey]], *, photos: int, history: OrderHistory | None, now: datetime
) -> ShopSummary:
    """Write the given shops with their products, up to `photos` placeholder photos and `history`'s orders.
    Call inside a transaction."""
    writer: _Writer | None = None
    with _files_removed_on_failure(lambda: writer.summary if writer else None):
        writer = _Writer(now=now, photos=photos, history=history)
        for shop, key in shops:
            writer.add(shop, key)
        return writer.close()


def province_history(province_code: str, *, seed: int, days: int, now: datetime) -> OrderHistory:
    """The order history generator for a province's villages, in the province's own time zone."""
    regencies, _kelompok = province_inputs(province_code)
    zone = Region.objects.filter(code=province_code).values_list("timezone", flat=True).first() or "Asia/Jakarta"
    offset = ZoneInfo(zone).utcoffset(now.replace(tzinfo=None))
    return OrderHistory(
        province_code=province_code,
        villages={regency.code: regency.villages for regency in regencies},
        seed=seed,
        days=days,
        now=now,
        utc_offset_hours=int(offset.total_seconds() // 3600),
    )


def _sellers(province_code: str, seed: int, kelompok: dict[str, str], places: dict[str, str]) -> Iterator[Seller]:
    """The run's businesses in the order they were generated (their ids grow with it), as the shop
    generator sees them; each carries its ShopKey through."""
    rows = (
        synthetic_run(province_code, seed)
        .order_by("pk")
        .values_list("pk", "sector_id", "size_class", "readiness_level", "nib", "channels", "payment_methods",
                     "village_id")
    )
    for pk, sector, size, level, nib, channels, payments, village in rows.iterator(chunk_size=BATCH):
        regency = village[:5]
        catalogue = has_catalogue_step(
            {"readiness_level": level, "nib": nib, "channels": channels or [], "payment_methods": payments or []}
        )
        yield Seller(
            key=ShopKey(pk, regency, size, order_methods(payments)),
            sector_code=sector or "",
            kategori=kelompok.get(sector or "", ""),
            size_class=size,
            catalogue_step=catalogue,
            place=places.get(regency, ""),
        )


def write_synthetic_shops(
    *, province_code: str, seed: int, products: int | None, photos: int, orders_days: int, now: datetime | None = None
) -> ShopSummary:
    """Open shops for the (province, seed) run's businesses: exactly `products` products in all (None: each
    shop its own drawn number; 0: no shops), placeholder photos for the first `photos` active products,
    and `orders_days` days of order history. Call inside a transaction, after write_synthetic_businesses."""
    now = now or timezone.now()
    _regencies, kelompok = province_inputs(province_code)
    places = {
        code: place_name(name)
        for code, name in Region.objects.filter(level=Region.Level.REGENCY, parent_id=province_code).values_list(
            "code", "name"
        )
    }
    if products == 0:
        return ShopSummary()
    try:
        history = province_history(province_code, seed=seed, days=orders_days, now=now) if orders_days else None
        shops = generate_shops(_sellers(province_code, seed, kelompok, places), seed=seed, total_products=products)
        return write_shops(((shop, shop.key) for shop in shops), photos=photos, history=history, now=now)
    except SynthError as error:
        raise CommandError(str(error)) from error


def rebuild_search_index() -> tuple[bool, float]:
    """Rebuild the catalogue's search index after a bulk load (the bulk writes bypass catalog.services,
    which index as they go). Returns (done, seconds); not done when this build has no search index."""
    try:
        from naikkelas.catalog.search import index_rebuild
    except ImportError:
        return False, 0.0
    started = time.perf_counter()
    index_rebuild()
    return True, time.perf_counter() - started


def index_shop(business_id: int) -> bool:
    """Index one shop written by write_shops, and its products, the way catalog.services would have."""
    try:
        from naikkelas.catalog.search import index_business, index_products
    except ImportError:
        return False
    index_business(business_id)
    index_products(list(Product.objects.filter(business_id=business_id).values_list("pk", flat=True)))
    return True


def date_registrations(province_code: str, seed: int, *, now: datetime, months: int = 24) -> int:
    """Give each business of a run the moment it joined the platform, so the dashboard's months have a
    history: a business with orders or a cash book joined 0–60 days before its first one; the others over
    the last `months` months, more of them lately, as a programme's onboarding gathers pace."""
    run = synthetic_run(province_code, seed)
    firsts: dict[int, datetime] = {}
    for business_id, first in Order.objects.filter(business__in=run).values("business_id").annotate(
        first=Min("created_at")
    ).values_list("business_id", "first"):
        firsts[business_id] = first
    zone = timezone.get_current_timezone()
    for business_id, day in Entry.objects.filter(business__in=run.values("pk")).values("business_id").annotate(
        first=Min("date")
    ).values_list("business_id", "first"):
        moment = datetime.combine(day, datetime.min.time(), tzinfo=zone)
        firsts[business_id] = min(firsts.get(business_id, moment), moment)
    rng = random.Random(seed)
    span = months * 30 * 24 * 3600
    changed = []
    for business in run.only("pk", "created_at").order_by("pk").iterator(chunk_size=2000):
        first = firsts.get(business.pk)
        if first is not None:
            joined = first - timedelta(days=rng.uniform(0, 60))
        else:
            joined = now - timedelta(seconds=span * (1 - rng.random() ** 0.6))
        business.created_at = min(joined, now)
        changed.append(business)
    Business.objects.bulk_update(changed, ["created_at"], batch_size=2000)
    return len(changed)
