"""Access matrix entries of the cash book pages: every one is the business's owner's alone."""

import datetime as dt

from django.urls import reverse

from naikkelas.ledger.models import Direction, Entry as LedgerEntry
from naikkelas.ledger.models import Debt
from tests.matrix import PUBLIC, SHOP_OWNER_ONLY, Entry


def _book(name: str, query: str = ""):
    return lambda w: reverse(f"ledger:{name}", args=[w["business"].pk]) + query


def _entry_delete(w) -> str:
    # The world has no cash-book entry; the confirmation page needs one (its POST is tried role by role in
    # tests/ledger/test_pages.py).
    entry = LedgerEntry.objects.create(
        business=w["business"], direction=Direction.IN, amount=15000, date=dt.date(2024, 5, 2), category="sales"
    )
    return reverse("ledger:entry_delete", args=[w["business"].pk, entry.pk])



def _debt_detail(w) -> str:
    # The world has no debt; the page needs one (its payment POST is tried in tests/ledger/test_debt_pages.py).
    debt = Debt.objects.create(
        business=w["business"], kind=Debt.Kind.RECEIVABLE, party="Pak Darto", amount=50000, date=dt.date(2024, 5, 2)
    )
    return reverse("ledger:debt_detail", args=[w["business"].pk, debt.pk]) + "?id=c0ffee00-1234-4abc-8def-000000000002"


ENTRIES = {
    "ledger:home": Entry(_book("home"), SHOP_OWNER_ONLY),
    "ledger:entry_list": Entry(_book("entry_list", "?bulan=2024-05"), SHOP_OWNER_ONLY),
    # The form; what its POST writes (and refuses) is tried in tests/ledger/test_pages.py.
    "ledger:entry_create": Entry(_book("entry_create", "?arah=out&id=c0ffee00-1234-4abc-8def-000000000001"), SHOP_OWNER_ONLY),
    "ledger:entry_delete": Entry(_entry_delete, SHOP_OWNER_ONLY),
    "ledger:summary": Entry(_book("summary"), SHOP_OWNER_ONLY),
    # The owner's switch; what it writes is tried in tests/ledger/test_officer_summary.py.
    "ledger:officer_consent": Entry(_book("officer_consent"), SHOP_OWNER_ONLY, method="post", data={"izinkan": "0"}),
    # Without the owner's consent (as in the world) only the owner sees even the summary; with it, the
    # region's officer too (tests/ledger/test_officer_summary.py).
    "ledger:officer_summary": Entry(_book("officer_summary"), SHOP_OWNER_ONLY),
    "ledger:debt_list": Entry(_book("debt_list"), SHOP_OWNER_ONLY),
    # The forms; what their POSTs write (and refuse) is tried in tests/ledger/test_debt_pages.py.
    "ledger:debt_create": Entry(_book("debt_create", "?jenis=payable&id=c0ffee00-1234-4abc-8def-000000000003"), SHOP_OWNER_ONLY),
    "ledger:debt_detail": Entry(_debt_detail, SHOP_OWNER_ONLY),
}


# -- the statement for a loan (tests/ledger/test_statement.py tries what each of these writes and refuses) --


def _statement_share(w, **fields):
    from django.utils import timezone

    from naikkelas.ledger.models import StatementShare

    return StatementShare.objects.create(
        business=w["business"], token=f"uji-{StatementShare.objects.count()}-tautan-laporan-rahasia", start=dt.date(2024, 1, 1),
        end=dt.date(2024, 12, 31), expires_at=timezone.now() + dt.timedelta(days=7), **fields,
    )


def _statement_revoke(w) -> str:
    return reverse("ledger:statement_revoke", args=[w["business"].pk, _statement_share(w).pk])


def _statement_public(w) -> str:
    return reverse("ledger:statement_public", args=[_statement_share(w).token])


_PERIOD = "?dari=2024-01&sampai=2024-12"
ENTRIES.update({
    "ledger:statement": Entry(_book("statement", _PERIOD), SHOP_OWNER_ONLY),
    "ledger:statement_pdf": Entry(_book("statement_pdf", _PERIOD), SHOP_OWNER_ONLY),
    "ledger:statement_share": Entry(
        _book("statement_share"), SHOP_OWNER_ONLY, method="post", data={"dari": "2024-01", "sampai": "2024-12", "hari": "7"}
    ),
    "ledger:statement_revoke": Entry(_statement_revoke, SHOP_OWNER_ONLY, method="post"),
    # A link the owner made and sent: whoever holds it gets the PDF while it is valid.
    "ledger:statement_public": Entry(_statement_public, PUBLIC),
})
# Export and import of the book; what a real upload writes (and refuses) is tried in
# tests/ledger/test_import_export.py. The commit of an upload that is not there shows the owner the page
# saying so.
ENTRIES.update({
    "ledger:export": Entry(_book("export", "?format=csv"), SHOP_OWNER_ONLY),
    "ledger:import": Entry(_book("import"), SHOP_OWNER_ONLY),
    "ledger:import_commit": Entry(_book("import_commit"), SHOP_OWNER_ONLY, method="post", data={"berkas": "0" * 32}),
})
PUBLIC_KEYS = {key for key, entry in ENTRIES.items() if entry.expect == PUBLIC}
