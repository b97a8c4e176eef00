"""Reads for the partners edge's pages: what a partner sees of its own keys, shares and deliveries, what an
owner is asked about, and what an officer may invite.

Every read takes a partner already reached through `access_partner` (or a business through the registry's
gate); nothing here decides who may look.
"""

from dataclasses import dataclass
from datetime import datetime

from django.core.paginator import Page, Paginator
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from naikkelas.core.access import not_found
from naikkelas.partners.models import ApiKey, Partner, Share, WebhookAttempt, WebhookDelivery
from naikkelas.regions.selectors import under_regions_q

SHARES_PAGE_SIZE = 50


# -- keys ----------------------------------------------------------------------------------------------------


class KeyState:
    ACTIVE, ENDING, ENDED, REVOKED = "active", "ending", "ended", "revoked"
    LABELS = {
        ACTIVE: _("Aktif"),
        ENDING: _("Diganti, masih berlaku"),
        ENDED: _("Kedaluwarsa"),
        REVOKED: _("Dicabut"),
    }


def key_state(key: ApiKey, now: datetime | None = None) -> str:
    now = now or timezone.now()
    if key.revoked_at is not None:
        return KeyState.REVOKED
    if key.expires_at is not None:
        return KeyState.ENDING if key.expires_at > now else KeyState.ENDED
    return KeyState.ACTIVE


@dataclass(frozen=True)
class KeyRow:
    key: ApiKey
    state: str

    @property
    def state_label(self) -> str:
        return str(KeyState.LABELS[self.state])

    @property
    def usable(self) -> bool:
        """Still opens the API, so it may be rotated or revoked."""
        return self.state in (KeyState.ACTIVE, KeyState.ENDING)


def partner_keys(partner: Partner) -> list[KeyRow]:
    """The partner's keys, newest first, each with its state; live ones before the ones that stopped."""
    now = timezone.now()
    rows = [KeyRow(key, key_state(key, now)) for key in ApiKey.objects.filter(partner=partner).select_related("replaced_by")]
    return sorted(rows, key=lambda row: not row.usable)


def partner_key(partner: Partner, key_id) -> ApiKey:
    """One of `partner`'s keys; Http404 for a key of another partner, as for one that does not exist."""
    try:
        pk = int(key_id)
    except (TypeError, ValueError):
        raise not_found() from None
    key = ApiKey.objects.filter(partner=partner, pk=pk).select_related("partner").first()
    if key is None:
        raise not_found()
    return key


# -- the partner's home --------------------------------------------------------------------------------------


def partner_overview(partner: Partner) -> dict:
    """The figures on the partner's home page, in three queries."""
    shares = Share.objects.filter(partner=partner).aggregate(
        shared=Count("pk", filter=Q(state=Share.State.GRANTED)),
        invited=Count("pk", filter=Q(state=Share.State.INVITED)),
        withdrawn=Count("pk", filter=Q(state=Share.State.WITHDRAWN)),
    )
    now = timezone.now()
    keys = ApiKey.objects.filter(partner=partner).aggregate(
        live=Count("pk", filter=Q(revoked_at__isnull=True) & (Q(expires_at__isnull=True) | Q(expires_at__gt=now))),
    )
    deliveries = WebhookDelivery.objects.filter(partner=partner, status=WebhookDelivery.Status.PENDING).aggregate(
        pending=Count("pk"),
        # Tried at least once and not yet through: the partner's receiver refused or did not answer.
        failing=Count("pk", filter=Q(attempts__gt=0)),
    )
    return {**shares, **keys, **deliveries}


def webhook_state(partner: Partner) -> str:
    """"off" (never set or switched off by the partner), "stopped" (switched off after repeated failure),
    "on"."""
    if partner.webhook_enabled:
        return "on"
    if partner.webhook_disabled_at is not None:
        return "stopped"
    return "off"


# -- shared businesses ---------------------------------------------------------------------------------------


def shared_businesses_page(partner: Partner, *, page: int | str = 1, per_page: int = SHARES_PAGE_SIZE) -> Page:
    """Businesses sharing with `partner` now, and those that withdrew (the partner must remove them), latest
    change first: the (partner, state, changed_at) index serves it however many businesses share."""
    shares = (
        Share.objects.filter(partner=partner, state__in=(Share.State.GRANTED, Share.State.WITHDRAWN))
        .select_related("business__village__parent__parent__parent", "business__sector")
        .order_by("-changed_at", "-pk")
    )
    return Paginator(shares, per_page).get_page(page)


def latest_share_change(partner: Partner) -> Share | None:
    """The most recent decision (shared or withdrawn) that a sync would pick up."""
    return (
        Share.objects.filter(partner=partner, state__in=(Share.State.GRANTED, Share.State.WITHDRAWN))
        .select_related("business")
        .order_by("-changed_at", "-pk")
        .first()
    )


def keys_last_used(partner: Partner):
    """When the partner last reached the API with any key."""
    return ApiKey.objects.filter(partner=partner).aggregate(at=Max("last_used_at"))["at"]


# -- deliveries ----------------------------------------------------------------------------------------------


def last_attempts(deliveries) -> dict[int, WebhookAttempt]:
    """The latest attempt of each delivery, by delivery id, in one query."""
    ids = [delivery.pk for delivery in deliveries if delivery.attempts]
    latest: dict[int, WebhookAttempt] = {}
    for attempt in WebhookAttempt.objects.filter(delivery_id__in=ids).order_by("delivery_id", "-at", "-pk"):
        latest.setdefault(attempt.delivery_id, attempt)
    return latest


# -- owners and officers -------------------------------------------------------------------------------------


def active_partners() -> QuerySet[Partner]:
    return Partner.objects.filter(is_active=True).order_by("name", "pk")


def active_partner(partner_id) -> Partner:
    """A partner an owner may share with or an officer may invite to; Http404 for any other id."""
    try:
        pk = int(partner_id)
    except (TypeError, ValueError):
        raise not_found() from None
    partner = active_partners().filter(pk=pk).first()
    if partner is None:
        raise not_found()
    return partner


@dataclass(frozen=True)
class ShareChoice:
    """One partner on an owner's sharing page, with the owner's current decision about it."""

    partner: Partner
    share: Share | None

    @property
    def state(self) -> str:
        return self.share.state if self.share else ""

    @property
    def invited(self) -> bool:
        return self.state == Share.State.INVITED

    @property
    def shared(self) -> bool:
        return self.state == Share.State.GRANTED


def share_choices(business) -> list[ShareChoice]:
    """Every active partner with the business's decision about it, and any inactive partner the business
    still shares with (so the owner can withdraw); open invitations first, then the partners the business
    shares with, then the rest, each group by name."""
    shares = {share.partner_id: share for share in Share.objects.filter(business=business).select_related("invited_by")}
    still_shared = [pk for pk, share in shares.items() if share.state == Share.State.GRANTED]
    partners = Partner.objects.filter(Q(is_active=True) | Q(pk__in=still_shared)).order_by("name", "pk")
    choices = [ShareChoice(partner, shares.get(partner.pk)) for partner in partners]
    rank = {Share.State.INVITED: 0, Share.State.GRANTED: 1}
    return sorted(choices, key=lambda choice: rank.get(choice.state, 2))


def withdrawable_partner(business, partner_id) -> Partner:
    """A partner the business may withdraw from: any active one, or one it still shares with."""
    try:
        pk = int(partner_id)
    except (TypeError, ValueError):
        raise not_found() from None
    shared = Share.objects.filter(business=business, state=Share.State.GRANTED).values("partner_id")
    partner = Partner.objects.filter(Q(is_active=True) | Q(pk__in=shared), pk=pk).first()
    if partner is None:
        raise not_found()
    return partner


def share_choice(business, partner: Partner) -> ShareChoice:
    return ShareChoice(partner, Share.objects.filter(business=business, partner=partner).first())


def officer_region_codes(actor) -> list[str] | None:
    """The regions an officer covers; None for an admin, who covers the whole country."""
    if actor.is_admin:
        return None
    return list(actor.regions.values_list("code", flat=True))


def region_covered(actor, code: str) -> bool:
    """Whether the region `code` lies inside (or is) one of the officer's regions."""
    codes = officer_region_codes(actor)
    if codes is None:
        return True
    return any(code == own or code.startswith(own + ".") for own in codes)


def pending_invitations(partner: Partner, region: str) -> int:
    """How many businesses of `region` were invited to `partner` and have not yet decided."""
    return Share.objects.filter(
        under_regions_q([region], field="business__village__code"), partner=partner, state=Share.State.INVITED
    ).count()
