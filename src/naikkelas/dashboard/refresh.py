"""The nightly refresh: the records of every business, counted into the dashboard's cells (models.Cell).

What each count means is written in docs/INDICATORS.md; in short, for a month whose last counted day is `e`
(the month's end, or `as_of` for the month the refresh runs in):
- a business counts from the day it was registered (in its province's time zone) to the end;
- readiness is the level of its latest assessment by `e`, or the level it was registered with if it was never
  assessed; size class, bank account and owner's birth year are as the registry holds them now;
- "online", "digital" and "active" ask whether something happened in the 30 days up to `e`: an order not
  cancelled nor refunded or a partner's sales report with sales (online), money received by QRIS, transfer
  or e-wallet in the cash book (digital), a sale in the cash book (active);
- orders and gross sales are the month's, from the business's own storefront, and through partners: their
  sales reports, and the orders they placed through the API on days they sent no report (a report holds
  those orders already);
- risk is the tier of each business scored on the month's last scoring day (the model's score where there is
  one, else the baseline's);
- help is counted in the month it was given, with its outcome as the help pages show it.

The registry, orders, scores and help are read once from the database; the cash book is read from the early
warning's snapshot (brought up to date first). DuckDB counts each business-month once, at the finest cells
(month × district × kategori), and adds those up for regencies, provinces and the nation, with and without
the kategori. The cells are written under a new `Refresh`; pages switch to it only when it is finished.
"""

import datetime as dt
import time
from pathlib import Path

import duckdb
import pyarrow as pa
from django.db import transaction
from django.db.models import BigIntegerField, Func, Max, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from naikkelas.core.bulk import bulk_insert_columns, db_value
from naikkelas.dashboard.models import COUNTS, Cell, Refresh
from naikkelas.earlywarning import selectors as risk
from naikkelas.earlywarning.models import Intervention, RiskScore
from naikkelas.earlywarning.snapshot import snapshot_dir, write_snapshot
from naikkelas.orders.models import Order, Status
from naikkelas.partners.models import SalesReport
from naikkelas.regions.models import Region
from naikkelas.registry.models import Business, ReadinessAssessment

MONTHS = 24  # how far back the monthly series reach
WINDOW_DAYS = 30  # "in the last 30 days"
BATCH = 50_000


def months_until(as_of: dt.date, first: dt.date | None) -> list[tuple[dt.date, dt.date]]:
    """(first day, last counted day) of each month from `first`'s (at most MONTHS back) to `as_of`'s."""
    start = as_of.replace(day=1)
    earliest = (first or as_of).replace(day=1)
    months = []
    while len(months) < MONTHS and start >= earliest:
        end = min((start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1), as_of)
        months.append((start, end))
        start = (start - dt.timedelta(days=1)).replace(day=1)
    return months[::-1]


def _table(rows, names: tuple[str, ...], types: tuple[pa.DataType, ...]) -> pa.Table:
    """An Arrow table from database rows, read in batches so no Python list holds them all at once."""
    schema = pa.schema(list(zip(names, types)))
    batches, chunk = [], []
    for row in rows:
        chunk.append(row)
        if len(chunk) == BATCH:
            batches.append(pa.RecordBatch.from_arrays([pa.array(c, t) for c, t in zip(zip(*chunk), types)], schema=schema))
            chunk = []
    if chunk:
        batches.append(pa.RecordBatch.from_arrays([pa.array(c, t) for c, t in zip(zip(*chunk), types)], schema=schema))
    return pa.Table.from_batches(batches, schema=schema)


UTC = pa.timestamp("s", tz="UTC")


class Epoch(Func):
    """A moment as whole seconds since 1970 (UTC): read as an integer, it costs a fraction of a datetime
    parsed into Python (a third of the refresh at a million businesses)."""

    output_field = BigIntegerField()

    def as_sql(self, compiler, connection, **extra):  # PostgreSQL
        return super().as_sql(compiler, connection, template="EXTRACT(EPOCH FROM %(expressions)s)::bigint", **extra)

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, template="CAST(strftime('%%%%s', %(expressions)s) AS INTEGER)",
                              **extra)


def _businesses() -> pa.Table:
    rows = Business.objects.values_list(
        "pk", "village_id", "sector__kategori", "size_class", "readiness_level", "has_bank_account",
        "owner_birth_year", Epoch("created_at"),
    ).order_by().iterator(chunk_size=BATCH)
    return _table(
        rows,
        ("business_id", "village", "kategori", "size", "level", "bank", "birth_year", "created_at"),
        (pa.int64(), pa.string(), pa.string(), pa.string(), pa.int16(), pa.bool_(), pa.int16(), UTC),
    )


def _assessments() -> pa.Table:
    rows = ReadinessAssessment.objects.values_list("business_id", Epoch("at"), "level").order_by()
    rows = rows.iterator(chunk_size=BATCH)
    return _table(rows, ("business_id", "at", "level"), (pa.int64(), UTC, pa.int16()))


def _orders(since: dt.datetime) -> pa.Table:
    counted = Order.objects.filter(created_at__gte=since).exclude(status__in=(Status.CANCELLED, Status.REFUNDED))
    rows = counted.values_list("business_id", Epoch("created_at"), "channel", "total").order_by()
    rows = rows.iterator(chunk_size=BATCH)
    return _table(rows, ("business_id", "created_at", "channel", "total"), (pa.int64(), UTC, pa.string(), pa.int64()))


def _sales_reports(since: dt.date) -> pa.Table:
    rows = SalesReport.objects.filter(date__gte=since).filter(Q(orders__gt=0) | Q(gross_amount__gt=0))
    rows = rows.values_list("business_id", "date", "partner__slug", "orders", "gross_amount")
    return _table(rows.order_by().iterator(chunk_size=BATCH), ("business_id", "day", "partner", "orders", "gross"),
                  (pa.int64(), pa.date32(), pa.string(), pa.int64(), pa.int64()))


def _scores(months) -> pa.Table:
    """The scores of each month's last scoring day, the model's before the baseline's."""
    first, last = months[0][0], months[-1][1]
    days = (
        RiskScore.objects.filter(as_of__gte=first, as_of__lte=last)
        .annotate(month=TruncMonth("as_of")).values("month").annotate(day=Max("as_of")).values_list("day", flat=True)
    )
    rows = RiskScore.objects.filter(as_of__in=list(days)).values_list("business_id", "as_of", "method", "tier")
    return _table(rows.order_by().iterator(chunk_size=BATCH), ("business_id", "day", "method", "tier"),
                  (pa.int64(), pa.date32(), pa.string(), pa.string()))


def _help(months, as_of: dt.date) -> pa.Table:
    """Help given in the months counted, each with its outcome as the help pages judge it."""
    given = Intervention.objects.filter(
        status=Intervention.Status.DONE, done_on__gte=months[0][0], done_on__lte=as_of
    ).order_by("pk")
    given = list(given)
    judged = risk.outcomes(given, today=as_of)
    rows = [(item.business_id, item.done_on, judged[item.pk].risk_fell, judged[item.pk].survived) for item in given]
    return _table(rows, ("business_id", "day", "fell", "survived"), (pa.int64(), pa.date32(), pa.bool_(), pa.bool_()))


def _zones() -> pa.Table:
    rows = Region.objects.filter(level=1).values_list("code", "timezone")
    return _table(rows, ("province", "zone"), (pa.string(), pa.string()))


def _cash_book(con, directory: Path, since: dt.date, as_of: dt.date) -> None:
    """Per business and month: the last day with a sale and the last with money received digitally."""
    files = sorted(directory.glob("daily/month=*/part.parquet"))
    if not files:
        con.execute("CREATE TABLE book AS SELECT 0::BIGINT AS business_id, DATE '2000-01-01' AS month, "
                    "NULL::DATE AS last_sale, NULL::DATE AS last_digital WHERE false")
        return
    con.execute(
        """
        CREATE TABLE book AS
        SELECT business_id, date_trunc('month', date)::DATE AS month,
               max(date) FILTER (WHERE sales > 0) AS last_sale,
               max(date) FILTER (WHERE digital_in > 0) AS last_digital
        FROM read_parquet(?)
        WHERE date BETWEEN ? AND ? AND (sales > 0 OR digital_in > 0)
        GROUP BY ALL
        """,
        [[str(f) for f in files], since, as_of],
    )


def compute(as_of: dt.date, *, directory: Path | None = None) -> pa.Table:
    """Every cell for the months up to `as_of`, as an Arrow table with Cell's columns (no refresh id)."""
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    businesses = _businesses()
    con.register("businesses", businesses)
    first = con.sql("SELECT min(created_at)::DATE FROM businesses").fetchall()[0][0]
    months = months_until(as_of, min(first, as_of) if first else None)
    since = months[0][0] - dt.timedelta(days=WINDOW_DAYS + 31)  # the first month's window reaches back
    tables = {
        "assessments": _assessments(),
        "zones": _zones(),
        "orders": _orders(dt.datetime.combine(since, dt.time(), tzinfo=dt.UTC)),
        "reports": _sales_reports(since),
        "scores": _scores(months),
        "helped": _help(months, as_of),
        "month_table": pa.table({"month": [m for m, _ in months], "e": [e for _, e in months]}),
    }
    for name, table in tables.items():
        con.register(name, table)
    _cash_book(con, Path(directory or snapshot_dir()), since, as_of)
    con.execute(SQL, {"as_of": as_of, "window": WINDOW_DAYS - 1})
    return con.sql(ROLLUP).to_arrow_table()


# Each business-month once, with what it counts towards; then the finest cells; ROLLUP adds them up.
SQL = """
CREATE TABLE fine AS
WITH
zoned AS (
    SELECT b.*, coalesce(nullif(z.zone, ''), 'Asia/Jakarta') AS zone
    FROM businesses b LEFT JOIN zones z ON z.province = substr(b.village, 1, 2)
),
b AS (
    SELECT business_id, substr(village, 1, 8) AS district, coalesce(kategori, '') AS kategori, size, bank,
           birth_year, CAST(timezone(zone, created_at) AS DATE) AS registered, zone,
           -- never assessed: the level it was registered with stands
           CASE WHEN business_id NOT IN (SELECT business_id FROM assessments) THEN level END AS registered_level
    FROM zoned
),
assessed AS (
    SELECT a.business_id, CAST(timezone(b.zone, a.at) AS DATE) AS day, arg_max(a.level, a.at) AS level
    FROM assessments a JOIN b USING (business_id) GROUP BY ALL
),
ordered AS (
    SELECT o.business_id, CAST(timezone(b.zone, o.created_at) AS DATE) AS day, o.channel, o.total
    FROM orders o JOIN b USING (business_id)
),
through_partners AS (  -- a partner's report for a day holds the orders it placed through the API that day too
    SELECT business_id, day, orders, gross FROM reports
    UNION ALL
    SELECT o.business_id, o.day, count(*), sum(o.total) FROM ordered o
    WHERE o.channel <> '' AND NOT EXISTS (
        SELECT 1 FROM reports r
        WHERE r.business_id = o.business_id AND r.day = o.day AND 'partner:' || r.partner = o.channel
    )
    GROUP BY ALL
),
sold_online AS (  -- per business and month, the last day with an order or a partner's reported sale
    SELECT business_id, date_trunc('month', day)::DATE AS month, max(day) AS day FROM (
        SELECT business_id, day FROM ordered UNION ALL SELECT business_id, day FROM reports
    ) WHERE day <= $as_of GROUP BY ALL
),
sales AS (
    SELECT business_id, date_trunc('month', day)::DATE AS month, count(*) AS orders, sum(total) AS gross
    FROM ordered WHERE day <= $as_of AND channel = '' GROUP BY ALL
),
reported AS (
    SELECT business_id, date_trunc('month', day)::DATE AS month, sum(orders) AS orders, sum(gross) AS gross
    FROM through_partners WHERE day <= $as_of GROUP BY ALL
),
scored AS (
    SELECT business_id, date_trunc('month', day)::DATE AS month, arg_max(tier, method = 'model') AS tier
    FROM scores GROUP BY ALL
),
help AS (
    SELECT business_id, date_trunc('month', day)::DATE AS month, count(*) AS given,
           count(*) FILTER (WHERE fell) AS fell, count(fell) AS fell_known,
           count(*) FILTER (WHERE survived) AS survived, count(survived) AS survived_known
    FROM helped GROUP BY ALL
),
sale_days AS (SELECT business_id, month AS m, last_sale AS day FROM book WHERE last_sale IS NOT NULL),
digital_days AS (SELECT business_id, month AS m, last_digital AS day FROM book WHERE last_digital IS NOT NULL),
bm AS (
    SELECT b.*, m.month, m.e FROM b JOIN month_table m ON b.registered <= m.e
),
facts AS (
    SELECT bm.*,
           coalesce(lv.level, bm.registered_level) AS level_then,
           so.day >= bm.e - $window AS online,
           dd.day >= bm.e - $window AS digital,
           sd.day >= bm.e - $window AS active
    FROM bm
    ASOF LEFT JOIN assessed lv ON lv.business_id = bm.business_id AND bm.e >= lv.day
    ASOF LEFT JOIN sold_online so ON so.business_id = bm.business_id AND bm.e >= so.day
    ASOF LEFT JOIN digital_days dd ON dd.business_id = bm.business_id AND bm.e >= dd.day
    ASOF LEFT JOIN sale_days sd ON sd.business_id = bm.business_id AND bm.e >= sd.day
),
stock AS (  -- what each business is at the month's end
    SELECT month, district, kategori,
           count(*) AS registered,
           count(*) FILTER (WHERE size = 'micro') AS size_micro,
           count(*) FILTER (WHERE size = 'small') AS size_small,
           count(*) FILTER (WHERE size = 'medium') AS size_medium,
           count(*) FILTER (WHERE size = 'large') AS size_large,
           count(*) FILTER (WHERE coalesce(size, '') NOT IN ('micro', 'small', 'medium', 'large')) AS size_unknown,
           count(*) FILTER (WHERE level_then = 0) AS level_0,
           count(*) FILTER (WHERE level_then = 1) AS level_1,
           count(*) FILTER (WHERE level_then = 2) AS level_2,
           count(*) FILTER (WHERE level_then = 3) AS level_3,
           count(*) FILTER (WHERE level_then = 4) AS level_4,
           count(*) FILTER (WHERE level_then IS NULL) AS level_unknown,
           count(*) FILTER (WHERE online) AS online,
           count(*) FILTER (WHERE digital) AS digital,
           count(*) FILTER (WHERE bank) AS bank,
           count(*) FILTER (WHERE active) AS active,
           count(*) FILTER (WHERE year(e) - birth_year < 25) AS age_under_25,
           count(*) FILTER (WHERE year(e) - birth_year BETWEEN 25 AND 34) AS age_25_34,
           count(*) FILTER (WHERE year(e) - birth_year BETWEEN 35 AND 44) AS age_35_44,
           count(*) FILTER (WHERE year(e) - birth_year BETWEEN 45 AND 54) AS age_45_54,
           count(*) FILTER (WHERE year(e) - birth_year >= 55) AS age_55_up,
           count(*) FILTER (WHERE birth_year IS NULL) AS age_unknown
    FROM facts GROUP BY ALL
),
flows AS (  -- what each business did in the month: only those that did something, not every business-month
    SELECT business_id, month,
           sum(orders_own) AS orders_own, sum(gross_own) AS gross_own,
           sum(orders_partner) AS orders_partner, sum(gross_partner) AS gross_partner,
           any_value(tier) AS tier, sum(given) AS given, sum(fell) AS fell, sum(fell_known) AS fell_known,
           sum(survived) AS survived, sum(survived_known) AS survived_known
    FROM (
        SELECT business_id, month, orders AS orders_own, gross AS gross_own FROM sales
        UNION ALL BY NAME SELECT business_id, month, orders AS orders_partner, gross AS gross_partner FROM reported
        UNION ALL BY NAME SELECT business_id, month, tier FROM scored
        UNION ALL BY NAME SELECT business_id, month, given, fell, fell_known, survived, survived_known FROM help
    )
    GROUP BY ALL
),
moved AS (  -- counted where the business is, in months it was registered by their end
    SELECT x.month, b.district, b.kategori,
           count(*) FILTER (WHERE orders_own > 0) AS sellers_own,
           coalesce(sum(orders_own), 0) AS orders_own,
           coalesce(sum(gross_own), 0) AS gross_own,
           count(*) FILTER (WHERE orders_partner > 0 OR gross_partner > 0) AS sellers_partner,
           coalesce(sum(orders_partner), 0) AS orders_partner,
           coalesce(sum(gross_partner), 0) AS gross_partner,
           count(*) FILTER (WHERE tier = 'aman') AS risk_aman,
           count(*) FILTER (WHERE tier = 'waspada') AS risk_waspada,
           count(*) FILTER (WHERE tier = 'rawan') AS risk_rawan,
           count(*) FILTER (WHERE tier = 'kritis') AS risk_kritis,
           count(given) AS helped,
           coalesce(sum(given), 0) AS help_given,
           coalesce(sum(fell), 0) AS help_fell,
           coalesce(sum(fell_known), 0) AS help_fell_known,
           coalesce(sum(survived), 0) AS help_survived,
           coalesce(sum(survived_known), 0) AS help_survived_known
    FROM flows x JOIN b USING (business_id) JOIN month_table m ON m.month = x.month AND b.registered <= m.e
    GROUP BY ALL
)
SELECT *
FROM stock LEFT JOIN moved USING (month, district, kategori)
"""

_SUMS = ", ".join(f"coalesce(sum({name}), 0)::BIGINT AS {name}" for name in COUNTS)  # a month with no flows: 0
_LEVELS = ((0, 0, 0), (1, 2, 0), (2, 5, 2), (3, 8, 5))  # (level, code length, the parent's code length)
_SECTORS = (("kategori", "WHERE kategori <> ''"), ("''", ""))  # by kategori (businesses that have one), and all
ROLLUP = " UNION ALL ".join(
    f"SELECT month, substr(district, 1, {length}) AS region, {level} AS level, "
    f"substr(district, 1, {parent}) AS parent, {sector} AS sector, {_SUMS} FROM fine {where} GROUP BY ALL"
    for level, length, parent in _LEVELS
    for sector, where in _SECTORS
)


def refresh(as_of: dt.date | None = None, *, directory: Path | None = None) -> Refresh:
    """Bring the snapshot up to date, count every cell as of `as_of` (default yesterday) and make them the
    ones pages read; older refreshes are removed."""
    as_of = as_of or timezone.localdate() - dt.timedelta(days=1)
    started = time.monotonic()
    write_snapshot(directory)
    cells = compute(as_of, directory=directory)
    with transaction.atomic():
        run = Refresh.objects.create(as_of=as_of)
        names = ("month", "region", "level", "parent", "sector", *COUNTS)
        month = db_value(Cell, "month")
        for batch in cells.to_batches(max_chunksize=BATCH):
            columns = batch.to_pydict()
            bulk_insert_columns(
                Cell,
                ("refresh_id", *names),
                [[run.pk] * batch.num_rows, [month(m) for m in columns["month"]],
                 *(columns[name] for name in names[1:])],
            )
        run.cells = cells.num_rows
        run.finished_at = timezone.now()
        run.seconds = round(time.monotonic() - started, 2)
        run.save(update_fields=["cells", "finished_at", "seconds"])
        Cell.objects.filter(refresh_id__lt=run.pk).delete()
        Refresh.objects.filter(pk__lt=run.pk).delete()
    return run
