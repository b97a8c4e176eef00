"""A partner's own pages: home, API keys, the businesses that share with it, the webhook and its delivery log,
and the sync status with the feed addresses.

Only the partner's members (role partner) and admins get in, through `access_partner`; anyone else signed in
gets the 404 of a partner that does not exist, and anonymous visitors are sent to log in. A secret (an API
key, the webhook's signing secret) is shown once, in the answer to the POST that made it: it is never kept
anywhere it could be shown again, not even in the session, and that answer is not cached.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from naikkelas.core.access import not_found
from naikkelas.core.forms import add_service_errors
from naikkelas.partners import selectors, services, webhooks
from naikkelas.partners.access import access_partner, partners_of
from naikkelas.partners.feeds import FEEDS
from naikkelas.partners.forms import ApiKeyForm, WebhookForm
from naikkelas.partners.models import WebhookDelivery
from naikkelas.regions.selectors import region_label

GET_POST = require_http_methods(["GET", "POST"])
DELIVERIES_SHOWN = 50


def _secret_page(request, template: str, context: dict):
    """A page carrying a secret shown once: never stored by a browser or a proxy."""
    response = render(request, template, context)
    response["Cache-Control"] = "private, no-store"
    return response


# -- home ----------------------------------------------------------------------------------------------------


@login_required
@require_GET
def index(request):
    """Where "Mitra" in the menu leads: a partner's person goes to their partner's home; an admin, or someone
    working for several partners, chooses one."""
    user = request.user
    if not (user.is_partner or user.is_admin):
        raise not_found()
    partners = list(partners_of(user).order_by("name", "pk"))
    if len(partners) == 1 and not user.is_admin:
        return redirect("partners:home", partner_id=partners[0].pk)
    return render(request, "partners/index.html", {"partners": partners})


@login_required
@require_GET
def home(request, partner_id: int):
    partner = access_partner(request.user, partner_id)
    context = {
        "partner": partner,
        "counts": selectors.partner_overview(partner),
        "webhook_state": selectors.webhook_state(partner),
        "last_used": selectors.keys_last_used(partner),
    }
    return render(request, "partners/home.html", context)


# -- API keys ------------------------------------------------------------------------------------------------


def _keys_page(request, partner, *, form=None, made=None, rotated=None):
    context = {
        "partner": partner,
        "rows": selectors.partner_keys(partner),
        "form": form or ApiKeyForm(),
        "made": made,
        "rotated": rotated,
        "grace_hours": int(services.ROTATION_GRACE.total_seconds() // 3600),
    }
    if made is not None:
        return _secret_page(request, "partners/keys.html", context)
    return render(request, "partners/keys.html", context)


@login_required
@GET_POST
def keys(request, partner_id: int):
    partner = access_partner(request.user, partner_id)
    if request.method == "GET":
        return _keys_page(request, partner)
    form = ApiKeyForm(request.POST)
    if form.is_valid():
        try:
            made = services.api_key_create(actor=request.user, partner=partner, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _keys_page(request, partner, made=made)
    return _keys_page(request, partner, form=form)


@login_required
@require_POST
def key_rotate(request, partner_id: int, key_id: int):
    partner = access_partner(request.user, partner_id)
    key = selectors.partner_key(partner, key_id)
    try:
        made = services.api_key_rotate(actor=request.user, key=key)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("partners:keys", partner_id=partner.pk)
    key.refresh_from_db()
    return _keys_page(request, partner, made=made, rotated=key)


@login_required
@GET_POST
def key_revoke(request, partner_id: int, key_id: int):
    """GET asks to confirm; POST revokes at once."""
    partner = access_partner(request.user, partner_id)
    key = selectors.partner_key(partner, key_id)
    if request.method == "GET":
        return render(request, "partners/key_revoke.html", {"partner": partner, "key": key})
    services.api_key_revoke(actor=request.user, key=key)
    messages.success(
        request, _("Kunci %(prefix)s… dicabut. Permintaan dengan kunci ini sekarang ditolak.") % {"prefix": key.prefix}
    )
    return redirect("partners:keys", partner_id=partner.pk)


# -- shared businesses ---------------------------------------------------------------------------------------


@login_required
@require_GET
def businesses(request, partner_id: int):
    partner = access_partner(request.user, partner_id)
    page = selectors.shared_businesses_page(partner, page=request.GET.get("page") or 1)
    rows = [{"share": share, "place": region_label(share.business.village)} for share in page.object_list]
    return render(request, "partners/businesses.html", {"partner": partner, "page": page, "rows": rows})


# -- webhook -------------------------------------------------------------------------------------------------


def _webhook_page(request, partner, *, form=None, secret: str = ""):
    context = {
        "partner": partner,
        "form": form or WebhookForm(initial={"url": partner.webhook_url}),
        "state": selectors.webhook_state(partner),
        "secret": secret,
    }
    if secret:
        return _secret_page(request, "partners/webhook.html", context)
    return render(request, "partners/webhook.html", context)


@login_required
@GET_POST
def webhook(request, partner_id: int):
    """The webhook's address; saving it makes a new signing secret, shown once, and switches it on."""
    partner = access_partner(request.user, partner_id)
    if request.method == "GET":
        return _webhook_page(request, partner)
    form = WebhookForm(request.POST)
    if form.is_valid():
        try:
            secret = webhooks.webhook_configure(actor=request.user, partner=partner, url=form.cleaned_data["url"])
        except ValidationError as error:
            add_service_errors(form, error, rename={"webhook_url": "url"})
        else:
            partner.refresh_from_db()
            return _webhook_page(request, partner, secret=secret)
    return _webhook_page(request, partner, form=form)


def _webhook_action(request, partner_id: int, action: str):
    partner = access_partner(request.user, partner_id)
    done = {
        "enable": (webhooks.webhook_enable, _("Webhook aktif. Pemberitahuan yang tertunda dikirim lagi berurutan.")),
        "disable": (webhooks.webhook_disable, _("Webhook dimatikan. Pemberitahuan baru menunggu sampai diaktifkan lagi.")),
        "test": (webhooks.webhook_test, _("Pesan uji masuk antrean. Lihat hasilnya di log pengiriman.")),
    }
    service, message = done[action]
    try:
        service(actor=request.user, partner=partner)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, message)
    return redirect("partners:webhook", partner_id=partner.pk)


@login_required
@require_POST
def webhook_enable(request, partner_id: int):
    return _webhook_action(request, partner_id, "enable")


@login_required
@require_POST
def webhook_disable(request, partner_id: int):
    return _webhook_action(request, partner_id, "disable")


@login_required
@require_POST
def webhook_test(request, partner_id: int):
    return _webhook_action(request, partner_id, "test")


# -- delivery log --------------------------------------------------------------------------------------------


def _cursor(value) -> int | None:
    try:
        return int(value) if value else None
    except (TypeError, ValueError):
        return None


@login_required
@require_GET
def deliveries(request, partner_id: int):
    """The latest deliveries, newest first, DELIVERIES_SHOWN at a time; "older" continues below the last
    event shown (a cursor, so new deliveries arriving meanwhile never shift the pages)."""
    partner = access_partner(request.user, partner_id)
    status = request.GET.get("status") or ""
    if status not in WebhookDelivery.Status.values:
        status = ""
    before = _cursor(request.GET.get("sebelum"))
    rows = list(webhooks.delivery_log(partner, status=status or None, before_event=before)[: DELIVERIES_SHOWN + 1])
    older = rows[DELIVERIES_SHOWN - 1].event_id if len(rows) > DELIVERIES_SHOWN else None
    rows = rows[:DELIVERIES_SHOWN]
    latest = selectors.last_attempts(rows)
    chips = [{"value": "", "label": _("Semua"), "active": not status}]
    chips += [{"value": value, "label": label, "active": status == value} for value, label in WebhookDelivery.Status.choices]
    context = {
        "partner": partner,
        "rows": [{"delivery": delivery, "last": latest.get(delivery.pk)} for delivery in rows],
        "chips": chips,
        "status": status,
        "older": older,
        "paged": before is not None,
        "summary": webhooks.delivery_summary(partner),
    }
    return render(request, "partners/deliveries.html", context)


@login_required
@require_GET
def delivery_detail(request, partner_id: int, delivery_id: int):
    partner = access_partner(request.user, partner_id)
    delivery = webhooks.delivery_of(partner, delivery_id)
    context = {"partner": partner, "delivery": delivery, "attempts": webhooks.delivery_attempts(delivery)}
    return render(request, "partners/delivery_detail.html", context)


# -- sync status and feeds -----------------------------------------------------------------------------------


def _feed_url(request, partner, name: str) -> str:
    return request.build_absolute_uri(reverse("partners_feeds:partner_feed", args=[partner.feed_token, name]))


@login_required
@require_GET
def sync(request, partner_id: int):
    partner = access_partner(request.user, partner_id)
    context = {
        "partner": partner,
        "rows": selectors.partner_keys(partner),
        "latest": selectors.latest_share_change(partner),
        "counts": selectors.partner_overview(partner),
        "summary": webhooks.delivery_summary(partner),
        "webhook_state": selectors.webhook_state(partner),
        "feeds": [{"name": name, "url": _feed_url(request, partner, name)} for name in FEEDS],
    }
    response = render(request, "partners/sync.html", context)
    # The feed addresses carry the feed's secret token.
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def feed_token_replace(request, partner_id: int):
    partner = access_partner(request.user, partner_id)
    services.feed_token_replace(actor=request.user, partner=partner)
    messages.success(
        request, _("Alamat feed diganti. Alamat lama tidak berlaku lagi: perbarui alamat di Google dan Meta.")
    )
    return redirect("partners:sync", partner_id=partner.pk)
