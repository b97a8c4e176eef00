"""A cash-book import killed in the middle leaves no entry of the file, nothing locked, and no mark that the
file was imported; running it again writes the file's entries exactly once.

The real command (`naikkelas import ledger FILE --commit --progress`) runs in a process of its own against a
database of its own (tests/crash.py). It prints a line to stderr as each batch of rows has been judged, just
before the batch is written, and writes a batch while it judges the next: once the second line is out, the
first batch is in the transaction and more are to come. The kills land after the first, second and third
line, so at different depths of the one transaction.
"""

import csv
import datetime as dt

import pytest

from tests.crash import (
    CATURTUNGGAL, Landings, crash_database, kill, naikkelas, output, start, stderr_so_far, step, wait_for,
)

BUSINESSES = 20
MODULE = "tests.ledger.test_import_crash"


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    database = crash_database(tmp_path_factory)
    step(MODULE, "prepare", env=database.env)
    yield database
    database.drop()


def write_book(path) -> tuple[str, dict[str, list[int]]]:
    """The cash books of the prepared businesses; the file, and its entries' count and sum per business. Four
    batches: the kills after lines 1 to 3 leave batches still to write."""
    from naikkelas.ledger.importing import BATCH_SIZE

    first = dt.date(2024, 1, 1)
    books: dict[str, list[int]] = {}
    with open(path, "w", newline="") as out:
        book = csv.writer(out)
        book.writerow(["business_ref", "date", "direction", "amount", "category"])
        for n in range(3 * BATCH_SIZE + 1_000):
            ref, amount, in_or_out = f"BUKU-{n % BUSINESSES:03d}", 10_000 + n % 997, "in" if n % 3 else "out"
            book.writerow([ref, first + dt.timedelta(days=n // BUSINESSES % 700), in_or_out, amount,
                           "sales" if in_or_out == "in" else "stock"])
            count_and_sum = books.setdefault(ref, [0, 0])
            count_and_sum[0] += 1
            count_and_sum[1] += amount
    return str(path), books


def entries(database) -> dict[str, list[int]]:
    """The imported entries' count and sum per business."""
    return {ref: [int(count), int(total)] for ref, count, total in database.rows(
        "SELECT b.external_ref, count(*), sum(e.amount) FROM ledger_entry e "
        "JOIN registry_business b ON b.id = e.business_id WHERE e.source = 'import' GROUP BY b.external_ref"
    )}


def marked_imported(database) -> int:
    return database.value("SELECT count(*) FROM core_auditlog WHERE action = 'ledger.import_bulk'")


def assert_nothing_locked(database) -> None:
    if database.engine == "postgresql":
        database.lock_free("LOCK TABLE ledger_entry, registry_business IN ACCESS EXCLUSIVE MODE")
    else:
        database.lock_free("DELETE FROM ledger_entry WHERE 0")


def test_a_killed_cash_book_import_leaves_no_entry_and_a_rerun_writes_each_once(database, tmp_path):
    book, books = write_book(tmp_path / "buku.csv")
    command = ("import", "ledger", book, "--commit", "--progress")
    landings = Landings()
    for lines in (1, 2, 3):
        process = start(*command, env=database.env)
        reached = wait_for(process, lambda: stderr_so_far(process).count("baris") >= lines)
        killed = kill(process)

        written = entries(database)
        assert written in ({}, books), f"half an import: {written}"
        assert marked_imported(database) == (1 if written else 0)
        assert_nothing_locked(database)
        assert database.integrity() == "ok"
        if not killed or written:
            landings["after"] += 1
            assert killed or process.returncode == 0, output(process)
            database.execute(
                "DELETE FROM ledger_entry", "DELETE FROM core_auditlog WHERE action = 'ledger.import_bulk'"
            )
        else:
            landings["middle" if reached else "before"] += 1

    done = naikkelas(*command[:-1], env=database.env)

    assert done.returncode == 0, done.stderr
    rows = sum(count for count, _sum in books.values())
    assert f"Tersimpan {rows:,} catatan".replace(",", ".") in done.stdout
    assert entries(database) == books
    assert marked_imported(database) == 1
    landings.assert_some_in_the_middle(f"import ledger on {database.engine}")


# ---- Steps run in other processes (`python -m tests.ledger.test_import_crash STEP`) --------------------------


def _prepare() -> None:
    """The businesses the file names, by their agency ids."""
    from naikkelas.registry.services import business_create

    for n in range(BUSINESSES):
        business_create(actor=None, name=f"Warung Buku {n}", village_code=CATURTUNGGAL, external_ref=f"BUKU-{n:03d}")


if __name__ == "__main__":
    import sys

    import django

    django.setup()
    {"prepare": _prepare}[sys.argv[1]](*sys.argv[2:])
