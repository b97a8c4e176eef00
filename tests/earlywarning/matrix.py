"""Access matrix entries of early warning: the watchlist is for officers and admins."""

from django.urls import reverse

from tests.matrix import STAFF_ONLY, Entry

ENTRIES = {
    "earlywarning:watchlist": Entry(lambda w: reverse("earlywarning:watchlist"), STAFF_ONLY),
}
