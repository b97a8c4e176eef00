"""Benchmark: storefront pages and search under 50 concurrent users, DI Yogyakarta loaded at 1,000,000 products.

    .venv/bin/python bench/storefront.py                     # build the data (minutes), then measure
    .venv/bin/python bench/storefront.py --reuse             # reuse the data built by an earlier run
    .venv/bin/python bench/storefront.py --products 100000 --businesses 50000 --duration 15   # a quick run
    .venv/bin/python bench/storefront.py --database-url postgres://postgres@127.0.0.1:5432/nk_bench_storefront

1. **Data** (outside every clock): a database of its own (SQLite in --data-dir, or the PostgreSQL database
   of --database-url) gets `migrate`, `load_regions` and `naikkelas synth --province 34` with enough
   businesses for the shops to list --products products of their own accord (about 9 each), placeholder
   photos for --photos of them and --orders-days of order history; synth rebuilds the search index at the
   end. Each step's time is printed. With --reuse, data already built for the same figures is used again
   (a file `prepared.json` beside the database says what was built).
2. **Server**: the real one, `naikkelas serve` (gunicorn, DEBUG off, WhiteNoise), with --workers workers
   (by default serve's own choice: 2 × cores + 1, 5 on 2 cores), its access log written to a file.
3. **Load**: a small asyncio HTTP/1.1 client in this process (no third-party load tool is installed, and
   a thread per user would spend the cores the server needs). Each of --users users requests, one after
   another, pages of one scenario for --duration seconds, after --warmup seconds that are not counted:
   - `baseline /healthz` (one `SELECT 1`, no template): what the server, the client and the machine
     cost by themselves; the other scenarios are also given as ratios to it;
   - `shop page` /<slug>/ of random shops;
   - `product page` /<slug>/<id>/ of random active products;
   - `search` /cari/ with a mix of realistic queries (incl. "keripik pisang", "batik tulis yogya", typos),
     a fifth of them with a region, sector or price filter, some on page 2.
   Each scenario runs twice: **saturated** (no pause between a user's requests: the server's capacity;
   latency then includes the wait in gunicorn's queue) and **browsing** (each user pauses --think seconds,
   uniformly drawn, between requests, as a person reading a page does; what the latency goal is about).
   Latency is from sending the request (opening the connection when the server closed the last one,
   which gunicorn's sync workers always do) to the last byte of the body. Beside each run: the cores the
   server's processes used (from /proc), its CPU time per request (what a page costs, whatever else the
   shared machine is doing), and the cores this client used.
4. **Page weight**: the HTML of a shop page and a product page and every stylesheet and script they link,
   each compressed with gzip level 6 (what a web server in front would send), images apart.
5. **Profile**: each page type requested in this process through Django's test client with its SQL
   captured: time per page, number of queries, the slowest statements; the rest of the time is Python
   and templates.

Goals (issue 3): search p95 ≤ 50 ms and storefront page p95 ≤ 100 ms at 50 concurrent users on 2 cores;
page weight ≤ 50 KB compressed. Results and method: docs/BENCHMARKS.md.
"""

import argparse
import asyncio
import gzip
import json
import os
import platform
import random
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAIKKELAS = [str(ROOT / ".venv" / "bin" / "naikkelas")]
PROVINCE = "34"
SEED = 1
HOST = "127.0.0.1"
GOALS_MS = {"search": 50, "shop page": 100, "product page": 100}
WEIGHT_GOAL = 50 * 1024

QUERIES = (
    "keripik pisang", "batik tulis yogya", "bakpia", "sambal bawang", "laundry kiloan", "gudeg", "kopi robusta",
    "salak pondoh", "kaos sablon jogja", "kerajinan bambu", "servis hp", "tas anyaman pandan",
    "keripik tempe pedas", "beras rojolele", "sewa mobil", "jamu kunyit asam", "bakso urat", "batik cap parang",
    "gerabah kasongan", "kripik pisang", "batk tulis", "wayang kulit", "nasi kotak", "es kopi susu gula aren",
    "telur ayam kampung", "kemeja batik", "peyek kacang", "bolu pandan", "lele segar", "pulsa", "kue kering nastar",
    "mebel jati", "hijab segi empat", "topeng kayu", "tempe", "sleman", "oleh-oleh jogja", "bantul",
)
REGIONS = ("34.04", "34.71", "34.02", "34.03", "34.01", "34.04.07")
SECTORS = ("C", "I", "G", "10794", "13134")
PRICES = ((None, "25000"), ("10000", "50000"), ("100000", None), (None, "15000"))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--products", type=int, default=1_000_000)
    parser.add_argument("--businesses", type=int, default=None, help="default: products / 2")
    parser.add_argument("--photos", type=int, default=500)
    parser.add_argument("--orders-days", type=int, default=0)
    parser.add_argument("--data-dir", type=Path, default=None, help="default: var/bench/storefront-<products>")
    parser.add_argument("--database-url", default="", help="PostgreSQL instead of SQLite (an empty database)")
    parser.add_argument("--reuse", action="store_true", help="use data an earlier run built for the same figures")
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds measured per scenario and mode")
    parser.add_argument("--warmup", type=float, default=5.0)
    parser.add_argument("--think", default="1,3", help="browsing mode: pause between requests, seconds 'low,high'")
    parser.add_argument("--modes", default="saturated,browsing")
    parser.add_argument("--scenarios", default="baseline,shop,product,search")
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--no-profile", action="store_true")
    return parser.parse_args()


# -- data --------------------------------------------------------------------------------------------------


def environment(args) -> dict:
    env = {**os.environ, "NAIKKELAS_VAR": str(args.data_dir), "DEBUG": "0", "PYTHONUNBUFFERED": "1"}
    env.pop("NAIKKELAS_ENV", None)
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    else:
        env.pop("DATABASE_URL", None)
    return env


def wanted(args) -> dict:
    return {
        "products": args.products,
        "businesses": args.businesses,
        "photos": args.photos,
        "orders_days": args.orders_days,
        "seed": SEED,
        "database": args.database_url.rsplit("@", 1)[-1] if args.database_url else "sqlite",
    }


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database of `url` when it does not exist yet (the server must be running)."""
    import psycopg
    from psycopg import sql

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    try:
        psycopg.connect(url).close()
        return
    except psycopg.OperationalError:
        pass
    with psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    print(f"data: created database {name}")


def build(args, env) -> dict:
    marker = args.data_dir / "prepared.json"
    if args.reuse and marker.exists():
        prepared = json.loads(marker.read_text())
        if prepared["wanted"] == wanted(args):
            print(f"data: reusing {args.data_dir} (built {prepared['built_at']})")
            # The code may have gained migrations since the data was built.
            subprocess.run(NAIKKELAS + ["migrate", "-v0"], env=env, check=True)
            return prepared
        print("data: the prepared data was built for other figures; building again")
    if args.database_url:
        ensure_database(args.database_url)
    elif args.data_dir.exists():
        shutil.rmtree(args.data_dir)
    args.data_dir.mkdir(parents=True, exist_ok=True)
    steps = [
        ("migrate", ["migrate", "-v0"]),
        ("load_regions", ["load_regions", "-v0"]),
        (
            "synth",
            [
                "synth", "--province", PROVINCE, "--seed", str(SEED), "--businesses", str(args.businesses),
                "--products", str(args.products), "--photos", str(args.photos),
                "--orders-days", str(args.orders_days), "--cash-book-months", "0",
            ],
        ),
    ]
    timings = {}
    for name, command in steps:
        started = time.perf_counter()
        result = subprocess.run(NAIKKELAS + command, env=env, capture_output=True, text=True)
        timings[name] = round(time.perf_counter() - started, 1)
        if result.returncode:
            sys.exit(f"{name} failed:\n{result.stdout}\n{result.stderr}")
        print(f"data: {name} {timings[name]} s {result.stdout.strip()}")
    if args.database_url:
        # After a bulk load the first read of each page writes its hint bits: a deployment's autovacuum gets
        # there in time, a freshly built benchmark database would measure that instead of the searches.
        import psycopg

        started = time.perf_counter()
        with psycopg.connect(args.database_url, autocommit=True) as db:
            db.execute("VACUUM (ANALYZE)")
        timings["vacuum"] = round(time.perf_counter() - started, 1)
        print(f"data: vacuum {timings['vacuum']} s")
    prepared = {"wanted": wanted(args), "built_at": time.strftime("%Y-%m-%d %H:%M"), "seconds": timings}
    marker.write_text(json.dumps(prepared, indent=2))
    return prepared


def django_setup(env):
    os.environ.update({key: value for key, value in env.items() if key in ("NAIKKELAS_VAR", "DEBUG", "DATABASE_URL")})
    if "DATABASE_URL" not in env:
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "naikkelas.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def targets(rng: random.Random) -> dict:
    """Paths for each scenario, drawn from the data (seeded)."""
    from django.db import connection
    from django.db.models import Max, Min

    from naikkelas.catalog.models import Product, ShopProfile

    shops = list(ShopProfile.objects.order_by("?").values_list("business__slug", flat=True)[:500])
    bounds = Product.objects.aggregate(low=Min("pk"), high=Max("pk"))
    ids = {rng.randint(bounds["low"], bounds["high"]) for _ in range(3000)}
    products = list(
        Product.objects.filter(pk__in=ids, is_active=True, business__shop__isnull=False).values_list(
            "business__slug", "pk"
        )[:1500]
    )
    searches = []
    for _ in range(800):
        params = {"q": rng.choice(QUERIES)}
        roll = rng.random()
        if roll < 0.08:
            params["wilayah"] = rng.choice(REGIONS)
        elif roll < 0.14:
            params["sektor"] = rng.choice(SECTORS)
        elif roll < 0.2:
            low, high = rng.choice(PRICES)
            params.update({key: value for key, value in (("min", low), ("max", high)) if value})
        if rng.random() < 0.05:
            params["hal"] = "2"
        searches.append("/cari/?" + urllib.parse.urlencode(params))
    connection.close()
    return {
        "baseline": ["/healthz"],
        "shop": [f"/{slug}/" for slug in shops],
        "product": [f"/{slug}/{pk}/" for slug, pk in products],
        "search": searches,
    }


# -- server ------------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def start_server(args, env, port: int) -> subprocess.Popen:
    command = NAIKKELAS + ["serve", "--bind", f"{HOST}:{port}"]
    if args.workers:
        command += ["--workers", str(args.workers)]
    log = open(args.data_dir / "server.log", "w")
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/healthz", timeout=2) as response:
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    sys.exit(f"the server did not answer /healthz; see {args.data_dir / 'server.log'}")


def process_tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) of a process and its children, from /proc (Linux)."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            for task in Path(f"/proc/{current}/task").iterdir():
                children = (task / "children").read_text().split()
                pending.extend(int(child) for child in children)
        except (OSError, IndexError, ValueError):
            continue
    return total


# -- load --------------------------------------------------------------------------------------------------


@dataclass
class Run:
    scenario: str
    mode: str
    seconds: float = 0.0
    latencies: list = field(default_factory=list)  # seconds
    errors: int = 0
    statuses: dict = field(default_factory=dict)
    body_bytes: int = 0
    client_cpu: float = 0.0
    server_cpu: float = 0.0

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] * 1000

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0


async def _read_response(reader) -> tuple[int, int, bool]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    keep = headers.get("connection", "").lower() != "close"
    if "content-length" in headers:
        body = await reader.readexactly(int(headers["content-length"]))
        size = len(body)
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        size = 0
        while True:
            length = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if length == 0:
                await reader.readuntil(b"\r\n")
                break
            size += len(await reader.readexactly(length + 2)) - 2
    else:
        size = len(await reader.read())
        keep = False
    return status, size, keep


async def _user(port, paths, rng, think, warm_until, stop_at, run: Run):
    reader = writer = None
    loop = asyncio.get_running_loop()
    while loop.time() < stop_at:
        path = paths[int(rng.random() * len(paths))]
        request = f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nUser-Agent: nk-bench\r\n\r\n".encode("ascii")
        started = loop.time()
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection(HOST, port)
            writer.write(request)
            status, size, keep = await _read_response(reader)
            if not keep:
                writer.close()
                writer = None
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError, IndexError):
            status, size = 0, 0
            if writer is not None:
                writer.close()
            writer = None
        finished = loop.time()
        if started >= warm_until and finished <= stop_at:
            run.latencies.append(finished - started)
            run.statuses[status] = run.statuses.get(status, 0) + 1
            run.body_bytes += size
            if status != 200:
                run.errors += 1
        if think:
            await asyncio.sleep(rng.uniform(*think))
    if writer is not None:
        writer.close()


async def _drive(port, paths, users, think, warmup, duration, run: Run, seed: int):
    loop = asyncio.get_running_loop()
    start = loop.time()
    warm_until, stop_at = start + warmup, start + warmup + duration
    rngs = [random.Random(seed * 1000 + n) for n in range(users)]
    tasks = []
    for n in range(users):
        # Users arrive over the first second, not in one burst.
        await asyncio.sleep(min(1.0, warmup) / users)
        tasks.append(asyncio.create_task(_user(port, paths, rngs[n], think, warm_until, stop_at, run)))
    await asyncio.gather(*tasks)
    run.seconds = duration


def measure(port, server_pid, scenario, mode, paths, args, think) -> Run:
    run = Run(scenario=scenario, mode=mode)
    client_before = resource.getrusage(resource.RUSAGE_SELF)
    server_before = process_tree_cpu(server_pid)
    asyncio.run(_drive(port, paths, args.users, think, args.warmup, args.duration, run, seed=len(paths)))
    client_after = resource.getrusage(resource.RUSAGE_SELF)
    elapsed = args.warmup + args.duration
    run.client_cpu = (client_after.ru_utime + client_after.ru_stime - client_before.ru_utime
                      - client_before.ru_stime) / elapsed
    run.server_cpu = (process_tree_cpu(server_pid) - server_before) / elapsed
    return run


# -- page weight and profile ---------------------------------------------------------------------------------


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read()


def page_weight(port: int, path: str) -> dict:
    base = f"http://{HOST}:{port}"
    html = fetch(base + path)
    text = html.decode("utf-8", "replace")
    assets = re.findall(r'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"', text)
    assets += re.findall(r'<link[^>]+href="([^"]+)"[^>]+rel="stylesheet"', text)
    assets += re.findall(r'<script[^>]+src="([^"]+)"', text)
    weight = {"html": (len(html), len(gzip.compress(html, 6)))}
    for asset in dict.fromkeys(assets):
        if asset.startswith("http"):
            continue  # none expected: no CDN
        body = fetch(base + asset)
        weight[asset] = (len(body), len(gzip.compress(body, 6)))
    return weight


def profile(paths_by_scenario: dict, rng: random.Random) -> list[dict]:
    """Server time, SQL count and the slowest SQL per page type, in this process (Django test client)."""
    from django.db import connection
    from django.test import Client

    client = Client()
    rows = []
    for scenario, paths in paths_by_scenario.items():
        sample = [rng.choice(paths) for _ in range(30)]
        client.get(sample[0])  # warm caches, as a running worker has them
        totals, sql_times, counts, slowest = [], [], [], {}
        for path in sample:
            queries: list[tuple[str, float]] = []

            def timed(execute, sql, params, many, context):
                started = time.perf_counter()
                try:
                    return execute(sql, params, many, context)
                finally:
                    queries.append((sql, time.perf_counter() - started))

            with connection.execute_wrapper(timed):
                started = time.perf_counter()
                response = client.get(path)
                totals.append(time.perf_counter() - started)
            assert response.status_code == 200, (path, response.status_code)
            counts.append(len(queries))
            sql_times.append(sum(seconds for _, seconds in queries))
            for sql, seconds in queries:
                key = re.sub(r"\s+", " ", sql)[:150]
                slowest[key] = max(slowest.get(key, 0.0), seconds)
        rows.append(
            {
                "scenario": scenario,
                "median_ms": statistics.median(totals) * 1000,
                "p95_ms": sorted(totals)[int(0.95 * (len(totals) - 1))] * 1000,
                "sql_ms": statistics.median(sql_times) * 1000,
                "queries": statistics.median(counts),
                "slowest": sorted(slowest.items(), key=lambda item: -item[1])[:4],
            }
        )
    connection.close()
    return rows


# -- report ------------------------------------------------------------------------------------------------


def report(args, prepared, runs: list[Run], weights: dict, profiles: list[dict], workers: int):
    import django
    from django.db import connection

    engine = "PostgreSQL" if args.database_url else f"SQLite {connection.Database.sqlite_version}"
    print()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"Django {django.get_version()}, {engine}, load average {os.getloadavg()[0]:.1f} at the end")
    print(f"data: province {PROVINCE}, {args.businesses:,} businesses, {args.products:,} products, "
          f"{args.photos} photos, {args.orders_days} days of orders; built in {prepared['seconds']}")
    print(f"server: naikkelas serve, {workers} gunicorn workers; client: asyncio, {args.users} users, "
          f"{args.duration:.0f} s per run after {args.warmup:.0f} s warm-up; browsing pause {args.think} s")
    print()
    header = (f"{'scenario':<14} {'mode':<10} {'requests':>8} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} "
              f"{'p99 ms':>8} {'errors':>6} {'x base rate':>11} {'x base p95':>10} {'server cpu':>10} "
              f"{'cpu ms/req':>10} {'client cpu':>10}")
    print(header)
    base = {run.mode: run for run in runs if run.scenario == "baseline"}
    for run in runs:
        b = base.get(run.mode)
        rate_ratio = run.rate / b.rate if b and b.rate else float("nan")
        p95_ratio = run.percentile(95) / b.percentile(95) if b and b.latencies else float("nan")
        # The server's CPU time per request: what a page costs whatever else the machine is doing (the
        # throughput and latency figures depend on how much of the two cores the server got).
        cpu_per_request = run.server_cpu * 1000 / run.rate if run.rate else float("nan")
        print(f"{run.scenario:<14} {run.mode:<10} {len(run.latencies):>8} {run.rate:>8.1f} "
              f"{run.percentile(50):>8.1f} {run.percentile(95):>8.1f} {run.percentile(99):>8.1f} "
              f"{run.errors:>6} {rate_ratio:>11.2f} {p95_ratio:>10.1f} {run.server_cpu:>10.2f} "
              f"{cpu_per_request:>10.1f} {run.client_cpu:>10.2f}")
    print()
    for run in runs:
        goal = GOALS_MS.get(run.scenario)
        if goal:
            verdict = "met" if run.percentile(95) <= goal else "NOT met"
            print(f"goal {run.scenario} p95 <= {goal} ms ({run.mode}): {verdict} ({run.percentile(95):.1f} ms)")
    print()
    for page, weight in weights.items():
        raw = sum(size for size, _ in weight.values())
        packed = sum(size for _, size in weight.values())
        parts = ", ".join(f"{name} {size / 1024:.1f}" for name, (_, size) in weight.items())
        verdict = "met" if packed <= WEIGHT_GOAL else "NOT met"
        print(f"page weight {page}: {packed / 1024:.1f} KB gzip ({raw / 1024:.1f} KB raw) [{parts} KB]; "
              f"goal <= 50 KB {verdict}")
    if profiles:
        print()
        print("profile (in-process, Django test client, 30 requests each):")
        for row in profiles:
            print(f"  {row['scenario']:<10} median {row['median_ms']:6.1f} ms, p95 {row['p95_ms']:6.1f} ms, "
                  f"SQL {row['sql_ms']:6.1f} ms in {row['queries']:.0f} queries; the rest is Python and templates")
            for sql, seconds in row["slowest"]:
                print(f"      {seconds * 1000:7.1f} ms  {sql}")


def main():
    args = parse_args()
    args.businesses = args.businesses or max(1, args.products // 2)
    engine = "pg" if args.database_url else "sqlite"
    args.data_dir = (args.data_dir or ROOT / "var" / "bench" / f"storefront-{engine}-{args.products}").resolve()
    env = environment(args)
    prepared = build(args, env)
    if args.build_only:
        return
    django_setup(env)
    rng = random.Random(SEED)
    paths = targets(rng)
    chosen = [name.strip() for name in args.scenarios.split(",") if name.strip()]
    names = {"baseline": "baseline", "shop": "shop page", "product": "product page", "search": "search"}
    low, high = (float(x) for x in args.think.split(","))
    from naikkelas.core.management.commands.serve import default_workers

    workers = args.workers or default_workers()
    port = free_port()
    server = start_server(args, env, port)
    runs = []
    try:
        weights = {"shop page": page_weight(port, paths["shop"][0]),
                   "product page": page_weight(port, paths["product"][0])}
        for mode in [m.strip() for m in args.modes.split(",") if m.strip()]:
            think = None if mode == "saturated" else (low, high)
            for scenario in chosen:
                run = measure(port, server.pid, names[scenario], mode, paths[scenario], args, think)
                runs.append(run)
                print(f"{run.scenario:<13} {mode:<10} {len(run.latencies):>7} requests {run.rate:8.1f}/s "
                      f"p50 {run.percentile(50):7.1f} p95 {run.percentile(95):7.1f} p99 {run.percentile(99):7.1f} ms"
                      f" errors {run.errors} statuses {run.statuses}", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
    profiles = [] if args.no_profile else profile({names[s]: paths[s] for s in chosen if s != "baseline"}, rng)
    report(args, prepared, runs, weights, profiles, workers)


if __name__ == "__main__":
    main()
