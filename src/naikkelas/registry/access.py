"""Who may see which business. Owners: their own. Officers: those in their regions. Admins: all.

Everyone else, and every business that does not exist, gets the same 404, so nobody can probe the registry.
"""

from django.db.models import Q

from naikkelas.core.access import not_found
from naikkelas.regions.selectors import under_regions_q
from naikkelas.registry.models import Business


def is_registry_staff(actor) -> bool:
    """Officers and admins work on the registry as a whole (lists, exports, imports)."""
    return bool(actor and actor.is_authenticated and actor.is_active and (actor.is_officer or actor.is_admin))


def business_scope_q(actor) -> Q:
    """The businesses `actor` may see, as a filter; matches nothing for anyone without a role here."""
    nothing = Q(pk__in=[])
    if not (actor and actor.is_authenticated and actor.is_active):
        return nothing
    if actor.is_admin:
        return Q()
    if actor.is_officer:
        codes = list(actor.regions.values_list("code", flat=True))
        return under_regions_q(codes, field="village__code")
    if actor.is_owner:
        return Q(owner=actor)
    return nothing


def access_business(actor, business_id) -> Business:
    """The business `business_id` if `actor` may see it; Http404 otherwise (missing or forbidden alike)."""
    try:
        pk = int(business_id)
    except (TypeError, ValueError):
        raise not_found() from None
    business = (
        Business.objects.filter(business_scope_q(actor), pk=pk)
        .select_related("village__parent__parent__parent", "sector", "owner")
        .first()
    )
    if business is None:
        raise not_found()
    return business
