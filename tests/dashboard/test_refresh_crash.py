"""A dashboard refresh killed in the middle leaves the pages showing the last finished refresh, no unfinished
refresh and none of its cells; the next run replaces the old refresh whole.

The real command (`naikkelas indicators --as-of DAY --dir SNAPSHOT`) runs in a process of its own against a
database of its own (tests/crash.py), over forty districts' businesses, so that it writes a few thousand
cells. It writes them, and switches the pages to them, in one transaction: the test kills it once that
transaction has begun to write (PostgreSQL: it has a transaction id; SQLite: it holds the write lock), then
a little later, and later still.
"""

import datetime as dt
import json
import time

import pytest

from tests.crash import ADMIN_PHONE, Landings, crash_database, kill, naikkelas, output, start, step, wait_for

DISTRICTS = 40
PER_VILLAGE = 3
FIRST_REFRESH = dt.date(2024, 6, 30)
NEXT_REFRESH = dt.date(2024, 7, 31)
DELAYS = (0, 0.005, 0.02)
MODULE = "tests.dashboard.test_refresh_crash"


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    database = crash_database(tmp_path_factory)
    yield database
    database.drop()


def refreshes(database) -> list[tuple]:
    """Every refresh: (id, its day, finished, cells it says it has, cells it has)."""
    return [
        (pk, str(as_of), finished, int(cells), int(counted))
        for pk, as_of, finished, cells, counted in database.rows(
            "SELECT r.id, r.as_of, r.finished_at IS NOT NULL, r.cells, "
            "(SELECT count(*) FROM dashboard_cell c WHERE c.refresh_id = r.id) FROM dashboard_refresh r ORDER BY r.id"
        )
    ]


def orphan_cells(database) -> int:
    return database.value(
        "SELECT count(*) FROM dashboard_cell c WHERE NOT EXISTS "
        "(SELECT 1 FROM dashboard_refresh r WHERE r.id = c.refresh_id)"
    )


def assert_nothing_locked(database) -> None:
    if database.engine == "postgresql":
        database.lock_free("LOCK TABLE dashboard_refresh, dashboard_cell IN ACCESS EXCLUSIVE MODE")
    else:
        database.lock_free("DELETE FROM dashboard_cell WHERE 0")


def test_a_killed_refresh_leaves_the_pages_on_the_last_finished_one_and_the_next_run_replaces_it(database, tmp_path):
    snapshot = str(tmp_path / "snapshot")
    shown = json.loads(step(MODULE, "prepare", snapshot, env=database.env))
    first = refreshes(database)
    assert [(as_of, finished) for _pk, as_of, finished, _cells, _counted in first] == [(str(FIRST_REFRESH), True)]
    assert first[0][3] == first[0][4] > 500
    assert shown["as_of"] == str(FIRST_REFRESH) and shown["latest"]
    command = ("indicators", "--as-of", str(NEXT_REFRESH), "--dir", snapshot)
    landings = Landings()
    for delay in DELAYS:
        before = refreshes(database)
        process = start(*command, env=database.env)
        reached = wait_for(process, database.writing)
        time.sleep(delay)
        killed = kill(process)

        now = refreshes(database)
        assert orphan_cells(database) == 0
        assert_nothing_locked(database)
        assert database.integrity() == "ok"
        if killed and now == before:
            landings["middle" if reached else "before"] += 1
            if landings["middle"] == 1 and now == first:
                # What the pages show: the same figures as before the refresh began.
                assert json.loads(step(MODULE, "page", env=database.env)) == shown
        else:
            # Finished before the kill: then whole, and the only one left.
            landings["after"] += 1
            assert killed or process.returncode == 0, output(process)
            assert [(as_of, finished, cells == counted) for _pk, as_of, finished, cells, counted in now] == [
                (str(NEXT_REFRESH), True, True)
            ]

    done = naikkelas(*command, env=database.env)

    assert done.returncode == 0, done.stderr
    last = refreshes(database)
    assert [(as_of, finished) for _pk, as_of, finished, _cells, _counted in last] == [(str(NEXT_REFRESH), True)]
    assert last[0][3] == last[0][4] > 500
    assert orphan_cells(database) == 0
    landings.assert_some_in_the_middle(f"indicators on {database.engine}")


# ---- Steps run in other processes (`python -m tests.dashboard.test_refresh_crash STEP ...`) ------------------


def _prepare(snapshot: str) -> None:
    """Forty districts of Sleman with a village each, a few businesses in each registered over 2023 with a
    cash book, and a finished refresh of them; prints the nation's figures as the dashboard's JSON gives them."""
    from pathlib import Path

    from naikkelas.dashboard.refresh import refresh
    from naikkelas.ledger.models import Direction, Entry
    from naikkelas.regions.models import Region
    from naikkelas.registry.models import Business
    from naikkelas.registry.services import business_create

    regency = Region.objects.get(code="34.04")
    businesses = []
    for n in range(DISTRICTS):
        district = Region.objects.create(
            code=f"34.04.{10 + n}", level=Region.Level.DISTRICT, parent=regency, name=f"Kapanewon {n}",
            search_name=f"kapanewon {n}",
        )
        village = Region.objects.create(
            code=f"{district.code}.2001", level=Region.Level.VILLAGE, parent=district, name=f"Kalurahan {n}",
            search_name=f"kalurahan {n}",
        )
        for k in range(PER_VILLAGE):
            business = business_create(actor=None, name=f"Warung {n}-{k}", village_code=village.code)
            registered = dt.datetime(2023, 1, 1, tzinfo=dt.UTC) + dt.timedelta(days=n * PER_VILLAGE + k)
            Business.objects.filter(pk=business.pk).update(created_at=registered)
            businesses.append(business)
    Entry.objects.bulk_create(
        Entry(business=business, direction=Direction.IN, amount=50_000 + i, category="sales",
              date=dt.date(2023, 1, 5) + dt.timedelta(days=d), method="qris" if d % 2 else "cash")
        for i, business in enumerate(businesses)
        for d in range(0, 570, 15)
    )
    refresh(FIRST_REFRESH, directory=Path(snapshot))
    _page()


def _page() -> None:
    """The nation's figures as the dashboard serves them to an admin (`/dasbor/data.json`)."""
    from django.test import Client
    from django.urls import reverse

    from naikkelas.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(phone=ADMIN_PHONE))
    page = client.get(reverse("dashboard:nation_data"))
    assert page.status_code == 200, page.status_code
    print(page.content.decode())


if __name__ == "__main__":
    import sys

    import django

    django.setup()
    {"prepare": _prepare, "page": _page}[sys.argv[1]](*sys.argv[2:])
