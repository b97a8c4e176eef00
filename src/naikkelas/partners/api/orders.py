"""Pesanan operations of the partner API: a partner places its buyers' orders into a shop's order book, reads
them back, and reports what happens on its side (payment taken, cancelled, received). See docs/API.md.

Placing an order needs an `Idempotency-Key` (core/idempotency.py: a retry with the same key and body gets the
first answer again, another body under the same key is refused with 422, a retry while the first is still
running with 409); the partner's own order id (`external_ref`) names one order whatever the key.
"""

import re
from datetime import date, datetime
from typing import Annotated, Literal

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Header, Path, Query, Router, Schema
from pydantic import BeforeValidator

from naikkelas.core import idempotency
from naikkelas.orders.services import OrderError
from naikkelas.core.access import MAX_ID
from naikkelas.partners import cursors, orders
from naikkelas.partners.api.base import CURSOR_PATTERN, Problem, ProblemSchema, bad_cursor, require_write

router = Router(tags=["Pesanan"])

Id = Annotated[int, Field(strict=True, ge=1, le=MAX_ID)]
StatusName = Literal[orders.STATUSES]  # type: ignore[valid-type]
DeliveryName = Literal[orders.DELIVERIES]  # type: ignore[valid-type]
PaymentName = Literal[orders.PAYMENT_METHODS]  # type: ignore[valid-type]
_DATE = r"\d{4}-\d{2}-\d{2}"
_DATE_TIME = re.compile(_DATE + r"[Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?([Zz]|[+-]\d{2}:\d{2})")
_DATE_ONLY = re.compile(_DATE)


def _written_as(pattern: re.Pattern, example: str):
    # Pydantic would also read a number as a time (seconds since 1970); the API takes the ISO 8601 text only.
    def check(value):
        if isinstance(value, str) and pattern.fullmatch(value):
            return value
        raise ValueError(_("Tulis sebagai ISO 8601, mis. %(example)s.") % {"example": example})

    return BeforeValidator(check)


# A time with its zone, e.g. 2026-01-05T03:12:09Z; a day, e.g. 2026-01-05.
IsoDateTime = Annotated[datetime, _written_as(_DATE_TIME, "2026-01-05T03:12:09Z")]
IsoDate = Annotated[date, _written_as(_DATE_ONLY, "2026-01-05")]

# Printable ASCII (space to tilde), as Stripe's keys, not starting or ending with a space (HTTP would trim it).
KEY_PATTERN = r"^[!-~](?:[ -~]*[!-~])?$"


class LineIn(Schema):
    product_id: Id
    quantity: Annotated[int, Field(strict=True, ge=1, le=999)]


class BuyerIn(Schema):
    name: str = Field(..., min_length=2, max_length=120, description="Nama pembeli (2–120 huruf).")
    phone: str = Field(..., min_length=1, max_length=32, description="Nomor HP Indonesia, mis. 0812… atau +62812…")
    address: str = Field("", max_length=255, description="Wajib kecuali `delivery` = pickup.")
    village_code: str | None = Field(None, max_length=20, description="Kode desa/kelurahan Kemendagri, mis. 34.04.07.2001.")


class OrderIn(Schema):
    business_id: Id
    external_ref: str = Field(
        ..., min_length=1, max_length=64, pattern=r"^[!-~]+$",
        description="Nomor pesanan di platform mitra (ASCII tanpa spasi); satu nomor, satu pesanan.",
    )
    lines: list[LineIn] = Field(..., min_length=1, max_length=100)
    buyer: BuyerIn
    delivery: DeliveryName
    payment_method: PaymentName
    note: str = Field("", max_length=500)


class LineOut(Schema):
    product_id: int | None
    name: str
    unit: str
    unit_price: int
    quantity: int
    line_total: int


class BuyerOut(Schema):
    name: str
    phone: str
    address: str
    village_code: str | None


class OrderOut(Schema):
    id: int
    business_id: int
    number: int = Field(..., description="Nomor pesanan di toko (#1, #2, …).")
    external_ref: str
    status: StatusName
    paid: bool
    delivery: DeliveryName
    payment_method: PaymentName
    note: str
    buyer: BuyerOut
    lines: list[LineOut]
    subtotal: int
    unique_code: int = Field(..., description="Kode unik transfer (1–999 rupiah), 0 untuk cara bayar lain.")
    total: int
    currency: Literal["IDR"]
    created_at: datetime
    updated_at: datetime
    confirmed_at: datetime | None
    paid_at: datetime | None
    shipped_at: datetime | None
    completed_at: datetime | None
    cancelled_at: datetime | None
    refunded_at: datetime | None
    actions: list[StatusName] = Field(..., description="Status yang boleh Anda pasang sekarang.")


class OrderPageOut(Schema):
    items: list[OrderOut]
    next_cursor: str | None = Field(..., description="Kirim sebagai `cursor` untuk halaman berikutnya; null di halaman terakhir.")
    next_updated_since: datetime | None = Field(
        ..., description="Di halaman terakhir: kirim sebagai `updated_since` pada sinkronisasi berikutnya."
    )


class StatusIn(Schema):
    status: StatusName


def _api():
    # The API this router is mounted on (its package imports this module, so it is looked up when needed):
    # its handlers turn exceptions into problem documents, which the idempotency key must see as answers.
    from naikkelas.partners.api import api

    return api


def _rendered(request: HttpRequest, order, status: int) -> HttpResponse:
    data = OrderOut.model_validate(orders.order_document(request.partner, order)).model_dump(by_alias=True)
    return _api().create_response(request, data, status=status)


def _place(request: HttpRequest, body: OrderIn) -> HttpResponse:
    """The first answer to a placing request, refusals included (they are kept under the key too)."""
    try:
        order = orders.partner_order_place(
            partner=request.partner,
            business_id=body.business_id,
            external_ref=body.external_ref,
            lines=[(line.product_id, line.quantity) for line in body.lines],
            buyer_name=body.buyer.name,
            buyer_phone=body.buyer.phone,
            buyer_address=body.buyer.address,
            buyer_village_code=body.buyer.village_code,
            delivery=body.delivery,
            payment_method=body.payment_method,
            note=body.note,
        )
    except orders.DuplicateOrder as duplicate:
        location = f"/api/v1/orders/{duplicate.order_id}"
        problem = Problem(
            409,
            _("Pesanan sudah ada"),
            _("external_ref ini sudah dipakai untuk pesanan %(id)s (%(url)s); tidak ada pesanan baru.")
            % {"id": duplicate.order_id, "url": location},
            headers={"Location": location},
            errors=[{"loc": ["body", "external_ref"], "msg": _("Sudah dipakai: %(url)s") % {"url": location}}],
        )
        return _api().on_exception(request, problem)
    except Exception as error:  # noqa: BLE001 - answered by the API's handlers, then kept or not by the key
        return _api().on_exception(request, error)
    return _rendered(request, order, 201)


@router.post(
    "/orders",
    response={201: OrderOut, 409: ProblemSchema},
    summary="Kirim pesanan pembeli ke toko",
    operation_id="order_create",
    description=(
        "Memasukkan pesanan ke buku pesanan toko (status `new`) dan mengambil stoknya, semua atau tidak sama "
        "sekali. 201 dengan pesanannya. Idempotency-Key wajib: kirim ulang dengan kunci dan isi yang sama untuk "
        "mendapat jawaban pertama lagi (header `Idempotent-Replayed: true`); kunci yang sama dengan isi lain "
        "ditolak 422; selagi permintaan pertama masih berjalan, 409. `external_ref` yang sudah dipakai: 409 "
        "yang menunjuk pesanan yang ada. 404 bila usaha tidak berbagi dengan Anda; 422 bila pesanan tidak bisa "
        "dibuat (stok, produk, data pembeli)."
    ),
)
def order_create(
    request: HttpRequest,
    body: OrderIn,
    idempotency_key: str = Header(
        ..., alias="Idempotency-Key", min_length=1, max_length=idempotency.KEY_MAX, pattern=KEY_PATTERN,
        description="Kunci unik per pesanan (1–255 karakter ASCII yang tampak). Kirim ulang dengan kunci yang sama.",
    ),
):
    require_write(request)
    key = idempotency_key.strip()
    if not idempotency.key_is_valid(key):
        raise Problem(422, _("Idempotency-Key tidak sah"), _("Pakai 1–255 karakter ASCII yang tampak."))
    try:
        return idempotency.idempotent_response(
            scope=f"partner:{request.partner.pk}", key=key, request=request, respond=lambda: _place(request, body)
        )
    except idempotency.IdempotencyMismatch:
        raise Problem(
            422,
            _("Idempotency-Key sudah dipakai"),
            _("Kunci ini sudah dipakai untuk permintaan dengan isi lain. Pakai kunci baru untuk pesanan baru."),
        ) from None
    except idempotency.IdempotencyInProgress:
        raise Problem(
            409,
            _("Permintaan dengan kunci ini masih diproses"),
            _("Tunggu sebentar lalu kirim ulang dengan kunci yang sama untuk mendapat jawabannya."),
            headers={"Retry-After": "1"},
        ) from None


@router.get(
    "/orders",
    response=OrderPageOut,
    summary="Pesanan Anda",
    operation_id="order_list",
    description=(
        "Pesanan yang Anda kirim, di usaha yang masih berbagi dengan Anda, dari perubahan terlama. Perubahan "
        "5 detik terakhir baru tampil setelahnya. Ikuti `next_cursor` (dengan filter yang sama) sampai null, "
        "lalu simpan `next_updated_since` untuk sinkronisasi berikutnya."
    ),
)
def order_list(
    request: HttpRequest,
    updated_since: IsoDateTime | None = Query(None, description="ISO 8601 dengan zona waktu; yang berubah sejak itu."),
    cursor: str | None = Query(None, max_length=500, pattern=CURSOR_PATTERN),
    limit: int = Query(orders.PAGE_DEFAULT, ge=1, le=orders.PAGE_MAX),
    business_id: int | None = Query(None, ge=1, le=MAX_ID),
    status: StatusName | None = Query(None),
):
    try:
        page = orders.partner_order_page(
            request.partner, updated_since=updated_since, cursor=cursor, limit=limit, business_id=business_id,
            status=status,
        )
    except cursors.BadCursor:
        raise bad_cursor() from None
    return {
        "items": [orders.order_document(request.partner, order) for order in page.items],
        "next_cursor": page.next_cursor,
        "next_updated_since": page.next_updated_since,
    }


@router.get(
    "/orders/{order_id}",
    response=OrderOut,
    summary="Satu pesanan Anda",
    operation_id="order_get",
    description="404 untuk pesanan yang bukan kiriman Anda atau usahanya tidak lagi berbagi dengan Anda.",
)
def order_get(request: HttpRequest, order_id: int = Path(..., ge=1, le=MAX_ID)):
    return orders.order_document(request.partner, orders.partner_order(request.partner, order_id))


@router.post(
    "/orders/{order_id}/status",
    response={200: OrderOut, 409: ProblemSchema},
    summary="Laporkan perubahan status dari sisi mitra",
    operation_id="order_set_status",
    description=(
        "`paid`: pembayaran diterima lewat platform Anda. `cancelled`: dibatalkan sebelum toko mengirim. "
        "`completed`: pembeli sudah menerima. `refunded`: uang yang Anda terima dikembalikan. Status yang sudah "
        "dimiliki pesanan tidak mengubah apa pun (200). Perubahan lain: 409 dengan alasannya. Langkah toko "
        "(dikonfirmasi, dikirim) sampai kepada Anda sebagai webhook `order.status_changed`."
    ),
)
def order_set_status(request: HttpRequest, body: StatusIn, order_id: int = Path(..., ge=1, le=MAX_ID)):
    require_write(request)
    try:
        order = orders.partner_order_set_status(partner=request.partner, order_id=order_id, status=body.status)
    except OrderError as error:
        if error.code in ("not_allowed", "stale"):
            raise Problem(409, _("Status tidak bisa diubah"), error.messages[0]) from None
        raise
    return orders.order_document(request.partner, order)
