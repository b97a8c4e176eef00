"""Who may see a debt or receivable: the owner of its business, as for the rest of the cash book. A debt of
another business, and one that does not exist, get the same 404."""

from naikkelas.core.access import not_found
from naikkelas.ledger.access import access_books
from naikkelas.ledger.models import Debt


def access_debt(actor, business_id, debt_id) -> Debt:
    business = access_books(actor, business_id)
    try:
        pk = int(debt_id)
    except (TypeError, ValueError):
        raise not_found() from None
    debt = Debt.objects.filter(business=business, pk=pk).first()
    if debt is None:
        raise not_found()
    debt.business = business
    return debt
