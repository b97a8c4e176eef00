"""The vocabulary of the access matrix (tests/test_access_matrix.py): roles, outcomes and entries.

Each app with routes keeps its entries in tests/<app>/matrix.py as `ENTRIES` (and the keys of any entry open
to everyone in `PUBLIC_KEYS`), so the matrix grows with the app that adds the routes.
"""

from dataclasses import dataclass, field
from typing import Callable

from django.urls import reverse

OK, LOGIN, NOT_FOUND, ADMIN_LOGIN = "ok", "login", "404", "admin-login"
# "partner" works for the partner the world's business shares with; "other_partner" for another partner.
ROLES = (
    "anonymous", "owner", "other_owner", "officer_in_region", "officer_elsewhere", "admin", "partner", "other_partner",
)
ADMIN_ENTRY = "admin"


@dataclass
class Entry:
    url: Callable[[dict], str]
    expect: dict[str, str]
    method: str = "get"
    data: dict = field(default_factory=dict)


def same_for_all(outcome: str) -> dict[str, str]:
    return dict.fromkeys(ROLES, outcome)


# The presets below name who gets in; every role they do not name (partners among them) gets what a signed-in
# stranger gets: the 404 on owners' and staff pages, the page itself on public and signed-in ones.
PUBLIC = same_for_all(OK)
SIGNED_IN = {**same_for_all(OK), "anonymous": LOGIN}
OWNERS_ONLY = {**same_for_all(NOT_FOUND), "anonymous": LOGIN, "owner": OK, "other_owner": OK}
STAFF_ONLY = {
    **same_for_all(NOT_FOUND),
    "anonymous": LOGIN,
    "officer_in_region": OK,
    "officer_elsewhere": OK,
    "admin": OK,
}
# Something inside the owner's business's region: its officer and admins only.
IN_REGION = {**STAFF_ONLY, "officer_elsewhere": NOT_FOUND}


def _url(name: str, *args) -> Callable[[dict], str]:
    return lambda world: reverse(name, args=[arg(world) if callable(arg) else arg for arg in args])


# One shop's own pages: its owner's alone.
SHOP_OWNER_ONLY = {**same_for_all(NOT_FOUND), "anonymous": LOGIN, "owner": OK}

# A partner's own pages: its people and admins; another partner's people get the 404 of a missing partner.
PARTNER_ONLY = {**same_for_all(NOT_FOUND), "anonymous": LOGIN, "partner": OK, "admin": OK}
