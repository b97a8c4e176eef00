"""Who may see what of the partners edge.

On the web: a partner's own people (members with the partner role) see their partner's keys, shares and
deliveries; admins see every partner's. Through the API: a key sees only the businesses that shared with its
partner (Share.state granted) and what belongs to them. Everyone else, and whatever does not exist, gets the
same 404, so nobody can probe for what exists.
"""

from django.db.models import Q

from naikkelas.core.access import not_found
from naikkelas.partners.models import ApiKey, Partner, Share, WebhookDelivery


def _pk(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise not_found() from None


def _signed_in(actor) -> bool:
    return bool(actor and actor.is_authenticated and actor.is_active)


def partners_of(actor):
    """The partners `actor` works for (all of them for an admin)."""
    if not _signed_in(actor):
        return Partner.objects.none()
    if actor.is_admin:
        return Partner.objects.all()
    if actor.is_partner:
        return Partner.objects.filter(members=actor)
    return Partner.objects.none()


def access_partner(actor, partner_id) -> Partner:
    partner = partners_of(actor).filter(pk=_pk(partner_id)).first()
    if partner is None:
        raise not_found()
    return partner


def access_api_key(actor, key_id) -> ApiKey:
    key = ApiKey.objects.filter(pk=_pk(key_id), partner__in=partners_of(actor)).select_related("partner").first()
    if key is None:
        raise not_found()
    return key


def access_delivery(actor, delivery_id) -> WebhookDelivery:
    delivery = (
        WebhookDelivery.objects.filter(pk=_pk(delivery_id), partner__in=partners_of(actor))
        .select_related("partner")
        .first()
    )
    if delivery is None:
        raise not_found()
    return delivery


def shared_q(partner: Partner, field: str = "pk") -> Q:
    """Businesses (by `field`, their id) that currently share with `partner`, as a filter."""
    granted = Share.objects.filter(partner=partner, state=Share.State.GRANTED).values("business_id")
    return Q(**{f"{field}__in": granted})


def is_shared(partner: Partner, business_id) -> bool:
    return Share.objects.filter(partner=partner, business_id=_pk(business_id), state=Share.State.GRANTED).exists()


def access_shared_business_id(partner: Partner, business_id) -> int:
    """The id of a business that shares with `partner`; Http404 otherwise (missing or not shared alike)."""
    pk = _pk(business_id)
    if not is_shared(partner, pk):
        raise not_found()
    return pk
