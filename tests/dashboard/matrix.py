"""Access matrix entries of the dashboard: the nation's totals are for officers and admins, a region's figures
(page, JSON and downloads) for its own officers and admins, and comparing regions for admins alone."""

from django.urls import reverse

from tests.matrix import IN_REGION, LOGIN, NOT_FOUND, OK, STAFF_ONLY, Entry, same_for_all

ADMIN_ONLY = {**same_for_all(NOT_FOUND), "anonymous": LOGIN, "admin": OK}


def _region(name: str, *args):
    """The regency of the world's business (the officer in region is assigned its regency or above)."""
    return lambda w: reverse(f"dashboard:{name}", args=[w["business"].village_id[:5], *args])


ENTRIES = {
    "dashboard:nation": Entry(lambda w: reverse("dashboard:nation"), STAFF_ONLY),
    "dashboard:nation_data": Entry(lambda w: reverse("dashboard:nation_data"), STAFF_ONLY),
    "dashboard:nation_download": Entry(lambda w: reverse("dashboard:nation_download", args=["xlsx"]), STAFF_ONLY),
    "dashboard:compare": Entry(lambda w: reverse("dashboard:compare"), ADMIN_ONLY),
    "dashboard:region": Entry(_region("region"), IN_REGION),
    "dashboard:region_data": Entry(_region("region_data"), IN_REGION),
    "dashboard:region_download": Entry(_region("region_download", "csv"), IN_REGION),
}
