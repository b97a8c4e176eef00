"""The owner's home (their business, its readiness level, the next step) and the readiness questionnaire."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from naikkelas.core.access import not_found
from naikkelas.regions.selectors import region_label
from naikkelas.registry import readiness as scoring
from naikkelas.registry import services
from naikkelas.registry.access import access_business
from naikkelas.registry.forms import ReadinessForm, sector_label
from naikkelas.registry.selectors import claimable_businesses, latest_assessment, owner_businesses, readiness_history

HISTORY_SHOWN = 10


def _require_owner(user) -> None:
    if not user.is_owner:
        raise not_found()


def _summary(user, business) -> dict:
    latest = latest_assessment(actor=user, business=business)
    result = scoring.assess(latest.answers) if latest else None
    next_key = result.next_step if result else None
    return {
        "business": business,
        "place": region_label(business.village),
        "sector": sector_label(business),
        "assessed": latest is not None,
        "level": business.readiness_level,
        "max_level": scoring.MAX_LEVEL,
        "next_step": scoring.STEPS_BY_KEY.get(next_key) if next_key else None,
        "history": list(readiness_history(actor=user, business=business)[:HISTORY_SHOWN]),
    }


@login_required
def owner_home(request):
    user = request.user
    _require_owner(user)
    businesses = list(owner_businesses(actor=user).order_by("pk"))
    if not businesses:
        return redirect("registry:onboard")
    context = {
        "summaries": [_summary(user, business) for business in businesses],
        "claimable": claimable_businesses(actor=user).count(),
    }
    return render(request, "registry/owner_home.html", context)


def _initial_answers(user, business) -> dict:
    latest = latest_assessment(actor=user, business=business)
    if latest:
        return dict(latest.answers)
    return scoring.prefill_answers(
        nib=business.nib,
        channels=business.channels,
        payment_methods=business.payment_methods,
        has_bank_account=business.has_bank_account,
    )


@login_required
@require_http_methods(["GET", "POST"])
def readiness(request):
    """The questionnaire for `?usaha=<id>` (one of the owner's businesses; the first one by default)."""
    user = request.user
    _require_owner(user)
    chosen = request.GET.get("usaha")
    if chosen:
        business = access_business(user, chosen)
    else:
        business = owner_businesses(actor=user).order_by("pk").first()
        if business is None:
            return redirect("registry:onboard")

    if request.method == "POST":
        form = ReadinessForm(request.POST)
        if form.is_valid():
            assessment = services.readiness_record(actor=user, business=business, answers=form.answers())
            message = _("Tersimpan. Tingkat kesiapan digital usaha Anda: level %(level)s.")
            messages.success(request, message % {"level": assessment.level})
            return redirect("registry:owner_home")
    else:
        form = ReadinessForm(initial=_initial_answers(user, business))
    context = {"form": form, "business": business, "steps": scoring.STEPS, "max_level": scoring.MAX_LEVEL}
    return render(request, "registry/readiness.html", context)
