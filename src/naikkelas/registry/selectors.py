"""Reads of the registry, always for an actor and always inside what that actor may see (registry/access.py)."""

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet

from naikkelas.core.models import AuditLog
from naikkelas.regions.selectors import under_regions_q
from naikkelas.registry.access import business_scope_q
from naikkelas.registry.models import Business, Consent, ReadinessAssessment, SizeClass
from naikkelas.registry.readiness import MAX_LEVEL
from naikkelas.registry.services import claimable_filter

PAGE_SIZE = 50
NOT_ASSESSED = "none"


def _search_q(text: str) -> Q:
    """By name (contains), or exactly by NIB, the agency's reference, or phone number."""
    text = text.strip()
    q = Q(name__icontains=text)
    if text.isdigit() and len(text) == 13:
        q |= Q(nib=text)
    q |= Q(external_ref=text)
    digits = "".join(ch for ch in text if ch.isdigit())
    if len(digits) >= 9:
        # Phones are stored in E.164; "0812..." and "62812..." both end in the same national digits.
        q |= Q(phone__endswith=digits.lstrip("0").removeprefix("62"))
    return q


def _sector_q(code: str) -> Q:
    """A KBLI kategori letter ("G") or any numeric level ("47", "4711", "47112")."""
    if len(code) == 1 and code.isalpha():
        return Q(sector__kategori=code.upper())
    return Q(sector__code__startswith=code)


def business_list(
    *,
    actor,
    q: str = "",
    region: str = "",
    sector: str = "",
    size: str = "",
    readiness: str = "",
) -> QuerySet[Business]:
    """The businesses `actor` may see, narrowed by the officer's filters, by village and then name.

    Scope and region are prefix matches on the village code, so a province-wide officer's list over the
    whole country's registry needs no join; the order follows the (village, name) index, so the database
    walks it and stops after a page instead of sorting every business in scope (9 ms instead of 150 ms for
    page 1 of 52,000 businesses in scope out of 200,000 on SQLite).
    """
    businesses = Business.objects.filter(business_scope_q(actor))
    if q:
        businesses = businesses.filter(_search_q(q))
    if region:
        businesses = businesses.filter(under_regions_q([region], field="village__code"))
    if sector:
        businesses = businesses.filter(_sector_q(sector))
    if size:
        businesses = businesses.filter(size_class=size)
    if readiness == NOT_ASSESSED:
        businesses = businesses.filter(readiness_level__isnull=True)
    elif readiness:
        businesses = businesses.filter(readiness_level=int(readiness))
    return businesses.order_by("village_id", "name", "pk")


def business_page(*, actor, page: int | str = 1, per_page: int = PAGE_SIZE, **filters) -> Page:
    businesses = business_list(actor=actor, **filters).select_related(
        "village__parent__parent__parent", "sector", "owner"
    )
    return Paginator(businesses, per_page).get_page(page)


def business_counts(*, actor, **filters) -> dict:
    """Totals for the list's summary: how many, by readiness level and by size class."""
    # One pass over the rows, however many figures: each is a filtered count.
    levels = range(MAX_LEVEL + 1)
    figures = {"total": Count("pk"), "not_assessed": Count("pk", filter=Q(readiness_level__isnull=True))}
    figures["claimed"] = Count("pk", filter=Q(owner__isnull=False))
    figures.update({f"level_{level}": Count("pk", filter=Q(readiness_level=level)) for level in levels})
    figures.update({f"size_{size}": Count("pk", filter=Q(size_class=size)) for size in SizeClass.values})
    totals = business_list(actor=actor, **filters).order_by().aggregate(**figures)
    return {
        "total": totals["total"],
        "claimed": totals["claimed"],
        "not_assessed": totals["not_assessed"],
        "by_level": {level: totals[f"level_{level}"] for level in levels},
        "by_size": {size: totals[f"size_{size}"] for size in SizeClass.values},
    }


def owner_businesses(*, actor) -> QuerySet[Business]:
    if not (actor.is_authenticated and actor.is_owner):
        return Business.objects.none()
    return Business.objects.filter(owner=actor).select_related("village__parent__parent__parent", "sector")


def claimable_businesses(*, actor) -> QuerySet[Business]:
    """Unowned businesses carrying the owner's verified phone that the owner has not already said are not
    theirs."""
    if not (actor.is_authenticated and actor.is_owner and actor.phone):
        return Business.objects.none()
    declined = AuditLog.objects.filter(
        actor=actor, action="business.claim_declined", object_type=Business._meta.label_lower
    ).values_list("object_id", flat=True)
    return (
        Business.objects.filter(**claimable_filter(actor))
        .exclude(pk__in=[int(pk) for pk in declined])
        .select_related("village__parent__parent__parent", "sector")
        .order_by("pk")
    )


def readiness_history(*, actor, business: Business) -> QuerySet[ReadinessAssessment]:
    """The business's assessments, newest first. `business` comes from access_business for this actor."""
    return business.assessments.order_by("-at", "-pk")


def latest_assessment(*, actor, business: Business) -> ReadinessAssessment | None:
    return readiness_history(actor=actor, business=business).first()


def business_consents(*, actor, business: Business, limit: int = 20) -> QuerySet[Consent]:
    """The business's consents and withdrawals, newest first (`business` already passed its gate)."""
    return business.consents.select_related("by").order_by("-at", "-pk")[:limit]


def business_audit(*, actor, business: Business, limit: int = 20) -> QuerySet[AuditLog]:
    """What happened to the business, for officers and admins (`business` already passed its gate)."""
    return AuditLog.objects.filter(
        object_type=Business._meta.label_lower, object_id=str(business.pk)
    ).select_related("actor")[:limit]
