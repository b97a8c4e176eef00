"""Who may see a business's cash book: its owner. (Officers will see a summary where the owner consented.)
Everyone else, and every business that does not exist, gets the same 404."""

from naikkelas.core.access import not_found
from naikkelas.ledger.models import Entry
from naikkelas.registry.access import access_business


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
