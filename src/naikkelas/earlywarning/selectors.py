"""Reads of early warning, always within what the reader may see of the registry."""

import datetime as dt

from django.db.models import Max, QuerySet

from naikkelas.earlywarning.models import RiskScore
from naikkelas.earlywarning.services import objected_ids
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


def latest_score(*, business) -> RiskScore | None:
    """A business's latest score: the learned model's where that day has one, the baseline's otherwise."""
    scores = RiskScore.objects.filter(business=business)
    day = scores.aggregate(day=Max("as_of"))["day"]
    return scores.filter(as_of=day).order_by("-method").first() if day else None  # "model" sorts after "baseline"


def opted_out_count(*, actor) -> int:
    """How many of the businesses `actor` may see are left out of scoring by their owner's objection."""
    return Business.objects.filter(business_scope_q(actor), pk__in=objected_ids()).count()
