"""Who may work on early warning's objects: a business's risk, history and help are for the officers of its
region and admins; everyone else, and everything that does not exist, gets the same 404."""

from naikkelas.core.access import not_found
from naikkelas.earlywarning.models import Intervention
from naikkelas.earlywarning.selectors import interventions
from naikkelas.registry.access import access_business, is_registry_staff


def access_risk(actor, business_id):
    """The business whose risk and help `actor` may see and plan: one in an officer's regions (admins: any)."""
    if not is_registry_staff(actor):
        raise not_found()
    return access_business(actor, business_id)


def access_intervention(actor, intervention_id) -> Intervention:
    """The help planned for a business `actor` may work on."""
    try:
        pk = int(intervention_id)
    except (TypeError, ValueError):
        raise not_found() from None
    found = interventions(actor=actor).filter(pk=pk).first() if is_registry_staff(actor) else None
    if found is None:
        raise not_found()
    return found
