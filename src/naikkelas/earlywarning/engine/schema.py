"""The snapshot the engine reads (docs/DATA.md, "Snapshot for early warning"): two tables.

DAILY has one row per business and day on which anything was recorded; days without a row had no money in
or out. Amounts are whole rupiah. `receivables_change` is what customers came to owe that day minus what
they paid back, so its running sum is what is owed to the business. BUSINESSES says who each business is
and who its peers are.
"""

import ibis

DAILY = ibis.schema(
    {
        "business_id": "int64",
        "date": "date",
        "cash_in": "int64",
        "cash_out": "int64",
        "sales": "int64",  # money in for sales, own and partner channels
        "sales_count": "int32",  # sales entries (a day's takings may be one entry)
        "channel_sales": "int64",  # sales through partner platforms
        "receivables_change": "int64",
        "digital_in": "int64",  # money in by QRIS, transfer or e-wallet (the dashboard's digital payments)
    }
)
BUSINESSES = ibis.schema(
    {
        "business_id": "int64",
        "business_ref": "string",  # the agency's reference, or "NK-<id>" for a business without one
        "kategori": "string",  # KBLI 2020 kategori letter
        "sector": "string",  # KBLI 2020 kelompok code
        "regency": "string",  # Kemendagri regency code, "34.04"
    }
)
ATTRIBUTES = tuple(BUSINESSES.names)
AMOUNTS = ("cash_in", "cash_out", "sales", "channel_sales", "receivables_change")


def read(con, directory) -> tuple[ibis.Table, ibis.Table]:
    """The two tables of a snapshot folder (earlywarning/snapshot.py writes them) on an Ibis backend."""
    daily = con.read_parquet(f"{directory}/daily/month=*/part.parquet").select(*DAILY.names)
    businesses = con.read_parquet(f"{directory}/businesses.parquet").select(*BUSINESSES.names)
    return daily.cast(DAILY), businesses.cast(BUSINESSES)
