"""Benchmark: an officer's import of a 1,000,000-row CSV on SQLite, check and commit, with memory.

    .venv/bin/python bench/import_businesses.py [--rows 1000000] [--sizes 100000,300000] [--province 33]

What it does:
1. Builds a template SQLite database (migrate + load_regions) in a temporary NAIKKELAS_VAR.
2. Generates the CSV files (outside every clock): realistic rows spread over every village of one province
   (Jawa Tengah by default, 8,500 villages), written the way agencies write them: `;` delimited, headings
   in Indonesian, regions by name in several spellings ("Kab. X", "KABUPATEN X", "Desa X", a typo now and
   then) or by code, phones in several formats, money as "Rp 1.500.000", "150 juta" or digits, NIK and NIB
   on part of the rows, 1% bad rows and 0.5% repeated identifiers.
3. For each size, in a fresh child process with its own copy of the database:
   - baseline 1: bare `csv.reader` over the same file (rows/s);
   - the check (`run_check`: every row parsed, regions resolved, duplicates looked for) (rows/s);
   - the commit (`run_commit`: the checked rows written in one transaction) (rows written/s);
   - end to end: the rows of the file over the check's and the commit's time together (rows/s);
   - baseline 2: raw `sqlite3` executemany of exactly the rows the commit wrote, into a fresh copy of the
     same database and table, read back from the committed one (only the inserts are timed);
   - peak resident memory of the process (ru_maxrss) after the check and after the commit, and resident
     memory sampled every 100,000 rows.
Ratios are against the baselines measured in the same child. Results go to stdout as a table and JSON.
"""

import argparse
import csv
import json
import os
import platform
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import uuid

HEADER = [
    "No", "ID UMKM", "Nama Usaha", "Nama Pemilik", "NIK", "No. HP/WA", "Alamat", "Provinsi", "Kabupaten/Kota",
    "Kecamatan", "Desa/Kelurahan", "Kode Wilayah", "KBLI", "NIB", "Tahun Berdiri", "Jumlah Tenaga Kerja",
    "Modal (Rp)", "Omzet per Tahun (Rp)", "Tahun Lahir Pemilik", "Punya Rekening", "Jenis Kelamin",
]
KINDS = ["Warung", "Toko", "Kedai", "Keripik", "Batik", "Bengkel", "Konveksi", "Kopi", "Catering", "Laundry",
         "Mebel", "Sembako", "Bakso", "Jamu", "Roti", "Tahu", "Anyaman", "Kerajinan", "Salon", "Percetakan"]
WORDS = ["Berkah", "Maju", "Jaya", "Sejahtera", "Barokah", "Sumber Rezeki", "Mandiri", "Lestari", "Makmur",
         "Sentosa", "Abadi", "Mulya", "Sari", "Rejeki", "Utama", "Indah", "Murni", "Agung", "Baru", "Asri"]
FIRST = ["Sri", "Siti", "Budi", "Joko", "Agus", "Dewi", "Wahyu", "Eko", "Rina", "Yanti", "Slamet", "Sutrisno",
         "Nur", "Tri", "Endang", "Bambang", "Suparmi", "Heru", "Lestari", "Ani", "Dwi", "Rudi", "Yuli", "Fajar",
         "Ika", "Hadi", "Tutik", "Sugeng", "Wati", "Purwanto", "Sumarni", "Darmo", "Ningsih", "Arif", "Puji"]
LAST = ["Wahyuni", "Santoso", "Susanto", "Rahayu", "Purnomo", "Hartono", "Setiawan", "Lestari", "Wibowo",
        "Pratama", "Saputra", "Handayani", "Kurniawan", "Hidayat", "Utomo", "Nugroho", "Wulandari", "Prasetyo"]
STREETS = ["Jl. Merdeka", "Jl. Pahlawan", "Jl. Diponegoro", "Jl. Sudirman", "Dusun Krajan", "RT 02 RW 05",
           "Jl. Raya", "Jl. Pemuda", "Gg. Mawar", "Jl. Kartini"]
MOBILE_PREFIXES = ["811", "812", "813", "821", "822", "852", "853", "855", "856", "857", "858", "877", "878",
                   "881", "882", "895", "896", "897", "898", "899", "831", "838"]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# -- set-up (parent) --------------------------------------------------------------------------------------

def django_setup(var: str) -> None:
    os.environ["NAIKKELAS_VAR"] = var
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "naikkelas.settings")
    import django

    django.setup()


def build_template(var: str) -> str:
    django_setup(var)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_regions", verbosity=0)
    from django.db import connection

    connection.close()
    return os.path.join(var, "naikkelas.sqlite3")


def region_inputs(province: str):
    from naikkelas.regions.models import Region, Sector
    from naikkelas.registry.importing.values import _nik_place_known

    names = dict(Region.objects.filter(code__startswith=province).values_list("code", "name"))
    names[province] = Region.objects.get(code=province).name
    villages = sorted(code for code in names if code.count(".") == 3)
    kelompok = list(Sector.objects.filter(level="kelompok").values_list("code", flat=True))
    places = sorted({code[:2] + code[3:5] for code in names if code.count(".") == 1})
    places = [p for p in places if _nik_place_known(p)] or ["3471"]
    return names, villages, kelompok, places


def _spell_regency(name: str, rng: random.Random) -> str:
    roll = rng.random()
    if name.startswith("Kabupaten "):
        bare = name.removeprefix("Kabupaten ")
        return [name, "Kab. " + bare, name.upper(), bare][int(roll * 4)]
    return [name, name.upper()][int(roll * 2)]


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 7:
        return word
    i = rng.randrange(2, len(word) - 1)
    return word[:i] + word[i + 1 :]


def _phone(rng: random.Random) -> str:
    national = rng.choice(MOBILE_PREFIXES) + str(rng.randrange(10_000_000, 99_999_999))
    shape = rng.random()
    if shape < 0.5:
        return f"0{national[:3]}-{national[3:7]}-{national[7:]}"
    if shape < 0.7:
        return "+62 " + national
    if shape < 0.85:
        return "62" + national
    return "0" + national


def _money(amount: int, rng: random.Random) -> str:
    shape = rng.random()
    if shape < 0.4:
        return str(amount)
    if shape < 0.8:
        return "Rp " + f"{amount:,}".replace(",", ".")
    return f"{amount // 1_000_000} juta"


def generate(path: str, rows: int, province: str, seed: int = 1) -> None:
    names, villages, kelompok, places = region_inputs(province)
    rng = random.Random(seed)
    recent: list[tuple[str, str]] = []
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter=";")
        writer.writerow(HEADER)
        for i in range(1, rows + 1):
            village = rng.choice(villages)
            district, regency = village[:8], village[:5]
            first, last = rng.choice(FIRST), rng.choice(LAST)
            name = f"{rng.choice(KINDS)} {rng.choice(WORDS)} {first}"
            phone = _phone(rng)
            nib = str(rng.randrange(10**12, 10**13)) if rng.random() < 0.4 else ""
            nik = ""
            if rng.random() < 0.6:
                day, month, year = rng.randrange(1, 29), rng.randrange(1, 13), rng.randrange(50, 100)
                area, serial = rng.randrange(1, 30), rng.randrange(1, 9999)
                nik = f"{rng.choice(places)}{area:02d}{day:02d}{month:02d}{year:02d}{serial:04d}"
            sales = rng.choice([60, 120, 180, 300, 600, 1200, 2500, 4000]) * 1_000_000 + rng.randrange(0, 50) * 100_000
            capital = rng.choice([5, 10, 25, 50, 100, 250]) * 1_000_000
            row = [
                str(i), f"UMKM-{province}-{i:07d}", name, f"{first} {last}", nik, phone,
                f"{rng.choice(STREETS)} No. {rng.randrange(1, 200)}", "", "", "", "", "", rng.choice(kelompok), nib,
                str(rng.randrange(1990, 2025)), str(rng.randrange(0, 20)), _money(capital, rng),
                _money(sales, rng), str(rng.randrange(1955, 2005)), rng.choice(["ya", "tidak", "Ya", "Tidak", "belum"]),
                rng.choice(["L", "P"]),
            ]
            if rng.random() < 0.3:
                row[11] = village if rng.random() < 0.5 else village.replace(".", "")
            else:
                village_name = names[village]
                roll = rng.random()
                if roll < 0.1:
                    village_name = "Desa " + village_name
                elif roll < 0.12:
                    village_name = _typo(village_name, rng)
                row[7] = names[province] if rng.random() < 0.7 else ""
                row[8] = _spell_regency(names[regency], rng)
                row[9] = names[district] if rng.random() < 0.9 else "Kec. " + names[district]
                row[10] = village_name
            roll = rng.random()
            if roll < 0.004:
                row[5] = "12345"  # a phone that is not one
            elif roll < 0.007:
                row[10], row[11] = "Kampung Tidak Ada", ""
            elif roll < 0.01:
                row[4] = "1234567890123456"
            elif roll < 0.015 and recent:
                row[5], row[13] = rng.choice(recent)  # the same phone and NIB as an earlier row
            if i % 97 == 0:
                recent.append((phone, nib))
                recent = recent[-500:]
            writer.writerow(row)


# -- one measured run (child) -----------------------------------------------------------------------------

def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(args) -> None:
    django_setup(args.var)
    from django.db import connection

    from naikkelas.accounts.models import User
    from naikkelas.registry.importing.check import run_check
    from naikkelas.registry.importing.commit import ATTNAMES, SQLITE_COMMIT_CACHE_KB, run_commit
    from naikkelas.registry.models import Business, ImportBatch

    result = {"rows_in_file": args.rows, "samples": []}
    next_sample = [100_000]

    def progress(stage: str, done: int) -> None:
        if done >= next_sample[0]:
            result["samples"].append({"stage": stage, "rows": done, "rss_mb": round(rss_mb(), 1)})
            next_sample[0] += 100_000

    # Baseline 1: the bare CSV reader.
    started = time.perf_counter()
    with open(args.csv, encoding="utf-8", newline="") as source:
        count = sum(1 for _row in csv.reader(source, delimiter=";")) - 1
    result["csv_reader_s"] = time.perf_counter() - started
    result["csv_rows"] = count

    # The region tree is read once per process; load it before the clock like a running server has.
    from naikkelas.regions.matching import region_matcher

    region_matcher()
    result["rss_before_mb"] = round(rss_mb(), 1)
    admin = User.objects.create_user("+628119990000", "sandi-panjang-untuk-bench", role=User.Role.ADMIN)
    scratch_path = os.path.join(args.var, "scratch.sqlite3")
    batch_id = uuid.uuid4()
    started = time.perf_counter()
    report = run_check(
        path=args.csv,
        actor=admin,
        original_name="bench.csv",
        batch_id=batch_id,
        scratch_path=scratch_path,
        on_progress=progress,
    )
    result["check_s"] = time.perf_counter() - started
    result["peak_after_check_mb"] = round(peak_mb(), 1)
    result["counts"] = report["counts"]

    next_sample[0] = 100_000
    batch = ImportBatch.objects.create(
        id=batch_id, uploaded_by=admin, original_name="bench.csv", stored_path=args.csv, report=report
    )
    started = time.perf_counter()
    commit = run_commit(batch=batch, actor=admin, scratch_path=scratch_path, skip_invalid=True, on_progress=progress)
    result["commit_s"] = time.perf_counter() - started
    result["peak_after_commit_mb"] = round(peak_mb(), 1)
    result["commit"] = commit

    # Baseline 2: raw sqlite3 executemany of the same rows into a fresh copy of the same database.
    fresh = os.path.join(args.var, "baseline.sqlite3")
    shutil.copyfile(args.template, fresh)
    import sqlite3

    columns = ", ".join(f'"{Business._meta.get_field(a.removesuffix("_id")).column}"' for a in ATTNAMES)
    target = sqlite3.connect(fresh, isolation_level=None)
    target.execute("PRAGMA journal_mode=WAL")
    target.execute("PRAGMA synchronous=NORMAL")
    target.execute("PRAGMA foreign_keys=ON")
    target.execute(f"PRAGMA cache_size=-{SQLITE_COMMIT_CACHE_KB}")  # the same page cache the commit uses
    # The rows point at the uploader and the batch: copy those two rows first, so keys are checked alike.
    connection.close()
    target.execute("ATTACH DATABASE ? AS done", (os.path.join(args.var, "naikkelas.sqlite3"),))
    target.execute("INSERT INTO accounts_user SELECT * FROM done.accounts_user")
    target.execute("INSERT INTO registry_importbatch SELECT * FROM done.registry_importbatch")
    insert = f"INSERT INTO registry_business ({columns}) VALUES ({', '.join('?' * len(ATTNAMES))})"
    reader = sqlite3.connect(os.path.join(args.var, "naikkelas.sqlite3"))
    source = reader.execute(f"SELECT {columns} FROM registry_business ORDER BY id")
    insert_seconds = 0.0
    target.execute("BEGIN IMMEDIATE")
    while rows := source.fetchmany(5_000):
        started = time.perf_counter()
        target.executemany(insert, rows)
        insert_seconds += time.perf_counter() - started
    started = time.perf_counter()
    target.execute("COMMIT")
    insert_seconds += time.perf_counter() - started
    target.close()
    result["raw_insert_s"] = insert_seconds
    result["raw_insert_rows"] = commit["written"]
    print(json.dumps(result))


# -- the parent: generate, run the children, report -------------------------------------------------------

def run_child(template: str, csv_path: str, rows: int) -> dict:
    var = tempfile.mkdtemp(prefix="nk-bench-import-run-")
    shutil.copyfile(template, os.path.join(var, "naikkelas.sqlite3"))
    command = [sys.executable, __file__, "--child", "--var", var, "--csv", csv_path, "--rows", str(rows),
               "--template", template]
    output = subprocess.run(command, capture_output=True, text=True)
    shutil.rmtree(var, ignore_errors=True)
    if output.returncode:
        log(output.stderr)
        raise SystemExit(f"the measured run of {rows:,} rows failed")
    return json.loads(output.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--sizes", default="100000,300000", help="smaller sizes run too, to show memory is flat")
    parser.add_argument("--province", default="33")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--var", help=argparse.SUPPRESS)
    parser.add_argument("--csv", help=argparse.SUPPRESS)
    parser.add_argument("--template", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return

    work = tempfile.mkdtemp(prefix="nk-bench-import-")
    try:
        log("building the template database (migrate + load_regions)...")
        template = build_template(os.path.join(work, "template"))
        sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()} | {args.rows})
        results = []
        for rows in sizes:
            csv_path = os.path.join(work, f"umkm-{rows}.csv")
            log(f"generating {rows:,} rows...")
            generate(csv_path, rows, args.province)
            log(f"measuring {rows:,} rows ({os.path.getsize(csv_path) / 1e6:.0f} MB)...")
            result = run_child(template, csv_path, rows)
            result["file_mb"] = round(os.path.getsize(csv_path) / 1e6, 1)
            results.append(result)
            os.remove(csv_path)
        report(results)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def report(results: list[dict]) -> None:
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"SQLite {__import__('sqlite3').sqlite_version}")
    print(f"{'rows':>9} {'MB':>6} {'csv.reader/s':>13} {'check/s':>9} {'written/s':>9} {'end to end/s':>12} "
          f"{'raw insert/s':>13} {'check÷csv':>9} {'commit÷raw':>10} {'peak check MB':>13} {'peak commit MB':>14}")
    for r in results:
        n = r["rows_in_file"]
        csv_rate = n / r["csv_reader_s"]
        check_rate = n / r["check_s"]
        # Both sides of the commit ratio count the rows written (bad rows and duplicates are not).
        commit_rate = r["commit"]["written"] / r["commit_s"]
        raw_rate = r["raw_insert_rows"] / r["raw_insert_s"] if r["raw_insert_s"] else 0
        # End to end: rows of the file over the time of check and commit together, what an officer waits
        # for with `naikkelas import businesses FILE --commit` (less the file's hash and the start-up).
        end_rate = n / (r["check_s"] + r["commit_s"])
        commit_ratio = commit_rate / raw_rate if raw_rate else 0
        print(f"{n:>9,} {r['file_mb']:>6} {csv_rate:>13,.0f} {check_rate:>9,.0f} {commit_rate:>9,.0f} "
              f"{end_rate:>12,.0f} {raw_rate:>13,.0f} {check_rate / csv_rate:>9.3f} {commit_ratio:>10.2f} "
              f"{r['peak_after_check_mb']:>13} {r['peak_after_commit_mb']:>14}")
    for r in results:
        print(f"{r['rows_in_file']:,} rows: check {r['check_s']:.1f} s, commit {r['commit_s']:.1f} s; "
              f"counts {r['counts']}; commit {r['commit']}; "
              f"RSS before check {r['rss_before_mb']} MB; samples {r['samples']}")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
