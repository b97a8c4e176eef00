"""Writes to the registry. Keyword-only arguments; each call is one transaction."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from naikkelas.core import crypto
from naikkelas.core.audit import audit_record
from naikkelas.core.models import AuditLog
from naikkelas.registry import readiness
from naikkelas.registry.models import Business, Consent, ReadinessAssessment, Source
from naikkelas.registry.sizeclass import size_class

REGISTRY_CONSENT_PURPOSE = "registry"
REGISTRY_CONSENT_VERSION = "2025-1"
NIK_FIELDS = ("nik_ciphertext", "nik_hash", "nik_masked")
# Audit rows name a changed NIK but never carry it, not even masked.
NIK_CHANGED = "diubah"
_UNSET = object()
# A shop lives at /<slug>/, so a slug must never be one of the site's own first path segments.
RESERVED_SLUGS = frozenset({
    "admin", "akun", "api", "bayar", "cari", "dasbor", "feed", "healthz", "i18n", "keranjang", "laporan", "masuk",
    "media", "mitra", "pesanan", "petugas", "readyz", "static", "toko", "usaha", "wilayah", "robots.txt",
    "favicon.ico", "sitemap.xml",
})


def unique_slug(name: str, *, taken: set[str] | None = None) -> str:
    """A URL-safe slug for a shop name, suffixed -2, -3... when taken (in the database or in `taken`)."""
    base = (slugify(name) or "usaha")[:70].strip("-") or "usaha"
    candidate, n = base, 1
    if candidate in RESERVED_SLUGS:
        candidate, n = f"{base}-2", 2
    while (taken is not None and candidate in taken) or Business.objects.filter(slug=candidate).exists():
        n += 1
        candidate = f"{base}-{n}"
    if taken is not None:
        taken.add(candidate)
    return candidate


def nik_fields(nik: str) -> dict:
    """The three stored forms of an (already validated) NIK; empty strings when there is none."""
    if not nik:
        return {"nik_ciphertext": "", "nik_hash": "", "nik_masked": ""}
    return {"nik_ciphertext": crypto.encrypt(nik), "nik_hash": crypto.keyed_hash(nik), "nik_masked": crypto.mask(nik)}


@transaction.atomic
def business_create(
    *,
    actor,
    name: str,
    village_code: str,
    owner=None,
    sector_code: str | None = None,
    nik: str = "",
    source: str = Source.SIGNUP,
    **fields,
) -> Business:
    """Create a business. `fields` are other Business fields (phone, nib, capital, annual_sales, ...)."""
    business = Business(
        name=name.strip(),
        slug=unique_slug(name),
        owner=owner,
        village_id=village_code,
        sector_id=sector_code or None,
        source=source,
        **nik_fields(nik),
        **fields,
    )
    business.size_class = size_class(capital=business.capital, annual_sales=business.annual_sales)
    business.full_clean(exclude=["slug", "nik_ciphertext"])
    business.save()
    audit_record(actor=actor, action="business.create", obj=business, changes={"source": source})
    return business


def _audit_value(value):
    if value is None or isinstance(value, (str, int, float, bool, list, dict)):
        return value
    return str(value)


def field_changes(before: dict, after: dict) -> dict:
    """{field: [old, new]} for the fields whose values differ; the NIK is one "nik" entry without values.

    The NIK counts as changed when its keyed hash does: encrypting the same NIK again gives a different
    ciphertext, which is not a change."""
    changes = {}
    for name, new in after.items():
        old = before.get(name)
        if old == new:
            continue
        if name in NIK_FIELDS:
            if name == "nik_hash":
                changes["nik"] = NIK_CHANGED
        else:
            changes[name] = [_audit_value(old), _audit_value(new)]
    return changes


@transaction.atomic
def business_update(
    *, actor, business: Business, nik: str | None = None, village_code=_UNSET, sector_code=_UNSET, **fields
) -> Business:
    """Change a business. `nik=None` leaves the NIK alone, `nik=""` removes it; other `fields` are Business
    fields (name, phone, capital, ...). The size class follows capital and sales. Audited with old and new."""
    updates = dict(fields)
    if village_code is not _UNSET:
        updates["village_id"] = village_code
    if sector_code is not _UNSET:
        updates["sector_id"] = sector_code or None
    if nik is not None:
        updates.update(nik_fields(nik))
    before = {name: getattr(business, name) for name in (*updates, "size_class")}
    for name, value in updates.items():
        setattr(business, name, value)
    if "name" in updates:
        business.name = business.name.strip()
    business.size_class = size_class(capital=business.capital, annual_sales=business.annual_sales)
    updates["size_class"] = business.size_class
    business.full_clean(exclude=["slug", "nik_ciphertext"])
    changes = field_changes(before, {name: getattr(business, name) for name in updates})
    if changes:
        business.save()
        audit_record(actor=actor, action="business.update", obj=business, changes=changes)
    return business


def claimable_filter(actor) -> dict:
    """Businesses an owner may claim: imported with the owner's own (verified) phone and nobody's yet."""
    return {"owner__isnull": True, "phone": actor.phone}


@transaction.atomic
def business_claim(*, actor, business_id: int) -> Business:
    """The signed-in owner says "this is my business" and agrees to the registry keeping it (the claim page
    asks for both at once, so the consent is recorded here). Only an unowned business with the owner's
    phone number can be claimed; the conditional update makes two claims at once end with one owner."""
    if not (actor.is_authenticated and actor.is_owner and actor.phone):
        raise ValidationError(_("Hanya pemilik usaha yang bisa mengklaim usaha."), code="not_owner")
    claimed = Business.objects.filter(pk=business_id, **claimable_filter(actor)).update(
        owner=actor, updated_at=timezone.now()
    )
    if not claimed:
        raise ValidationError(_("Usaha ini tidak bisa diklaim dengan nomor HP Anda."), code="not_claimable")
    business = Business.objects.get(pk=business_id)
    audit_record(actor=actor, action="business.claim", obj=business, changes={"owner": [None, actor.pk]})
    consent_record(
        actor=actor, business=business, purpose=REGISTRY_CONSENT_PURPOSE, version=REGISTRY_CONSENT_VERSION
    )
    return business


@transaction.atomic
def business_claim_decline(*, actor, business_id: int) -> None:
    """The owner says "not mine": nothing changes on the business, but the answer is kept (it is also a sign
    for the officer that the imported phone number may be wrong) and the owner is not asked again."""
    business = Business.objects.filter(pk=business_id, **claimable_filter(actor)).first()
    if business is None:
        raise ValidationError(_("Usaha ini tidak bisa diklaim dengan nomor HP Anda."), code="not_claimable")
    audit_record(actor=actor, action="business.claim_declined", obj=business)


@transaction.atomic
def consent_record(*, actor, business: Business, purpose: str, version: str, granted: bool = True) -> Consent:
    consent = Consent.objects.create(
        business=business,
        purpose=purpose,
        version=version,
        granted=granted,
        by=actor if actor.is_authenticated else None,
    )
    audit_record(
        actor=actor,
        action="consent.grant" if granted else "consent.withdraw",
        obj=business,
        changes={"purpose": purpose, "version": version},
    )
    return consent


@transaction.atomic
def business_onboard(*, actor, name: str, village_code: str, sector_code: str | None = None) -> Business:
    """An owner registers their own business and consents to the registry's use of it, in one step."""
    if not (actor.is_authenticated and actor.is_owner):
        raise ValidationError(_("Hanya pemilik usaha yang bisa mendaftarkan usaha."), code="not_owner")
    business = business_create(
        actor=actor,
        name=name,
        village_code=village_code,
        sector_code=sector_code,
        owner=actor,
        phone=actor.phone,
        owner_name=actor.name,
        source=Source.SIGNUP,
    )
    consent_record(
        actor=actor, business=business, purpose=REGISTRY_CONSENT_PURPOSE, version=REGISTRY_CONSENT_VERSION
    )
    return business


@transaction.atomic
def readiness_record(*, actor, business: Business, answers: dict) -> ReadinessAssessment:
    """Store one answer sheet, its level, and what it says about the business (payments, channels, bank)."""
    try:
        cleaned = readiness.clean_answers(answers)
    except readiness.InvalidAnswers as error:
        raise ValidationError(_("Jawab semua pertanyaan."), code="invalid_answers", params={"key": error.key})
    result = readiness.assess(cleaned)
    assessment = ReadinessAssessment.objects.create(
        business=business, answers=cleaned, level=result.level, by=actor if actor.is_authenticated else None
    )
    facts = readiness.business_facts(cleaned)
    previous = business.readiness_level
    Business.objects.filter(pk=business.pk).update(readiness_level=result.level, updated_at=timezone.now(), **facts)
    business.readiness_level = result.level
    for name, value in facts.items():
        setattr(business, name, value)
    audit_record(
        actor=actor,
        action="business.readiness",
        obj=business,
        changes={"readiness_level": [previous, result.level], "assessment": assessment.pk},
    )
    return assessment


def export_record(*, actor, filters: dict, rows: int) -> AuditLog:
    """A list of businesses left the platform: who took it, with which filters, how many rows."""
    return AuditLog.objects.create(
        actor=actor,
        action="business.export",
        object_type=Business._meta.label_lower,
        object_id="*",
        changes={"filters": {k: _audit_value(v) for k, v in filters.items() if v not in (None, "")}, "rows": rows},
    )


# -- erasure at the owner's request (UU PDP art. 8; called by the privacy app) ---------------------------------

# What an erased business is called from then on: officers still find the record (the books it keeps, the
# programme's counts), marked, with nothing that names a person.
ERASED_NAME = "Akun dihapus pemilik"
# Fields that name or identify the person (or a sole proprietor's business, which is the same thing), emptied.
# Kept: the village, sector, size class, readiness level, channels and payment methods, founding year and
# source, which the programme's counts read and which name nobody once the rest is gone.
ERASED_FIELDS = {
    "owner_name": "", "external_ref": None, "nib": "", "nik_ciphertext": "", "nik_hash": "", "nik_masked": "",
    "phone": "", "address": "", "owner_birth_year": None, "capital": None, "annual_sales": None,
    "employees": None, "marketplaces": [],
}


@transaction.atomic
def business_erase(*, actor, business: Business) -> Business:
    """Erase the personal data of a business whose owner deleted their account: its identifying fields, its
    readiness answers (they repeat the NIB and how the person works), its owner; withdraw the registry
    consent. The row stays, renamed ERASED_NAME, for the books the law keeps (see docs/PRIVACY.md)."""
    business = Business.objects.select_for_update().get(pk=business.pk)
    if business.owner_id is not None and actor.is_authenticated and business.owner_id == actor.pk:
        consent_record(
            actor=actor, business=business, purpose=REGISTRY_CONSENT_PURPOSE, version=REGISTRY_CONSENT_VERSION,
            granted=False,
        )
    ReadinessAssessment.objects.filter(business=business).delete()
    for name, value in ERASED_FIELDS.items():
        setattr(business, name, value)
    business.name = ERASED_NAME
    business.slug = f"dihapus-{business.pk}"
    business.owner = None
    business.save()
    # Which fields, never their values.
    audit_record(actor=actor, action="business.erase", obj=business, changes={"erased": sorted(ERASED_FIELDS) + ["name", "owner"]})
    return business
