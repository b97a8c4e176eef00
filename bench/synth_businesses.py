"""Benchmark: `naikkelas synth` for 1,000,000 businesses on a fresh SQLite database (goal: under 2 minutes).

    .venv/bin/python bench/synth_businesses.py [--businesses 1000000]

Runs in a temporary NAIKKELAS_VAR (its own SQLite file), after `migrate` and `load_regions`, and reports:
- generation alone (the pure generator's dicts, nothing written);
- the baseline: bare `bulk_insert` of pre-built Business rows (built outside the clock, with the same
  SQLite page cache and paused cycle collector the command uses), then the table is emptied;
- the full synth run (generate + build + insert in one transaction, as the command does);
and the ratio of the synth run to the baseline, both measured in this same process. The temporary
database (about 0.6 GB for a million rows) is removed at the end.
"""

import argparse
import os
import platform
import shutil
import tempfile
import time
from itertools import islice

PROVINCE = "34"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--businesses", type=int, default=1_000_000)
    args = parser.parse_args()
    n = args.businesses

    var = tempfile.mkdtemp(prefix="nk-bench-synth-")
    os.environ["NAIKKELAS_VAR"] = var
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "naikkelas.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from naikkelas.core.bulk import bulk_insert
    from naikkelas.demo.synthetic import (
        BATCH,
        _business,
        cyclic_gc_paused,
        province_inputs,
        sqlite_bulk_cache,
        write_synthetic_businesses,
    )
    from naikkelas.registry.models import Business
    from naikkelas.synth.businesses import generate_businesses

    call_command("migrate", verbosity=0)
    call_command("load_regions", verbosity=0)
    regencies, kelompok = province_inputs(PROVINCE)

    def rows(seed: int):
        return generate_businesses(province_code=PROVINCE, regencies=regencies, kelompok=kelompok, seed=seed, count=n)

    started = time.perf_counter()
    with cyclic_gc_paused():
        for _ in rows(2):
            pass
    generate_s = time.perf_counter() - started

    # Baseline: the same kind of rows, built before the clock starts, inserted with bare bulk_insert.
    now = timezone.now()
    insert_s = 0.0
    source = rows(2)
    with cyclic_gc_paused(), sqlite_bulk_cache(), transaction.atomic():
        while batch := list(islice(source, BATCH)):
            objects = [_business(row, now) for row in batch]
            t = time.perf_counter()
            bulk_insert(Business, objects)
            insert_s += time.perf_counter() - t
    assert Business.objects.count() == n
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {Business._meta.db_table}")

    started = time.perf_counter()
    written, _ = write_synthetic_businesses(province_code=PROVINCE, count=n, seed=1)
    synth_s = time.perf_counter() - started
    assert written == n == Business.objects.count()

    sqlite = connection.Database.sqlite_version
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, SQLite {sqlite}")
    print(f"businesses: {n:,}")
    print(f"generate only:            {generate_s:7.1f} s  {n / generate_s:10,.0f} businesses/s")
    print(f"baseline bare bulk_insert:{insert_s:7.1f} s  {n / insert_s:10,.0f} rows/s")
    print(f"synth (generate+insert):  {synth_s:7.1f} s  {n / synth_s:10,.0f} businesses/s")
    print(f"synth / baseline time:    {synth_s / insert_s:7.2f}x")
    print(f"goal under 120 s:         {'met' if synth_s < 120 else 'NOT met'}")
    connection.close()
    shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    main()
