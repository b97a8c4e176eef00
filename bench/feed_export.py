"""Benchmark: the full product feed of 1,000,000 products streamed, and an incremental sync of 1,000 changed
products out of 1,000,000 through the partner API.

    NAIKKELAS_VAR=var/bench/storefront-sqlite-1000000 .venv/bin/naikkelas migrate     # once, if not done
    .venv/bin/python bench/feed_export.py
    .venv/bin/python bench/feed_export.py --feeds google.xml,meta.csv,produk.csv,produk.json --sync-runs 5

It uses the database that bench/storefront.py builds (--data-dir, by default
var/bench/storefront-sqlite-1000000: DI Yogyakarta, 500,000 businesses, 110,393 public shops, 1,000,000
products). Everything it writes happens inside one transaction that is rolled back at the end, so the shared
database is left as it was found:

1. **Setup** (outside every clock): a partner whose shares cover every public shop (one INSERT … SELECT), and
   a photo row for every product that has none (Google and Meta list only products with an image; the
   stored data has 500 photos), so that the feeds write an item for every product.
2. **Baseline**: a bare SQL scan of the same rows (the product columns the feed writes, joined to the
   business for slug and name, active and not deleted, by id) through the database cursor, fetchmany in
   batches: what reading the rows costs by itself. Each feed's time is also given as a ratio to it.
3. **Feeds**: each feed of --feeds is requested from /feed/mitra/<token>/<name> through Django's test client
   in this process (no HTTP server: the figure is the application's own cost) and its streamed body read to
   the end and counted. At 100,000 and 500,000 rows read and at the last row (959,810: the products shown
   of the 1,000,000), the process's resident memory is recorded: VmRSS, its anonymous part (RssAnon: the
   process's own heap; the rest is the database file mapped by SQLite's mmap, which the kernel may drop at
   will), and the peak since the feed began (VmHWM, reset before each feed through /proc/self/clear_refs).
   A flat line means memory does not grow with the catalogue. Beside it, the cost of the conditional GET:
   the time of a request answered 304 (the validators only).
4. **Incremental sync**: 1,000 random products are stamped as changed a minute ago; then GET
   /api/v1/products?updated_since=<two minutes ago>&limit=500 is requested page by page (next_cursor) until the
   last page, --sync-runs times; the time of each whole sync (every page, from the first request to the last
   response) is reported, with a bare SQL read of the same 1,000 rows as the baseline.

Goals (docs/BENCHMARKS.md): full feed under 60 s with memory flat as the catalogue grows; incremental sync
of 1,000 changed products under 200 ms.
"""

import argparse
import os
import platform
import random
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MILESTONES = (100_000, 500_000, 1_000_000)
SYNC_CHANGED = 1_000
SYNC_PAGE = 500
SEED = 1


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", type=Path, default=ROOT / "var" / "bench" / "storefront-sqlite-1000000")
    parser.add_argument("--feeds", default="google.xml,meta.csv")
    parser.add_argument("--sync-runs", type=int, default=5)
    return parser.parse_args()


def django_setup(data_dir: Path) -> None:
    if not (data_dir / "naikkelas.sqlite3").exists():
        sys.exit(f"no database in {data_dir}: build it with bench/storefront.py --build-only")
    os.environ["NAIKKELAS_VAR"] = str(data_dir)
    os.environ["DEBUG"] = "0"  # with DEBUG on, Django keeps every query it ran: memory would grow
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "naikkelas.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# -- memory --------------------------------------------------------------------------------------------------


def _status(field: str) -> int:
    """A /proc/self/status figure in MiB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) // 1024
    return -1


def reset_peak() -> bool:
    """Start VmHWM (peak resident memory) again from the current size (Linux ≥ 4.0)."""
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
        return True
    except OSError:
        return False


# -- setup (rolled back at the end) --------------------------------------------------------------------------


class Rollback(Exception):
    pass


def setup() -> tuple:
    from django.db import connection
    from django.utils import timezone

    from naikkelas.partners import services
    from naikkelas.partners.models import ApiKey

    started = time.perf_counter()
    partner = services.partner_create(actor=None, name="Pasar Bench")
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO partners_share (business_id, partner_id, state, granted_at, changed_at) "
            "SELECT business_id, %s, 'granted', %s, %s FROM catalog_shopprofile",
            [partner.pk, now, now],
        )
        shares = cursor.rowcount
        cursor.execute(
            "INSERT INTO catalog_productphoto (product_id, image, thumb, width, height, position, created_at) "
            "SELECT p.id, 'produk/' || p.business_id || '/bench-' || p.id || '.webp', "
            "'produk/' || p.business_id || '/bench-' || p.id || '-t.webp', 800, 800, 0, %s "
            "FROM catalog_product p WHERE NOT EXISTS "
            "(SELECT 1 FROM catalog_productphoto f WHERE f.product_id = p.id)",
            [now],
        )
        photos = cursor.rowcount
        cursor.execute("SELECT COUNT(*) FROM catalog_product WHERE is_active AND deleted_at IS NULL")
        shown = cursor.fetchone()[0]
    key = services.api_key_create(actor=None, partner=partner, name="bench", scope=ApiKey.Scope.READ).secret
    print(
        f"setup: partner with {shares:,} shares, {photos:,} photo rows added, {shown:,} products shown, "
        f"{time.perf_counter() - started:.1f} s (rolled back at the end)"
    )
    return partner, key, shown


# -- baseline ------------------------------------------------------------------------------------------------


def baseline_scan() -> tuple[int, float]:
    from django.db import connection

    started = time.perf_counter()
    rows = 0
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.id, p.name, p.description, p.price, p.stock, p.made_to_order, p.unit, p.weight_grams, "
            "p.category, p.updated_at, b.slug, b.name FROM catalog_product p "
            "JOIN registry_business b ON b.id = p.business_id "
            "WHERE p.is_active AND p.deleted_at IS NULL ORDER BY p.id"
        )
        while batch := cursor.fetchmany(10_000):
            rows += len(batch)
    return rows, time.perf_counter() - started


# -- feeds ---------------------------------------------------------------------------------------------------


def stream_feed(client, url: str) -> dict:
    """Fetch one feed to its end; rows read, bytes, seconds, and memory at each milestone."""
    from naikkelas.partners import sync

    counted = {"rows": 0}
    marks: list[tuple[int, int, int, int, float]] = []
    started = time.perf_counter()
    real = sync.feed_chunks

    def mark(rows: int) -> None:
        marks.append((rows, _status("VmRSS"), _status("RssAnon"), _status("VmHWM"), time.perf_counter() - started))

    def counting(**kwargs):
        pending = list(MILESTONES)
        for chunk in real(**kwargs):
            counted["rows"] += len(chunk)
            while pending and counted["rows"] >= pending[0]:
                mark(pending.pop(0))
            yield chunk
        if not marks or marks[-1][0] != counted["rows"]:
            mark(counted["rows"])

    sync.feed_chunks = counting
    try:
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        size = 0
        items = 0
        for part in response.streaming_content:
            size += len(part)
            items += part.count(b"<item>") if url.endswith(".xml") else part.count(b"\n")
    finally:
        sync.feed_chunks = real
    return {
        "rows": counted["rows"], "bytes": size, "items": items, "seconds": time.perf_counter() - started,
        "marks": marks, "etag": response["ETag"],
    }


def conditional(client, url: str, etag: str) -> float:
    started = time.perf_counter()
    response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 304, response.status_code
    return time.perf_counter() - started


# -- incremental sync ----------------------------------------------------------------------------------------


def touch(count: int) -> tuple:
    """Stamp `count` random shown products as changed a minute ago; (how many, a time before that)."""
    from datetime import timedelta

    from django.db import connection
    from django.utils import timezone

    from naikkelas.catalog.models import Product

    with connection.cursor() as cursor:
        cursor.execute("SELECT MIN(id), MAX(id) FROM catalog_product")
        low, high = cursor.fetchone()
    rng = random.Random(SEED)
    shown = Product.objects.filter(is_active=True, deleted_at__isnull=True)
    ids: set[int] = set()
    while len(ids) < count:
        drawn = {rng.randint(low, high) for _ in range(count - len(ids))}
        ids |= set(shown.filter(id__in=drawn).values_list("id", flat=True))
    now = timezone.now()
    changed = Product.objects.filter(id__in=ids).update(updated_at=now - timedelta(minutes=1))
    return changed, now - timedelta(minutes=2)


def sync_once(client, key: str, since) -> tuple[int, int, float]:
    headers = {"Authorization": f"Bearer {key}"}
    params = {"updated_since": since.isoformat(), "limit": SYNC_PAGE}
    started = time.perf_counter()
    items = pages = 0
    cursor = None
    while True:
        response = client.get("/api/v1/products", {**params, **({"cursor": cursor} if cursor else {})}, headers=headers)
        assert response.status_code == 200, response.content[:500]
        body = response.json()
        items += len(body["items"])
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            return items, pages, time.perf_counter() - started


def baseline_sync(since) -> float:
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, business_id, name, description, price, stock, made_to_order, unit, weight_grams, "
            "category, is_active, deleted_at, updated_at FROM catalog_product WHERE updated_at > %s "
            "ORDER BY updated_at, id",
            [since],
        )
        cursor.fetchall()
    return time.perf_counter() - started


# -- report --------------------------------------------------------------------------------------------------


def machine() -> str:
    import sqlite3

    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as info:
            cpu = next(line.split(":", 1)[1].strip() for line in info if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{cpu}, {os.cpu_count()} cores, {memory:.0f} GiB, {platform.machine()}, Python "
        f"{platform.python_version()}, SQLite {sqlite3.sqlite_version}"
    )


def main():
    args = parse_args()
    django_setup(args.data_dir)
    from django.db import transaction
    from django.test import Client
    from django.urls import reverse

    from django.core import signals
    from django.db import close_old_connections

    # Everything runs in one transaction that is rolled back at the end; the end of each request must not
    # close the connection under it (the test runner does the same).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    print(f"machine: {machine()}")
    print(f"database: {args.data_dir}")
    client = Client()
    results = {}
    try:
        with transaction.atomic():
            partner, key, shown = setup()

            rows, seconds = baseline_scan()
            print(f"\nbaseline: bare SQL scan of {rows:,} rows in {seconds:.2f} s ({rows / seconds:,.0f} rows/s)")

            for name in [feed.strip() for feed in args.feeds.split(",") if feed.strip()]:
                url = reverse("partners_feeds:partner_feed", args=[partner.feed_token, name])
                client.head(url)  # the validators' reads warm the caches, as on a running site
                peak_reset = reset_peak()
                start_rss, start_anon = _status("VmRSS"), _status("RssAnon")
                got = stream_feed(client, url)
                not_modified = conditional(client, url, got["etag"])
                results[name] = got
                print(
                    f"\nfeed {name}: {got['rows']:,} rows read, {got['items']:,} items/lines written, "
                    f"{got['bytes'] / 2**20:,.0f} MiB in {got['seconds']:.1f} s = {got['rows'] / got['seconds']:,.0f} rows/s "
                    f"({got['seconds'] / seconds:.1f}× the bare scan); 304 answer in {not_modified * 1000:.0f} ms"
                )
                print(
                    f"  memory at the start: VmRSS {start_rss} MiB, of which anonymous (the process's own heap) "
                    f"{start_anon} MiB" + ("" if peak_reset else " (peak not reset)")
                )
                for rows_read, rss, anon, hwm, at in got["marks"]:
                    print(
                        f"  at {rows_read:>9,} rows: {at:5.1f} s, VmRSS {rss} MiB (anonymous {anon} MiB), "
                        f"peak VmRSS since the feed began {hwm} MiB"
                    )

            changed, since = touch(SYNC_CHANGED)
            print(f"\nincremental sync: {changed:,} products stamped changed; GET /api/v1/products?updated_since=…&limit={SYNC_PAGE}")
            sync_once(client, key, since)  # warm
            runs = []
            for _ in range(args.sync_runs):
                items, pages, took = sync_once(client, key, since)
                runs.append(took)
                assert items == changed, (items, changed)
            base = statistics.median(baseline_sync(since) for _ in range(args.sync_runs))
            print(
                f"  {items:,} items in {pages} pages: median {statistics.median(runs) * 1000:.0f} ms, "
                f"runs {', '.join(f'{run * 1000:.0f}' for run in runs)} ms; bare SQL read of the same rows "
                f"{base * 1000:.1f} ms (ratio {statistics.median(runs) / base:.0f}×)"
            )
            raise Rollback
    except Rollback:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"\nprocess peak resident memory over the whole run: {peak} MiB; database left as found (rolled back)")


if __name__ == "__main__":
    main()
