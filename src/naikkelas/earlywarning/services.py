"""Writes of early warning that people make."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from naikkelas.earlywarning.models import RiskScore
from naikkelas.registry.models import Consent
from naikkelas.registry.services import consent_record

# The owner's word on automated scoring, as a registry Consent: granted = scored (the default, with no
# record), withdrawn = left out of scoring; the version names the text they saw.
SCORING = "earlywarning:scoring"
SCORING_VERSION = "2026-11"


def scoring_objected(business) -> bool:
    latest = Consent.objects.filter(business=business, purpose=SCORING).order_by("-at", "-pk").first()
    return bool(latest and not latest.granted)


def objected_ids() -> set[int]:
    """Businesses whose owner's latest word on SCORING is an objection."""
    latest: dict[int, bool] = {}
    for business_id, granted in Consent.objects.filter(purpose=SCORING).order_by("at", "pk").values_list(
        "business_id", "granted"
    ):
        latest[business_id] = granted
    return {business_id for business_id, granted in latest.items() if not granted}


@transaction.atomic
def scoring_objection(*, actor, business, objects: bool) -> None:
    """The owner objects to automated scoring of their business (its scores go at once, and no new ones are
    made), or takes the objection back."""
    if not (actor.is_authenticated and business.owner_id == actor.pk):
        raise ValidationError(_("Hanya pemilik usaha yang bisa menolak atau menerima penilaian risiko."), code="not_owner")
    consent_record(actor=actor, business=business, purpose=SCORING, version=SCORING_VERSION, granted=not objects)
    if objects:
        RiskScore.objects.filter(business=business).delete()
