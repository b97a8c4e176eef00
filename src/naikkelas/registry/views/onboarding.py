"""The owner's first screen after the phone code, and the offer to claim businesses an officer imported."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from naikkelas.core.access import not_found
from naikkelas.regions.selectors import region_label
from naikkelas.registry import services
from naikkelas.registry.forms import ClaimForm, OnboardForm
from naikkelas.registry.selectors import claimable_businesses, owner_businesses


def _require_owner(user) -> None:
    if not user.is_owner:
        raise not_found()


@login_required
@require_http_methods(["GET", "POST"])
def onboard(request):
    user = request.user
    _require_owner(user)
    if owner_businesses(actor=user).exists():
        return redirect("registry:owner_home")
    if claimable_businesses(actor=user).exists():
        return redirect("registry:claim")

    form = OnboardForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.reload_requested():
        form = OnboardForm(initial=form.reload_initial())
    elif form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            services.business_onboard(
                actor=user, name=data["name"], village_code=data["village"].code, sector_code=data["sector_code"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Usaha Anda sudah terdaftar. Selamat datang di Naik Kelas!"))
            return redirect("registry:owner_home")
    return render(request, "registry/onboard.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def claim(request):
    """"Apakah ini usaha Anda?", one business at a time, until every match has an answer."""
    user = request.user
    _require_owner(user)
    pending = list(claimable_businesses(actor=user))
    if not pending:
        return redirect("registry:owner_home" if owner_businesses(actor=user).exists() else "registry:onboard")

    business = pending[0]
    form = ClaimForm(request.POST if request.method == "POST" else None, initial={"business_id": business.pk})
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            if data["answer"] == ClaimForm.YES:
                claimed = services.business_claim(actor=user, business_id=data["business_id"])
                messages.success(request, _("%(name)s sekarang tercatat sebagai usaha Anda.") % {"name": claimed.name})
            else:
                services.business_claim_decline(actor=user, business_id=data["business_id"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("registry:claim")
    context = {
        "form": form,
        "business": business,
        "place": region_label(business.village),
        "remaining": len(pending),
    }
    return render(request, "registry/claim.html", context)
