"""Writes of early warning that people make: the owner's word on being scored, the help officers plan, give
and follow up, and the closures they record."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from naikkelas.accounts.models import User
from naikkelas.core.audit import audit_record
from naikkelas.core.text import clean_text
from naikkelas.earlywarning.models import SCORING, SCORING_VERSION, Closure, Intervention, RiskScore
from naikkelas.earlywarning.selectors import latest_score
from naikkelas.registry.access import business_scope_q, is_registry_staff
from naikkelas.registry.models import Business
from naikkelas.registry.services import consent_record

NOTES_MAX = 2000
SCHEDULE_AHEAD_DAYS = 366  # help is planned within the year; a later date is a typing mistake


@transaction.atomic
def scoring_objection(*, actor, business, objects: bool) -> None:
    """The owner objects to automated scoring of their business (its scores go at once, and no new ones are
    made), or takes the objection back."""
    if not (actor.is_authenticated and business.owner_id == actor.pk):
        raise ValidationError(_("Hanya pemilik usaha yang bisa menolak atau menerima penilaian risiko."), code="not_owner")
    consent_record(actor=actor, business=business, purpose=SCORING, version=SCORING_VERSION, granted=not objects)
    if objects:
        RiskScore.objects.filter(business=business).delete()


# -- help for businesses at risk ------------------------------------------------------------------------------


def _can_work_on(actor, business) -> bool:
    return is_registry_staff(actor) and Business.objects.filter(business_scope_q(actor), pk=business.pk).exists()


def helpers_for(business) -> QuerySet[User]:
    """The officers who may be given a business's help: active officers whose regions hold its village."""
    code = business.village_id or ""
    prefixes = [code[:end] for end in range(2, len(code) + 1) if end == len(code) or code[end] == "."]
    return User.objects.filter(
        pk__in=User.objects.filter(role=User.Role.OFFICER, is_active=True, regions__code__in=prefixes).values("pk")
    ).order_by("name", "pk")


def _notes(value, *, field: str, missing: str, errors: dict) -> str:
    """Notes as kept (control characters out, at most NOTES_MAX); "" with the reason in `errors[field]` when
    they are empty or too long."""
    notes = clean_text(value, multiline=True)
    if not notes:
        errors[field] = missing
    elif len(notes) > NOTES_MAX:
        errors[field] = _("Catatan paling panjang %(n)s huruf.") % {"n": NOTES_MAX}
    return notes


@transaction.atomic
def plan_help(*, actor, business, kind: str, assigned_to=None, scheduled_on: dt.date | None = None) -> Intervention:
    """Plan help of `kind` for a business, given to `assigned_to` (the actor when none), keeping the risk the
    business stands at now so what follows can be measured against it."""
    if not _can_work_on(actor, business):
        raise ValidationError(_("Anda tidak bisa merencanakan bantuan untuk usaha ini."), code="forbidden")
    errors = {}
    if kind not in Intervention.Kind.values:
        errors["kind"] = _("Pilih jenis bantuan.")
    assigned_to = assigned_to or actor
    if assigned_to != actor and not helpers_for(business).filter(pk=assigned_to.pk).exists():
        errors["assigned_to"] = _("Petugas ini tidak bertugas di wilayah usaha tersebut.")
    today = timezone.localdate()
    if scheduled_on and scheduled_on > today + dt.timedelta(days=SCHEDULE_AHEAD_DAYS):
        errors["scheduled_on"] = _("Jadwal paling lambat setahun dari hari ini.")
    if errors:
        raise ValidationError(errors)
    score = latest_score(business=business)
    help_ = Intervention.objects.create(
        business=business, kind=kind, assigned_to=assigned_to, scheduled_on=scheduled_on, created_by=actor,
        scored_on=score.as_of if score else None, tier_before=score.tier if score else "",
        risk_before=score.probability if score else None, method_before=score.method if score else "",
    )
    audit_record(actor=actor, action="earlywarning.help_planned", obj=help_, changes={"kind": kind})
    return help_


@transaction.atomic
def record_help(*, actor, intervention: Intervention, done_on: dt.date, notes: str) -> Intervention:
    """Record that the help was given, on `done_on`, and what was done."""
    if not _can_work_on(actor, intervention.business):
        raise ValidationError(_("Anda tidak bisa mencatat bantuan untuk usaha ini."), code="forbidden")
    errors = {}
    if intervention.status == Intervention.Status.CANCELLED:
        errors["done_on"] = _("Bantuan ini sudah dibatalkan.")
    elif done_on > timezone.localdate():
        errors["done_on"] = _("Tanggal bantuan tidak boleh di masa depan.")
    elif done_on < intervention.created_at.date() - dt.timedelta(days=SCHEDULE_AHEAD_DAYS):
        errors["done_on"] = _("Tanggal bantuan terlalu jauh sebelum bantuan direncanakan.")
    notes = _notes(notes, field="notes", missing=_("Tulis apa yang sudah dilakukan."), errors=errors)
    if errors:
        raise ValidationError(errors)
    intervention.status, intervention.done_on, intervention.notes = Intervention.Status.DONE, done_on, notes
    intervention.save(update_fields=["status", "done_on", "notes"])
    audit_record(actor=actor, action="earlywarning.help_done", obj=intervention, changes={"done_on": done_on.isoformat()})
    return intervention


@transaction.atomic
def follow_up(*, actor, intervention: Intervention, follow_up_on: dt.date, follow_up_notes: str) -> Intervention:
    """Record a follow-up of help already given: when the officer checked on the business, and what they found."""
    if not _can_work_on(actor, intervention.business):
        raise ValidationError(_("Anda tidak bisa menindaklanjuti bantuan untuk usaha ini."), code="forbidden")
    errors = {}
    if intervention.status != Intervention.Status.DONE:
        errors["follow_up_on"] = _("Catat dulu bantuan yang sudah dilakukan, baru tindak lanjutnya.")
    elif follow_up_on > timezone.localdate():
        errors["follow_up_on"] = _("Tanggal tindak lanjut tidak boleh di masa depan.")
    elif follow_up_on < intervention.done_on:
        errors["follow_up_on"] = _("Tindak lanjut tidak bisa sebelum bantuan dilakukan.")
    notes = _notes(follow_up_notes, field="follow_up_notes", missing=_("Tulis hasil tindak lanjutnya."), errors=errors)
    if errors:
        raise ValidationError(errors)
    intervention.follow_up_on, intervention.follow_up_notes = follow_up_on, notes
    intervention.save(update_fields=["follow_up_on", "follow_up_notes"])
    audit_record(actor=actor, action="earlywarning.help_followed_up", obj=intervention)
    return intervention


@transaction.atomic
def cancel_help(*, actor, intervention: Intervention) -> Intervention:
    if not _can_work_on(actor, intervention.business):
        raise ValidationError(_("Anda tidak bisa membatalkan bantuan untuk usaha ini."), code="forbidden")
    if intervention.status != Intervention.Status.PLANNED:
        raise ValidationError(_("Hanya bantuan yang masih direncanakan yang bisa dibatalkan."), code="not_planned")
    intervention.status = Intervention.Status.CANCELLED
    intervention.save(update_fields=["status"])
    audit_record(actor=actor, action="earlywarning.help_cancelled", obj=intervention)
    return intervention


@transaction.atomic
def record_closure(*, actor, business, closed_on: dt.date) -> Closure:
    """An officer records that a business closed (or corrects the day); it is no longer scored from then, and
    the closure becomes an outcome the model learns from."""
    if not _can_work_on(actor, business):
        raise ValidationError(_("Anda tidak bisa mencatat penutupan usaha ini."), code="forbidden")
    if closed_on > timezone.localdate():
        raise ValidationError({"closed_on": _("Tanggal tutup tidak boleh di masa depan.")})
    if business.founded_year and closed_on.year < business.founded_year:
        raise ValidationError({"closed_on": _("Tanggal tutup sebelum usaha berdiri.")})
    closure, _created = Closure.objects.update_or_create(
        business=business,
        defaults={"closed_on": closed_on, "source": Closure.Source.OFFICER, "recorded_by": actor,
                  "recorded_at": timezone.now()},
    )
    audit_record(actor=actor, action="earlywarning.closure_recorded", obj=business, changes={"closed_on": closed_on.isoformat()})
    return closure


# -- erasure at the owner's request (called by the privacy app) ------------------------------------------------

@transaction.atomic
def help_notes_erase(*, actor, business) -> int:
    """An owner deleted their account: officers' notes on the help given (free text about the person) go;
    the kind of help, its dates and the risk it was planned at stay, with nothing naming anyone, for the
    measure of what help achieves."""
    changed = Intervention.objects.filter(business=business).exclude(notes="", follow_up_notes="").update(
        notes="", follow_up_notes=""
    )
    audit_record(actor=actor, action="earlywarning.help_notes_erase", obj=business, changes={"interventions": changed})
    return changed
