"""Who may see a business's cash book: its owner, all of it; the officer of its region (and admins), only the
monthly summary and only while the owner consents (OFFICER_SUMMARY). Everyone else, and every business that
does not exist, gets the same 404."""

from naikkelas.core.access import not_found
from naikkelas.ledger.models import Entry
from naikkelas.registry.access import access_business
from naikkelas.registry.models import Consent

# The registry Consent purpose an owner grants (or withdraws) for officers to see the monthly summary.
OFFICER_SUMMARY = "ledger:officer_summary"


def officers_may_see_summary(business) -> bool:
    """The owner's latest word on OFFICER_SUMMARY (none: no)."""
    latest = Consent.objects.filter(business=business, purpose=OFFICER_SUMMARY).order_by("-at", "-pk").first()
    return bool(latest and latest.granted)


def access_books(actor, business_id):
    """The business whose books `actor` may keep: their own."""
    business = access_business(actor, business_id)
    if business.owner_id != actor.pk:
        raise not_found()
    return business


def access_entry(actor, business_id, entry_id) -> Entry:
    business = access_books(actor, business_id)
    try:
        pk = int(entry_id)
    except (TypeError, ValueError):
        raise not_found() from None
    entry = Entry.objects.filter(business=business, pk=pk).first()
    if entry is None:
        raise not_found()
    entry.business = business
    return entry


def access_summary(actor, business_id):
    """The business whose monthly summary `actor` may see: the owner's own, or one in an officer's region
    whose owner consents."""
    business = access_business(actor, business_id)
    if business.owner_id == actor.pk:
        return business
    if (actor.is_officer or actor.is_admin) and officers_may_see_summary(business):
        return business
    raise not_found()
