"""What an officer may see of a business's books, with its owner's consent: money in and out per month, never
the entries; and the owner's switch for that consent."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from naikkelas.ledger import services
from naikkelas.ledger.access import access_books, access_summary, officers_may_see_summary
from naikkelas.ledger.views import periods


@login_required
@require_GET
def officer_summary(request, business_id):
    business = access_summary(request.user, business_id)
    today = services.business_today(business)
    months = [
        (periods.month_label(first), money_in, money_out, money_in - money_out)
        for first, money_in, money_out in periods.monthly(business, today)
    ]
    return render(request, "ledger/officer_summary.html", {"business": business, "today": today, "months": months})


@login_required
@require_POST
def officer_consent(request, business_id):
    business = access_books(request.user, business_id)
    granted = request.POST.get("izinkan") == "1"
    try:
        services.officer_summary_consent(actor=request.user, business=business, granted=granted)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Petugas wilayah Anda sekarang bisa melihat ringkasan bulanan buku kas.")
            if granted
            else _("Petugas tidak lagi bisa melihat ringkasan buku kas Anda."),
        )
    return redirect("ledger:home", business.pk)


def consent_context(business) -> dict:
    """For the cash book home: whether officers may see the summary now, and the version of the text."""
    return {"officer_consent": officers_may_see_summary(business), "consent_version": services.OFFICER_SUMMARY_VERSION}
