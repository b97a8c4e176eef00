"""Access matrix entries of the cash book pages: every one is the business's owner's alone."""

import datetime as dt

from django.urls import reverse

from naikkelas.ledger.models import Direction, Entry as LedgerEntry
from tests.matrix import SHOP_OWNER_ONLY, Entry


def _book(name: str, query: str = ""):
    return lambda w: reverse(f"ledger:{name}", args=[w["business"].pk]) + query


def _entry_delete(w) -> str:
    # The world has no cash-book entry; the confirmation page needs one (its POST is tried role by role in
    # tests/ledger/test_pages.py).
    entry = LedgerEntry.objects.create(
        business=w["business"], direction=Direction.IN, amount=15000, date=dt.date(2024, 5, 2), category="sales"
    )
    return reverse("ledger:entry_delete", args=[w["business"].pk, entry.pk])


ENTRIES = {
    "ledger:home": Entry(_book("home"), SHOP_OWNER_ONLY),
    "ledger:entry_list": Entry(_book("entry_list", "?bulan=2024-05"), SHOP_OWNER_ONLY),
    # The form; what its POST writes (and refuses) is tried in tests/ledger/test_pages.py.
    "ledger:entry_create": Entry(_book("entry_create", "?arah=out&id=c0ffee00-1234-4abc-8def-000000000001"), SHOP_OWNER_ONLY),
    "ledger:entry_delete": Entry(_entry_delete, SHOP_OWNER_ONLY),
    "ledger:summary": Entry(_book("summary"), SHOP_OWNER_ONLY),
}
