"""`naikkelas snapshot`: the cash books as the engine reads them, month by month, written again only where
something changed, and read back by the engine to the same totals."""

import datetime as dt
import json
from io import StringIO

import ibis
import pyarrow.parquet as pq
import pytest
from django.core.management import call_command

from naikkelas.earlywarning.engine.schema import read
from naikkelas.earlywarning.snapshot import write_snapshot
from naikkelas.ledger.models import Category, Debt, Direction, Entry, Method, Source
from tests.registry.factories import make_business

pytestmark = pytest.mark.django_db


def entry(business, day, amount, direction=Direction.IN, category=Category.SALES, source=Source.MANUAL, **fields):
    return Entry.objects.create(business=business, date=day, amount=amount, direction=direction, category=category,
                                method=Method.CASH, source=source, **fields)


def snapshot(directory) -> str:
    out = StringIO()
    call_command("snapshot", "--dir", str(directory), stdout=out)
    return out.getvalue()


def rows(directory) -> dict:
    con = ibis.duckdb.connect()
    daily, businesses = read(con, directory)
    return {
        "daily": {(r["business_id"], r["date"]): r for r in con.to_pyarrow(daily).to_pylist()},
        "businesses": {r["business_id"]: r for r in con.to_pyarrow(businesses).to_pylist()},
    }


@pytest.fixture
def books():
    warung = make_business(name="Warung Bu Sri", external_ref="UMKM-34-0000001")
    bengkel = make_business(name="Bengkel Jaya")
    may2, may3, jun1 = dt.date(2024, 5, 2), dt.date(2024, 5, 3), dt.date(2024, 6, 1)
    entry(warung, may2, 150_000)
    entry(warung, may2, 50_000)
    entry(warung, may2, 80_000, source=Source.PARTNER)
    entry(warung, may2, 40_000, direction=Direction.OUT, category=Category.STOCK)
    entry(warung, may3, 10_000, category=Category.OTHER)
    entry(bengkel, jun1, 300_000)
    Debt.objects.create(business=warung, kind=Debt.Kind.RECEIVABLE, party="Pak Budi", amount=25_000, date=may3)
    entry(warung, jun1, 10_000, source=Source.DEBT, source_key="debt:1:pay:1")
    return warung, bengkel


def test_the_snapshot_holds_each_days_totals_as_the_schema_defines_them(books, tmp_path):
    warung, bengkel = books
    snapshot(tmp_path)
    got = rows(tmp_path)
    may2 = got["daily"][(warung.pk, dt.date(2024, 5, 2))]
    assert (may2["cash_in"], may2["cash_out"], may2["sales"], may2["sales_count"], may2["channel_sales"]) == (
        280_000, 40_000, 280_000, 3, 80_000,
    )
    may3 = got["daily"][(warung.pk, dt.date(2024, 5, 3))]
    assert (may3["cash_in"], may3["sales"], may3["receivables_change"]) == (10_000, 0, 25_000)  # lent, not sold
    jun1 = got["daily"][(warung.pk, dt.date(2024, 6, 1))]
    assert jun1["receivables_change"] == -10_000  # paid back
    assert got["daily"][(bengkel.pk, dt.date(2024, 6, 1))]["sales"] == 300_000
    assert len(got["daily"]) == 4
    assert got["businesses"][warung.pk]["business_ref"] == "UMKM-34-0000001"
    assert got["businesses"][bengkel.pk]["business_ref"] == f"NK-{bengkel.pk}"
    assert got["businesses"][warung.pk]["regency"] == warung.village_id[:5]
    assert sorted(p.name for p in (tmp_path / "daily").iterdir()) == ["month=2024-05", "month=2024-06"]


def test_a_second_run_writes_only_the_months_that_changed(books, tmp_path):
    warung, _bengkel = books
    assert "2 bulan ditulis" in snapshot(tmp_path)
    june = tmp_path / "daily" / "month=2024-06" / "part.parquet"
    written = june.stat().st_mtime_ns
    assert "0 bulan ditulis" in snapshot(tmp_path) and "2 bulan tetap" in snapshot(tmp_path)
    # a back-dated entry in May and a deletion are both seen; June is left as it was
    entry(warung, dt.date(2024, 5, 20), 5_000)
    assert "1 bulan ditulis" in snapshot(tmp_path)
    assert june.stat().st_mtime_ns == written
    Entry.objects.filter(date=dt.date(2024, 5, 20)).delete()
    assert "1 bulan ditulis" in snapshot(tmp_path)
    assert (warung.pk, dt.date(2024, 5, 20)) not in rows(tmp_path)["daily"]
    # a month with nothing left goes
    Entry.objects.filter(date__month=6).delete()
    assert "1 bulan dihapus" in snapshot(tmp_path)
    assert not (tmp_path / "daily" / "month=2024-06").exists()


def test_a_run_that_stopped_before_its_manifest_is_redone(books, tmp_path):
    snapshot(tmp_path)
    (tmp_path / "manifest.json").unlink()
    assert "2 bulan ditulis" in snapshot(tmp_path)
    assert pq.read_table(tmp_path / "daily" / "month=2024-05" / "part.parquet").num_rows == 2


def test_money_received_by_qris_transfer_or_e_wallet_is_the_days_digital_in(tmp_path):
    shop = make_business(name="Toko Digital")
    day = dt.date(2024, 7, 1)
    for amount, method in ((20_000, Method.QRIS), (30_000, Method.TRANSFER), (5_000, Method.EWALLET),
                           (70_000, Method.CASH)):
        Entry.objects.create(business=shop, date=day, amount=amount, direction=Direction.IN,
                             category=Category.SALES, method=method)
    Entry.objects.create(business=shop, date=day, amount=9_000, direction=Direction.OUT, category=Category.STOCK,
                         method=Method.QRIS)  # paid out, not received
    snapshot(tmp_path)
    assert rows(tmp_path)["daily"][(shop.pk, day)]["digital_in"] == 55_000


def test_a_snapshot_written_before_a_column_was_added_is_written_again_in_full(books, tmp_path):
    assert write_snapshot(tmp_path).months_written == 2
    assert write_snapshot(tmp_path).months_written == 0
    manifest = tmp_path / "manifest.json"
    older = {month: values[:-1] for month, values in json.loads(manifest.read_text()).items()}  # no layout mark
    manifest.write_text(json.dumps(older))
    assert write_snapshot(tmp_path).months_written == 2
    assert rows(tmp_path)["daily"][(books[0].pk, dt.date(2024, 5, 2))]["digital_in"] == 0
