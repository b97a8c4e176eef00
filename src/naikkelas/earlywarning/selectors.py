"""Reads of early warning, always within what the reader may see of the registry."""

import datetime as dt

from django.db.models import Max, QuerySet

from naikkelas.earlywarning.models import RiskScore
from naikkelas.registry.access import business_scope_q
from naikkelas.registry.models import Business

TIERS = ("kritis", "rawan", "waspada", "aman")


def _visible(actor) -> QuerySet[RiskScore]:
    return RiskScore.objects.filter(business__in=Business.objects.filter(business_scope_q(actor)))


def watchlist(*, actor, tier: str = "", region: str = "") -> tuple[dt.date | None, QuerySet[RiskScore]]:
    """The day last scored and that day's scores of the businesses `actor` may see, riskiest first: the
    learned model's where the day has them, the baseline's otherwise. `region` narrows to a region's code."""
    visible = _visible(actor)
    day = visible.aggregate(day=Max("as_of"))["day"]
    scores = visible.filter(as_of=day)
    method = RiskScore.Method.MODEL if scores.filter(method=RiskScore.Method.MODEL).exists() else RiskScore.Method.BASELINE
    scores = scores.filter(method=method)
    if tier in TIERS:
        scores = scores.filter(tier=tier)
    if region:
        scores = scores.filter(business__village__code__startswith=region.rstrip(".") + ".")
    return day, scores.select_related("business").order_by("-probability", "business_id")
