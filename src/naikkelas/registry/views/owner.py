"""The owner's home (their business, its readiness level, the next step), the readiness questionnaire, and
the registry's data about the business with the owner's corrections."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from naikkelas.accounts.phones import display_phone
from naikkelas.core.access import not_found
from naikkelas.regions.selectors import region_label
from naikkelas.registry import readiness as scoring
from naikkelas.registry import services
from naikkelas.registry.access import access_business
from naikkelas.registry.forms import BusinessDataForm, ReadinessForm, sector_label
from naikkelas.registry.identity import nik_reads
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


@login_required
@require_http_methods(["GET", "POST"])
def business_data(request, business_id):
    """Everything the registry holds about the owner's business, and the owner's corrections to it."""
    user = request.user
    _require_owner(user)
    business = access_business(user, business_id)
    this_year = timezone.localdate().year
    form = BusinessDataForm(request.POST if request.method == "POST" else None, this_year=this_year,
                            initial=_data_initial(business))
    if form.is_bound and form.reload_requested():
        form = BusinessDataForm(initial=form.reload_initial(), this_year=this_year)
    elif form.is_bound and form.is_valid():
        try:
            services.business_update(actor=user, business=business, **form.changes())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Data usaha sudah diperbarui."))
            return redirect("registry:owner_home")
    context = {"business": business, "form": form, "sector": sector_label(business), "nik_reads": nik_reads(business)}
    return render(request, "registry/business_data.html", context)


def _data_initial(business) -> dict:
    values = {name: getattr(business, name) for name in (
        "name", "owner_name", "owner_birth_year", "address", "nib", "founded_year", "employees", "capital",
        "annual_sales", "has_bank_account",
    )}
    return {**values, "phone": display_phone(business.phone) if business.phone else "", "village": business.village}
