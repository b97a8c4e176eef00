"""Benchmark: the early-warning engine over N businesses × 730 days of cash book.

    .venv/bin/python bench/engine.py [--businesses 10000] [--days 730] [--threads 2] [--memory-limit 16GB]
                                     [--snapshot DIR]

What it does:
1. Writes a snapshot (outside every clock) in a temporary folder, or in DIR to be kept and used again (a
   million businesses take about ten minutes and 11 GB), as `naikkelas snapshot` lays it out:
   `daily/month=YYYY-MM/part.parquet` and `businesses.parquet`. Each business has a row on most of the 730
   days (some days closed, as in a real cash book); sales are log-normal around its own level, and a tenth of
   the businesses decline over their last months; 14 kategori and 5 regencies.
2. Baseline, same run: DuckDB's bare group-by of the same Parquet rows (`SELECT business_id, sum(sales),
   sum(cash_out), count(*) ... GROUP BY business_id`).
3. The engine, timed end to end: read the snapshot, compute every feature with its peer percentile and median
   as of the last day (engine.features on DuckDB), fetch the rows, and score each with the baseline
   (engine.scores.baseline_probabilities, a column at a time).
Reports ledger rows per second per core (rows of the daily table / seconds / threads), the ratio of the
engine's time to the baseline's, and the peak resident memory of the process (DuckDB works inside it).
Results go to stdout as JSON.
"""

import argparse
import datetime as dt
import json
import os
import platform
import resource
import shutil
import sys
import tempfile
import time

import numpy as np
import pandas  # noqa: F401  Ibis imports it on the first fetch (0.4 s): here, so the clock times no import
import pyarrow as pa
import pyarrow.parquet as pq

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "src"))

from naikkelas.earlywarning.engine.features import features  # noqa: E402
from naikkelas.earlywarning.engine.schema import BUSINESSES, DAILY, read  # noqa: E402
from naikkelas.earlywarning.engine.scores import baseline_probabilities  # noqa: E402

KATEGORI = list("GICASHNPMQRJFL")
REGENCIES = ["34.01", "34.02", "34.03", "34.04", "34.71"]
CHUNK = 20_000  # businesses generated at a time


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def write_snapshot(folder: str, businesses: int, days: int, seed: int = 1) -> int:
    rng = np.random.default_rng(seed)
    end = dt.date(2026, 11, 29)
    start = end - dt.timedelta(days=days - 1)
    dates = np.array([start + dt.timedelta(days=n) for n in range(days)], dtype="datetime64[D]")
    months = dates.astype("datetime64[M]")
    writers: dict[str, pq.ParquetWriter] = {}
    rows = 0
    try:
        for first in range(0, businesses, CHUNK):
            count = min(CHUNK, businesses - first)
            ids = np.arange(first + 1, first + count + 1, dtype=np.int64)
            level = rng.lognormal(12.0, 1.0, count)
            decline = rng.random(count) < 0.1
            decline_from = rng.integers(days - 270, days - 60, count)
            # the day's sales: level × noise, falling linearly to a third for the declining ones
            t = np.arange(days)
            shape = np.where(decline[:, None] & (t[None, :] >= decline_from[:, None]),
                             1 - 0.7 * np.clip((t[None, :] - decline_from[:, None]) / 120, 0, 1), 1.0)
            sales = (level[:, None] * shape * rng.lognormal(0, 0.3, (count, days))).astype(np.int64)
            open_day = rng.random((count, days)) < np.where(shape < 0.6, 0.6, 0.92)
            sales = np.where(open_day, sales, 0)
            cash_out = (sales * rng.uniform(0.5, 0.9, (count, days))).astype(np.int64)
            has_row = open_day | (rng.random((count, days)) < 0.05)
            b, d = np.nonzero(has_row)
            rows += len(b)
            table_months = months[d]
            batch = pa.table(
                {
                    "business_id": ids[b], "date": dates[d], "cash_in": sales[b, d], "cash_out": cash_out[b, d],
                    "sales": sales[b, d], "sales_count": (sales[b, d] > 0).astype(np.int32),
                    "channel_sales": np.zeros(len(b), dtype=np.int64), "receivables_change": np.zeros(len(b), dtype=np.int64),
                    "digital_in": np.zeros(len(b), dtype=np.int64),
                },
                schema=DAILY.to_pyarrow(),
            )
            for month in np.unique(table_months):
                key = str(month)
                if key not in writers:
                    path = os.path.join(folder, "daily", f"month={key}", "part.parquet")
                    os.makedirs(os.path.dirname(path), exist_ok=True)
                    writers[key] = pq.ParquetWriter(path, DAILY.to_pyarrow())
                writers[key].write_table(batch.filter(pa.array(table_months == month)))
            log(f"  {first + count:,} businesses, {rows:,} rows")
    finally:
        for writer in writers.values():
            writer.close()
    pq.write_table(
        pa.table(
            {
                "business_id": np.arange(1, businesses + 1, dtype=np.int64),
                "business_ref": [f"BENCH-{n:07d}" for n in range(1, businesses + 1)],
                "kategori": [KATEGORI[n % len(KATEGORI)] for n in range(businesses)],
                "sector": ["47111"] * businesses,
                "regency": [REGENCIES[n % len(REGENCIES)] for n in range(businesses)],
            },
            schema=BUSINESSES.to_pyarrow(),
        ),
        os.path.join(folder, "businesses.parquet"),
    )
    return rows


def kept_snapshot(folder: str, businesses: int, days: int) -> int | None:
    """The rows of a snapshot written before in `folder` for the same size, or None (then the folder must be
    empty or new, and is written)."""
    try:
        with open(os.path.join(folder, "size.json")) as file:
            kept = json.load(file)
    except FileNotFoundError:
        if os.path.isdir(folder) and os.listdir(folder):
            sys.exit(f"{folder} holds something else than a snapshot of this benchmark")
        return None
    if (kept["businesses"], kept["days"]) != (businesses, days):
        sys.exit(f"{folder} holds a snapshot of {kept['businesses']:,} businesses × {kept['days']} days")
    log(f"snapshot: {kept['rows']:,} rows kept in {folder}")
    return kept["rows"]


def connect(threads: int, memory_limit: str):
    import ibis

    con = ibis.duckdb.connect(threads=threads, memory_limit=memory_limit)
    con.raw_sql("SET enable_progress_bar = false")
    return con


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--businesses", type=int, default=10_000)
    parser.add_argument("--days", type=int, default=730)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--memory-limit", default="16GB")
    parser.add_argument("--snapshot", help="a folder to keep the snapshot in and use again")
    args = parser.parse_args()
    work = args.snapshot or tempfile.mkdtemp(prefix="bench-engine-")
    try:
        rows = kept_snapshot(work, args.businesses, args.days) if args.snapshot else None
        if rows is None:
            started = time.perf_counter()
            rows = write_snapshot(work, args.businesses, args.days)
            log(f"snapshot: {rows:,} rows in {time.perf_counter() - started:.0f} s")
            if args.snapshot:
                with open(os.path.join(work, "size.json"), "w") as file:
                    json.dump({"businesses": args.businesses, "days": args.days, "rows": rows}, file)

        con = connect(args.threads, args.memory_limit)
        started = time.perf_counter()
        bare = con.raw_sql(
            f"SELECT business_id, sum(sales), sum(cash_out), count(*) FROM read_parquet('{work}/daily/*/part.parquet') "
            "GROUP BY business_id"
        ).fetchall()
        baseline_s = time.perf_counter() - started
        log(f"bare group-by: {len(bare):,} groups in {baseline_s:.1f} s")

        con = connect(args.threads, args.memory_limit)
        started = time.perf_counter()
        daily, businesses = read(con, work)
        last = con.to_pyarrow(daily.aggregate(last=daily.date.max())).to_pylist()[0]["last"]
        scored = con.to_pyarrow(features(daily, businesses, [last]))
        feature_s = time.perf_counter() - started
        probabilities = baseline_probabilities(scored)
        engine_s = time.perf_counter() - started
        log(f"engine: {scored.num_rows:,} businesses scored in {engine_s:.1f} s (features {feature_s:.1f} s)")
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps({
            "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
            "businesses": args.businesses, "days": args.days, "rows": rows, "threads": args.threads,
            "baseline_s": round(baseline_s, 2), "engine_s": round(engine_s, 2), "features_s": round(feature_s, 2),
            "scored": len(probabilities),
            "rows_per_s_per_core": round(rows / engine_s / args.threads),
            "engine_vs_baseline": round(engine_s / baseline_s, 2),
            "peak_rss_mb": round(peak_mb),
        }))
    finally:
        if not args.snapshot:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
