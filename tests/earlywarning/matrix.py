"""Access matrix entries of early warning: the watchlist and the help pages are for officers and admins, each
business's risk and help for its own region's officer and admins only; a business's own risk page and its
choice not to be scored are its owner's alone."""

from django.urls import reverse

from naikkelas.earlywarning.models import Intervention
from tests.matrix import IN_REGION, SHOP_OWNER_ONLY, STAFF_ONLY, Entry


def _own(name: str):
    return lambda w: reverse(f"earlywarning:{name}", args=[w["business"].pk])


def _help(world) -> str:
    """The page of help planned for the world's business (made on first use, so the world stays as it is)."""
    planned, _ = Intervention.objects.get_or_create(business=world["business"], kind=Intervention.Kind.MARKET)
    return reverse("earlywarning:help_detail", args=[planned.pk])


ENTRIES = {
    "earlywarning:watchlist": Entry(lambda w: reverse("earlywarning:watchlist"), STAFF_ONLY),
    "earlywarning:business_risk": Entry(_own("business_risk"), IN_REGION),
    "earlywarning:plan_help": Entry(_own("plan_help"), IN_REGION, method="post", data={"kind": "training"}),
    "earlywarning:record_closure": Entry(_own("record_closure"), IN_REGION, method="post", data={"closed_on": "2026-01-31"}),
    "earlywarning:help_list": Entry(lambda w: reverse("earlywarning:help_list"), STAFF_ONLY),
    "earlywarning:help_detail": Entry(_help, IN_REGION),
    "earlywarning:owner_risk": Entry(_own("owner_risk"), SHOP_OWNER_ONLY),
    "earlywarning:owner_objection": Entry(_own("owner_objection"), SHOP_OWNER_ONLY, method="post", data={"tolak": "0"}),
}
