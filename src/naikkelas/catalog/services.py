"""Writes to the catalogue: products, their photos, and the shop's profile. Keyword-only arguments; each call
is one transaction, and bad input raises a ValidationError (keyed by field, in Indonesian) with nothing written.

What the public sees (storefront, search) changes in the same transaction as the search index, so the two
never disagree. Partners hear of every change through the outbox (core.outbox), also in that transaction:
`product.updated` when what a partner lists changes (created, edited, shown or hidden, copied, photos),
`stock.changed` when only the count on the shelf moves, `product.deleted` when the owner deletes it. Events
are keyed `product:<id>`, so each product's events reach a partner in the order they happened. Bulk loads
(synthetic data, imports) bypass the services and announce nothing; partners pick those up by `updated_at`.
"""

import re

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from naikkelas.catalog import search
from naikkelas.catalog.models import Product, ProductPhoto, ShopProfile
from naikkelas.catalog.photos import process_photo
from naikkelas.catalog.storefront import DAY_CODES
from naikkelas.core import outbox
from naikkelas.core.audit import audit_record
from naikkelas.registry.models import Business
from naikkelas.registry.services import field_changes

PRICE_MAX = 1_000_000_000  # a billion rupiah: past anything a UMKM lists, a typo guard for extra zeros
STOCK_MAX = 1_000_000_000  # far inside the stock column
WEIGHT_MAX = 1_000_000  # grams: one tonne
NAME_MIN = 2
DESCRIPTION_MAX = Product._meta.get_field("description").max_length
PHOTOS_MAX = 5
COPY_SUFFIX = " (salinan)"
PRODUCT_FIELDS = ("name", "description", "price", "stock", "made_to_order", "unit", "weight_grams", "category")
SHOP_FIELDS = ("tagline", "opening_hours", "latitude", "longitude", "accepting_orders")
_TIME = re.compile(r"([01]\d|2[0-3]):[0-5]\d")


# -- checks ------------------------------------------------------------------------------------------------

def _merge(errors: dict, error: ValidationError) -> None:
    for field, messages in error.message_dict.items():
        errors.setdefault(field, []).extend(messages)


def _whole(value, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def product_errors(product: Product) -> dict:
    """The rules the model alone does not state (it only knows lengths and the database's stock ≥ 0)."""
    errors = {}
    if len(product.name) < NAME_MIN:
        errors["name"] = [_("Nama produk paling sedikit %(n)s huruf.") % {"n": NAME_MIN}]
    if not _whole(product.price, 1, PRICE_MAX):
        errors["price"] = [_("Harga harus lebih dari Rp 0 dan paling banyak Rp 1.000.000.000.")]
    if not _whole(product.stock, 0, STOCK_MAX):
        errors["stock"] = [_("Stok harus bilangan bulat 0 atau lebih.")]
    if product.weight_grams is not None and not _whole(product.weight_grams, 1, WEIGHT_MAX):
        errors["weight_grams"] = [_("Berat harus antara 1 dan 1.000.000 gram, atau dikosongkan.")]
    # A TextField's max_length only reaches forms; the model itself would take any length.
    if len(product.description or "") > DESCRIPTION_MAX:
        errors["description"] = [_("Keterangan paling banyak %(n)s huruf.") % {"n": DESCRIPTION_MAX}]
    return errors


def _check_product(product: Product) -> None:
    product.name = " ".join((product.name or "").split())
    product.unit = (product.unit or "").strip()
    product.category = " ".join((product.category or "").split())
    product.description = (product.description or "").strip()
    errors = product_errors(product)
    try:
        # The rules above already judged these; full_clean would only add Django's generic words for them.
        product.full_clean(exclude=[*errors, "business"], validate_constraints=False)
    except ValidationError as error:
        _merge(errors, error)
    if errors:
        raise ValidationError(errors)


def _check_hours(hours) -> list[dict]:
    """ShopProfile.opening_hours as stored: schema.org day codes and "HH:MM" times; a span that ends before it
    starts runs past midnight (a night market)."""
    error = ValidationError({"opening_hours": [_("Jam buka tidak valid. Tulis jam seperti 08:00.")]})
    if not isinstance(hours, list):
        raise error
    cleaned = []
    for entry in hours:
        if not isinstance(entry, dict):
            raise error
        days, opens, closes = entry.get("days"), entry.get("opens"), entry.get("closes")
        if not (isinstance(days, list) and days and set(days) <= set(DAY_CODES)):
            raise error
        if not all(isinstance(time, str) and _TIME.fullmatch(time) for time in (opens, closes)):
            raise error
        if opens == closes:
            raise ValidationError({"opening_hours": [_("Jam buka dan jam tutup tidak boleh sama.")]})
        cleaned.append({"days": sorted(set(days), key=DAY_CODES.index), "opens": opens, "closes": closes})
    return cleaned


def _check_location(shop: ShopProfile) -> None:
    """Both coordinates or neither, each on the globe."""
    latitude, longitude = shop.latitude, shop.longitude
    if (latitude is None) != (longitude is None):
        raise ValidationError({"latitude": [_("Isi garis lintang dan garis bujur, atau kosongkan keduanya.")]})
    if latitude is not None and not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise ValidationError({"latitude": [_("Lokasi di luar peta. Periksa garis lintang dan garis bujur.")]})


# -- what partners hear ------------------------------------------------------------------------------------

def _key(product_id: int) -> str:
    return f"product:{product_id}"


def partner_fields(product: Product) -> dict:
    """The product as partners see it in `product.updated` (the API's own product document has more)."""
    return {
        "id": product.pk,
        "business_id": product.business_id,
        "name": product.name,
        "price": product.price,
        "stock": product.stock,
        "made_to_order": product.made_to_order,
        "is_active": product.is_active,
        "updated_at": product.updated_at.isoformat(),
    }


def _announce_updated(product: Product) -> None:
    outbox.emit(
        topic="product.updated", key=_key(product.pk), business_id=product.business_id, payload=partner_fields(product)
    )


def stock_announce(*, product_id: int, business_id: int, stock: int, made_to_order: bool, at=None) -> None:
    """`stock.changed` for partners, in the caller's transaction; orders.services announces its stock moves
    through here too, so every such event has the same shape."""
    outbox.emit(
        topic="stock.changed",
        key=_key(product_id),
        business_id=business_id,
        payload={
            "id": product_id,
            "business_id": business_id,
            "stock": None if made_to_order else stock,
            "made_to_order": made_to_order,
            "at": (at or timezone.now()).isoformat(),
        },
    )


def _refuse_deleted(product: Product) -> None:
    """A deleted product stays only for the orders that name it: nothing may bring it back or change it.

    Read from the row, locked for the rest of the transaction, not from the caller's copy: a page opened
    before the product was deleted in another tab would otherwise save it back to life."""
    deleted_at = Product.objects.select_for_update().filter(pk=product.pk).values_list("deleted_at", flat=True).first()
    if deleted_at is not None or product.deleted_at is not None:
        raise ValidationError({NON_FIELD_ERRORS: [_("Produk ini sudah dihapus.")]})


def _touch(product: Product) -> None:
    """Mark the product changed when only something beside its row changed (its photos), so partners that
    sync by `updated_at` fetch it again."""
    product.updated_at = timezone.now()
    Product.objects.filter(pk=product.pk).update(updated_at=product.updated_at)


# -- products ----------------------------------------------------------------------------------------------

def _snapshot(product: Product) -> dict:
    return {name: getattr(product, name) for name in (*PRODUCT_FIELDS, "is_active")}


def _save_changes(*, actor, product: Product, before: dict, action: str) -> Product:
    changes = field_changes(before, _snapshot(product))
    if changes:
        product.save()
        audit_record(actor=actor, action=action, obj=product, changes=changes)
        search.index_products([product.pk])
        if set(changes) <= {"stock"}:
            stock_announce(
                product_id=product.pk, business_id=product.business_id, stock=product.stock,
                made_to_order=product.made_to_order,
            )
        else:
            # Carries the stock too, so a partner that applies both kinds of event keeps the right count.
            _announce_updated(product)
    return product


@transaction.atomic
def shop_open(business: Business) -> ShopProfile:
    """The business's shop profile, made on first use: from then on its storefront is public."""
    shop, created = ShopProfile.objects.get_or_create(business=business)
    if created:
        search.index_business(business.pk)
    return shop


@transaction.atomic
def product_create(*, actor, business: Business, photo=None, **fields) -> Product:
    """A new product (`fields`: PRODUCT_FIELDS, is_active) with an optional first photo. The first product
    opens the shop."""
    product = Product(business=business, **fields)
    _check_product(product)
    shop_open(business)
    product.save()
    audit_record(actor=actor, action="product.create", obj=product, changes={"name": product.name})
    if photo is not None:
        _photo_add(actor=actor, product=product, upload=photo)
    search.index_products([product.pk])
    _announce_updated(product)
    return product


@transaction.atomic
def product_update(*, actor, product: Product, **fields) -> Product:
    """Change any of PRODUCT_FIELDS (and is_active); audited with old and new values."""
    unknown = set(fields) - {*PRODUCT_FIELDS, "is_active"}
    if unknown:
        raise TypeError(f"not product fields: {sorted(unknown)}")
    _refuse_deleted(product)
    before = _snapshot(product)
    for name, value in fields.items():
        setattr(product, name, value)
    try:
        _check_product(product)
    except ValidationError:
        for name, value in before.items():  # the caller's object is left as it was
            setattr(product, name, value)
        raise
    return _save_changes(actor=actor, product=product, before=before, action="product.update")


@transaction.atomic
def product_set_active(*, actor, product: Product, active: bool) -> Product:
    _refuse_deleted(product)
    before = _snapshot(product)
    product.is_active = bool(active)
    return _save_changes(actor=actor, product=product, before=before, action="product.update")


@transaction.atomic
def product_stock_set(*, actor, product: Product, stock: int) -> Product:
    """The quick stock edit: the count on the shelf, as the owner just counted it."""
    if not _whole(stock, 0, STOCK_MAX):
        raise ValidationError({"stock": [_("Stok harus bilangan bulat 0 atau lebih.")]})
    _refuse_deleted(product)
    before = _snapshot(product)
    product.stock = stock
    return _save_changes(actor=actor, product=product, before=before, action="product.stock")


@transaction.atomic
def product_restock(*, product_id: int, quantity: int) -> int:
    """Put `quantity` units back (a cancelled order, a delivery from the supplier); returns the new stock.

    One conditional UPDATE with F(), so it adds to whatever concurrent orders left. Not audited here: the
    caller (an order's cancellation, say) records why."""
    if not _whole(quantity, 1, STOCK_MAX):
        raise ValidationError({"quantity": [_("Jumlah harus bilangan bulat lebih dari 0.")]})
    updated = Product.objects.filter(pk=product_id, stock__lte=STOCK_MAX - quantity).update(
        stock=F("stock") + quantity
    )
    if not updated:
        raise ValidationError({"quantity": [_("Produk tidak ditemukan atau stok menjadi terlalu besar.")]})
    search.index_products([product_id])
    # Read after the UPDATE, which holds the row until commit: the count announced is the one committed.
    stock, business_id, made_to_order, deleted_at = Product.objects.values_list(
        "stock", "business_id", "made_to_order", "deleted_at"
    ).get(pk=product_id)
    if deleted_at is None:  # partners already removed a deleted product; its count is no news to them
        stock_announce(product_id=product_id, business_id=business_id, stock=stock, made_to_order=made_to_order)
    return stock


def _copy_name(name: str) -> str:
    return name[: Product._meta.get_field("name").max_length - len(COPY_SUFFIX)].rstrip() + COPY_SUFFIX


@transaction.atomic
def product_duplicate(*, actor, product: Product) -> Product:
    """A copy named "… (salinan)", with copies of the photos, for a variant (another flavour, another size).

    The copy is hidden until the owner shows it, so an unfinished copy never appears in the shop; and its
    stock starts at 0, because the units on the shelf are the original's and counting them twice would
    oversell."""
    _refuse_deleted(product)
    copy = Product(
        business_id=product.business_id,
        **{**_snapshot(product), "name": _copy_name(product.name), "stock": 0, "is_active": False},
    )
    copy.save()
    for photo in product.photos.all():
        _photo_copy(photo, copy)
    audit_record(actor=actor, action="product.duplicate", obj=copy, changes={"from": product.pk})
    search.index_products([copy.pk])
    _announce_updated(copy)
    return copy


@transaction.atomic
def product_delete(*, actor, product: Product) -> Product:
    """The owner deletes a product: it leaves the owner's list, the shop and search at once, and partners hear
    `product.deleted`. The row stays (orders name it; partners sync its tombstone by `updated_at`), marked
    deleted and hidden; its photos stay with it. Deleting it again changes nothing."""
    now = timezone.now()
    # Conditional, so two deletes at once record and announce one deletion.
    deleted = Product.objects.filter(pk=product.pk, deleted_at__isnull=True).update(
        deleted_at=now, is_active=False, updated_at=now
    )
    product.refresh_from_db(fields=["deleted_at", "is_active", "updated_at"])
    if not deleted:
        return product
    audit_record(actor=actor, action="product.delete", obj=product, changes={"name": product.name})
    search.index_products([product.pk])
    outbox.emit(
        topic="product.deleted",
        key=_key(product.pk),
        business_id=product.business_id,
        payload={"id": product.pk, "business_id": product.business_id, "deleted_at": now.isoformat()},
    )
    return product


# -- photos ------------------------------------------------------------------------------------------------

def _store(photo: ProductPhoto, *, image: bytes, thumb: bytes) -> ProductPhoto:
    photo.image.save("foto.webp", ContentFile(image), save=False)
    photo.thumb.save("foto.webp", ContentFile(thumb), save=False)
    photo.save()
    return photo


def _photo_copy(photo: ProductPhoto, product: Product) -> ProductPhoto:
    """The same photo for another product, in files of its own (deleting one must not break the other)."""
    with photo.image.open("rb") as image, photo.thumb.open("rb") as thumb:
        return _store(
            ProductPhoto(product=product, width=photo.width, height=photo.height, position=photo.position),
            image=image.read(),
            thumb=thumb.read(),
        )


@transaction.atomic
def photo_add(*, actor, product: Product, upload) -> ProductPhoto:
    """Add a photo (an uploaded file, checked and re-encoded by photos.process_photo) after the others; at most
    PHOTOS_MAX per product."""
    _refuse_deleted(product)
    photo = _photo_add(actor=actor, product=product, upload=upload)
    _touch(product)
    _announce_updated(product)
    return photo


def _photo_add(*, actor, product: Product, upload) -> ProductPhoto:
    # The product row is locked so two uploads at once cannot both take the last place.
    Product.objects.select_for_update().filter(pk=product.pk).first()
    taken = product.photos.aggregate(n=Count("pk"), last=Max("position"))
    if taken["n"] >= PHOTOS_MAX:
        raise ValidationError({"photo": [_("Paling banyak %(n)s foto per produk.") % {"n": PHOTOS_MAX}]})
    try:
        processed = process_photo(upload)
    except ValidationError as error:
        raise ValidationError({"photo": error.messages}) from None
    position = 0 if taken["last"] is None else taken["last"] + 1
    photo = _store(
        ProductPhoto(product=product, width=processed.width, height=processed.height, position=position),
        image=processed.large,
        thumb=processed.thumb,
    )
    audit_record(actor=actor, action="product.photo_add", obj=product, changes={"photo": photo.pk})
    search.index_products([product.pk])
    return photo


@transaction.atomic
def photo_delete(*, actor, photo: ProductPhoto) -> None:
    _refuse_deleted(photo.product)
    photo_files_delete_on_commit([photo])
    photo_id = photo.pk
    photo.delete()
    audit_record(actor=actor, action="product.photo_delete", obj=photo.product, changes={"photo": photo_id})
    search.index_products([photo.product_id])
    _touch(photo.product)
    _announce_updated(photo.product)


def photo_files_delete_on_commit(photos) -> None:
    """The photos' stored files go once their rows' removal is committed; a rolled-back delete keeps them."""
    files = [(field.storage, field.name) for photo in photos for field in (photo.image, photo.thumb) if field.name]

    def delete():
        for storage, name in files:
            storage.delete(name)

    transaction.on_commit(delete)


# -- the shop ----------------------------------------------------------------------------------------------

@transaction.atomic
def shop_profile_update(*, actor, business: Business, **fields) -> ShopProfile:
    """Change the shop's SHOP_FIELDS; saving the profile also opens the shop."""
    unknown = set(fields) - set(SHOP_FIELDS)
    if unknown:
        raise TypeError(f"not shop fields: {sorted(unknown)}")
    shop = shop_open(business)
    before = {name: getattr(shop, name) for name in SHOP_FIELDS}
    if "opening_hours" in fields:
        fields["opening_hours"] = _check_hours(fields["opening_hours"])
    for name, value in fields.items():
        setattr(shop, name, value)
    shop.tagline = " ".join((shop.tagline or "").split())
    _check_location(shop)
    shop.full_clean(exclude=["business"])
    changes = field_changes(before, {name: getattr(shop, name) for name in SHOP_FIELDS})
    if changes:
        shop.save()
        audit_record(actor=actor, action="shop.update", obj=business, changes=changes)
        search.index_business(business.pk)
    return shop


# -- erasure at the owner's request (called by the privacy app) ------------------------------------------------

@transaction.atomic
def shop_erase(*, actor, business: Business) -> int:
    """Take the shop off the web for good: its profile goes (so its pages, search entries and partners' view
    of it go too), its photos are deleted with their files, and every product is marked deleted, each
    announced to partners as `product.deleted` like an owner's own deletion. The product rows stay because
    the kept orders name them. Returns the number of products deleted now."""
    photos = list(ProductPhoto.objects.filter(product__business=business))
    photo_files_delete_on_commit(photos)
    ProductPhoto.objects.filter(pk__in=[photo.pk for photo in photos]).delete()
    now = timezone.now()
    live = list(Product.objects.filter(business=business, deleted_at__isnull=True).values_list("pk", flat=True))
    Product.objects.filter(pk__in=live).update(deleted_at=now, is_active=False, updated_at=now, description="")
    for product_id in live:
        outbox.emit(
            topic="product.deleted",
            key=_key(product_id),
            business_id=business.pk,
            payload={"id": product_id, "business_id": business.pk, "deleted_at": now.isoformat()},
        )
    ShopProfile.objects.filter(business=business).delete()
    search.index_business(business.pk)
    audit_record(actor=actor, action="shop.erase", obj=business, changes={"products": len(live), "photos": len(photos)})
    return len(live)
