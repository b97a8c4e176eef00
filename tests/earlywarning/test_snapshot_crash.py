"""A snapshot killed in the middle of writing never leaves a file a reader cannot read, nor a manifest that
vouches for a month whose file holds something else; the engine reads what is there, and the next run
writes exactly what an uninterrupted run writes.

The real command (`naikkelas snapshot --dir DIR`) runs in a process of its own against a database of its own
(tests/crash.py), over cash books that changed in half of their months since the last snapshot (and lost a
month's only entry, so that its folder is to go). The test watches the month files being replaced one by one
and kills the command after the first, after a quarter and after half of them (the run takes a few
milliseconds a month; later kills could miss). Each month the manifest names must then hold what the
database held when the manifest's fingerprint of that month was taken: the last snapshot's data or the new
data, never the new data under the old fingerprint. That matters: when the change is then undone (the entries added are
deleted, so each month's fingerprint is the old one again), the next run keeps every month the manifest
vouches for, and must give what an uninterrupted run gives, without the emptied month.
"""

import datetime as dt
import json
import os
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tests.crash import CATURTUNGGAL, Landings, crash_database, kill, naikkelas, output, start, step, wait_for

BUSINESSES = 6
FIRST_DAY = dt.date(2022, 1, 1)
DAYS = 2 * 365
ADDED = "tambahan sesudah snapshot"
# A month whose only entry is deleted after the first snapshot: the next run removes its folder.
LONE_MONTH, LONE = "2024-02", "satu-satunya di bulannya"
MODULE = "tests.earlywarning.test_snapshot_crash"


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    database = crash_database(tmp_path_factory)
    yield database
    database.drop()


def contents(directory: Path) -> tuple[dict, dict]:
    """The manifest, and each file's table by its path in the folder (every file must be whole to be read)."""
    manifest_path = directory / "manifest.json"
    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    files = {"businesses.parquet": directory / "businesses.parquet"}
    files.update({f"daily/{path.parent.name}": path for path in sorted(directory.glob("daily/month=*/part.parquet"))})
    return manifest, {name: pq.read_table(path) for name, path in files.items()}


def inodes(directory: Path) -> dict[str, int]:
    return {path.parent.name: os.stat(path).st_ino for path in directory.glob("daily/month=*/part.parquet")}


def assert_whole(directory: Path, before: tuple[dict, dict], after: tuple[dict, dict]) -> None:
    """Every file readable, and each month the manifest names holding what its fingerprint stands for."""
    manifest, tables = contents(directory)
    for name in tables:
        assert not name.endswith(".partial")
    for month, fingerprint in manifest.items():
        name = f"daily/month={month}"
        assert name in tables, f"the manifest names {month}, which has no file"
        stands_for = [state[1][name] for state in (before, after) if state[0].get(month) == fingerprint]
        assert stands_for, f"the manifest's fingerprint of {month} is neither the old one nor the new one"
        assert any(tables[name].equals(table) for table in stands_for), (
            f"{month}: the file does not hold what the manifest's fingerprint stands for"
        )


def assert_readable_by_the_engine(directory: Path, *, features: bool = True) -> None:
    """The engine reads the snapshot: its span, and (a second more) every business's features on its last day."""
    from naikkelas.earlywarning import pipeline

    first, last = pipeline.span(directory)
    assert first == FIRST_DAY
    if features:
        assert len(pipeline.feature_rows([last], directory)) == BUSINESSES


def test_a_killed_snapshot_leaves_whole_files_an_honest_manifest_and_reruns_to_the_same_data(database, tmp_path):
    snapshot, old, new = tmp_path / "snapshot", tmp_path / "old", tmp_path / "new"
    # The cash books, the snapshot of them, then entries added in every other month and a month's only entry
    # deleted, and for comparison a snapshot of those (written uninterrupted, elsewhere).
    months = int(step(MODULE, "prepare", str(snapshot), str(new), env=database.env))
    shutil.copytree(snapshot, old)
    before, after = contents(old), contents(new)
    changed = sorted(month for month in after[0] if before[0].get(month) != after[0][month])
    lone = f"daily/month={LONE_MONTH}"
    assert len(changed) == months // 2 and after[1].keys() == before[1].keys() - {lone}
    landings = Landings()
    moments = (1, len(changed) // 4, len(changed) // 2)
    for replaced in moments:
        was = inodes(snapshot)
        process = start("snapshot", "--dir", str(snapshot), env=database.env)
        reached = wait_for(
            process, lambda: sum(inodes(snapshot).get(month) != inode for month, inode in was.items()) >= replaced
        )
        killed = kill(process)

        assert_whole(snapshot, before, after)
        assert_readable_by_the_engine(snapshot, features=replaced == moments[-1])
        if not killed or contents(snapshot)[0] == after[0]:
            landings["after"] += 1
            assert killed or process.returncode == 0, output(process)
        else:
            landings["middle" if reached else "before"] += 1
    # The change undone: each month's fingerprint is the old one again.
    database.execute(f"DELETE FROM ledger_entry WHERE note = '{ADDED}'")

    done = naikkelas("snapshot", "--dir", str(snapshot), env=database.env)

    # What an uninterrupted run writes for these books: the first snapshot without the month emptied.
    assert done.returncode == 0, done.stderr
    manifest, tables = contents(snapshot)
    assert manifest == {month: fingerprint for month, fingerprint in before[0].items() if month != LONE_MONTH}
    assert tables.keys() == before[1].keys() - {lone}
    for name, table in tables.items():
        assert table.equals(before[1][name]), f"{name} is not what an uninterrupted run writes"
    assert_readable_by_the_engine(snapshot)
    landings.assert_some_in_the_middle(f"snapshot on {database.engine}")


# ---- Steps run in other processes (`python -m tests.earlywarning.test_snapshot_crash STEP ...`) -------------


def _prepare(snapshot: str, new: str) -> None:
    """Cash books of a few businesses over two years, and one entry alone in a later month, and their snapshot
    in `snapshot`; then an entry added in every other month of the two years and the lone one deleted, and
    the snapshot of that in `new`. Prints the number of months of the two years."""
    from naikkelas.earlywarning.snapshot import write_snapshot
    from naikkelas.ledger.models import Direction, Entry
    from naikkelas.registry.services import business_create

    businesses = [
        business_create(actor=None, name=f"Warung Snapshot {n}", village_code=CATURTUNGGAL) for n in range(BUSINESSES)
    ]
    days = [FIRST_DAY + dt.timedelta(days=n) for n in range(DAYS)]
    Entry.objects.bulk_create(
        [
            Entry(business=business, direction=Direction.IN if (n + i) % 4 else Direction.OUT,
                  amount=10_000 + (n * 7 + i) % 5_000, date=day, category="sales" if (n + i) % 4 else "stock")
            for n, day in enumerate(days)
            for i, business in enumerate(businesses)
        ],
        batch_size=2_000,
    )
    year, month = map(int, LONE_MONTH.split("-"))
    Entry.objects.create(business=businesses[0], direction=Direction.IN, amount=5_000, date=dt.date(year, month, 15),
                         category="sales", note=LONE)
    write_snapshot(Path(snapshot))
    months = sorted({(day.year, day.month) for day in days})
    Entry.objects.bulk_create([
        Entry(business=businesses[n % BUSINESSES], direction=Direction.IN, amount=77_000, date=dt.date(year, month, 15),
              category="sales", note=ADDED)
        for n, (year, month) in enumerate(months) if n % 2
    ])
    Entry.objects.filter(note=LONE).delete()
    write_snapshot(Path(new))
    print(len(months))


if __name__ == "__main__":
    import sys

    import django

    django.setup()
    {"prepare": _prepare}[sys.argv[1]](*sys.argv[2:])
