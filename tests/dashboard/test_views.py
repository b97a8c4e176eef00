"""The dashboard's pages, downloads and JSON as officers and programme heads use them: each sees the regions
they may, every picture and file shows the same disclosed numbers, and the nightly refresh keeps them."""

import csv
import datetime as dt
import io
import re

import openpyxl
import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from naikkelas.core import outbox
from naikkelas.core.models import OutboxEvent
from naikkelas.dashboard import tasks
from naikkelas.dashboard.models import Cell, Refresh
from naikkelas.dashboard.refresh import refresh
from naikkelas.regions.models import Region
from tests.registry.factories import CATURTUNGGAL, KRICAK, MIROTO, make_admin, make_business, make_officer

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def world(settings, tmp_path):
    """Seven businesses in Sleman, two in Kota Yogyakarta (DI Yogyakarta, 34) and six in Kota Semarang (33)."""
    settings.SNAPSHOT_DIR = tmp_path / "snapshot"
    for n in range(7):
        make_business(village=CATURTUNGGAL, name=f"Sleman {n}", has_bank_account=n < 3, sector_code="10710")
    for n in range(2):
        make_business(village=KRICAK, name=f"Kricak {n}", has_bank_account=True)
    for n in range(6):
        make_business(village=MIROTO, name=f"Semarang {n}", has_bank_account=False)
    refresh(TODAY)
    return {"officer": make_officer("34"), "admin": make_admin()}


def _json(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.json()


def test_an_officer_sees_their_province_and_the_nations_totals_but_no_other_province(client, world):
    client.force_login(world["officer"])
    page = client.get("/dasbor/").content.decode()
    svg = page[page.index('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 960'):]
    svg = svg[: svg.index("</svg>")]
    assert svg.count("<path ") == 38 and all(re.findall(r' d="M[^"]+"', svg))
    assert 'href="/dasbor/34/?indikator=online_share"' in svg
    assert "/dasbor/33/" not in page  # Jawa Tengah: no link, no figures
    nation = _json(client, "/dasbor/data.json")
    assert nation["latest"]["registered"] == 15  # the nation's total, as an aggregate
    assert [row["code"] for row in nation["children"]] == ["34"]
    assert client.get("/dasbor/33/").status_code == 404
    assert client.get("/dasbor/33.74/data.json").status_code == 404
    assert client.get("/dasbor/33/unduh.xlsx").status_code == 404
    assert client.get("/dasbor/34.04/").status_code == 200


def test_a_region_of_under_five_businesses_is_held_back_with_a_sibling_so_the_total_gives_neither_away(
    client, world
):
    client.force_login(world["officer"])
    province = _json(client, "/dasbor/34/data.json")
    assert province["latest"]["registered"] == 9
    registered = {row["code"]: row["figures"]["registered"] for row in province["children"]}
    assert registered == {"34.04": None, "34.71": None}
    kota = _json(client, "/dasbor/34.71/data.json")
    assert kota["latest"]["registered"] is None and kota["latest"]["bank_share"] is None
    sleman = _json(client, "/dasbor/34.04/data.json")
    assert sleman["latest"]["registered"] == 7
    # 3 of 7 with a bank account: the 3 would single out, so the share (and its complement) is held back.
    assert sleman["latest"]["bank_share"] is None
    page = client.get("/dasbor/34.71/").content.decode()
    assert 'data-indicator="registered">–<' in page


def test_downloads_carry_the_pages_numbers_and_no_formula(client, world):
    Region.objects.filter(code="34.04").update(name='=HYPERLINK("http://contoh.test","klik")')
    Region.objects.filter(code="34.71").update(name="+Kota Yogyakarta")
    make_business(village=KRICAK, name="Kricak 2")
    make_business(village=KRICAK, name="Kricak 3")
    make_business(village=KRICAK, name="Kricak 4")  # five in Kota Yogyakarta now: nothing held back
    refresh(TODAY)
    client.force_login(world["officer"])
    data = _json(client, "/dasbor/34/data.json")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(client.get("/dasbor/34/unduh.xlsx").streaming_content)))
    summary = {row[0]: row[2] for row in book["Ringkasan"].iter_rows(min_row=3, values_only=True)}
    assert summary["registered"] == data["latest"]["registered"] == 12
    assert summary["bank_share"] == pytest.approx(data["latest"]["bank_share"]) == pytest.approx(5 / 12)
    regions = [row for row in book["Wilayah"].iter_rows(min_row=3, values_only=True) if row[0] in ("34.04", "34.71")]
    assert [row[1] for row in regions] == ["'=HYPERLINK(\"http://contoh.test\",\"klik\")", "'+Kota Yogyakarta"]
    assert [row[2] for row in regions] == [7, 5]
    text = client.get("/dasbor/34/unduh.csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    assert ["Wilayah", "34.71", "'+Kota Yogyakarta", "Usaha terdaftar", "5", ""] in rows


def test_programme_heads_compare_the_provinces_lowest_first_and_officers_cannot(client, world):
    make_business(village=KRICAK, name="Kricak tanpa rekening")  # 5 of 10 with an account: shown
    refresh(TODAY)
    client.force_login(world["admin"])
    page = client.get("/dasbor/banding/?indikator=bank_share&urut=rendah&jumlah=5&tingkat=1").content.decode()
    table = page[page.index('id="compare-table"'):]
    assert table.index("Jawa Tengah") < table.index("Yogyakarta")
    assert "0,0%" in table and "50,0%" in table
    client.force_login(world["officer"])
    assert client.get("/dasbor/banding/").status_code == 404


def test_a_sector_or_indicator_the_dashboard_does_not_know_falls_back_to_all_and_the_default(client, world):
    client.force_login(world["officer"])
    response = client.get("/dasbor/34/", {"sektor": "<", "indikator": "<script>"})
    assert response.status_code == 200
    assert "<script>" not in response.content.decode()
    assert _json(client, "/dasbor/34/data.json?sektor=ZZ")["sector"] == ""


def test_pages_read_the_last_finished_refresh_and_a_new_one_replaces_it(client, world):
    first = Refresh.objects.get()
    second = refresh(TODAY)
    assert list(Refresh.objects.values_list("pk", flat=True)) == [second.pk]
    assert not Cell.objects.filter(refresh=first.pk).exists()
    unfinished = Refresh.objects.create(as_of=TODAY + dt.timedelta(days=1))  # a run that stopped halfway
    Cell.objects.create(refresh=unfinished, region="", level=0, sector="", month=TODAY.replace(day=1), registered=1)
    client.force_login(world["officer"])
    assert _json(client, "/dasbor/data.json")["latest"]["registered"] == 15


def test_a_business_counts_from_the_month_it_was_registered(world):
    early = make_business(village=CATURTUNGGAL, name="Lama")
    early.created_at = timezone.make_aware(dt.datetime(2026, 9, 15, 9))
    early.save(update_fields=["created_at"])
    late = make_business(village=CATURTUNGGAL, name="Baru")
    late.created_at = dt.datetime(2026, 10, 31, 17, 30, tzinfo=dt.UTC)  # 1 November, 00:30 in Yogyakarta (WIB)
    late.save(update_fields=["created_at"])
    refresh(TODAY)
    cells = {cell.month.isoformat(): cell.registered for cell in Cell.objects.filter(region="34.04", sector="")}
    assert (cells["2026-09-01"], cells["2026-10-01"], cells[TODAY.replace(day=1).isoformat()]) == (1, 1, 9)
    assert min(cells) == "2026-09-01"


def test_the_worker_books_one_nightly_refresh(db):
    outbox.emit(topic=outbox.WORKER_STARTED, key="worker")
    events = list(OutboxEvent.objects.all())
    tasks.consume(events)
    tasks.consume(events)
    waiting = DBTaskResult.objects.filter(task_path=tasks.nightly.module_path, status="READY")
    assert waiting.count() == 1
    run_after = timezone.localtime(waiting.get().run_after)
    assert run_after.hour == tasks.NIGHTLY_HOUR and run_after > timezone.now()


def test_a_night_with_no_businesses_yet_leaves_an_empty_dashboard_and_books_the_next(client, settings, tmp_path):
    settings.SNAPSHOT_DIR = tmp_path / "snapshot"
    result = tasks.nightly.call()
    assert result["cells"] == 0 and result["as_of"] == (TODAY - dt.timedelta(days=1)).isoformat()
    assert DBTaskResult.objects.filter(task_path=tasks.nightly.module_path, status="READY").count() == 1
    client.force_login(make_admin())
    page = client.get("/dasbor/")
    assert page.status_code == 200 and "Belum ada usaha terdaftar" in page.content.decode()
    assert _json(client, "/dasbor/data.json")["latest"] == {}
