"""Who may change how a shop gets paid: its owner only, the same people who run its catalogue.

Missing and forbidden give the same 404 (catalog.access.access_shop)."""

from naikkelas.catalog.access import access_shop


def access_payment_settings(actor, business_id):
    """The business whose payment settings `actor` may see and change; Http404 for anyone but its owner.

    Admins and officers see businesses in the registry but do not run the shop, so they are refused too."""
    return access_shop(actor, business_id)
