"""The owner's "Bagikan ke mitra" page for one business: every active partner with what it does and the
owner's decision about it, officers' invitations on top; sharing, withdrawing (after a confirmation), and
declining an invitation.

Only the business's owner decides, so only the owner gets in: everyone else signed in, officers and admins
included, gets the 404 of a business that does not exist.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from naikkelas.core.access import not_found
from naikkelas.partners import selectors, services
from naikkelas.registry.access import access_business


def _own_business(user, business_id):
    if not user.is_owner:
        raise not_found()
    business = access_business(user, business_id)
    if business.owner_id != user.pk:
        raise not_found()
    return business


def _back(business):
    return redirect("partners:owner_shares", business_id=business.pk)


@login_required
@require_GET
def owner_shares(request, business_id: int):
    business = _own_business(request.user, business_id)
    context = {
        "business": business,
        "choices": selectors.share_choices(business),
        "consent_version": services.SHARE_CONSENT_VERSION,
    }
    return render(request, "partners/owner_shares.html", context)


@login_required
@require_POST
def share_grant(request, business_id: int, partner_id: int):
    business = _own_business(request.user, business_id)
    partner = selectors.active_partner(partner_id)
    if request.POST.get("version") != services.SHARE_CONSENT_VERSION:
        # The page was opened before the consent text changed: the owner must see the text they agree to.
        messages.error(request, _("Teks persetujuan sudah diperbarui. Baca lagi, lalu tekan Bagikan."))
        return _back(business)
    try:
        services.share_grant(actor=request.user, business=business, partner=partner)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Katalog %(business)s dibagikan ke %(partner)s.") % {
            "business": business.name, "partner": partner.name,
        })
    return _back(business)


@login_required
@require_http_methods(["GET", "POST"])
def share_withdraw(request, business_id: int, partner_id: int):
    """GET explains what withdrawing does and asks to confirm; POST withdraws."""
    business = _own_business(request.user, business_id)
    partner = selectors.withdrawable_partner(business, partner_id)
    if request.method == "GET":
        context = {"business": business, "partner": partner, "choice": selectors.share_choice(business, partner)}
        return render(request, "partners/owner_withdraw.html", context)
    try:
        services.share_withdraw(actor=request.user, business=business, partner=partner)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Berbagi dengan %(partner)s dicabut. %(partner)s diberi tahu untuk menghapus katalog Anda.")
            % {"partner": partner.name},
        )
    return _back(business)


@login_required
@require_POST
def share_decline(request, business_id: int, partner_id: int):
    business = _own_business(request.user, business_id)
    partner = selectors.active_partner(partner_id)
    try:
        services.share_decline(actor=request.user, business=business, partner=partner)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Undangan %(partner)s ditolak. Anda tetap bisa berbagi nanti jika berubah pikiran.")
            % {"partner": partner.name},
        )
    return _back(business)
