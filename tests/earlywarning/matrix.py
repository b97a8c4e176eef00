"""Access matrix entries of early warning: the watchlist is for officers and admins; a business's own risk
page and its choice not to be scored are its owner's alone."""

from django.urls import reverse

from tests.matrix import SHOP_OWNER_ONLY, STAFF_ONLY, Entry


def _own(name: str):
    return lambda w: reverse(f"earlywarning:{name}", args=[w["business"].pk])


ENTRIES = {
    "earlywarning:watchlist": Entry(lambda w: reverse("earlywarning:watchlist"), STAFF_ONLY),
    "earlywarning:owner_risk": Entry(_own("owner_risk"), SHOP_OWNER_ONLY),
    "earlywarning:owner_objection": Entry(_own("owner_objection"), SHOP_OWNER_ONLY, method="post", data={"tolak": "0"}),
}
