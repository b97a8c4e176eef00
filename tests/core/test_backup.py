"""Backups taken while the site is in use, and restoring them (core/backup.py, `naikkelas backup` and
`naikkelas restore`).

The restore drill runs the real commands, each in a process of its own, against a database of its own (a
SQLite file, or a throwaway PostgreSQL database): writer processes place orders, mark most of them paid (which
posts the sale to the cash book) and record cash-book entries as fast as they can; a backup is taken while
they write (the test checks that transactions were under way while it ran); the writers stop; the backup is
restored into a fresh, empty database. Every writer logs each transaction once it has committed, with the
times it began and committed, so the test knows exactly what was committed before the backup began: all of
it must be in the restored database. And whatever the restored database holds must be whole, as no half-done
transaction could leave it: every order has its line and the stock it took, every paid order its sale in the
cash book and its events, nothing begun after the backup ended is there, and the site can write on.

A plain copy of the live SQLite file fails this drill: the commits still in its -wal file are missing.

The processes' steps are the functions at the bottom, run as `python -m tests.core.test_backup STEP ...`.
"""

import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import translation

from tests.conftest import require

ROOT = Path(__file__).resolve().parents[2]
WRITERS = 2
INITIAL_STOCK = 1_000_000
# Commits each writer makes before the backup starts, and all of them together after it ends.
BEFORE, AFTER = 40, 40
STEP_TIMEOUT = 120


# ---- The drill ----------------------------------------------------------------------------------------------


def step(*args: str, env: dict, check: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [sys.executable, "-m", "tests.core.test_backup", *args], env=env, cwd=ROOT, capture_output=True,
        text=True, timeout=STEP_TIMEOUT,
    )
    if check:
        assert done.returncode == 0, f"{args[0]} failed:\n{done.stdout}\n{done.stderr}"
    return done


def naikkelas(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "naikkelas", *args], env=env, cwd=ROOT, capture_output=True, text=True,
        timeout=STEP_TIMEOUT,
    )


def base_env() -> dict:
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "NAIKKELAS_ENV"}}
    env.update(DJANGO_SETTINGS_MODULE="naikkelas.settings", DEBUG="false", PYTHONPATH=str(ROOT))
    return env


def sqlite_env(var: Path) -> dict:
    return {**base_env(), "NAIKKELAS_VAR": str(var)}


def journal(path: Path) -> list[tuple[str, int, float, float]]:
    """The writers' log, complete lines only: (what, id, when its transaction began, a moment after it committed)."""
    text = path.read_text() if path.exists() else ""
    lines = text.split("\n")[:-1]
    return [(kind, int(pk), float(began), float(done)) for kind, pk, began, done in (line.split() for line in lines)]


def wait_until(condition, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.05)


def drill(tmp_path: Path, source_env: dict, fresh_env: dict) -> dict:
    """Back up `source_env`'s database during writes, restore into `fresh_env`'s; returns what was seen."""
    started = time.monotonic()
    shops = json.loads(step("prepare", str(WRITERS), env=source_env).stdout)
    logs = [tmp_path / f"writer-{n}.log" for n in range(WRITERS)]
    stop = tmp_path / "stop"
    writers = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.core.test_backup", "write", str(log), str(stop), json.dumps(shop)],
            env=source_env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        for log, shop in zip(logs, shops, strict=True)
    ]
    backup_file = tmp_path / "naikkelas.backup"
    try:
        def running(count: int):
            def check() -> bool:
                for writer in writers:
                    if writer.poll() is not None:
                        pytest.fail(f"a writer stopped early:\n{writer.stdout.read()}")
                return all(len(journal(log)) >= count for log in logs)
            return check

        wait_until(running(BEFORE), "the writers to commit")
        copy = json.loads(step("backup", str(backup_file), env=source_env).stdout)
        after = sum(len(journal(log)) for log in logs) + AFTER
        wait_until(lambda: sum(len(journal(log)) for log in logs) >= after, "the writers to go on after the backup")
    finally:
        stop.touch()
        for writer in writers:
            try:
                writer.wait(timeout=30)
            except subprocess.TimeoutExpired:
                writer.kill()
                writer.wait()
    for writer in writers:
        assert writer.returncode == 0, writer.stdout.read()

    restored = naikkelas("restore", str(backup_file), env=fresh_env)
    assert restored.returncode == 0, restored.stderr
    seen = json.loads(step("inspect", env=fresh_env).stdout)
    again = json.loads(step("restore-again", str(backup_file), env=fresh_env).stdout)
    return {
        "shops": shops,
        "log": sorted((entry for log in logs for entry in journal(log)), key=lambda entry: entry[3]),
        "copy": copy,
        "restore_output": restored.stdout,
        "seen": seen,
        "again": again,
        "seconds": time.monotonic() - started,
    }


def assert_restored_whole(result: dict) -> None:
    log, copy, seen = result["log"], result["copy"], result["seen"]
    orders = {int(pk): order for pk, order in seen["orders"].items()}
    sales = {int(pk): amount for pk, amount in seen["sales"].items()}
    entries = set(seen["entries"])

    # The writers were writing before, while and after the backup ran: "before" committed before it began,
    # "in flight" were under way at some moment while it ran, "later" began after it ended.
    start, end = copy["start"], copy["end"]
    before = [entry for entry in log if entry[3] < start]
    in_flight = [entry for entry in log if entry[2] <= end and entry[3] >= start]
    later = [entry for entry in log if entry[2] > end]
    assert len(before) >= WRITERS * BEFORE and later, (len(before), len(later))
    assert in_flight, f"no transaction was under way while the backup ran ({end - start:.3f} s)"

    # Everything committed before the backup began is there.
    for kind, pk, _began, _done in before:
        if kind == "order":
            assert pk in orders, f"order {pk} committed before the backup is missing"
        elif kind == "paid":
            paid = pk in orders and orders[pk]["paid"] and sales.get(pk) == orders[pk]["total"]
            assert paid, f"payment of order {pk} is missing"
        else:
            assert pk in entries, f"cash-book entry {pk} committed before the backup is missing"

    # Nothing is there that the writers did not commit, and what is there is whole.
    committed = {(kind, pk) for kind, pk, _began, _done in log}
    assert {("order", pk) for pk in orders} <= committed
    assert {("entry", pk) for pk in entries} <= committed
    assert {pk for pk, order in orders.items() if order["paid"]} == set(sales)
    for pk, order in orders.items():
        assert order["lines"] == 1 and order["taken"] > 0, f"order {pk} without its line"
        assert order["events"] == 1 + order["paid"], f"order {pk} without its events"
        if order["paid"]:
            assert sales[pk] == order["total"]
    for shop in result["shops"]:
        taken = sum(order["taken"] for order in orders.values() if order["business"] == shop["business"])
        assert seen["stock"][str(shop["product"])] == INITIAL_STOCK - taken
    assert seen["integrity"] == "ok"
    # What was written while the backup ran may or may not be there; what began after it ended is not.
    assert not {pk for pk in orders} & {pk for kind, pk, _began, _done in later if kind == "order"}
    assert not entries & {pk for kind, pk, _began, _done in later if kind == "entry"}

    # Restoring again over it needs --force, and then gives the same.
    assert "--force" in result["again"]["refused"]
    assert result["again"]["seen"] == seen


def summary(engine: str, result: dict) -> str:
    start, end = result["copy"]["start"], result["copy"]["end"]
    log = result["log"]
    in_flight = sum(1 for _kind, _pk, began, done in log if began <= end and done >= start)
    within = sum(1 for _kind, _pk, began, done in log if began >= start and done <= end)
    return (
        f"{engine} drill: {result['seconds']:.1f} s; {len(log)} commits, backup {end - start:.3f} s with "
        f"{in_flight} transactions under way ({within} begun and committed inside it); "
        f"{len(result['seen']['orders'])} orders restored"
    )


def test_restore_drill_on_sqlite(tmp_path):
    source_env, fresh_env = sqlite_env(tmp_path / "live"), sqlite_env(tmp_path / "fresh")

    result = drill(tmp_path, source_env, fresh_env)

    assert_restored_whole(result)
    assert "Cadangan ditulis ke" in result["copy"]["output"]
    assert "Basis data dipulihkan dari" in result["restore_output"]
    with (tmp_path / "naikkelas.backup").open("rb") as f:
        header = f.read(20)
    assert header[:16] == b"SQLite format 3\x00" and header[18:20] == b"\x01\x01"  # one file, not WAL
    live = naikkelas("backup", str(tmp_path / "live" / "naikkelas.sqlite3"), env=source_env)
    assert live.returncode != 0 and "sedang dipakai" in live.stderr
    print(summary("SQLite", result))


@pytest.mark.postgres
def test_restore_drill_on_postgresql(tmp_path):
    require(all(shutil.which(p) for p in ("createdb", "dropdb", "pg_dump", "pg_restore")),
            "PostgreSQL's client programs (createdb, dropdb, pg_dump, pg_restore)")
    # Two throwaway databases on the suite's server: the live one written to and backed up, the fresh one.
    url = urlsplit(os.environ["DATABASE_URL"])
    names = [f"nk_backup_drill_{os.getpid()}_{which}" for which in ("live", "fresh")]
    server = [f"--{flag}={value}" for flag, value in
              (("host", url.hostname), ("port", url.port), ("username", url.username)) if value]
    pg_env = {**os.environ, **({"PGPASSWORD": url.password} if url.password else {})}

    def pg(*args: str) -> None:
        done = subprocess.run([*args[:1], *server, *args[1:]], env=pg_env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr

    for name in names:
        pg("dropdb", "--if-exists", "--force", name)
        pg("createdb", name)
    try:
        source_env, fresh_env = (
            {**base_env(), "DATABASE_URL": url._replace(path=f"/{name}").geturl()} for name in names
        )

        result = drill(tmp_path, source_env, fresh_env)

        assert_restored_whole(result)
        with (tmp_path / "naikkelas.backup").open("rb") as f:
            assert f.read(5) == b"PGDMP"
        print(summary("PostgreSQL", result))
    finally:
        for name in names:
            pg("dropdb", "--if-exists", "--force", name)


# ---- Refusals, in this process against the test database --------------------------------------------------


def sqlite_file(path: Path, *, ours: bool = True) -> Path:
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE django_migrations (id INTEGER PRIMARY KEY)" if ours else "CREATE TABLE x (y)")
    db.close()
    return path


def pg_dump_file(path: Path) -> Path:
    path.write_bytes(b"PGDMP\x01\x0e\x00" + b"\x00" * 64)
    return path


@pytest.fixture(autouse=True)
def indonesian():
    """The refusals asserted are the Indonesian ones, whatever language a test before left active."""
    with translation.override("id"):
        yield


def restore_refusal(path: Path, **options) -> str:
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(path), **options)
    return str(refused.value)


def test_backup_refuses_a_folder_that_does_not_exist(tmp_path):
    with pytest.raises(CommandError, match="tidak ada"):
        call_command("backup", str(tmp_path / "tidak-ada" / "naikkelas.backup"))


def test_restore_refuses_a_file_that_is_no_backup(tmp_path):
    text = tmp_path / "catatan.txt"
    text.write_text("bukan cadangan")

    assert "bukan berkas cadangan basis data" in restore_refusal(text)
    assert "tidak ada" in restore_refusal(tmp_path / "hilang.backup")


def test_restore_refuses_a_backup_of_the_other_engine(tmp_path):
    if connection.vendor == "sqlite":
        other = pg_dump_file(tmp_path / "pg.backup")
        expected = "adalah cadangan PostgreSQL, sedangkan basis data ini SQLite"
    else:
        other = sqlite_file(tmp_path / "lite.backup")
        expected = "adalah cadangan SQLite, sedangkan basis data ini PostgreSQL"

    assert expected in restore_refusal(other)


def test_restore_refuses_a_damaged_or_foreign_backup(tmp_path):
    if connection.vendor == "sqlite":
        foreign = sqlite_file(tmp_path / "lain.sqlite3", ours=False)
        damaged = tmp_path / "rusak.sqlite3"
        damaged.write_bytes(sqlite_file(tmp_path / "utuh.sqlite3").read_bytes()[:100] + b"\xff" * 4000)
        assert "bukan cadangan Naik Kelas" in restore_refusal(foreign)
    else:
        damaged = pg_dump_file(tmp_path / "rusak.backup")

    assert "rusak" in restore_refusal(damaged)


def test_restore_refuses_a_database_with_tables_without_force(tmp_path, db):
    # A real backup of this engine: the test database's own on PostgreSQL (pg_dump reads it beside this test),
    # an app-shaped file on SQLite (the test database lives in memory, which cannot be backed up).
    from naikkelas.registry.models import Business
    from tests.registry.factories import make_business

    if connection.vendor == "sqlite":
        backup_file = sqlite_file(tmp_path / "naikkelas.backup")
    else:
        call_command("backup", str(tmp_path / "naikkelas.backup"), stdout=io.StringIO())
        backup_file = tmp_path / "naikkelas.backup"
    business = make_business()

    message = restore_refusal(backup_file)

    assert "sudah berisi" in message and "--force" in message
    assert Business.objects.filter(pk=business.pk).exists()


# ---- Steps run in the drill's processes ---------------------------------------------------------------------


def _prepare(writers: str) -> None:
    """Migrate, and open one shop per writer in Caturtunggal (only the regions above it: loading all 91,599
    would double the drill's time and prove nothing more)."""
    from naikkelas.accounts.models import User
    from naikkelas.catalog.models import Product, ShopProfile
    from naikkelas.registry.services import business_create
    from tests.registry.factories import make_caturtunggal

    call_command("migrate", verbosity=0)
    make_caturtunggal()
    shops = []
    for n in range(int(writers)):
        owner = User.objects.create_user(f"+6281277700{n:03d}", role=User.Role.OWNER)
        business = business_create(actor=None, name=f"Warung Uji {n}", village_code="34.04.07.2001", owner=owner)
        ShopProfile.objects.create(business=business)
        product = Product.objects.create(business=business, name="Keripik", price=15000, stock=INITIAL_STOCK)
        shops.append({"owner": owner.pk, "business": business.pk, "product": product.pk})
    print(json.dumps(shops))


def _write(log: str, stop: str, shop: str) -> None:
    """Until `stop` exists: place an order, mark the one before it paid (two of every three), record a cash-book
    entry, each in its own transaction as the site does, logging each after it commits."""
    from django.db import transaction

    from naikkelas.accounts.models import User
    from naikkelas.ledger.services import business_today, entry_record
    from naikkelas.orders.services import order_place
    from naikkelas.payments.services import payment_confirm
    from naikkelas.registry.models import Business

    shop = json.loads(shop)
    owner, business = User.objects.get(pk=shop["owner"]), Business.objects.get(pk=shop["business"])
    previous, n = None, 0
    with open(log, "a") as out:
        def committed(kind: str, pk: int, began: float) -> None:
            out.write(f"{kind} {pk} {began:.6f} {time.time():.6f}\n")
            out.flush()

        while not os.path.exists(stop):
            n += 1
            began = time.time()
            with transaction.atomic():
                order = order_place(
                    business_id=business.pk, lines=[(shop["product"], 1 + n % 3)], buyer_name="Pembeli Uji",
                    buyer_phone="081399990001", buyer_address="", buyer_village_code="", delivery="pickup",
                    payment_method="cod",
                )
            committed("order", order.pk, began)
            if previous is not None and n % 3:
                began = time.time()
                payment_confirm(actor=owner, order_id=previous)
                committed("paid", previous, began)
            previous = order.pk
            began = time.time()
            entry = entry_record(
                actor=owner, business=business, direction="out", amount=1000 + n, date=business_today(business),
                category="stock",
            )
            committed("entry", entry.pk, began)


def _backup(path: str) -> None:
    """The command, timed from just before to just after it, so the test can tell which commits it overlapped."""
    out = io.StringIO()
    start = time.time()
    call_command("backup", path, stdout=out)
    end = time.time()
    print(json.dumps({"start": start, "end": end, "output": out.getvalue()}))


def _restore_again(path: str) -> None:
    """Over a database that now has tables: refused without --force; with it, the same database again, and one
    the site can go on writing to (PostgreSQL's sequences came back with the tables)."""
    import contextlib

    from django.db import transaction

    from naikkelas.catalog.models import Product
    from naikkelas.orders.services import order_place

    try:
        call_command("restore", path)
        refused = ""
    except CommandError as error:
        refused = str(error)
    call_command("restore", path, force=True, stdout=io.StringIO())
    seen = io.StringIO()
    with contextlib.redirect_stdout(seen):
        _inspect()
    product = Product.objects.order_by("pk").first()
    with transaction.atomic():
        order_place(
            business_id=product.business_id, lines=[(product.pk, 1)], buyer_name="Pembeli Sesudah",
            buyer_phone="081399990002", buyer_address="", buyer_village_code="", delivery="pickup",
            payment_method="cod",
        )
    print(json.dumps({"refused": refused, "seen": json.loads(seen.getvalue())}))


def _inspect() -> None:
    """What the restored database holds, for the test to judge."""
    from django.db.models import Count, Sum

    from naikkelas.catalog.models import Product
    from naikkelas.core.models import OutboxEvent
    from naikkelas.ledger.models import Entry, Source
    from naikkelas.orders.models import Order

    events = dict(
        OutboxEvent.objects.filter(topic="order.status_changed").order_by().values_list("key").annotate(n=Count("pk"))
    )
    orders = {
        order.pk: {
            "business": order.business_id, "paid": order.paid_at is not None, "total": order.total,
            "lines": order.line_count, "taken": order.taken or 0, "events": events.get(f"order:{order.pk}", 0),
        }
        for order in Order.objects.annotate(line_count=Count("lines"), taken=Sum("lines__stock_taken"))
    }
    sales = {
        int(key.split(":")[1]): amount
        for key, amount in Entry.objects.filter(source=Source.ORDER).values_list("source_key", "amount")
        if key.endswith(":sale")
    }
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            integrity = cursor.execute("PRAGMA integrity_check").fetchone()[0]
    else:
        integrity = "ok"
    print(json.dumps({
        "orders": orders, "sales": sales,
        "entries": sorted(Entry.objects.filter(source=Source.MANUAL).values_list("pk", flat=True)),
        "stock": {str(pk): stock for pk, stock in Product.objects.values_list("pk", "stock")},
        "integrity": integrity,
    }))


if __name__ == "__main__":
    import django

    django.setup()
    steps = {
        "prepare": _prepare, "write": _write, "backup": _backup, "inspect": _inspect, "restore-again": _restore_again,
    }
    steps[sys.argv[1]](*sys.argv[2:])
