"""`naikkelas synth --province 34 --businesses 20000 --seed 1`: calibrated synthetic businesses in the registry.

Running it again with the same province and seed replaces that run's businesses (same command, same data),
so it never collides with itself; other seeds and provinces are left alone. `--keep-existing` leaves an
earlier run in place instead, which is what `naikkelas demo` uses to start quickly the second time.
"""

import gc
import time
from contextlib import contextmanager
from itertools import islice

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from naikkelas.core.bulk import bulk_insert
from naikkelas.regions.models import Region, Sector
from naikkelas.registry.models import Business, Source
from naikkelas.registry.sizeclass import size_class
from naikkelas.synth.businesses import MAX_SEED, Regency, SynthError, external_ref_prefix, generate_businesses

BATCH = 5_000
DELETE_BATCH = 2_000
# SQLite's default page cache (2 MiB) is far smaller than the dozen indexes of a million-row business
# table, so a long bulk write keeps evicting index pages and writing them to the WAL again. A bigger cache
# for this connection, while it writes, makes 1,000,000 rows about a third faster.
SQLITE_BULK_CACHE_KIB = 256 * 1024


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
    # Through the ORM, so whatever else points at a business (consents, assessments...) goes with it; in
    # slices of known ids, so memory stays bounded and the prefix filter is evaluated once.
    ids = list(synthetic_run(province_code, seed).order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), DELETE_BATCH):
        Business.objects.filter(pk__in=ids[start : start + DELETE_BATCH]).delete()
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
    """Replace the (province, seed) run with `count` fresh businesses. Returns (written, replaced)."""
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


class Command(BaseCommand):
    help = _("Buat usaha sintetis yang terkalibrasi untuk satu provinsi (lihat docs/DATA.md).")

    def add_arguments(self, parser):
        parser.add_argument("--province", required=True, help=_("kode provinsi Kemendagri, mis. 34"))
        parser.add_argument("--businesses", type=int, default=20_000, help=_("jumlah usaha (bawaan 20000)"))
        parser.add_argument("--seed", type=int, default=1, help=_("seed; seed yang sama memberi data yang sama"))
        parser.add_argument(
            "--keep-existing",
            action="store_true",
            help=_("jika provinsi dan seed ini sudah punya data sintetis, biarkan dan jangan buat ulang"),
        )

    def handle(self, *args, province, businesses, seed, keep_existing, **options):
        province = province.strip()
        if businesses < 0:
            raise CommandError(_("--businesses harus 0 atau lebih."))
        if not 0 <= seed < MAX_SEED:
            raise CommandError(_("--seed harus bilangan bulat dari 0 sampai %(max)s.") % {"max": MAX_SEED - 1})
        if keep_existing:
            existing = synthetic_run(province, seed).count()
            if existing:
                self.stdout.write(
                    _("%(n)s usaha sintetis provinsi %(code)s (seed %(seed)s) sudah ada; dipakai lagi.")
                    % {"n": f"{existing:,}", "code": province, "seed": seed}
                )
                return
        started = time.perf_counter()
        written, replaced = write_synthetic_businesses(province_code=province, count=businesses, seed=seed)
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
