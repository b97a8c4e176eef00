"""Penjualan operations of the partner API: a partner pushes what it sold for each business that shares with
it, per day, and reads back what it pushed (partners/sales.py). See docs/API.md."""

import datetime as dt
from typing import Annotated

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from naikkelas.core.access import MAX_ID
from naikkelas.partners import cursors, sales
from naikkelas.partners.api.base import CURSOR_PATTERN, Problem, bad_cursor, require_write
from naikkelas.partners.api.orders import IsoDate

router = Router(tags=["Penjualan"])

Id = Annotated[int, Field(strict=True, ge=1, le=MAX_ID)]


def _figure(most: int, description: str):
    # Ranges are checked by the service, which names every bad row in Indonesian; the schema documents them.
    return Field(..., strict=True, description=description, json_schema_extra={"minimum": 0, "maximum": most})


class SalesRowIn(Schema):
    business_id: Id
    date: IsoDate = Field(..., description="Hari penjualan (YYYY-MM-DD), yang sudah berjalan di Indonesia.")
    orders: int = _figure(sales.ORDERS_MAX, "Jumlah pesanan hari itu.")
    units: int = _figure(sales.UNITS_MAX, "Jumlah unit terjual (paling sedikit sebanyak pesanan).")
    gross_amount: int = _figure(sales.GROSS_MAX, "Nilai penjualan kotor, rupiah bulat.")


class SalesBatchIn(Schema):
    reports: list[SalesRowIn] = Field(..., min_length=1, max_length=sales.BATCH_MAX)


class SalesReportOut(Schema):
    business_id: int
    date: dt.date
    orders: int
    units: int
    gross_amount: int
    currency: str = "IDR"
    received_at: dt.datetime = Field(..., description="Kapan hari ini pertama kali dilaporkan.")
    updated_at: dt.datetime = Field(..., description="Kapan angkanya terakhir diganti.")


class SalesBatchOut(Schema):
    reports: list[SalesReportOut]


class SalesPageOut(Schema):
    items: list[SalesReportOut]
    next_cursor: str | None


@router.post(
    "/sales-reports",
    response=SalesBatchOut,
    summary="Laporkan penjualan per usaha per hari",
    operation_id="sales_report_push",
    description=(
        "1–1000 baris {business_id, date, orders, units, gross_amount}. Mengirim ulang hari yang sama untuk usaha "
        "yang sama mengganti angkanya, jadi pengiriman ulang aman (tanpa Idempotency-Key). Semua atau tidak sama "
        "sekali: satu baris salah menolak seluruh kiriman dengan 422, dan `errors` menyebut setiap baris yang "
        "salah (usaha yang tidak berbagi dengan Anda, tanggal yang belum tiba, angka negatif atau mustahil)."
    ),
)
def sales_report_push(request: HttpRequest, body: SalesBatchIn):
    require_write(request)
    rows = [
        sales.SalesRow(
            business_id=row.business_id, date=row.date, orders=row.orders, units=row.units, gross_amount=row.gross_amount
        )
        for row in body.reports
    ]
    try:
        stored = sales.sales_report_record(partner=request.partner, rows=rows)
    except sales.SalesReportError as error:
        errors = [
            {"loc": ["body", "reports"] + ([] if p.index is None else [p.index, p.field]), "msg": p.message}
            for p in error.problems
        ]
        bad_rows = len({p.index for p in error.problems})
        raise Problem(
            422,
            _("Laporan penjualan ditolak"),
            _("%(n)s baris salah; tidak ada yang disimpan. Perbaiki semuanya lalu kirim ulang.") % {"n": bad_rows},
            errors=errors,
        ) from None
    return {"reports": stored}


@router.get(
    "/sales-reports",
    response=SalesPageOut,
    summary="Laporan penjualan yang sudah Anda kirim",
    operation_id="sales_report_list",
    description="Menurut tanggal lalu usaha; hanya usaha yang masih berbagi dengan Anda. date_from dan date_to ikut.",
)
def sales_report_list(
    request: HttpRequest,
    business_id: int | None = Query(None, ge=1, le=MAX_ID),
    date_from: IsoDate | None = Query(None),
    date_to: IsoDate | None = Query(None),
    cursor: str | None = Query(None, max_length=500, pattern=CURSOR_PATTERN),
    limit: int = Query(sales.PAGE_DEFAULT, ge=1, le=sales.PAGE_MAX),
):
    try:
        page = sales.partner_sales_page(
            request.partner, business_id=business_id, date_from=date_from, date_to=date_to, cursor=cursor, limit=limit
        )
    except cursors.BadCursor:
        raise bad_cursor() from None
    return {"items": page.items, "next_cursor": page.next_cursor}
