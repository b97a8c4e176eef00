"""The snapshot: the cash book as the engine reads it (engine/schema.py), in Parquet, one folder per month.

    <SNAPSHOT_DIR>/daily/month=2025-08/part.parquet   one row per business and day with anything recorded
    <SNAPSHOT_DIR>/businesses.parquet                who each business is, and its peers
    <SNAPSHOT_DIR>/manifest.json                     what each month held when it was written

Incremental: a month is written again only when its entries or receivables changed since the last run (a
fingerprint of their count, amounts and ids per month, so that an added, deleted or back-dated entry shows).
Each file is written beside its place and moved into it; the manifest first stops vouching for the months
about to be written or removed, and vouches for every month last, so a run that stops halfway leaves every
file whole, no month vouched for that holds anything else, and the next run writes again what the manifest
does not vouch for.
"""

import datetime as dt
import json
import os
import shutil
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from django.conf import settings
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth

from naikkelas.earlywarning.engine.schema import BUSINESSES, DAILY
from naikkelas.ledger.models import Debt, Direction, Entry, Method, Source
from naikkelas.registry.models import Business


# The columns of a month's file, in the order DAILY gives them after business and day. LAYOUT is part of each
# month's fingerprint, so that a snapshot written before a column was added is written again in full.
DAY_COLUMNS = ("cash_in", "cash_out", "sales", "sales_count", "channel_sales", "receivables_change", "digital_in")
LAYOUT = 2
DIGITAL_METHODS = (Method.QRIS, Method.TRANSFER, Method.EWALLET)


def snapshot_dir() -> Path:
    return Path(settings.SNAPSHOT_DIR)


@dataclass
class SnapshotSummary:
    months_written: int = 0
    months_kept: int = 0
    months_removed: int = 0
    rows_written: int = 0
    businesses: int = 0


def _month_key(day) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _whole(*values) -> list[int]:
    # PostgreSQL sums a bigint column as numeric (a Decimal here); the counts are whole either way.
    return [int(value) for value in values]


def _fingerprints() -> dict[str, list[int]]:
    prints: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0, 0])
    for row in Entry.objects.annotate(month=TruncMonth("date")).values("month").annotate(
        n=Count("pk"), amount=Sum("amount"), ids=Sum("pk")
    ):
        prints[_month_key(row["month"])][:3] = _whole(row["n"], row["amount"], row["ids"])
    receivables = Debt.objects.filter(kind=Debt.Kind.RECEIVABLE)
    for row in receivables.annotate(month=TruncMonth("date")).values("month").annotate(
        n=Count("pk"), amount=Sum("amount"), ids=Sum("pk")
    ):
        prints[_month_key(row["month"])][3:] = _whole(row["n"], row["amount"], row["ids"])
    return {month: [*values, LAYOUT] for month, values in prints.items()}


def _month_table(month: str) -> pa.Table:
    first = dt.date(int(month[:4]), int(month[5:]), 1)
    after = (first + dt.timedelta(days=32)).replace(day=1)
    days: dict[tuple[int, dt.date], list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0, 0, 0])
    money_in, sales = Q(direction=Direction.IN), Q(direction=Direction.IN, category="sales")
    rows = (
        Entry.objects.filter(date__gte=first, date__lt=after)
        .values("business_id", "date")
        .annotate(
            cash_in=Sum("amount", filter=money_in, default=0),
            cash_out=Sum("amount", filter=Q(direction=Direction.OUT), default=0),
            sales=Sum("amount", filter=sales, default=0),
            sales_count=Count("pk", filter=sales),
            channel_sales=Sum("amount", filter=sales & Q(source=Source.PARTNER), default=0),
            repaid=Sum("amount", filter=money_in & Q(source=Source.DEBT), default=0),
            digital_in=Sum("amount", filter=money_in & Q(method__in=DIGITAL_METHODS), default=0),
        )
    )
    for row in rows:
        days[(row["business_id"], row["date"])] = _whole(
            row["cash_in"], row["cash_out"], row["sales"], row["sales_count"], row["channel_sales"], -row["repaid"],
            row["digital_in"],
        )
    lent = (
        Debt.objects.filter(kind=Debt.Kind.RECEIVABLE, date__gte=first, date__lt=after)
        .values("business_id", "date")
        .annotate(amount=Sum("amount"))
    )
    for row in lent:
        days[(row["business_id"], row["date"])][5] += int(row["amount"])
    keys = sorted(days)
    columns = list(zip(*(days[key] for key in keys))) if keys else [[]] * len(DAY_COLUMNS)
    return pa.table(
        {
            "business_id": [key[0] for key in keys],
            "date": [key[1] for key in keys],
            **dict(zip(DAY_COLUMNS, columns)),
        },
        schema=DAILY.to_pyarrow(),
    )


def _businesses_table() -> pa.Table:
    with_books = Entry.objects.values("business_id").distinct()
    rows = Business.objects.filter(pk__in=with_books).values_list(
        "pk", "external_ref", "sector__kategori", "sector_id", "village_id"
    )
    records = [
        {"business_id": pk, "business_ref": ref or f"NK-{pk}", "kategori": kategori or "", "sector": sector or "",
         "regency": (village or "")[:5]}
        for pk, ref, kategori, sector, village in rows.order_by("pk")
    ]
    return pa.Table.from_pylist(records, schema=BUSINESSES.to_pyarrow())


def _write(table: pa.Table, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    pq.write_table(table, partial)
    os.replace(partial, path)


def write_snapshot(directory: Path | None = None) -> SnapshotSummary:
    """Bring the snapshot in `directory` (default snapshot_dir()) up to date with the cash books."""
    directory = Path(directory or snapshot_dir())
    manifest_path = directory / "manifest.json"
    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    prints = _fingerprints()
    summary = SnapshotSummary()
    # Before a month's file is replaced or removed, the manifest stops vouching for it: a run killed after
    # replacing a month would otherwise leave the new data under the old fingerprint, and if the change were
    # then undone (the fingerprint back to the old one) the next run would keep that file for good.
    vouched = {
        month: fingerprint for month, fingerprint in manifest.items()
        if prints.get(month) == fingerprint and (directory / "daily" / f"month={month}" / "part.parquet").exists()
    }
    if vouched != manifest:
        _write_manifest(vouched, manifest_path)
    for month, fingerprint in sorted(prints.items()):
        partition = directory / "daily" / f"month={month}" / "part.parquet"
        if vouched.get(month) == fingerprint:
            summary.months_kept += 1
            continue
        table = _month_table(month)
        _write(table, partition)
        summary.months_written += 1
        summary.rows_written += table.num_rows
    # Every folder of a month without entries goes, named in the manifest or not: a run killed after the
    # manifest stopped vouching for a month, and before its folder went, leaves the folder unnamed.
    for folder in sorted((directory / "daily").glob("month=*")):
        if folder.name.removeprefix("month=") not in prints:
            shutil.rmtree(folder, ignore_errors=True)
            summary.months_removed += 1
    businesses = _businesses_table()
    _write(businesses, directory / "businesses.parquet")
    summary.businesses = businesses.num_rows
    _write_manifest(prints, manifest_path)
    return summary


def _write_manifest(prints: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name("manifest.json.partial")
    partial.write_text(json.dumps(prints, sort_keys=True))
    os.replace(partial, path)
