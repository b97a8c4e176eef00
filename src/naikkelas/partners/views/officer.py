"""An officer invites the businesses of a region (inside their own regions) to share with a partner. The
invitation only puts the question on each owner's page; nothing is shared until the owner says yes.

Officers and admins only; anyone else signed in gets a 404, anonymous visitors are sent to log in.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from naikkelas.core.access import not_found
from naikkelas.partners import selectors, services
from naikkelas.partners.forms import InviteForm
from naikkelas.regions.selectors import region_label
from naikkelas.registry.access import is_registry_staff


@login_required
@require_http_methods(["GET", "POST"])
def officer_invite(request):
    user = request.user
    if not is_registry_staff(user):
        raise not_found()
    result = None
    if request.method == "POST":
        form = InviteForm(request.POST, actor=user)
        if form.reload_requested():
            # The region picker's "Lanjut"/"Cari": the next step of the form, not a submission.
            form = InviteForm(initial=form.reload_initial(), actor=user)
        elif form.is_valid():
            partner, region = form.cleaned_data["partner"], form.cleaned_data["region"]
            try:
                invited = services.shares_invite(actor=user, partner=partner, region=region.code)
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                result = {
                    "partner": partner,
                    "region": region_label(region),
                    "invited": invited,
                    "waiting": selectors.pending_invitations(partner, region.code),
                }
                form = InviteForm(initial={"partner": partner.pk}, actor=user)
    else:
        form = InviteForm(actor=user)
    return render(request, "partners/officer_invite.html", {"form": form, "result": result})
