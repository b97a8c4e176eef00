"""An import of businesses killed in the middle of its commit leaves none of the file's businesses, nothing
locked, no batch that claims to be done; running it again writes every business exactly once.

The real command (`naikkelas import businesses FILE --commit`) runs in a process of its own against a
database of its own (tests/crash.py), and is killed with SIGKILL in its writing transaction: on SQLite once
it holds the write lock and a little later each time; on PostgreSQL once the transaction has written its
batch row, then once the COPY of the businesses is under way, and a little later. So the kills land at
different moments of the commit. The officer's import on
the web (upload, preview, commit: registry/importing/batches.py, the services the pages call) is killed the
same way in its commit: the batch stays in preview, and committing it again writes it whole. An upload
killed while its file is checked leaves no batch, and its files are removed by a later upload.
"""

import csv
import os
import time
import uuid
from pathlib import Path

import pytest

from tests.crash import (
    ADMIN_PHONE, CATURTUNGGAL, Landings, crash_database, kill, naikkelas, output, start, step, wait_for,
)

ROWS = 1_500
# When to kill, so that the kills land at different moments of the commit: the signal waited for (see
# `signals`) and how long after it.
MOMENTS = {
    "sqlite": (("writing", 0), ("writing", 0.01), ("writing", 0.025)),  # it holds the lock for some 50 ms
    "postgresql": (("writing", 0), ("copying", 0), ("copying", 0.01)),
}
MODULE = "tests.registry.test_import_crash"


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    database = crash_database(tmp_path_factory)
    yield database
    database.drop()


def write_sheet(path, rows: int) -> str:
    with open(path, "w", newline="") as out:
        sheet = csv.writer(out, delimiter=";")
        sheet.writerow(["ID UMKM", "Nama Usaha", "Nama Pemilik", "No. HP/WA", "NIB", "Kode Desa", "Modal (Rp)"])
        for n in range(1, rows + 1):
            sheet.writerow([
                f"CRASH-{n:05d}", f"Usaha Uji {n:05d}", f"Pemilik {n}", f"0813{n:08d}", f"{9000000000000 + n}",
                CATURTUNGGAL, "25000000",
            ])
    return str(path)


def imported(database) -> tuple[int, int]:
    """The file's businesses in the registry, and how many distinct agency ids they have."""
    return tuple(database.rows(
        "SELECT count(*), count(DISTINCT external_ref) FROM registry_business WHERE external_ref LIKE %s", ["CRASH-%"]
    )[0])


def batches(database) -> list[tuple[str, int]]:
    return database.rows("SELECT status, rows_written FROM registry_importbatch ORDER BY created_at")


def signals(database) -> dict:
    """That the commit is under way: its transaction has written (PostgreSQL: the batch row; SQLite: it holds
    the write lock), or the businesses' COPY has begun (PostgreSQL)."""
    return {"writing": database.writing, "copying": lambda: database.copying("registry_business")}


def reset(database) -> None:
    """Empty the registry of the file's businesses after a kill that landed after the commit."""
    database.execute(
        "DELETE FROM registry_business WHERE external_ref LIKE 'CRASH-%'",
        "DELETE FROM core_auditlog WHERE action LIKE 'import.%'",
        "DELETE FROM registry_importbatch",
    )


def assert_nothing_locked(database) -> None:
    if database.engine == "postgresql":
        database.lock_free("LOCK TABLE registry_business, registry_importbatch IN ACCESS EXCLUSIVE MODE")
    else:
        database.lock_free("DELETE FROM registry_importbatch WHERE 0")


def test_a_killed_import_command_leaves_none_of_the_businesses_and_a_rerun_writes_each_once(database, tmp_path):
    sheet = write_sheet(tmp_path / "umkm.csv", ROWS)
    command = ("import", "businesses", sheet, "--commit", "--import-duplicates", "--officer", ADMIN_PHONE)
    landings = Landings()
    for signal, delay in MOMENTS[database.engine]:
        process = start(*command, env=database.env)
        reached = wait_for(process, signals(database)[signal])
        time.sleep(delay)
        killed = kill(process)

        count, distinct = imported(database)
        assert (count, distinct) in ((0, 0), (ROWS, ROWS)), f"half an import: {count} of {ROWS}"
        # The command writes its batch in the same transaction: no batch without its businesses.
        assert batches(database) == ([("committed", ROWS)] if count else [])
        assert_nothing_locked(database)
        assert database.integrity() == "ok"
        if not killed or count:
            landings["after"] += 1
            assert killed or process.returncode == 0, output(process)
            reset(database)
        else:
            landings["middle" if reached else "before"] += 1
    done = naikkelas(*command, env=database.env)

    assert done.returncode == 0, done.stderr
    assert f"Tersimpan {ROWS:,} usaha".replace(",", ".") in done.stdout
    assert imported(database) == (ROWS, ROWS)
    assert batches(database) == [("committed", ROWS)]
    landings.assert_some_in_the_middle(f"import businesses on {database.engine}")
    reset(database)


def test_a_killed_commit_on_the_web_leaves_the_batch_in_preview_and_it_commits_whole_later(database, tmp_path):
    sheet = write_sheet(tmp_path / "umkm.csv", ROWS)
    # First an upload killed while its file is checked: no batch; its file (NIKs in clear) and scratch stay
    # behind, and go with a later upload once nothing has touched them for a day.
    uploads = database.var / "media" / "imports"
    process = start("upload", sheet, env=database.env, module=MODULE)
    assert wait_for(process, lambda: any(uploads.glob("*.scratch.sqlite3"))) and kill(process), output(process)
    assert batches(database) == []
    left_behind = sorted(uploads.iterdir())
    a_day_ago = time.time() - 25 * 60 * 60
    for path in left_behind:
        os.utime(path, (a_day_ago, a_day_ago))
    landings = Landings()
    for _attempt in range(3):  # until a kill lands in the middle of the commit (the first, as a rule)
        batch = step(MODULE, "upload", sheet, env=database.env).strip()
        process = start("commit", batch, env=database.env, module=MODULE)
        reached = wait_for(process, signals(database)["writing"])
        killed = kill(process)

        count, _distinct = imported(database)
        assert count in (0, ROWS), f"half an import: {count} of {ROWS}"
        assert_nothing_locked(database)
        if killed and not count:
            landings["middle" if reached else "before"] += 1
            break
        landings["after"] += 1
        reset(database)
    assert not any(path.exists() for path in left_behind)
    assert batches(database) == [("previewed", 0)]

    # What the officer's page shows, then "Simpan" again, then the page.
    shown = step(MODULE, "commit", batch, "--show", env=database.env).split()

    # Before: the batch still in preview, nothing written, "Simpan" offered again. After: saved whole.
    assert shown == ["previewed", "can_commit", "committed", "done"]
    assert imported(database) == (ROWS, ROWS)
    assert batches(database) == [("committed", ROWS)]
    landings.assert_some_in_the_middle(f"web commit on {database.engine}")
    reset(database)


@pytest.mark.django_db
def test_a_later_upload_removes_only_what_killed_processes_left_behind(tmp_path):
    """Kept: a batch in preview (the officer may still save it), and anything touched within the day (an upload
    being checked now). Removed: old files without a batch, and a committed batch's."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from naikkelas.registry.importing import batches as web
    from naikkelas.registry.models import ImportBatch
    from tests.registry.factories import make_admin

    admin = make_admin()
    sheet = Path(write_sheet(tmp_path / "umkm.csv", 3)).read_bytes()

    def upload():
        return web.import_upload(actor=admin, uploaded_file=SimpleUploadedFile("umkm.csv", sheet))

    in_preview = upload()
    committed = ImportBatch.objects.create(uploaded_by=admin, original_name="lama.csv", stored_path="x",
                                           status=ImportBatch.Status.COMMITTED)
    folder = web.upload_dir()
    orphan, fresh_orphan = uuid.uuid4(), uuid.uuid4()
    for name in (f"{orphan.hex}.csv", f"{orphan.hex}.scratch.sqlite3", f"{fresh_orphan.hex}.csv",
                 f"{committed.pk.hex}.csv", "catatan.txt"):
        (folder / name).write_text("x")
    a_day_ago = time.time() - web.LEFT_BEHIND_SECONDS - 60
    for path in folder.iterdir():
        if not path.name.startswith(fresh_orphan.hex):
            os.utime(path, (a_day_ago, a_day_ago))

    upload()

    left = {path.name for path in folder.iterdir()}
    assert {web.stored_file(in_preview).name, web.scratch_file(in_preview.pk).name} <= left
    assert {f"{fresh_orphan.hex}.csv", "catatan.txt"} <= left
    assert not left & {f"{orphan.hex}.csv", f"{orphan.hex}.scratch.sqlite3", f"{committed.pk.hex}.csv"}


# ---- Steps run in other processes (`python -m tests.registry.test_import_crash STEP ...`) -------------------


def _admin():
    from naikkelas.accounts.models import User

    return User.objects.get(phone=ADMIN_PHONE)


def _upload(path: str) -> None:
    """The officer's upload, as the upload page makes it: the file stored and checked, a batch in preview."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from naikkelas.registry.importing.batches import import_upload

    with open(path, "rb") as file:
        uploaded = SimpleUploadedFile("umkm.csv", file.read(), content_type="text/csv")
    print(import_upload(actor=_admin(), uploaded_file=uploaded).pk)


def _commit(batch_id: str, show: str = "") -> None:
    """The preview page's "Simpan" with "import anyway" for every likely duplicate; with --show, the page before
    and after."""
    from naikkelas.registry.importing.batches import access_import_batch, import_commit

    admin = _admin()
    if show:
        _page(batch_id)
    import_commit(actor=admin, batch=access_import_batch(admin, uuid.UUID(batch_id)), decisions={"default": "import"})
    if show:
        _page(batch_id)


def _page(batch_id: str) -> None:
    """What the officer's preview page shows of the batch: its status, and whether it offers to save it."""
    from django.test import Client
    from django.urls import reverse

    from naikkelas.registry.models import ImportBatch

    client = Client()
    client.force_login(_admin())
    page = client.get(reverse("registry:import_preview", args=[batch_id]))
    assert page.status_code == 200, page.status_code
    html = page.content.decode()
    status = ImportBatch.objects.get(pk=uuid.UUID(batch_id)).status
    print(status, "can_commit" if 'value="commit"' in html else "done")


if __name__ == "__main__":
    import sys

    import django

    django.setup()
    {"upload": _upload, "commit": _commit}[sys.argv[1]](*sys.argv[2:])
