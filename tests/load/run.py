"""Run the load scenario end to end and say whether the platform held.

    .venv/bin/pip install -e '.[load]'                       # locust
    .venv/bin/python tests/load/run.py                        # build the data (a minute), then 100 users, 5 minutes
    .venv/bin/python tests/load/run.py --reuse --duration 1m  # the data of an earlier run, a short run

1. **Data** (PostgreSQL, --database-url, `nk_load` by default; built again unless --reuse): `migrate`,
   `load_regions`, `naikkelas synth --province 34 --businesses 20000` (4,500 shops, 41,000 products, 46,000
   past orders), then tests/load/prepare.py makes the flash-sale shops, partners and gateway and writes the
   fixture with the baseline (prepare runs every time, so a reused database starts from its own state).
2. **Server**: the real one, `naikkelas serve` (gunicorn, serve's own number of workers: 5 on 2 cores, DEBUG
   off) and `naikkelas worker` beside it (relaying the outbox the orders and stock changes write), as in
   production.
3. **Load**: locust, headless, tests/load/locustfile.py at --users users (spawned --spawn-rate a second) for
   --duration, on the same machine.
4. **Judgement**: the error rate; p50/p95/p99 of pages (everything a browser asks) and of API calls (the
   partner API and the gateway's callbacks), also as ratios to /healthz asked meanwhile; then, with server
   and worker stopped, tests/load/invariants.py: no oversold stock, no double payment, cash book = paid
   orders, no saved entry lost. Exit status 1 if any goal or invariant fails. The figures go to
   var/load/result.json.

Goals (docs/BENCHMARKS.md): 0 % errors, p95 under 500 ms for pages and under 300 ms for API calls at 100
concurrent users for 5 minutes on 2 cores.
"""

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
BIN = ROOT / ".venv" / "bin"
HOST = "127.0.0.1"
GOALS_MS = {"page": 500, "api": 300}


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/nk_load")
    parser.add_argument("--data-dir", type=Path, default=ROOT / "var" / "load")
    parser.add_argument("--reuse", action="store_true", help="use the data an earlier run built")
    parser.add_argument("--businesses", type=int, default=20_000)
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--duration", default="5m")
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (serve's choice by default)")
    parser.add_argument("--port", type=int, default=8765)
    return parser.parse_args()


def environment(args) -> dict:
    env = {**os.environ, "DATABASE_URL": args.database_url, "NAIKKELAS_VAR": str(args.data_dir), "DEBUG": "0",
           "PYTHONUNBUFFERED": "1", "DJANGO_SETTINGS_MODULE": "naikkelas.settings",
           # The buyers stand behind a proxy that names each one's address, as in production.
           "TRUSTED_PROXY_HOPS": "1"}
    env.pop("NAIKKELAS_ENV", None)
    return env


def step(title: str, command: list, env: dict, **kwargs) -> None:
    started = time.perf_counter()
    print(f"== {title}", flush=True)
    subprocess.run(command, env=env, check=True, **kwargs)
    print(f"   {time.perf_counter() - started:.1f} s", flush=True)


def build(args, env) -> None:
    name = args.database_url.rsplit("/", 1)[-1]
    server = args.database_url.rsplit("/", 1)[0]
    subprocess.run(["dropdb", "--if-exists", "-d", f"{server}/postgres", name], check=True)
    subprocess.run(["createdb", "-d", f"{server}/postgres", name], check=True)
    step("load_regions", [BIN / "naikkelas", "load_regions"], env)
    step("synth", [BIN / "naikkelas", "synth", "--province", "34", "--businesses", str(args.businesses),
                   "--cash-book-months", "0"], env)


def start(args, env) -> list[subprocess.Popen]:
    serve = [BIN / "naikkelas", "serve", "--bind", f"{HOST}:{args.port}"]
    if args.workers:
        serve += ["--workers", str(args.workers)]
    processes = [
        subprocess.Popen(serve, env=env, stdout=open(args.data_dir / "server.log", "w"), stderr=subprocess.STDOUT),
        subprocess.Popen([BIN / "naikkelas", "worker"], env=env, stdout=open(args.data_dir / "worker.log", "w"),
                         stderr=subprocess.STDOUT),
    ]
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://{HOST}:{args.port}/readyz", timeout=2) as answer:
                if answer.status == 200:
                    return processes
        except OSError:
            time.sleep(0.3)
    stop(processes)
    sys.exit(f"the server did not become ready; see {args.data_dir / 'server.log'}")


def stop(processes) -> None:
    for process in processes:
        process.send_signal(signal.SIGTERM)
    for process in processes:
        process.wait(timeout=60)


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of a process and all its children, e.g. gunicorn's master and workers."""
    import psutil  # comes with locust

    total = 0.0
    root = psutil.Process(pid)
    for process in [root, *root.children(recursive=True)]:
        try:
            times = process.cpu_times()
            total += times.user + times.system
        except psutil.NoSuchProcess:
            continue
    return total


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def figures(requests: list) -> dict:
    """Counts and percentiles (ms) per request name and per group: page, api, baseline."""
    groups: dict[str, list] = {}
    for name, ms, ok in requests:
        group = name.split(":", 1)[0]
        for key in (group, name):
            groups.setdefault(key, []).append((ms, ok))
    return {
        key: {
            "requests": len(rows),
            "errors": sum(1 for _, ok in rows if not ok),
            "p50": round(statistics.median(ms for ms, _ in rows), 1),
            "p95": round(percentile([ms for ms, _ in rows], 0.95), 1),
            "p99": round(percentile([ms for ms, _ in rows], 0.99), 1),
        }
        for key, rows in sorted(groups.items())
    }


def main() -> None:
    args = arguments()
    args.data_dir.mkdir(parents=True, exist_ok=True)
    env = environment(args)
    if not args.reuse:
        build(args, env)
    step("migrate", [BIN / "naikkelas", "migrate", "-v0"], env)
    fixture, tally = args.data_dir / "fixture.json", args.data_dir / "tally.json"
    step("prepare", [sys.executable, ROOT / "tests" / "load" / "prepare.py", fixture], env)
    processes = start(args, env)
    cpu_before = [cpu_seconds(process.pid) for process in processes]
    started = time.perf_counter()
    try:
        step(
            f"locust: {args.users} users for {args.duration}",
            [BIN / "locust", "-f", ROOT / "tests" / "load" / "locustfile.py", "--headless", "--only-summary",
             "-u", str(args.users), "-r", str(args.spawn_rate), "-t", args.duration,
             "--host", f"http://{HOST}:{args.port}", "--stop-timeout", "30"],
            {**env, "LOAD_FIXTURE": str(fixture), "LOAD_TALLY": str(tally)},
            stdout=open(args.data_dir / "locust.log", "w"), stderr=subprocess.STDOUT,
        )
    except subprocess.CalledProcessError:
        print(f"   locust reported failures; see {args.data_dir / 'locust.log'}")
    finally:
        seconds = time.perf_counter() - started
        cpu = [cpu_seconds(process.pid) - before for process, before in zip(processes, cpu_before)]
        stop(processes)

    seen = json.loads(tally.read_text())
    times = figures(seen["requests"])
    check = subprocess.run(
        [sys.executable, "-c", "import json, sys, django; django.setup(); from tests.load import invariants; "
         "print(json.dumps(invariants.check(json.load(open(sys.argv[1])), json.load(open(sys.argv[2])))))",
         fixture, tally],
        env={**env, "PYTHONPATH": str(ROOT)}, check=True, capture_output=True, text=True, cwd=ROOT,
    )
    problems, counts = json.loads(check.stdout.strip().splitlines()[-1])
    baseline = times.get("baseline", {}).get("p95") or 1.0

    print("\n| requests | count | errors | p50 ms | p95 ms | p99 ms | p95 / baseline |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for key, row in times.items():
        print(f"| {key} | {row['requests']:,} | {row['errors']} | {row['p50']} | {row['p95']} | {row['p99']} | "
              f"{row['p95'] / baseline:.1f} |")
    print("\n" + ", ".join(f"{key}: {value:,}" for key, value in counts.items()))
    served = sum(row["requests"] for key, row in times.items() if ":" not in key)
    usage = {"server_cores": round(cpu[0] / seconds, 2), "worker_cores": round(cpu[1] / seconds, 2),
             "server_cpu_ms_per_request": round(1000 * cpu[0] / max(served, 1), 1),
             "requests_per_second": round(served / seconds, 1)}
    print(", ".join(f"{key}: {value}" for key, value in usage.items()))
    failures = [f"{group}: {times[group]['errors']} errors" for group in ("page", "api") if times[group]["errors"]]
    failures += [f"{group} p95 {times[group]['p95']} ms ≥ {goal} ms" for group, goal in GOALS_MS.items()
                 if times[group]["p95"] >= goal]
    failures += problems
    (args.data_dir / "result.json").write_text(json.dumps({"times": times, "counts": counts, "problems": problems,
                                                           "usage": usage, "failures": failures, "users": args.users,
                                                           "duration": args.duration}, indent=1))
    print("\n" + ("HELD: every goal and invariant" if not failures else "FAILED:\n  " + "\n  ".join(failures[:50])))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
