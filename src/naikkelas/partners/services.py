"""Writes of the partners edge: partners, their API keys, and the owners' decisions to share with them.

Sharing is the owner's decision alone: an officer may invite a region's businesses to share with a partner,
which only puts the question on each owner's page. Every decision is also recorded as a registry Consent
(purpose "partner:<slug>", the version of the text the owner saw), and a withdrawal is announced to the
partner through the outbox (`consent.withdrawn`), in the same transaction.
"""

import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from naikkelas.core import outbox
from naikkelas.core.audit import audit_record
from naikkelas.partners import keys
from naikkelas.partners.models import ApiKey, Partner, Share
from naikkelas.registry.access import business_scope_q
from naikkelas.registry.selectors import business_list
from naikkelas.registry.services import consent_record

# The text an owner agrees to when sharing (templates/partners/owner_shares.html); bump when it changes.
SHARE_CONSENT_VERSION = "2026-11"
# A rotated key keeps working this long, so the partner can deploy the new one without an outage.
ROTATION_GRACE = timedelta(hours=24)
MAX_LIVE_KEYS = 20


def consent_purpose(partner: Partner) -> str:
    return f"partner:{partner.slug}"


def _new_feed_token() -> str:
    return secrets.token_urlsafe(24)


@transaction.atomic
def partner_create(*, actor, name: str, kind: str = Partner.Kind.MARKETPLACE, description: str = "", website: str = "") -> Partner:
    base = slugify(name)[:50] or "mitra"
    slug, n = base, 1
    while Partner.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    partner = Partner(name=name, slug=slug, kind=kind, description=description, website=website, feed_token=_new_feed_token())
    partner.full_clean()
    partner.save()
    audit_record(actor=actor, action="partner.create", obj=partner)
    return partner


@transaction.atomic
def feed_token_replace(*, actor, partner: Partner) -> Partner:
    partner.feed_token = _new_feed_token()
    partner.save(update_fields=["feed_token"])
    audit_record(actor=actor, action="partner.feed_token_replace", obj=partner)
    return partner


# -- API keys ------------------------------------------------------------------------------------------------


@transaction.atomic
def api_key_create(*, actor, partner: Partner, name: str, scope: str = ApiKey.Scope.READ) -> keys.NewKey:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Beri nama kunci, mis. \"server produksi\".")})
    if scope not in ApiKey.Scope.values:
        raise ValidationError({"scope": _("Pilih izin kunci: baca saja, atau baca dan tulis.")})
    live = ApiKey.objects.filter(partner=partner, revoked_at__isnull=True).count()
    if live >= MAX_LIVE_KEYS:
        raise ValidationError(_("Sudah ada %(n)s kunci aktif. Cabut kunci yang tidak dipakai dulu.") % {"n": live})
    prefix, raw = keys.generate()
    key = ApiKey.objects.create(
        partner=partner,
        name=name[:80],
        prefix=prefix,
        key_hash=keys.digest(raw),
        scope=scope,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(actor=actor, action="api_key.create", obj=key, changes={"prefix": prefix, "scope": scope})
    return keys.NewKey(key=key, secret=raw)


@transaction.atomic
def api_key_rotate(*, actor, key: ApiKey, grace: timedelta = ROTATION_GRACE) -> keys.NewKey:
    """A new key with the same name and scope; the old one keeps working for `grace`, then stops."""
    key = ApiKey.objects.select_for_update().get(pk=key.pk)
    if key.revoked_at is not None:
        raise ValidationError(_("Kunci ini sudah dicabut."))
    made = api_key_create(actor=actor, partner=key.partner, name=key.name, scope=key.scope)
    expires = timezone.now() + grace
    key.expires_at = min(key.expires_at, expires) if key.expires_at else expires
    key.replaced_by = made.key
    key.save(update_fields=["expires_at", "replaced_by"])
    audit_record(actor=actor, action="api_key.rotate", obj=key, changes={"replaced_by": made.key.prefix})
    return made


@transaction.atomic
def api_key_revoke(*, actor, key: ApiKey) -> ApiKey:
    """Stops the key at once (a revoked key is refused from the next request)."""
    updated = ApiKey.objects.filter(pk=key.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    key.refresh_from_db()
    if updated:
        audit_record(actor=actor, action="api_key.revoke", obj=key)
    return key


# -- sharing -------------------------------------------------------------------------------------------------


def _locked_share(business, partner: Partner) -> Share:
    share, _created = Share.objects.select_for_update().get_or_create(
        business=business, partner=partner, defaults={"state": Share.State.INVITED}
    )
    return share


def _owner_decides(actor, business) -> None:
    if not (actor.is_authenticated and business.owner_id == actor.pk):
        raise ValidationError(_("Hanya pemilik usaha yang bisa memutuskan berbagi dengan mitra."), code="not_owner")


@transaction.atomic
def share_grant(*, actor, business, partner: Partner) -> Share:
    _owner_decides(actor, business)
    if not partner.is_active:
        raise ValidationError(_("Mitra ini tidak aktif."), code="partner_inactive")
    share = _locked_share(business, partner)
    if share.state == Share.State.GRANTED:
        return share
    now = timezone.now()
    share.state, share.granted_at, share.withdrawn_at, share.changed_at = Share.State.GRANTED, now, None, now
    share.save()
    consent_record(actor=actor, business=business, purpose=consent_purpose(partner), version=SHARE_CONSENT_VERSION)
    return share


@transaction.atomic
def share_withdraw(*, actor, business, partner: Partner) -> Share:
    """The partner loses sight of the business at once; it hears so by webhook and on its next sync."""
    _owner_decides(actor, business)
    share = _locked_share(business, partner)
    if share.state != Share.State.GRANTED:
        return share
    now = timezone.now()
    share.state, share.withdrawn_at, share.changed_at = Share.State.WITHDRAWN, now, now
    share.save()
    consent_record(
        actor=actor, business=business, purpose=consent_purpose(partner), version=SHARE_CONSENT_VERSION, granted=False
    )
    outbox.emit(
        topic="consent.withdrawn",
        key=f"business:{business.pk}",
        business_id=business.pk,
        payload={"partner_id": partner.pk, "business_id": business.pk, "withdrawn_at": now.isoformat()},
    )
    return share


@transaction.atomic
def share_decline(*, actor, business, partner: Partner) -> Share:
    """An owner says no to an invitation (it leaves their list; they can still share later)."""
    _owner_decides(actor, business)
    share = _locked_share(business, partner)
    if share.state == Share.State.INVITED:
        share.state, share.changed_at = Share.State.DECLINED, timezone.now()
        share.save()
    return share


@transaction.atomic
def shares_invite(*, actor, partner: Partner, region: str) -> int:
    """Invite the businesses of `region` that the officer covers and that have not yet been asked about this
    partner; returns how many were invited. Owners decide; nothing is shared by this."""
    if not (actor.is_authenticated and (actor.is_officer or actor.is_admin)):
        raise ValidationError(_("Hanya petugas yang bisa mengundang usaha."), code="not_officer")
    if not partner.is_active:
        raise ValidationError(_("Mitra ini tidak aktif."), code="partner_inactive")
    asked = Share.objects.filter(partner=partner).values("business_id")
    businesses = (
        business_list(actor=actor, region=region)
        .filter(business_scope_q(actor), owner__isnull=False)
        .exclude(pk__in=asked)
        .values_list("pk", flat=True)
    )
    now = timezone.now()
    rows = [
        Share(business_id=pk, partner=partner, state=Share.State.INVITED, invited_by=actor, invited_at=now, changed_at=now)
        for pk in businesses.iterator(chunk_size=2000)
    ]
    Share.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    audit_record(actor=actor, action="partner.invite", obj=partner, changes={"region": region, "invited": len(rows)})
    return len(rows)
