"""`naikkelas synth --province 34 --businesses 20000 --seed 1`: calibrated synthetic data for one province.

Writes the businesses (registry), then opens shops for some of them with products, placeholder photos and
a history of orders, then gives businesses a cash book of daily entries through a COVID-19-like shock with
each one's true outcome (see naikkelas.synth and docs/DATA.md), then rebuilds the search index:

    --products N             products in all (default: each shop its own drawn number; 0: businesses only)
    --orders-days D          days of order history before now (default 30; 0: none)
    --photos N               placeholder photos for the first N active products (default 24)
    --cash-book-months M     months of cash book up to yesterday (default 24; 0: none)
    --cash-books N           how many of the businesses get one, the first N (default: all)

Running it again with the same province and seed replaces that run's data (same command, same data, apart
from order tokens and times, which follow the clock), so it never collides with itself; other seeds and
provinces are left alone. `--keep-existing` leaves an earlier run in place instead, which is what
`naikkelas demo` uses to start quickly the second time.
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from naikkelas.catalog.models import ShopProfile
from naikkelas.demo.cashbooks import CashBookSummary, write_synthetic_cash_books
from naikkelas.demo.models import SyntheticOutcome
from naikkelas.demo.synthetic import (
    MAX_SEED,
    ShopSummary,
    cyclic_gc_paused,
    date_registrations,
    rebuild_search_index,
    sqlite_bulk_cache,
    synthetic_run,
    write_synthetic_businesses,
    write_synthetic_shops,
)
from naikkelas.synth.cashbook import MIN_MONTHS as MIN_CASH_BOOK_MONTHS

DEFAULT_PHOTOS = 24
DEFAULT_ORDER_DAYS = 30
DEFAULT_CASH_BOOK_MONTHS = 24


class Command(BaseCommand):
    help = _("Buat data sintetis yang terkalibrasi untuk satu provinsi: usaha, toko, produk, pesanan (docs/DATA.md).")

    def add_arguments(self, parser):
        parser.add_argument("--province", required=True, help=_("kode provinsi Kemendagri, mis. 34"))
        parser.add_argument("--businesses", type=int, default=20_000, help=_("jumlah usaha (bawaan 20000)"))
        parser.add_argument("--seed", type=int, default=1, help=_("seed; seed yang sama memberi data yang sama"))
        parser.add_argument(
            "--products",
            type=int,
            default=None,
            help=_("jumlah produk seluruhnya (bawaan: sesuai ukuran tiap toko; 0: tanpa toko)"),
        )
        parser.add_argument(
            "--orders-days",
            type=int,
            default=DEFAULT_ORDER_DAYS,
            help=_("riwayat pesanan berapa hari ke belakang (bawaan 30; 0: tanpa pesanan)"),
        )
        parser.add_argument(
            "--photos",
            type=int,
            default=DEFAULT_PHOTOS,
            help=_("jumlah produk yang diberi foto contoh (bawaan 24)"),
        )
        parser.add_argument(
            "--cash-book-months",
            type=int,
            default=DEFAULT_CASH_BOOK_MONTHS,
            help=_("riwayat buku kas berapa bulan sampai kemarin (bawaan 24; 0: tanpa buku kas)"),
        )
        parser.add_argument(
            "--cash-books",
            type=int,
            default=None,
            help=_("berapa usaha yang diberi buku kas, N usaha pertama (bawaan: semua)"),
        )
        parser.add_argument(
            "--keep-existing",
            action="store_true",
            help=_("jika provinsi dan seed ini sudah punya data sintetis, biarkan dan jangan buat ulang"),
        )

    def handle(
        self, *args, province, businesses, seed, products, orders_days, photos, cash_book_months, cash_books,
        keep_existing, **options,
    ):
        province = province.strip()
        if businesses < 0:
            raise CommandError(_("--businesses harus 0 atau lebih."))
        if not 0 <= seed < MAX_SEED:
            raise CommandError(_("--seed harus bilangan bulat dari 0 sampai %(max)s.") % {"max": MAX_SEED - 1})
        if products is not None and products < 0:
            raise CommandError(_("--products harus 0 atau lebih."))
        if not 0 <= orders_days <= 3650:
            raise CommandError(_("--orders-days harus dari 0 sampai 3650."))
        if photos < 0:
            raise CommandError(_("--photos harus 0 atau lebih."))
        if cash_book_months and not MIN_CASH_BOOK_MONTHS <= cash_book_months <= 120:
            raise CommandError(
                _("--cash-book-months harus 0 atau dari %(min)s sampai 120.") % {"min": MIN_CASH_BOOK_MONTHS}
            )
        if cash_books is not None and cash_books < 0:
            raise CommandError(_("--cash-books harus 0 atau lebih."))
        shop_options = {"products": products, "photos": photos, "orders_days": orders_days}
        book_options = {"months": cash_book_months, "limit": cash_books}
        if keep_existing:
            existing = synthetic_run(province, seed).count()
            if existing:
                self.stdout.write(
                    _("%(n)s usaha sintetis provinsi %(code)s (seed %(seed)s) sudah ada; dipakai lagi.")
                    % {"n": f"{existing:,}", "code": province, "seed": seed}
                )
                has_shops = ShopProfile.objects.filter(business__in=synthetic_run(province, seed)).exists()
                if products != 0 and not has_shops:
                    # Businesses written by an earlier version of this command, before it opened shops.
                    self.write_shops(province, seed, shop_options)
                has_books = SyntheticOutcome.objects.filter(business__in=synthetic_run(province, seed)).exists()
                if cash_book_months and not has_books:
                    # Likewise, before it wrote cash books.
                    with cyclic_gc_paused(), sqlite_bulk_cache(), transaction.atomic():
                        self.report_books(self.write_books(province, seed, book_options))
                return
        started = time.perf_counter()
        with cyclic_gc_paused(), sqlite_bulk_cache(), transaction.atomic():
            written, replaced = write_synthetic_businesses(province_code=province, count=businesses, seed=seed)
            summary = write_synthetic_shops(province_code=province, seed=seed, now=timezone.now(), **shop_options)
            books = self.write_books(province, seed, book_options)
            date_registrations(province, seed, now=timezone.now(), months=max(cash_book_months, 12))
        elapsed = time.perf_counter() - started
        message = _("%(n)s usaha sintetis dibuat untuk provinsi %(code)s (seed %(seed)s) dalam %(s).1f detik") % {
            "n": f"{written:,}",
            "code": province,
            "seed": seed,
            "s": elapsed,
        }
        if replaced:
            message += _("; %(n)s usaha dari proses sebelumnya diganti") % {"n": f"{replaced:,}"}
        self.stdout.write(message + ".")
        self.report_books(books)
        self.report(summary)

    def write_books(self, province: str, seed: int, options: dict) -> CashBookSummary:
        months, limit = options["months"], options["limit"]
        if not months or limit == 0:
            return CashBookSummary()
        run = synthetic_run(province, seed)
        if limit is not None:  # the first `limit` businesses, the way they were generated
            last = run.order_by("pk").values_list("pk", flat=True)[limit - 1 : limit].first()
            run = run.filter(pk__lte=last) if last is not None else run
        return write_synthetic_cash_books(run, seed=seed, months=months, today=timezone.localdate())

    def report_books(self, books: CashBookSummary) -> None:
        if books.businesses:
            self.stdout.write(
                _("Buku kas %(n)s usaha: %(entries)s catatan; %(closed)s usaha tutup dalam riwayatnya.")
                % {"n": f"{books.businesses:,}", "entries": f"{books.entries:,}", "closed": f"{books.closed:,}"}
            )

    def write_shops(self, province: str, seed: int, shop_options: dict) -> None:
        with cyclic_gc_paused(), sqlite_bulk_cache(), transaction.atomic():
            summary = write_synthetic_shops(province_code=province, seed=seed, now=timezone.now(), **shop_options)
        self.report(summary)

    def report(self, summary: ShopSummary) -> None:
        if summary.shops:
            self.stdout.write(
                _("%(shops)s toko, %(products)s produk (%(photos)s dengan foto contoh), %(orders)s pesanan.")
                % {
                    "shops": f"{summary.shops:,}",
                    "products": f"{summary.products:,}",
                    "photos": f"{summary.photos:,}",
                    "orders": f"{summary.orders:,}",
                }
            )
        done, seconds = rebuild_search_index()
        if done:
            self.stdout.write(_("Indeks pencarian dibangun ulang dalam %(s).1f detik.") % {"s": seconds})
        else:
            self.stdout.write(_("Indeks pencarian belum tersedia di versi ini; pencarian produk dilewati."))
