"""Katalog operations of the partner API: the businesses that share with the partner and their products,
listed for incremental sync (partners/sync.py explains the walk, the horizon and the tombstones)."""

from datetime import UTC, datetime
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema
from pydantic import BaseModel

from naikkelas.core.access import MAX_ID
from naikkelas.partners import cursors, sync
from naikkelas.partners.api.base import Problem, bad_cursor
from naikkelas.regions.selectors import region_label

router = Router(tags=["Katalog"])

DEFAULT_LIMIT, MAX_LIMIT = 100, 500
CURRENCY = "IDR"


# -- schemas -------------------------------------------------------------------------------------------------
# Answers are plain pydantic models, validated straight from the dicts the handlers build (ninja's Schema
# would read each field through its ORM-attribute getter: a third of a page's time at 500 products).


class ProductOut(BaseModel):
    """A product the partner may list, as its shop shows it."""

    id: int
    business_id: int
    deleted: Literal[False] = Field(False, description="Selalu false untuk produk yang tampil.")
    name: str
    description: str
    price: int = Field(..., description="Harga dalam rupiah utuh.")
    currency: Literal["IDR"]
    stock: int | None = Field(..., description="Stok; null untuk produk yang dibuat sesuai pesanan.")
    made_to_order: bool
    availability: Literal["in_stock", "out_of_stock"]
    unit: str
    weight_grams: int | None
    category: str
    url: str = Field(..., description="Alamat halaman produk di toko (absolut).")
    image_url: str | None = Field(..., description="Foto pertama (absolut), atau null bila tidak ada foto.")
    updated_at: datetime


class ProductTombstone(BaseModel):
    """A product the partner must remove: deleted by its owner, or hidden from the shop."""

    id: int
    business_id: int
    deleted: Literal[True] = True
    reason: Literal["deleted", "hidden"]
    updated_at: datetime


class ProductPage(BaseModel):
    items: list[ProductOut | ProductTombstone]
    next_cursor: str | None = Field(..., description="Kirim sebagai `cursor` untuk halaman berikutnya; null di halaman terakhir.")
    next_updated_since: datetime = Field(
        ..., description="Simpan setelah halaman terakhir dan kirim sebagai `updated_since` pada sinkronisasi berikutnya."
    )


class BusinessOut(BaseModel):
    """A business that shares its catalogue with the partner and has a public shop."""

    id: int
    deleted: Literal[False] = Field(False, description="Selalu false untuk usaha yang berbagi.")
    name: str
    slug: str
    url: str = Field(..., description="Alamat toko (absolut).")
    sector: str | None = Field(..., description="Kode KBLI 2020.")
    village_code: str = Field(..., description="Kode Kemendagri desa/kelurahan, mis. 34.04.07.2001.")
    district_code: str
    regency_code: str
    province_code: str
    place: str = Field(..., description="Nama tempat: desa, kecamatan, kabupaten/kota, provinsi.")
    shared_since: datetime = Field(..., description="Sejak kapan usaha ini berbagi dengan mitra (terakhir kali).")
    updated_at: datetime


class BusinessTombstone(BaseModel):
    """A business whose owner withdrew consent: drop it and all its products."""

    id: int
    deleted: Literal[True] = True
    reason: Literal["consent_withdrawn"]
    updated_at: datetime


class BusinessPage(BaseModel):
    items: list[BusinessOut | BusinessTombstone]
    next_cursor: str | None = Field(..., description="Kirim sebagai `cursor` untuk halaman berikutnya; null di halaman terakhir.")
    next_updated_since: datetime = Field(
        ..., description="Simpan setelah halaman terakhir dan kirim sebagai `updated_since` pada sinkronisasi berikutnya."
    )


class WalkFilters(Schema):
    # Read by _since, not by pydantic, whose lax mode would also take a bare number for a time.
    updated_since: str | None = Field(
        None,
        max_length=64,
        json_schema_extra={"format": "date-time"},
        description=(
            "Hanya yang berubah sesudah waktu ini (ISO 8601 dengan zona waktu), termasuk tombstone. Pakai "
            "`next_updated_since` dari sinkronisasi sebelumnya. Tanpa ini: tarikan penuh, tanpa tombstone."
        ),
    )
    cursor: str | None = Field(None, max_length=1000, description="`next_cursor` dari halaman sebelumnya.")
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Jumlah per halaman, 1–500.")


class ProductFilters(WalkFilters):
    business_id: int | None = Field(
        None, ge=1, le=MAX_ID, description="Hanya produk usaha ini (tarikan penuh satu usaha yang baru berbagi)."
    )


# -- helpers -------------------------------------------------------------------------------------------------


def _invalid(field: str, message: str) -> Problem:
    return Problem(
        422, _("Isi permintaan tidak sah"), message, errors=[{"loc": ["query", field], "msg": message}]
    )


def _known_params(request, schema: type[Schema] | None = None) -> None:
    """Refuse query parameters the operation does not take: a misspelt `updated_since` would otherwise
    quietly turn an incremental sync into a full pull."""
    known = set(schema.model_fields) if schema else set()
    unknown = sorted(name for name in request.GET if name not in known)
    if unknown:
        raise Problem(
            422,
            _("Isi permintaan tidak sah"),
            _("Parameter tidak dikenal: %(names)s.") % {"names": ", ".join(unknown)},
            errors=[{"loc": ["query", name], "msg": _("Parameter tidak dikenal.")} for name in unknown],
        )


def _since(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise _invalid("updated_since", _("Tulis waktu dalam ISO 8601, mis. 2026-01-31T08:00:00Z.")) from None
    if value.tzinfo is None or value.utcoffset() is None:
        raise _invalid("updated_since", _("Sertakan zona waktu, mis. 2026-01-31T08:00:00Z atau +07:00."))
    try:
        return value.astimezone(UTC)
    except (OverflowError, ValueError):
        raise _invalid("updated_since", _("Waktu di luar rentang yang bisa dipakai.")) from None


def _walk(kind: str, filters: WalkFilters, business_id: int | None = None) -> sync.Walk:
    """The walk the request continues (its cursor) or starts (its filters)."""
    since = _since(filters.updated_since)
    if not filters.cursor:
        return sync.Walk(kind=kind, horizon=sync.horizon(), since=since, business_id=business_id)
    try:
        walk = sync.Walk.from_cursor(filters.cursor, kind=kind)
    except cursors.BadCursor:
        raise bad_cursor() from None
    # The cursor carries the walk's filters; different ones alongside it would ask for another walk.
    if (since is not None and since != walk.since) or (business_id is not None and business_id != walk.business_id):
        raise _invalid("cursor", _("Cursor ini milik permintaan dengan filter lain. Kirim filter yang sama, atau mulai tanpa cursor."))
    return walk


def _product(product: dict, links: sync.Links) -> dict:
    if sync.is_tombstone(product):
        return {
            "id": product["id"],
            "business_id": product["business_id"],
            "deleted": True,
            "reason": "deleted" if product["deleted_at"] is not None else "hidden",
            "updated_at": product["updated_at"],
        }
    made_to_order = product["made_to_order"]
    return {
        "id": product["id"],
        "business_id": product["business_id"],
        "deleted": False,
        "name": product["name"],
        "description": product["description"],
        "price": product["price"],
        "currency": CURRENCY,
        "stock": None if made_to_order else product["stock"],
        "made_to_order": made_to_order,
        "availability": "in_stock" if made_to_order or product["stock"] > 0 else "out_of_stock",
        "unit": product["unit"],
        "weight_grams": product["weight_grams"],
        "category": product["category"],
        "url": links.product(product["business__slug"], product["id"]),
        "image_url": links.photo(product["image"]),
        "updated_at": product["updated_at"],
    }


def _business(share, links: sync.Links) -> dict:
    if share.state != share.State.GRANTED:
        return {"id": share.business_id, "deleted": True, "reason": "consent_withdrawn", "updated_at": share.changed}
    business = share.business
    village = business.village
    district = village.parent
    regency = district.parent
    return {
        "id": business.pk,
        "deleted": False,
        "name": business.name,
        "slug": business.slug,
        "url": links.shop(business.slug),
        "sector": business.sector_id,
        "village_code": village.code,
        "district_code": district.code,
        "regency_code": regency.code,
        "province_code": regency.parent.code,
        "place": region_label(village),
        "shared_since": share.granted_at,
        "updated_at": share.changed,
    }


def _page(page: sync.Page, walk: sync.Walk, items: list) -> dict:
    return {
        "items": items,
        "next_cursor": page.next.cursor() if page.next else None,
        "next_updated_since": walk.horizon,
    }


# -- operations ----------------------------------------------------------------------------------------------


@router.get("/businesses", response=BusinessPage, summary="Usaha yang berbagi dengan mitra")
def business_list(request, filters: Query[WalkFilters]):
    """Businesses that share their catalogue with you and have a public shop, oldest change first. With
    `updated_since`: only what changed since, with a tombstone for each business whose owner withdrew consent
    (drop it and all its products). A business listed with a `shared_since` you have not seen: pull its full
    catalogue with `GET /products?business_id=…` (no `updated_since`)."""
    _known_params(request, WalkFilters)
    walk = _walk(sync.BUSINESSES, filters)
    page = sync.businesses_page(partner=request.partner, walk=walk, limit=filters.limit)
    links = sync.Links(request)
    return _page(page, walk, [_business(share, links) for share in page.items])


@router.get("/businesses/{business_id}", response=BusinessOut, summary="Satu usaha yang berbagi")
def business_detail(request, business_id: int = Path(..., ge=1, le=MAX_ID)):
    """404 when the business does not exist, does not share with you, or has no public shop."""
    _known_params(request)
    share = sync.business_for_partner(partner=request.partner, business_id=business_id)
    return _business(share, sync.Links(request))


@router.get("/products", response=ProductPage, summary="Produk usaha yang berbagi")
def product_list(request, filters: Query[ProductFilters]):
    """Products of the businesses that share with you, oldest change first. With `updated_since`: only what
    changed since, with tombstones for products deleted (`reason: deleted`) or hidden (`reason: hidden`).
    With `business_id`: that business only (404 when it does not share with you)."""
    _known_params(request, ProductFilters)
    business_id = None
    if filters.business_id is not None:
        business_id = sync.visible_business_id(partner=request.partner, business_id=filters.business_id)
    walk = _walk(sync.PRODUCTS, filters, business_id)
    page = sync.products_page(partner=request.partner, walk=walk, limit=filters.limit)
    links = sync.Links(request)
    return _page(page, walk, [_product(product, links) for product in page.items])


@router.get("/products/{product_id}", response=ProductOut, summary="Satu produk")
def product_detail(request, product_id: int = Path(..., ge=1, le=MAX_ID)):
    """404 when the product does not exist, is hidden or deleted, or its business does not share with you."""
    _known_params(request)
    product = sync.product_for_partner(partner=request.partner, product_id=product_id)
    return _product(product, sync.Links(request))
