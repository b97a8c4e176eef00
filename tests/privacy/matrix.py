"""Access matrix entries of the owner's data pages: every owner opens their own (there is no id in the URL:
each sees only their own data); staff and partners' people get the 404 of a missing page."""

from django.urls import reverse

from tests.matrix import OWNERS_ONLY, Entry

ENTRIES = {
    "privacy:data": Entry(lambda w: reverse("privacy:data"), OWNERS_ONLY),
    "privacy:download": Entry(lambda w: reverse("privacy:download"), OWNERS_ONLY, method="post"),
    # Opened, not sent: the matrix must not delete the world's owner.
    "privacy:delete": Entry(lambda w: reverse("privacy:delete"), OWNERS_ONLY),
}
