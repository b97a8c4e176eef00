"""The owner's pages for their data: a copy of everything, and deleting the account."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from naikkelas.core.access import not_found
from naikkelas.core.forms import add_service_errors
from naikkelas.privacy import selectors, services
from naikkelas.privacy.exporting import owner_archive
from naikkelas.privacy.forms import CONFIRM_WORD, DeleteForm
from naikkelas.privacy.models import BOOKS_KEPT_YEARS


def _owner_only(user) -> None:
    # Officers, admins and partners' people hold no owner's data of their own here: the same 404 as a
    # missing page.
    if not user.is_owner:
        raise not_found()


@login_required
@require_GET
def data_page(request):
    _owner_only(request.user)
    return render(request, "privacy/data.html", {"kept_years": BOOKS_KEPT_YEARS})


@login_required
@require_POST
def data_download(request):
    user = request.user
    _owner_only(user)

    def photo_url(field) -> str:
        return request.build_absolute_uri(field.url) if field.name else ""

    archive, counts = owner_archive(user, photo_url=photo_url)
    services.export_record(actor=user, owner=user, counts=counts)
    name = f"naikkelas-data-saya-{timezone.localdate():%Y-%m-%d}.zip"
    response = FileResponse(archive, as_attachment=True, filename=name, content_type="application/zip")
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def delete_page(request):
    user = request.user
    _owner_only(user)
    blockers = selectors.unfinished_orders(user)
    form = DeleteForm(request.POST or None)
    if request.method == "POST" and not blockers and form.is_valid():
        try:
            services.account_delete(actor=user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            logout(request)
            messages.success(request, _("Akun Anda sudah dihapus. Terima kasih sudah memakai Naik Kelas."))
            return redirect("home")
    context = {
        "form": form,
        "blockers": blockers,
        "blocking_message": services.blocking_message(blockers) if blockers else "",
        "word": CONFIRM_WORD,
        "kept_years": BOOKS_KEPT_YEARS,
        "businesses": selectors.owner_business_names(user),
    }
    return render(request, "privacy/delete.html", context, status=400 if request.method == "POST" else 200)
