"""Reads for the owner's own data: everything the platform holds about one owner, table by table, and what
stands in the way of deleting their account.

Each table is read with `.iterator()` when it is written, one row at a time, so an owner with a long cash
book never sits in memory. Only rows reached from the owner's own user and businesses are read: nothing of
another owner can come out.
"""

import datetime as dt
import decimal
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from naikkelas.catalog.models import Product, ProductPhoto, ShopProfile
from naikkelas.core.models import AuditLog
from naikkelas.earlywarning.models import Closure, Intervention, RiskScore
from naikkelas.earlywarning.reasons import peers_place, sentence
from naikkelas.ledger.models import Debt, Entry, StatementShare
from naikkelas.orders.models import Order, OrderLine
from naikkelas.orders.services import UNFINISHED
from naikkelas.partners.models import SalesReport, Share
from naikkelas.payments.models import PaymentSettings
from naikkelas.regions.selectors import region_get
from naikkelas.registry.identity import READ_ACTION
from naikkelas.registry.models import Business, Consent, ReadinessAssessment

CHUNK = 1_000


@dataclass(frozen=True)
class Table:
    """One kind of record: its file name (`<name>.csv`, and its key in data.json), its columns, and its rows
    as tuples in column order."""

    name: str
    columns: tuple[str, ...]
    rows: Callable[[], Iterator[tuple]]


def plain(value):
    """A value as JSON holds it: dates and times in ISO 8601, decimals as text, the rest as they are."""
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def _values(queryset, columns) -> Callable[[], Iterator[tuple]]:
    return lambda: queryset.order_by("pk").values_list(*columns).iterator(chunk_size=CHUNK)


def owner_businesses(user) -> list[int]:
    return list(Business.objects.filter(owner=user).order_by("pk").values_list("pk", flat=True))


BUSINESS_COLUMNS = (
    "id", "name", "slug", "owner_name", "external_ref", "nib", "nik_masked", "phone", "address", "village_id",
    "sector_id", "founded_year", "employees", "capital", "annual_sales", "size_class", "owner_birth_year",
    "channels", "marketplaces", "payment_methods", "has_bank_account", "readiness_level", "source", "created_at",
    "updated_at",
)
ORDER_COLUMNS = (
    "id", "business_id", "number", "status", "buyer_name", "buyer_phone", "buyer_address", "buyer_village_id",
    "delivery", "payment_method", "note", "channel", "external_ref", "subtotal", "unique_code", "total",
    "created_at", "confirmed_at", "paid_at", "paid_via", "shipped_at", "completed_at", "cancelled_at",
    "refunded_at",
)
PRODUCT_COLUMNS = (
    "id", "business_id", "name", "description", "price", "stock", "made_to_order", "unit",
    "weight_grams", "category", "is_active", "deleted_at", "created_at", "updated_at",
)
LINE_COLUMNS = ("order_id", "product_id", "name", "unit", "unit_price", "quantity", "line_total")
PAYMENT_COLUMNS = (
    "business_id", "qris_payload", "qris_merchant_name", "qris_nmid", "cod_enabled", "bank_name",
    "bank_account_number", "bank_account_holder", "updated_at",
)
ENTRY_COLUMNS = (
    "id", "business_id", "date", "direction", "amount", "category", "method", "note", "party",
    "source", "created_at",
)
DEBT_COLUMNS = (
    "id", "business_id", "kind", "party", "phone", "amount", "paid", "date", "due_date", "note",
    "created_at",
)
LINK_COLUMNS = ("business_id", "start", "end", "expires_at", "created_at", "revoked_at")
SALES_FIELDS = ("business_id", "partner__name", "date", "orders", "units", "gross_amount", "updated_at")
SALES_COLUMNS = ("business_id", "partner", *SALES_FIELDS[2:])
HELP_COLUMNS = (
    "business_id", "kind", "status", "scheduled_on", "done_on", "notes", "follow_up_on",
    "follow_up_notes", "created_at",
)
CLOSURE_COLUMNS = ("business_id", "closed_on", "source", "recorded_at")
CONSENT_COLUMNS = ("business_id", "purpose", "version", "granted", "at")
READINESS_COLUMNS = ("business_id", "level", "answers", "at")
SHOP_COLUMNS = ("business_id", "tagline", "opening_hours", "latitude", "longitude", "accepting_orders", "updated_at")
PHOTO_COLUMNS = ("id", "product_id", "image_url", "thumb_url", "width", "height", "position", "created_at")
SHARE_COLUMNS = ("business_id", "partner", "state", "invited_at", "granted_at", "withdrawn_at", "changed_at")
SCORE_COLUMNS = ("business_id", "as_of", "method", "tier", "probability", "reasons")
ACCOUNT_COLUMNS = ("id", "phone", "name", "role", "date_joined")
NIK_READ_COLUMNS = ("business_id", "at", "reason")


def _photos(business_ids, photo_url) -> Callable[[], Iterator[tuple]]:
    def rows():
        photos = ProductPhoto.objects.filter(product__business_id__in=business_ids).order_by("pk")
        for photo in photos.iterator(chunk_size=CHUNK):
            yield (
                photo.pk, photo.product_id, photo_url(photo.image), photo_url(photo.thumb), photo.width,
                photo.height, photo.position, photo.created_at,
            )

    return rows


def _scores(business_ids) -> Callable[[], Iterator[tuple]]:
    """Scores with their reasons in the words the owner's risk page uses."""

    def rows():
        scores = RiskScore.objects.filter(business_id__in=business_ids).select_related("business").order_by("pk")
        for score in scores.iterator(chunk_size=CHUNK):
            peers = peers_place(region_get((score.business.village_id or "")[:5]))
            words = [sentence(reason, peers=peers) for reason in score.reasons]
            yield (score.business_id, score.as_of, score.method, score.tier, score.probability, words)

    return rows


def _shares(business_ids) -> Callable[[], Iterator[tuple]]:
    def rows():
        shares = Share.objects.filter(business_id__in=business_ids).select_related("partner").order_by("pk")
        for share in shares.iterator(chunk_size=CHUNK):
            yield (
                share.business_id, share.partner.name, share.state, share.invited_at, share.granted_at,
                share.withdrawn_at, share.changed_at,
            )

    return rows


def _nik_reads(business_ids) -> Callable[[], Iterator[tuple]]:
    """When and why an admin read a business's full NIK (registry.identity), as the owner's page shows it."""

    def rows():
        reads = AuditLog.objects.filter(
            action=READ_ACTION, object_type=Business._meta.label_lower, object_id__in=[str(pk) for pk in business_ids]
        ).order_by("pk")
        for read in reads.iterator(chunk_size=CHUNK):
            yield (int(read.object_id), read.at, read.reason)

    return rows


def owner_tables(user, *, photo_url: Callable) -> list[Table]:
    """Everything held about `user` (an owner), as tables. `photo_url(field)` gives a stored photo's address.

    Left out on purpose: secrets (statement links' tokens, partners' keys), and what names other staff (the
    officer assigned to help). The NIK is only ever the masked form: the platform shows it to nobody in
    clear, its holder included, since a download can be left on a shared phone."""
    ids = owner_businesses(user)

    def mine(model, field: str = "business_id"):
        return model.objects.filter(**{f"{field}__in": ids})

    def account():
        yield (user.pk, user.phone, user.name, user.role, user.date_joined)

    return [
        Table("akun", ACCOUNT_COLUMNS, account),
        Table("usaha", BUSINESS_COLUMNS, _values(mine(Business, "pk"), BUSINESS_COLUMNS)),
        Table("pembacaan_nik", NIK_READ_COLUMNS, _nik_reads(ids)),
        Table("persetujuan", CONSENT_COLUMNS, _values(mine(Consent), CONSENT_COLUMNS)),
        Table("kesiapan_digital", READINESS_COLUMNS, _values(mine(ReadinessAssessment), READINESS_COLUMNS)),
        Table("profil_toko", SHOP_COLUMNS, _values(mine(ShopProfile), SHOP_COLUMNS)),
        Table("produk", PRODUCT_COLUMNS, _values(mine(Product), PRODUCT_COLUMNS)),
        Table("foto_produk", PHOTO_COLUMNS, _photos(ids, photo_url)),
        Table("pesanan", ORDER_COLUMNS, _values(mine(Order), ORDER_COLUMNS)),
        Table("baris_pesanan", LINE_COLUMNS, _values(mine(OrderLine, "order__business_id"), LINE_COLUMNS)),
        Table("pengaturan_pembayaran", PAYMENT_COLUMNS, _values(mine(PaymentSettings), PAYMENT_COLUMNS)),
        Table("buku_kas", ENTRY_COLUMNS, _values(mine(Entry), ENTRY_COLUMNS)),
        Table("utang_piutang", DEBT_COLUMNS, _values(mine(Debt), DEBT_COLUMNS)),
        Table("tautan_laporan_keuangan", LINK_COLUMNS, _values(mine(StatementShare), LINK_COLUMNS)),
        Table("berbagi_mitra", SHARE_COLUMNS, _shares(ids)),
        Table("laporan_penjualan_mitra", SALES_COLUMNS, _values(mine(SalesReport), SALES_FIELDS)),
        Table("skor_risiko", SCORE_COLUMNS, _scores(ids)),
        Table("bantuan_petugas", HELP_COLUMNS, _values(mine(Intervention), HELP_COLUMNS)),
        Table("penutupan_usaha", CLOSURE_COLUMNS, _values(mine(Closure), CLOSURE_COLUMNS)),
    ]


def unfinished_orders(user) -> list[Order]:
    """Orders of the owner's shops that still owe the buyer something: they block deleting the account."""
    return list(
        Order.objects.filter(business__owner=user, status__in=UNFINISHED)
        .select_related("business")
        .order_by("business_id", "number")
    )


def owner_business_names(user) -> list[str]:
    return list(Business.objects.filter(owner=user).order_by("pk").values_list("name", flat=True))
