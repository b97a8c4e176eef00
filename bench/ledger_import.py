"""Benchmark: `naikkelas import ledger FILE --commit` on PostgreSQL and SQLite, with memory over time.

    .venv/bin/python bench/ledger_import.py [--rows 10000000] [--sqlite-rows 1000000] [--businesses 10000]
        [--database-url postgres://postgres@127.0.0.1:5432/nk_bench_ledger]

What it does:
1. Generates the CSV (outside every clock): `business_ref, date, direction, amount, category`, N rows for
   `--businesses` businesses over 2022-2024, in file order by day (as a history export would be), amounts
   as digits; the SQLite run reads the first `--sqlite-rows` rows (a file of their own).
2. For each database: a fresh database (PostgreSQL: `dropdb`/`createdb` of the database in
   `--database-url`, which is dropped again at the end; SQLite: a file in a temporary NAIKKELAS_VAR),
   `migrate`, `load_regions`, and the businesses with external refs `BENCH-000001`... (core.bulk).
3. Runs the command as a child process (`naikkelas import ledger FILE --commit`, which checks and writes
   in one pass), sampling its resident memory (VmRSS from /proc) every half second; the command's own
   summary line gives its seconds (from reading the file's first byte to the commit). Rows/s = rows of the
   file / seconds.
4. Baseline, same run, same database: PostgreSQL `COPY ... FROM STDIN (FORMAT csv, HEADER)` of the same file
   straight into a scratch table of the five typed columns (no validation, no index); SQLite: `csv.reader`
   plus an executemany of the raw rows into a scratch table. Ratios are the command's rows/s over the
   baseline's.
Results go to stdout as text and JSON.
"""

import argparse
import csv
import datetime as dt
import json
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from urllib.parse import urlparse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NAIKKELAS = os.path.join(ROOT, ".venv", "bin", "naikkelas")
CATEGORIES_IN = ["sales"] * 9 + ["other"]
CATEGORIES_OUT = ["stock"] * 5 + ["wages", "rent", "utilities", "transport", "other"]
VILLAGE = "34.04.07.2001"  # Caturtunggal, Sleman (DI Yogyakarta)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def generate(path: str, rows: int, businesses: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    start = dt.date(2022, 1, 1)
    days = 3 * 365
    per_day = max(1, rows // days)
    refs = [f"BENCH-{i:06d}" for i in range(1, businesses + 1)]
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write("business_ref,date,direction,amount,category\n")
        written = 0
        day = 0
        lines = []
        while written < rows:
            date = (start + dt.timedelta(days=min(day, days - 1))).isoformat()
            for _ in range(min(per_day, rows - written)):
                if rng.random() < 0.6:
                    lines.append(f"{rng.choice(refs)},{date},in,{rng.randrange(5, 500) * 1000},{rng.choice(CATEGORIES_IN)}\n")
                else:
                    lines.append(f"{rng.choice(refs)},{date},out,{rng.randrange(5, 800) * 1000},{rng.choice(CATEGORIES_OUT)}\n")
                written += 1
            if len(lines) > 50_000:
                out.write("".join(lines))
                lines = []
            day += 1
        out.write("".join(lines))


def head(source: str, target: str, rows: int) -> None:
    with open(source, encoding="utf-8") as src, open(target, "w", encoding="utf-8") as out:
        for i, line in enumerate(src):
            if i > rows:
                break
            out.write(line)


def prepare(env: dict, businesses: int) -> None:
    """migrate, regions and the businesses, in a child with the database of `env`."""
    code = f"""
import django, os
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
call_command("load_regions", verbosity=0)
from django.db import transaction
from naikkelas.core.bulk import bulk_insert
from naikkelas.registry.models import Business
with transaction.atomic():
    bulk_insert(Business, (Business(name=f"Usaha Bench {{i}}", slug=f"bench-{{i}}", external_ref=f"BENCH-{{i:06d}}",
                                    village_id="{VILLAGE}", source="import") for i in range(1, {businesses} + 1)))
"""
    subprocess.run([sys.executable, "-c", code], env=env, check=True, stdout=subprocess.DEVNULL)


def rss_of(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except FileNotFoundError:
        pass
    return 0.0


def run_command(env: dict, path: str) -> dict:
    started = time.perf_counter()
    child = subprocess.Popen([NAIKKELAS, "import", "ledger", path, "--commit"], env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    samples = []

    def sample():
        while child.poll() is None:
            samples.append((round(time.perf_counter() - started, 1), round(rss_of(child.pid), 1)))
            time.sleep(0.5)

    sampler = threading.Thread(target=sample)
    sampler.start()
    out, err = child.communicate()
    sampler.join()
    wall = time.perf_counter() - started
    if child.returncode != 0:
        raise SystemExit(f"command failed: {out}\n{err}")
    seconds = float(re.search(r"disimpan dalam ([\d.]+) s", out).group(1))
    return {"wall_s": round(wall, 1), "import_s": seconds, "rss_mb": samples, "output": out.strip()}


def baseline_postgres(url: str, path: str) -> float:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS bench_scratch")
        conn.execute("CREATE UNLOGGED TABLE bench_scratch (business_ref text, date date, direction text, amount bigint, category text)")
        started = time.perf_counter()
        with conn.cursor() as cur, cur.copy("COPY bench_scratch FROM STDIN (FORMAT csv, HEADER)") as copy, open(path, "rb") as file:
            while chunk := file.read(1 << 20):
                copy.write(chunk)
        seconds = time.perf_counter() - started
        conn.execute("DROP TABLE bench_scratch")
    return seconds


def baseline_sqlite(db: str, path: str) -> float:
    import sqlite3

    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE bench_scratch (business_ref text, date text, direction text, amount integer, category text)")
    started = time.perf_counter()
    with open(path, encoding="utf-8", newline="") as file:
        reader = csv.reader(file)
        next(reader)
        while batch := [row for _, row in zip(range(20_000), reader)]:
            conn.executemany("INSERT INTO bench_scratch VALUES (?, ?, ?, ?, ?)", batch)
    conn.commit()
    seconds = time.perf_counter() - started
    conn.execute("DROP TABLE bench_scratch")
    conn.close()
    return seconds


def summarise(name: str, rows: int, result: dict, baseline_s: float) -> dict:
    rss = [mb for _, mb in result["rss_mb"]]
    figures = {
        "database": name, "rows": rows, "import_rows_per_s": round(rows / result["import_s"]),
        "baseline_s": round(baseline_s, 1), "baseline_rows_per_s": round(rows / baseline_s),
        "peak_rss_mb": max(rss) if rss else None, **result,
    }
    figures["import_vs_baseline"] = round(figures["import_rows_per_s"] / figures["baseline_rows_per_s"], 2)
    log(f"{name}: import {figures['import_rows_per_s']:,} rows/s, baseline {figures['baseline_rows_per_s']:,} rows/s, "
        f"peak RSS {figures['peak_rss_mb']} MB")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--sqlite-rows", type=int, default=1_000_000, help="0 to leave SQLite out")
    parser.add_argument("--businesses", type=int, default=10_000)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/nk_bench_ledger")
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="bench-ledger-")
    results = {"machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()}}
    try:
        path = os.path.join(work, "ledger.csv")
        started = time.perf_counter()
        generate(path, args.rows, args.businesses)
        log(f"generated {args.rows:,} rows ({os.path.getsize(path) / 2**20:.0f} MiB) in {time.perf_counter() - started:.0f} s")
        base_env = {**os.environ, "DJANGO_SETTINGS_MODULE": "naikkelas.settings", "NAIKKELAS_VAR": work,
                    "IMPORT_MAX_BYTES": str(1 << 40)}
        runs = []
        if args.database_url:
            url = urlparse(args.database_url)
            name = url.path.lstrip("/")
            conn_args = ["-h", url.hostname or "127.0.0.1", "-p", str(url.port or 5432), "-U", url.username or "postgres"]
            subprocess.run(["dropdb", "--if-exists", *conn_args, name], check=True)
            subprocess.run(["createdb", *conn_args, name], check=True)
            try:
                env = {**base_env, "DATABASE_URL": args.database_url}
                prepare(env, args.businesses)
                result = run_command(env, path)
                runs.append(summarise("postgresql", args.rows, result, baseline_postgres(args.database_url, path)))
            finally:
                subprocess.run(["dropdb", "--if-exists", *conn_args, name], check=False)
        if args.sqlite_rows:
            small = os.path.join(work, "ledger-sqlite.csv")
            head(path, small, args.sqlite_rows)
            env = {k: v for k, v in base_env.items() if k != "DATABASE_URL"}
            prepare(env, args.businesses)
            result = run_command(env, small)
            db = os.path.join(work, "naikkelas.sqlite3")
            runs.append(summarise("sqlite", args.sqlite_rows, result, baseline_sqlite(db, small)))
        results["runs"] = runs
        print(json.dumps(results, default=str))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
