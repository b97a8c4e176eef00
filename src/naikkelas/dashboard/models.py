"""The dashboard's summary tables, filled by the nightly refresh (dashboard/refresh.py) and read by every page,
so that no page scans the registry.

A `Cell` holds the counts behind every indicator for one region (the nation, a province, a regency or a
district), one KBLI kategori (or all of them) and one month, as the records stood at the month's end (or on the
refresh's day, for the month it ran in). Counts are of businesses unless named otherwise; money is whole rupiah.
Shares and held-back cells are worked out when a page is read (dashboard/indicators.py).
"""

from django.db import models
from django.utils import timezone


class Refresh(models.Model):
    """One run of the refresh. Pages read the cells of the latest finished run, so a run that stops halfway
    leaves what the officers see unchanged."""

    as_of = models.DateField()  # the last day whose records are counted
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    cells = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(null=True, blank=True)

    class Meta:
        get_latest_by = "pk"


COUNTS = (
    "registered",
    "size_micro", "size_small", "size_medium", "size_large", "size_unknown",
    "level_0", "level_1", "level_2", "level_3", "level_4", "level_unknown",
    "online", "digital", "bank", "active",
    "age_under_25", "age_25_34", "age_35_44", "age_45_54", "age_55_up", "age_unknown",
    "sellers_own", "orders_own", "gross_own", "sellers_partner", "orders_partner", "gross_partner",
    "risk_aman", "risk_waspada", "risk_rawan", "risk_kritis",
    "helped", "help_given", "help_fell", "help_fell_known", "help_survived", "help_survived_known",
)


class Cell(models.Model):
    refresh = models.ForeignKey(Refresh, on_delete=models.CASCADE, related_name="+", db_index=False)
    region = models.CharField(max_length=16, blank=True)  # Kemendagri code; "" for the nation
    level = models.PositiveSmallIntegerField()  # 0 nation, 1 province, 2 regency, 3 district
    parent = models.CharField(max_length=16, blank=True)  # the region above ("" under the nation and for it)
    sector = models.CharField(max_length=1, blank=True)  # KBLI 2020 kategori letter; "" for all sectors
    month = models.DateField()  # its first day

    registered = models.PositiveIntegerField(default=0)
    size_micro = models.PositiveIntegerField(default=0)
    size_small = models.PositiveIntegerField(default=0)
    size_medium = models.PositiveIntegerField(default=0)
    size_large = models.PositiveIntegerField(default=0)
    size_unknown = models.PositiveIntegerField(default=0)
    level_0 = models.PositiveIntegerField(default=0)
    level_1 = models.PositiveIntegerField(default=0)
    level_2 = models.PositiveIntegerField(default=0)
    level_3 = models.PositiveIntegerField(default=0)
    level_4 = models.PositiveIntegerField(default=0)
    level_unknown = models.PositiveIntegerField(default=0)
    online = models.PositiveIntegerField(default=0)
    digital = models.PositiveIntegerField(default=0)
    bank = models.PositiveIntegerField(default=0)
    active = models.PositiveIntegerField(default=0)
    age_under_25 = models.PositiveIntegerField(default=0)
    age_25_34 = models.PositiveIntegerField(default=0)
    age_35_44 = models.PositiveIntegerField(default=0)
    age_45_54 = models.PositiveIntegerField(default=0)
    age_55_up = models.PositiveIntegerField(default=0)
    age_unknown = models.PositiveIntegerField(default=0)
    sellers_own = models.PositiveIntegerField(default=0)  # businesses with an own-storefront order in the month
    orders_own = models.PositiveIntegerField(default=0)  # orders, not businesses
    gross_own = models.BigIntegerField(default=0)
    sellers_partner = models.PositiveIntegerField(default=0)
    orders_partner = models.PositiveIntegerField(default=0)
    gross_partner = models.BigIntegerField(default=0)
    risk_aman = models.PositiveIntegerField(default=0)
    risk_waspada = models.PositiveIntegerField(default=0)
    risk_rawan = models.PositiveIntegerField(default=0)
    risk_kritis = models.PositiveIntegerField(default=0)
    helped = models.PositiveIntegerField(default=0)  # businesses given help in the month
    help_given = models.PositiveIntegerField(default=0)  # pieces of help given in the month
    help_fell = models.PositiveIntegerField(default=0)  # of those, whose risk fell afterwards
    help_fell_known = models.PositiveIntegerField(default=0)  # of those, scored before and after
    help_survived = models.PositiveIntegerField(default=0)  # of those, still open six months on
    help_survived_known = models.PositiveIntegerField(default=0)  # of those, whose six months have passed

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["refresh", "region", "sector", "month"], name="dashboard_one_cell"),
        ]
        indexes = [models.Index(fields=["refresh", "parent", "sector", "month"], name="dashboard_cell_children")]
