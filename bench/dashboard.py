"""Benchmark: the dashboard's nightly indicator refresh and its pages, 1,000,000 businesses on PostgreSQL.

    .venv/bin/python bench/dashboard.py                            # build nk_bench_dashboard (1M), then measure
    .venv/bin/python bench/dashboard.py --reuse                    # measure again on the data built before
    .venv/bin/python bench/dashboard.py --businesses 20000 --drop  # a quick check in its own database, dropped after
    .venv/bin/python bench/dashboard.py --reuse --skip-refresh     # pages only (needs a finished refresh)
    .venv/bin/python bench/dashboard.py --reuse --profile --duckdb-memory-limit 8GB   # as recorded in BENCHMARKS

1. **Data** (outside every clock, in a child process so its memory is not counted): a fresh PostgreSQL database
   (--database-url; by default `nk_bench_dashboard`, or `nk_bench_dashboard_<N>` for another size, dropped and
   created with dropdb/createdb), `migrate`, `load_regions`, then rows generated with numpy and loaded with COPY
   (core.bulk.bulk_insert_columns):
   - N businesses over every village of 36 regencies (the first four of nine provinces in the three time
     zones), a real KBLI kelompok each (3% none), size class, readiness level, bank account, owner's birth year;
     30% registered in the month before the 24 counted months (an initial import), the rest spread evenly over
     the 24 months up to --as-of;
   - 0.3 N readiness assessments (some businesses assessed more than once) after the business registered;
   - about 2.1 N orders for 15% of the businesses, from registration to --as-of; 20% through a partner
     (`partner:bench-mitra`), 8% cancelled and 2% refunded;
   - 0.2 N partner sales reports (one Partner), a tenth of them with no sale;
   - a cash-book snapshot in Parquet for --cash-books businesses (default N / 10, drawn from the initial
     import) × 730 days, as `naikkelas snapshot` lays it out (bench/engine.py's generator), money received
     digitally (`digital_in`) on about half the open days of 35% of them;
   - risk scores (method baseline, tiers aman/waspada/rawan/kritis) for those businesses on the last day of
     each of the 24 months (--as-of for the last one);
   - 0.005 N pieces of help given (status done, done_on in the 24 months, the risk before), and closures for
     0.5% of the scored businesses;
   then `VACUUM (ANALYZE)`. `prepared.json` beside the snapshot says what was built, so --reuse can use it again.
2. **Baseline**, same run: PostgreSQL's bare `SELECT left(village_id, 8), sector_id, count(*) FROM
   registry_business GROUP BY 1, 2`, plus DuckDB's bare `SELECT business_id, count(*), max(date) FROM
   read_parquet(<the snapshot's daily files>) GROUP BY business_id`; their sum is what the refresh is set against.
3. **Refresh**, --runs times: `dashboard.refresh.refresh(as_of=--as-of, directory=<the snapshot>)` itself,
   unchanged. It first calls `write_snapshot(directory)`, which brings the snapshot up to date with the cash
   books in the database: here the ledger is empty and the folder has no manifest, so it writes no month, removes
   none (it removes only months its manifest lists) and only rewrites `businesses.parquet` (empty) and an
   empty manifest; the bench checks the daily files are untouched after every run. The phases are timed by
   wrapping the module's own functions from outside (the module is not edited): write_snapshot, each
   database read, DuckDB's cash-book pass, DuckDB's business-month table (`SQL`), the roll-up (`ROLLUP`) and,
   as the rest, the transaction that writes the cells. Every run but the first on a new database also
   deletes the previous run's cells, as every nightly run does.
4. **Pages**: --requests requests through django.test.Client (in this process, no HTTP server) as an admin
   (force_login), over a mix of `/dasbor/`, a province, a regency and a district, a sixth of them with
   `?sektor=<kategori>`, after --warmup requests that are not counted; baseline `/healthz`, one request after
   each page's, so both see the same machine. p50 / p95 / max and queries per page. If `/dasbor/` does not resolve yet, the pages are skipped.
5. **Memory**: the peak resident set (VmHWM, reset before each phase through /proc/self/clear_refs) of this
   process, DuckDB included; PostgreSQL's own processes are not counted. The refresh opens DuckDB with its
   defaults (a memory limit of 80% of the machine's memory); --duckdb-memory-limit passes another limit to that
   connection (and nothing else), for a machine shared with other work: DuckDB then spills to disk instead.
6. **Profile** (--profile): one more refresh with DuckDB's JSON profiler on (each statement's CPU time, peak
   buffer memory, bytes spilled, and the costliest operators), a cProfile of the database reads, and a
   cProfile of ten requests of the nation's page and of a regency's.

Goals: the refresh under 2 minutes on 2 cores at 1,000,000 businesses; dashboard page p95 ≤ 300 ms.
Results: JSON on stdout, progress on stderr; docs/BENCHMARKS.md, "Dashboard (indicator refresh and pages)".
"""

import argparse
import datetime as dt
import json
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

SEED = 1
DEFAULT_N = 1_000_000
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/"
# Nine provinces over the three time zones (WIB, WITA, WIT); the first four regencies of each.
PROVINCES = ("11", "32", "33", "35", "51", "64", "73", "81", "91")
REGENCIES_PER_PROVINCE = 4
MONTHS = 24
DAYS = 730
CHUNK = 200_000  # rows sent per COPY
BOOK_CHUNK = 20_000  # cash books generated at a time
# kategori → share of businesses (the rest of the letters share what is left); 3% have no sector at all
KATEGORI_WEIGHTS = {"G": 0.38, "I": 0.18, "C": 0.17, "S": 0.07, "A": 0.05, "H": 0.03, "M": 0.02, "N": 0.02,
                    "P": 0.015, "Q": 0.01, "R": 0.01, "J": 0.01, "F": 0.01}
NO_SECTOR = 0.03
TIERS = ("aman", "waspada", "rawan", "kritis")
TIER_SHARES = (0.70, 0.18, 0.08, 0.04)
TIER_PROBABILITY = ((0.01, 0.10), (0.10, 0.25), (0.25, 0.50), (0.50, 0.95))
PAGE_GOAL_MS = 300
REFRESH_GOAL_S = 120


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S', time.gmtime())} UTC] {message}", file=sys.stderr, flush=True)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--businesses", type=int, default=DEFAULT_N)
    parser.add_argument("--cash-books", type=int, default=None, help="default: businesses / 10")
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=dt.date(2026, 11, 29))
    parser.add_argument("--database-url", default="", help=f"default: {DEFAULT_URL}nk_bench_dashboard[_N]")
    parser.add_argument("--data-dir", type=Path, default=None, help="default: var/bench/dashboard-<N>")
    parser.add_argument("--reuse", action="store_true", help="use the data an earlier run built for the same figures")
    parser.add_argument("--drop", action="store_true", help="drop the database and the data folder at the end")
    parser.add_argument("--runs", type=int, default=2, help="refresh runs")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--skip-refresh", action="store_true")
    parser.add_argument("--skip-pages", action="store_true")
    parser.add_argument("--profile", action="store_true",
                        help="one more refresh with DuckDB's profiler on: the costliest operators")
    parser.add_argument("--duckdb-memory-limit", default="",
                        help="give the refresh's DuckDB connection this memory_limit (default: DuckDB's own, 80%% of RAM)")
    parser.add_argument("--build-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.cash_books = min(args.cash_books or args.businesses // 10, int(args.businesses * 0.3))
    if not args.database_url:
        name = "nk_bench_dashboard" if args.businesses == DEFAULT_N else f"nk_bench_dashboard_{args.businesses}"
        args.database_url = DEFAULT_URL + name
    args.data_dir = (args.data_dir or ROOT / "var" / "bench" / f"dashboard-{args.businesses}").resolve()
    args.snapshot = args.data_dir / "snapshot"
    return args


def database_name(url: str) -> str:
    return urllib.parse.urlsplit(url).path.lstrip("/")


def wanted(args) -> dict:
    return {"businesses": args.businesses, "cash_books": args.cash_books, "as_of": args.as_of.isoformat(),
            "seed": SEED, "database": database_name(args.database_url)}


def django_setup(args) -> None:
    os.environ.update({"DATABASE_URL": args.database_url, "NAIKKELAS_VAR": str(args.data_dir), "DEBUG": "0",
                       "SNAPSHOT_DIR": str(args.snapshot), "DJANGO_SETTINGS_MODULE": "naikkelas.settings"})
    os.environ.pop("NAIKKELAS_ENV", None)
    import django

    django.setup()


# -- memory ------------------------------------------------------------------------------------------------


def _status(key: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(key + ":"):
                return int(line.split()[1]) // 1024  # MiB
    return 0


OVERALL_PEAK = [0]  # the highest VmHWM seen before a reset (resetting VmHWM also resets ru_maxrss)


def reset_peak() -> None:
    OVERALL_PEAK[0] = max(OVERALL_PEAK[0], peak_mb())
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")  # resets VmHWM to the current resident set
    except OSError:
        pass


def peak_mb() -> int:
    return _status("VmHWM")


def rss_mb() -> int:
    return _status("VmRSS")


# -- data --------------------------------------------------------------------------------------------------


class Null:
    """A numpy column with a mask of the rows that are NULL."""

    def __init__(self, values, mask):
        self.values, self.mask = values, mask

    def __len__(self):
        return len(self.values)


def _timestamps(seconds: np.ndarray) -> np.ndarray:
    """UTC timestamps as PostgreSQL reads them, from seconds since the epoch."""
    return np.char.add(np.datetime_as_string(seconds.astype("datetime64[s]"), unit="s"), "+00:00")


def _dates(days: np.ndarray) -> np.ndarray:
    return np.datetime_as_string(days.astype("datetime64[D]"), unit="D")


def copy(model, columns: dict, label: str) -> int:
    """COPY the numpy columns (or Same / Null) into `model`'s table, CHUNK rows at a time, in one transaction."""
    from django.db import transaction

    from naikkelas.core.bulk import Same, bulk_insert_columns

    names = list(columns)
    total = next(len(c) for c in columns.values() if not isinstance(c, Same))
    started = time.perf_counter()
    with transaction.atomic():
        for start in range(0, total, CHUNK):
            part = []
            for column in columns.values():
                if isinstance(column, Same):
                    part.append(column)
                elif isinstance(column, Null):
                    values = column.values[start:start + CHUNK].tolist()
                    part.append([None if m else v for v, m in zip(values, column.mask[start:start + CHUNK].tolist())])
                else:
                    part.append(column[start:start + CHUNK].tolist())
            bulk_insert_columns(model, names, part)
    log(f"  {label}: {total:,} rows in {time.perf_counter() - started:.1f} s")
    return total


def pick_villages():
    from naikkelas.regions.models import Region

    regencies = []
    for province in PROVINCES:
        codes = list(Region.objects.filter(level=2, parent_id=province).order_by("code").values_list("code", flat=True))
        regencies += codes[:REGENCIES_PER_PROVINCE]
    villages = []
    for regency in regencies:
        villages += Region.objects.filter(level=4, code__startswith=regency + ".").values_list("code", flat=True)
    return regencies, np.array(sorted(villages))


def pick_sectors(rng, n: int) -> Null:
    from naikkelas.regions.models import Sector

    by_kategori: dict[str, list[str]] = {}
    for code, kategori in Sector.objects.filter(level=Sector.Level.KELOMPOK).values_list("code", "kategori"):
        by_kategori.setdefault(kategori, []).append(code)
    letters = sorted(by_kategori)
    rest = [k for k in letters if k not in KATEGORI_WEIGHTS]
    left = 1 - sum(KATEGORI_WEIGHTS.values())
    weights = np.array([KATEGORI_WEIGHTS.get(k, left / len(rest)) for k in letters])
    kategori = rng.choice(len(letters), n, p=weights / weights.sum())
    codes = np.empty(n, dtype=object)
    for i, letter in enumerate(letters):
        where = np.nonzero(kategori == i)[0]
        codes[where] = np.array(by_kategori[letter], dtype=object)[rng.integers(0, len(by_kategori[letter]), len(where))]
    return Null(codes, rng.random(n) < NO_SECTOR)


def month_ends(as_of: dt.date) -> list[dt.date]:
    """The last day of each of the MONTHS months up to as_of's (as_of itself for its own month)."""
    ends, first = [], as_of.replace(day=1)
    for _ in range(MONTHS):
        ends.append(min((first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1), as_of))
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return ends[::-1]


def write_cash_books(folder: Path, ids: np.ndarray, as_of: dt.date, rng) -> int:
    """bench/engine.py's generator for the given business ids, with money received digitally for some."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from naikkelas.earlywarning.engine.schema import DAILY

    start = as_of - dt.timedelta(days=DAYS - 1)
    dates = np.arange(np.datetime64(start), np.datetime64(as_of) + 1, dtype="datetime64[D]")
    months = dates.astype("datetime64[M]")
    schema = DAILY.to_pyarrow()
    writers = {}
    rows = 0
    t = np.arange(DAYS)
    try:
        for first in range(0, len(ids), BOOK_CHUNK):
            chunk = ids[first:first + BOOK_CHUNK]
            count = len(chunk)
            level = rng.lognormal(12.0, 1.0, count)
            decline = rng.random(count) < 0.1
            decline_from = rng.integers(DAYS - 270, DAYS - 60, count)
            shape = np.where(decline[:, None] & (t[None, :] >= decline_from[:, None]),
                             1 - 0.7 * np.clip((t[None, :] - decline_from[:, None]) / 120, 0, 1), 1.0)
            sales = (level[:, None] * shape * rng.lognormal(0, 0.3, (count, DAYS))).astype(np.int64)
            open_day = rng.random((count, DAYS)) < np.where(shape < 0.6, 0.6, 0.92)
            sales = np.where(open_day, sales, 0)
            cash_out = (sales * rng.uniform(0.5, 0.9, (count, DAYS))).astype(np.int64)
            digital = rng.random(count) < 0.35
            share = rng.uniform(0.1, 0.6, count)
            digital_day = digital[:, None] & open_day & (rng.random((count, DAYS)) < 0.5)
            digital_in = np.where(digital_day, (sales * share[:, None]).astype(np.int64), 0)
            has_row = open_day | (rng.random((count, DAYS)) < 0.05)
            b, d = np.nonzero(has_row)
            rows += len(b)
            batch = pa.table(
                {
                    "business_id": chunk[b], "date": dates[d], "cash_in": sales[b, d], "cash_out": cash_out[b, d],
                    "sales": sales[b, d], "sales_count": (sales[b, d] > 0).astype(np.int32),
                    "channel_sales": np.zeros(len(b), dtype=np.int64),
                    "receivables_change": np.zeros(len(b), dtype=np.int64), "digital_in": digital_in[b, d],
                },
                schema=schema,
            )
            table_months = months[d]
            for month in np.unique(table_months):
                key = str(month)
                if key not in writers:
                    path = folder / "daily" / f"month={key}" / "part.parquet"
                    path.parent.mkdir(parents=True, exist_ok=True)
                    writers[key] = pq.ParquetWriter(path, schema)
                writers[key].write_table(batch.filter(pa.array(table_months == month)))
            log(f"  cash books: {first + count:,} of {len(ids):,} businesses, {rows:,} rows")
    finally:
        for writer in writers.values():
            writer.close()
    return rows


def build(args) -> None:
    """Create the database and the snapshot (run in a child process)."""
    name = database_name(args.database_url)
    log(f"data: dropping and creating database {name}")
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", name], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    if args.data_dir.exists():
        shutil.rmtree(args.data_dir)
    args.snapshot.mkdir(parents=True)
    django_setup(args)
    from django.core.management import call_command
    from django.db import connection

    from naikkelas.core.bulk import Same
    from naikkelas.earlywarning.models import Closure, Intervention, RiskScore
    from naikkelas.orders.models import Order
    from naikkelas.partners.models import Partner, SalesReport
    from naikkelas.registry.models import Business, ReadinessAssessment

    built = time.perf_counter()
    timings = {}
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_regions", verbosity=0)
    timings["migrate_and_regions_s"] = round(time.perf_counter() - started, 1)
    log(f"data: migrate + load_regions {timings['migrate_and_regions_s']} s")

    rng = np.random.default_rng(SEED)
    n, as_of = args.businesses, args.as_of
    regencies, villages = pick_villages()
    log(f"data: {len(villages):,} villages in {len(regencies)} regencies of {len(PROVINCES)} provinces")
    window = as_of.replace(day=1)
    for _ in range(MONTHS - 1):
        window = (window - dt.timedelta(days=1)).replace(day=1)
    epoch = lambda day: int(dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC).timestamp())  # noqa: E731
    # Up to midnight UTC of as_of: registered on or before as_of in every province's time zone (UTC+7 to +9).
    window_start, end = epoch(window), epoch(as_of)
    before = epoch((window - dt.timedelta(days=1)).replace(day=1))

    # Businesses: ids 1..n; 30% an initial import in the month before the window, the rest over the window.
    started = time.perf_counter()
    ids = np.arange(1, n + 1, dtype=np.int64)
    imported = rng.random(n) < 0.3
    created = np.where(imported, rng.integers(before, window_start, n), rng.integers(window_start, end, n))
    created_text = _timestamps(created)
    size = rng.choice(np.array(["micro", "small", "medium", "large", ""]), n, p=[0.85, 0.10, 0.03, 0.005, 0.015])
    birth = rng.integers(1950, 2006, n)
    bank = rng.random(n)
    level = rng.integers(0, 5, n)
    copy(Business, {
        "id": ids, "name": np.char.add("Usaha Bench ", ids.astype(str)), "slug": np.char.add("bench-", ids.astype(str)),
        "owner_name": Same(""), "external_ref": Same(None), "nib": Same(""), "nik_ciphertext": Same(""),
        "nik_hash": Same(""), "nik_masked": Same(""), "phone": Same(""), "address": Same(""),
        "village_id": villages[rng.integers(0, len(villages), n)], "sector_id": pick_sectors(rng, n),
        "founded_year": Same(None), "employees": Same(None), "capital": Same(None), "annual_sales": Same(None),
        "size_class": size, "owner_birth_year": Null(birth, rng.random(n) < 0.05),
        "channels": Same("[]"), "marketplaces": Same("[]"), "payment_methods": Same("[]"),
        "has_bank_account": Null(bank < 0.45, bank > 0.9), "readiness_level": Null(level, rng.random(n) < 0.1),
        "source": Same("synth"), "import_batch_id": Same(None), "owner_id": Same(None),
        "created_at": created_text, "updated_at": created_text,
    }, "businesses")
    with connection.cursor() as cursor:
        cursor.execute("SELECT setval(pg_get_serial_sequence('registry_business', 'id'), %s)", [n])

    # Readiness assessments: 0.3 n, after the business registered.
    count = int(n * 0.3)
    assessed = rng.integers(0, n, count)
    at = created[assessed] + (rng.random(count) * (end - created[assessed])).astype(np.int64)
    copy(ReadinessAssessment, {
        "business_id": ids[assessed], "answers": Same("{}"), "level": rng.integers(0, 5, count),
        "at": _timestamps(at), "by_id": Same(None),
    }, "readiness assessments")

    # Orders: 15% of businesses sell, about 14.5 orders each, from registration to as_of.
    sellers = rng.choice(n, int(n * 0.15), replace=False)
    per_seller = rng.poisson(rng.lognormal(np.log(9), 0.9, len(sellers))) + 1
    business = np.repeat(sellers, per_seller)
    count = len(business)
    placed = created[business] + (rng.random(count) * (end - created[business])).astype(np.int64)
    order = np.lexsort((placed, business))
    business, placed = business[order], placed[order]
    first_of = np.r_[0, np.nonzero(np.diff(business))[0] + 1]
    number = np.arange(count) - np.repeat(first_of, np.diff(np.r_[first_of, count])) + 1
    partner = rng.random(count) < 0.2
    statuses = rng.choice(np.array(["completed", "cancelled", "refunded", "new", "confirmed", "paid", "shipped"]),
                          count, p=[0.80, 0.08, 0.02, 0.025, 0.025, 0.025, 0.025])
    total = np.round(rng.lognormal(11, 0.8, count), -2).astype(np.int64)
    order_ids = np.arange(1, count + 1)
    placed_text = _timestamps(placed)
    copy(Order, {
        "business_id": ids[business], "number": number, "token": np.char.add("bench", order_ids.astype(str)),
        "status": statuses, "buyer_name": Same("Pembeli Bench"), "buyer_phone": Same("+6281200000000"),
        "buyer_address": Same(""), "buyer_village_id": Same(None), "delivery": Same("pickup"),
        "payment_method": Same("qris"), "note": Same(""),
        "channel": np.where(partner, "partner:bench-mitra", ""),
        "external_ref": np.where(partner, np.char.add("ext-", order_ids.astype(str)), ""),
        "subtotal": total, "unique_code": Same(0), "total": total, "stock_returned": Same(False),
        "created_at": placed_text, "updated_at": placed_text, "confirmed_at": Same(None), "paid_at": Same(None),
        "paid_by_id": Same(None), "paid_via": Same(""), "shipped_at": Same(None), "completed_at": Same(None),
        "cancelled_at": Same(None), "refunded_at": Same(None),
    }, f"orders ({len(sellers):,} sellers)")

    # Partner sales reports: 0.2 n, ten days each for 0.02 n businesses, a tenth without a sale.
    mitra = Partner.objects.create(name="Mitra Bench", slug="bench-mitra", feed_token="bench-mitra-feed")
    reporting = rng.choice(n, max(1, int(n * 0.02)), replace=False)
    business = np.repeat(reporting, 10)
    first_day = np.maximum(created[business], window_start - 61 * 86400) // 86400
    day = first_day + (rng.random(len(business)) * (end // 86400 - first_day + 1)).astype(np.int64)
    keys = np.unique(np.stack([business, day], axis=1), axis=0)
    business, day = keys[:, 0], keys[:, 1]
    count = len(business)
    sold = rng.random(count) >= 0.1
    orders = np.where(sold, rng.integers(1, 30, count), 0)
    report_time = _timestamps(day * 86400 + 86400 + 3600)
    copy(SalesReport, {
        "partner_id": Same(mitra.pk), "business_id": ids[business], "date": _dates(day), "orders": orders,
        "units": orders * 2, "gross_amount": orders * np.round(rng.lognormal(11, 0.6, count), -2).astype(np.int64),
        "received_at": report_time, "updated_at": report_time,
    }, "partner sales reports")

    # The cash books: drawn from the initial import, so each has its whole 730 days.
    books = np.sort(rng.choice(np.nonzero(imported)[0], args.cash_books, replace=False))
    started = time.perf_counter()
    rows = write_cash_books(args.snapshot, ids[books], as_of, rng)
    timings["snapshot_s"] = round(time.perf_counter() - started, 1)
    log(f"data: snapshot {rows:,} rows in {timings['snapshot_s']} s")

    # Risk scores on the last day of each month for the businesses with a cash book.
    scoring_days = month_ends(as_of)
    started = time.perf_counter()
    from django.db import transaction

    with transaction.atomic():
        for day in scoring_days:
            tier = rng.choice(len(TIERS), len(books), p=TIER_SHARES)
            low, high = np.array(TIER_PROBABILITY).T
            probability = low[tier] + rng.random(len(books)) * (high[tier] - low[tier])
            copy(RiskScore, {
                "business_id": ids[books], "as_of": Same(day), "method": Same("baseline"), "model_id": Same(None),
                "probability": probability.round(4).astype(str), "tier": np.array(TIERS)[tier], "reasons": Same("[]"),
                "created_at": Same(dt.datetime.combine(day + dt.timedelta(days=1), dt.time(1), tzinfo=dt.UTC)),
            }, f"risk scores {day}")
    log(f"data: risk scores in {time.perf_counter() - started:.1f} s")

    # Help given: 0.005 n, to scored businesses, over the window; the risk before from the previous month's score.
    count = max(10, int(n * 0.005))
    helped = books[rng.integers(0, len(books), count)]
    first_day, last_day = epoch(window) // 86400 + 1, epoch(as_of) // 86400
    done = rng.integers(first_day, last_day + 1, count)
    done_dates = done.astype("datetime64[D]")
    scored_on = (done_dates.astype("datetime64[M]")).astype("datetime64[D]") - 1  # the last day of the month before
    has_score = scored_on >= np.datetime64(scoring_days[0])
    tier = rng.choice(len(TIERS), count, p=(0.1, 0.3, 0.35, 0.25))
    low, high = np.array(TIER_PROBABILITY).T
    followed = rng.random(count) < 0.6
    copy(Intervention, {
        "business_id": ids[helped], "kind": rng.choice(np.array(["market", "training", "financing", "debts"]), count),
        "status": Same("done"), "assigned_to_id": Same(None), "scheduled_on": _dates(done),
        "done_on": _dates(done), "notes": Same("Pendampingan (bench)"),
        "follow_up_on": Null(_dates(np.minimum(done + 30, last_day)), ~followed), "follow_up_notes": Same(""),
        "scored_on": Null(_dates(scored_on), ~has_score), "tier_before": np.where(has_score, np.array(TIERS)[tier], ""),
        "risk_before": Null((low[tier] + rng.random(count) * (high[tier] - low[tier])).round(4).astype(str), ~has_score),
        "method_before": np.where(has_score, "baseline", ""), "created_by_id": Same(None),
        "created_at": _timestamps(done * 86400 - 7 * 86400),
    }, "help given")

    # Closures: 0.5% of the scored businesses, a third of them among those helped.
    closing = np.unique(np.r_[rng.choice(books, int(len(books) * 0.0033), replace=False),
                              rng.choice(helped, max(1, int(len(books) * 0.0017)), replace=False)])
    closed = rng.integers(first_day, last_day + 1, len(closing))
    copy(Closure, {
        "business_id": ids[closing], "closed_on": _dates(closed), "source": Same("synth"),
        "recorded_by_id": Same(None), "recorded_at": _timestamps(closed * 86400 + 86400),
    }, "closures")

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    timings["vacuum_s"] = round(time.perf_counter() - started, 1)
    log(f"data: VACUUM (ANALYZE) {timings['vacuum_s']} s")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        size = cursor.fetchone()[0]
    counts = {
        "businesses": Business.objects.count(), "assessments": ReadinessAssessment.objects.count(),
        "orders": Order.objects.count(), "sales_reports": SalesReport.objects.count(),
        "snapshot_rows": rows, "cash_books": len(books), "risk_scores": RiskScore.objects.count(),
        "interventions": Intervention.objects.count(), "closures": Closure.objects.count(),
        "villages": len(villages), "regencies": regencies,
    }
    timings["total_s"] = round(time.perf_counter() - built, 1)
    prepared = {"wanted": wanted(args), "built_at": time.strftime("%Y-%m-%d %H:%M"), "counts": counts,
                "seconds": timings, "database_mb": round(size / 2**20),
                "snapshot_mb": round(sum(f.stat().st_size for f in args.snapshot.rglob("*.parquet")) / 2**20),
                "build_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}
    (args.data_dir / "prepared.json").write_text(json.dumps(prepared, indent=2))
    log(f"data: built in {timings['total_s']} s: {json.dumps(counts)}")


def prepare(args) -> dict:
    marker = args.data_dir / "prepared.json"
    if args.reuse and marker.exists():
        prepared = json.loads(marker.read_text())
        if prepared["wanted"] == wanted(args):
            log(f"data: reusing {database_name(args.database_url)} and {args.snapshot} (built {prepared['built_at']})")
            return prepared
        log("data: the prepared data was built for other figures; building again")
    command = [sys.executable, __file__, *sys.argv[1:], "--build-only"]
    subprocess.run(command, check=True, stdout=sys.stderr)  # stdout carries only the results
    return json.loads(marker.read_text())


# -- the refresh ---------------------------------------------------------------------------------------------


def daily_files(snapshot: Path) -> dict:
    return {str(p): (p.stat().st_size, p.stat().st_mtime_ns) for p in sorted(snapshot.glob("daily/month=*/part.parquet"))}


def baseline(args) -> dict:
    import duckdb
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT left(village_id, 8), sector_id, count(*) FROM registry_business GROUP BY 1, 2")
        groups = len(cursor.fetchall())
    postgres_s = time.perf_counter() - started
    files = sorted(str(p) for p in args.snapshot.glob("daily/month=*/part.parquet"))
    con = duckdb.connect()
    started = time.perf_counter()
    books = len(con.execute("SELECT business_id, count(*), max(date) FROM read_parquet(?) GROUP BY business_id",
                            [files]).fetchall())
    duckdb_s = time.perf_counter() - started
    con.close()
    log(f"baseline: PostgreSQL group-by {postgres_s:.2f} s ({groups:,} groups), "
        f"DuckDB group-by {duckdb_s:.2f} s ({books:,} businesses)")
    return {"postgres_s": round(postgres_s, 2), "duckdb_s": round(duckdb_s, 2),
            "total_s": round(postgres_s + duckdb_s, 2), "postgres_groups": groups, "duckdb_groups": books}


PHASES = {
    "write_snapshot": "write_snapshot (no-op here: empty ledger)",
    "_businesses": "read: businesses",
    "_assessments": "read: readiness assessments",
    "_zones": "read: provinces' time zones",
    "_orders": "read: orders",
    "_sales_reports": "read: partner sales reports",
    "_scores": "read: risk scores",
    "_help": "read: help given and outcomes",
    "_cash_book": "DuckDB: cash book from the snapshot",
}


class _Relation:
    def __init__(self, relation, connection):
        self._relation, self._connection = relation, connection

    def to_arrow_table(self, *args, **kwargs):
        started = time.perf_counter()
        table = self._relation.to_arrow_table(*args, **kwargs)
        self._connection.done("DuckDB: roll-up (ROLLUP)", time.perf_counter() - started)
        return table

    def __getattr__(self, name):
        return getattr(self._relation, name)


class _Connection:
    """DuckDB's connection as compute() uses it, timing the business-month table and the roll-up; with a
    profile folder, each statement's profile (DuckDB writes the last one to one file) is kept under a name."""

    def __init__(self, con, module, record, profile_dir=None):
        self._con, self._module, self._record, self._profile_dir = con, module, record, profile_dir
        self.profiles = []
        if profile_dir:
            con.execute("PRAGMA enable_profiling = 'json'")
            con.execute(f"PRAGMA profiling_output = '{profile_dir / 'last.json'}'")

    def done(self, label, seconds):
        if label:
            self._record(label, seconds)
        if self._profile_dir and (self._profile_dir / "last.json").exists():
            kept = self._profile_dir / f"{len(self.profiles):02d}-{(label or 'other').split(' (')[0].replace(':', '').replace(' ', '-')}.json"
            os.replace(self._profile_dir / "last.json", kept)
            self.profiles.append(kept)

    def execute(self, query, *args, **kwargs):
        started = time.perf_counter()
        result = self._con.execute(query, *args, **kwargs)
        label = "DuckDB: business-months and finest cells (SQL)" if query is self._module.SQL else None
        if label is None and isinstance(query, str) and "CREATE TABLE book" in query:
            label = None  # timed as a whole by the wrapped _cash_book; its profile kept as 'other'
        self.done(label, time.perf_counter() - started)
        return result

    def sql(self, query, *args, **kwargs):
        relation = self._con.sql(query, *args, **kwargs)
        return _Relation(relation, self) if query is self._module.ROLLUP else relation

    def __getattr__(self, name):
        return getattr(self._con, name)


class Instrumented:
    """Times the refresh module's own functions by wrapping them from outside, for the length of a `with`."""

    def __init__(self, profile_dir: Path | None = None, memory_limit: str = ""):
        import naikkelas.dashboard.refresh as module

        self.module, self.profile_dir, self.phases, self.rows = module, profile_dir, {}, {}
        self.config = {"memory_limit": memory_limit} if memory_limit else {}

    def record(self, name, seconds):
        self.phases[name] = self.phases.get(name, 0.0) + seconds

    def _wrap(self, name, label):
        original = getattr(self.module, name)

        def timed(*args, **kwargs):
            started = time.perf_counter()
            result = original(*args, **kwargs)
            self.record(label, time.perf_counter() - started)
            if hasattr(result, "num_rows"):
                self.rows[label] = result.num_rows
            return result

        return original, timed

    def __enter__(self):
        import duckdb

        self.saved = {}
        for name, label in PHASES.items():
            self.saved[name], timed = self._wrap(name, label)
            setattr(self.module, name, timed)
        self.saved["compute"], timed = self._wrap("compute", "compute")
        setattr(self.module, "compute", timed)

        def connect(*args, **kwargs):
            if self.config:
                kwargs["config"] = {**kwargs.get("config", {}), **self.config}
            connection = _Connection(duckdb.connect(*args, **kwargs), self.module, self.record, self.profile_dir)
            self.connections.append(connection)
            return connection

        self.connections = []

        self.saved["duckdb"] = self.module.duckdb
        self.module.duckdb = type("DuckDB", (), {"connect": staticmethod(connect)})
        return self

    def __exit__(self, *exc):
        for name, original in self.saved.items():
            setattr(self.module, name, original)


def refresh_once(args, profile_dir: Path | None = None) -> dict:
    from naikkelas.dashboard.models import Cell

    before = daily_files(args.snapshot)
    reset_peak()
    with Instrumented(profile_dir, args.duckdb_memory_limit) as probe:
        started = time.perf_counter()
        run = probe.module.refresh(as_of=args.as_of, directory=args.snapshot)
        total = time.perf_counter() - started
    peak = peak_mb()
    if daily_files(args.snapshot) != before:
        sys.exit("the refresh changed the snapshot's daily files: the figures would not be of the synthetic cash book")
    phases = dict(probe.phases)
    compute = phases.pop("compute")
    reads = sum(v for k, v in phases.items() if k.startswith("read:"))
    duck = sum(v for k, v in phases.items() if k.startswith("DuckDB:"))
    phases["compute: the rest (Arrow registration, months)"] = compute - reads - duck
    phases["write cells (transaction: insert, delete older)"] = total - compute - phases[PHASES["write_snapshot"]]
    result = {
        "seconds": round(total, 2), "refresh_seconds_recorded": run.seconds, "cells": run.cells,
        "cells_in_db": Cell.objects.filter(refresh_id=run.pk).count(),
        "phases_s": {k: round(v, 2) for k, v in phases.items()},
        "rows_read": probe.rows, "peak_rss_mb": peak,
        "profiles": [str(p) for c in probe.connections for p in c.profiles],
        "read_db_s": round(reads, 2), "duckdb_s": round(duck, 2),
    }
    return result


def check_cells(args, prepared: dict) -> dict:
    """A few figures of the nation's latest month against the generated data."""
    from naikkelas.dashboard.models import Cell, Refresh

    refresh = Refresh.objects.filter(finished_at__isnull=False).order_by("-pk").first()
    cells = Cell.objects.filter(refresh=refresh, region="", sector="")
    latest = cells.order_by("-month").first()
    counts = prepared["counts"]
    found = {
        "months": cells.count(), "registered": latest.registered,
        "risk_scored": latest.risk_aman + latest.risk_waspada + latest.risk_rawan + latest.risk_kritis,
        "active": latest.active, "digital": latest.digital, "online": latest.online,
        "by_level": {level: Cell.objects.filter(refresh=refresh, level=level, sector="", month=latest.month).count()
                     for level in range(4)},
        "help_given_total": sum(cells.values_list("help_given", flat=True)),
    }
    found["ok"] = (found["months"] == MONTHS and found["registered"] == counts["businesses"]
                   and found["risk_scored"] == counts["cash_books"])
    log(f"cells: {json.dumps(found)}")
    return found


def duckdb_profile(paths: list[str]) -> dict:
    """From DuckDB's JSON profiles of the refresh's statements: each statement's CPU time and peak buffer
    memory, and the costliest operators, each named with the CTE (of refresh.SQL) it belongs to."""
    operators, statements = [], []
    keys = ("Join Type", "Conditions", "Groups", "Aggregates", "Function", "Filters")

    def walk(node, statement, cte):
        extra = node.get("extra_info") or {}
        detail = "; ".join(f"{k}={v}" for k, v in extra.items() if k in keys)
        operators.append({"statement": statement, "cte": cte, "operator": node.get("name", ""),
                          "seconds": round(node.get("timing", 0) or 0, 3), "rows": node.get("intermediate_rows"),
                          "detail": detail[:160]})
        children = node.get("children", [])
        for index, child in enumerate(children):
            inner = extra.get("CTE Name") if node.get("name") == "CTE" and index == 0 else cte
            walk(child, statement, inner)

    for path in paths:
        try:
            data = json.loads(Path(path).read_text())
        except (OSError, ValueError):
            continue
        statement = Path(path).stem
        query, system = data.get("query", {}), data.get("system", {})
        statements.append({"statement": statement, "cpu_s": round(query.get("cpu_time", 0), 2),
                           "peak_buffer_mb": round(system.get("peak_buffer_memory", 0) / 2**20),
                           "allocated_mb": round(system.get("total_memory_allocated", 0) / 2**20),
                           "spilled_mb": round(system.get("total_bytes_spilled", 0) / 2**20),
                           "peak_temp_dir_mb": round(system.get("peak_temp_dir_size", 0) / 2**20)})
        for node in data.get("operator", []):
            walk(node, statement, "")
    operators.sort(key=lambda row: -row["seconds"])
    by_cte: dict[str, float] = {}
    for row in operators:
        key = f"{row['statement']}: {row['cte'] or '(main)'}"
        by_cte[key] = by_cte.get(key, 0.0) + row["seconds"]
    return {"statements": statements, "operators": operators[:25],
            "by_cte_s": {k: round(v, 2) for k, v in sorted(by_cte.items(), key=lambda kv: -kv[1])}}


def profile_python(args) -> list:
    """cProfile of the database reads the refresh makes (a second pass, outside the timed runs)."""
    import cProfile
    import pstats

    import naikkelas.dashboard.refresh as module

    profiler = cProfile.Profile()
    months = module.months_until(args.as_of, args.as_of - dt.timedelta(days=800))
    since = months[0][0] - dt.timedelta(days=module.WINDOW_DAYS + 31)
    profiler.enable()
    module._businesses()
    module._orders(dt.datetime.combine(since, dt.time(), tzinfo=dt.UTC))
    module._help(months, args.as_of)
    profiler.disable()
    stats = pstats.Stats(profiler)
    rows = sorted(stats.stats.items(), key=lambda item: -item[1][2])[:15]  # by own time
    return [{"function": f"{Path(f).name}:{line} {name}", "calls": calls, "own_s": round(own, 2),
             "cumulative_s": round(cumulative, 2)}
            for (f, line, name), (_, calls, own, cumulative, _) in rows]


# -- pages -------------------------------------------------------------------------------------------------


def page_targets(rng: random.Random, prepared: dict) -> dict:
    from naikkelas.dashboard.models import Cell, Refresh
    from naikkelas.regions.models import Sector

    refresh = Refresh.objects.filter(finished_at__isnull=False).order_by("-pk").first()
    regions = {level: sorted(set(Cell.objects.filter(refresh=refresh, level=level, sector="")
                                 .values_list("region", flat=True)))
               for level in (1, 2, 3)}
    letters = list(Sector.objects.filter(level=Sector.Level.KATEGORI).values_list("code", flat=True))
    common = [k for k in KATEGORI_WEIGHTS]
    return {"regions": regions, "letters": letters, "common": common, "first_province": regions[1][0]}


MIX = (  # (kind, share)
    ("nation", 0.20), ("province", 0.25), ("regency", 0.20), ("district", 0.18),
    ("nation ?sektor", 0.05), ("province ?sektor", 0.05), ("regency ?sektor", 0.04), ("district ?sektor", 0.03),
)


def page_path(kind: str, rng: random.Random, targets: dict) -> str:
    level = kind.split()[0]
    regions = targets["regions"]
    if level == "nation":
        path = "/dasbor/"
    elif level == "province":
        path = f"/dasbor/{rng.choice(regions[1])}/"
    elif level == "regency":
        path = f"/dasbor/{rng.choice(regions[2])}/"
    else:
        path = f"/dasbor/{rng.choice(regions[3])}/"
    if "sektor" in kind:
        # mostly common kategori, sometimes a rare one (more of its cells held back)
        letter = rng.choice(targets["common"]) if rng.random() < 0.8 else rng.choice(targets["letters"])
        path += f"?sektor={letter}"
    return path


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(share * len(ordered) + 0.5)) - 1))]


def summary(times_ms: list[float]) -> dict:
    return {"n": len(times_ms), "p50_ms": round(statistics.median(times_ms), 1),
            "p95_ms": round(percentile(times_ms, 0.95), 1), "max_ms": round(max(times_ms), 1),
            "mean_ms": round(statistics.fmean(times_ms), 1)}


def measure_pages(args, prepared: dict) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import Resolver404, resolve

    from naikkelas.accounts.models import User

    try:
        resolve("/dasbor/")
    except Resolver404:
        log("pages: /dasbor/ does not resolve yet; skipped")
        return {"skipped": "/dasbor/ does not resolve"}
    admin, _ = User.objects.get_or_create(phone="+628119990001", defaults={"role": User.Role.ADMIN, "name": "Bench"})
    client = Client()
    client.force_login(admin)
    rng = random.Random(SEED)
    targets = page_targets(rng, prepared)
    kinds = [kind for kind, _ in MIX]
    weights = [share for _, share in MIX]
    plan = [(kind, page_path(kind, rng, targets)) for kind in rng.choices(kinds, weights, k=args.requests)]
    warm = [(kind, page_path(kind, rng, targets)) for kind in rng.choices(kinds, weights, k=args.warmup)]
    errors = []
    reset_peak()

    def get(path):
        started = time.perf_counter()
        response = client.get(path)
        if response.status_code == 200 and getattr(response, "streaming", False):
            b"".join(response.streaming_content)
        else:
            response.content  # noqa: B018
        return (time.perf_counter() - started) * 1000, response.status_code

    for _, path in warm:
        get(path)
    for _ in range(args.warmup):
        get("/healthz")
    times: dict[str, list[float]] = {}
    queries: dict[str, list[int]] = {}
    sql_ms: dict[str, list[float]] = {}
    healthz = []
    for kind, path in plan:
        with CaptureQueriesContext(connection) as captured:
            ms, status = get(path)
        if status != 200:
            errors.append((path, status))
        times.setdefault(kind, []).append(ms)
        queries.setdefault(kind, []).append(len(captured.captured_queries))
        sql_ms.setdefault(kind, []).append(sum(float(q["time"]) for q in captured.captured_queries) * 1000)
        ms, status = get("/healthz")  # interleaved, so both see the same machine
        healthz.append(ms)
    every = [ms for values in times.values() for ms in values]
    result = {
        "requests": len(every), "errors": len(errors), "error_examples": errors[:5],
        "pages": summary(every), "healthz": summary(healthz),
        "by_kind": {kind: {**summary(values), "queries": round(statistics.fmean(queries[kind]), 1),
                           "sql_ms_mean": round(statistics.fmean(sql_ms[kind]), 1)}
                    for kind, values in times.items()},
        "peak_rss_mb": peak_mb(),
        "first_province": targets["first_province"],
    }
    result["p95_vs_healthz"] = round(result["pages"]["p95_ms"] / result["healthz"]["p95_ms"], 1)
    every_sql = [ms for values in sql_ms.values() for ms in values]
    result["sql_share"] = round(sum(every_sql) / sum(every), 2)
    if args.profile:
        result["profile"] = profile_page(client, targets)
    result["goal_met"] = result["pages"]["p95_ms"] <= PAGE_GOAL_MS and not errors
    log(f"pages: {json.dumps(result['pages'])}, healthz {json.dumps(result['healthz'])}, errors {len(errors)}")
    for kind, figures in result["by_kind"].items():
        log(f"  {kind}: {json.dumps(figures)}")
    return result


def profile_page(client, targets) -> dict:
    """cProfile of the nation's page and a regency's, 10 requests each: the functions with most time."""
    import cProfile
    import pstats

    found = {}
    for name, path in (("nation", "/dasbor/"), ("regency", f"/dasbor/{targets['regions'][2][0]}/")):
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(10):
            client.get(path).content  # noqa: B018
        profiler.disable()
        stats = pstats.Stats(profiler).stats
        top = sorted(stats.items(), key=lambda item: -item[1][3])  # cumulative
        wanted = [row for row in top if "naikkelas" in row[0][0] or "template" in row[0][0]][:25]
        found[name] = [{"function": f"{Path(f).parent.name}/{Path(f).name}:{line} {fn}", "calls": calls,
                        "cumulative_ms_per_page": round(cumulative * 100, 1), "own_ms_per_page": round(own * 100, 1)}
                       for (f, line, fn), (_, calls, own, cumulative, _) in wanted]
        for row in found[name][:15]:
            log(f"  page {name}: {row['cumulative_ms_per_page']} ms cumulative, {row['own_ms_per_page']} own "
                f"{row['function']}")
    return found


# -- main --------------------------------------------------------------------------------------------------


def machine() -> dict:
    from django.db import connection

    import duckdb

    with open("/proc/cpuinfo") as info:
        cpu = next((line.split(":", 1)[1].strip() for line in info if line.startswith("model name")), "")
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
            "python": platform.python_version(), "postgresql": postgres, "duckdb": duckdb.__version__,
            "platform": platform.platform()}


def main() -> None:
    args = parse_args()
    if args.build_only:
        build(args)
        return
    prepared = prepare(args)
    django_setup(args)
    import pyarrow  # noqa: F401  imported before any clock

    result = {"command": "bench/dashboard.py " + " ".join(sys.argv[1:]), "machine": machine(),
              "database": database_name(args.database_url), "snapshot": str(args.snapshot),
              "as_of": args.as_of.isoformat(), "data": prepared, "load_average_start": os.getloadavg()}
    log(f"process: {rss_mb()} MB resident after Django's set-up")
    if not args.skip_refresh:
        result["baseline"] = baseline(args)
        runs = []
        for number in range(1, args.runs + 1):
            run = refresh_once(args)
            runs.append(run)
            log(f"refresh {number}: {run['seconds']} s, {run['cells']:,} cells, peak RSS {run['peak_rss_mb']} MB")
            for phase, seconds in run["phases_s"].items():
                log(f"  {phase}: {seconds} s")
        result["refresh"] = runs
        best = min(run["seconds"] for run in runs)
        result["refresh_vs_baseline"] = [round(run["seconds"] / result["baseline"]["total_s"], 1) for run in runs]
        result["refresh_goal_met"] = max(run["seconds"] for run in runs) < REFRESH_GOAL_S
        log(f"refresh: {[run['seconds'] for run in runs]} s (best {best}), "
            f"{result['refresh_vs_baseline']} × the baseline ({result['baseline']['total_s']} s)")
        result["cells_check"] = check_cells(args, prepared)
        if args.profile:
            profile_dir = args.data_dir / "profile"
            profile_dir.mkdir(exist_ok=True)
            run = refresh_once(args, profile_dir)
            result["profile"] = {"refresh_s": run["seconds"], "duckdb_operators": duckdb_profile(run["profiles"]),
                                 "python_reads": profile_python(args)}
            for row in result["profile"]["duckdb_operators"]["statements"]:
                log(f"  duckdb statement {json.dumps(row)}")
            for key, seconds in list(result["profile"]["duckdb_operators"]["by_cte_s"].items())[:12]:
                log(f"  duckdb operator time {seconds} s in {key}")
            for row in result["profile"]["duckdb_operators"]["operators"][:12]:
                log(f"  duckdb {row['seconds']} s {row['operator']} [{row['cte']}] rows={row['rows']} {row['detail'][:100]}")
            for row in result["profile"]["python_reads"][:10]:
                log(f"  python {row['own_s']} s own, {row['calls']} calls {row['function']}")
    if not args.skip_pages:
        result["pages"] = measure_pages(args, prepared)
    result["peak_rss_mb"] = max(OVERALL_PEAK[0], peak_mb())
    result["load_average_end"] = os.getloadavg()
    print(json.dumps(result, indent=2, default=str))
    if args.drop:
        from django.db import connections

        connections.close_all()
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists",
                        database_name(args.database_url)], check=True)
        shutil.rmtree(args.data_dir, ignore_errors=True)
        log(f"dropped {database_name(args.database_url)} and {args.data_dir}")


if __name__ == "__main__":
    main()
