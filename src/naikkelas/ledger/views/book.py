"""The cash book: its home (cash on hand, today, this week, this month, the latest entries), the list of
entries by month, recording money in or out, and deleting a mistaken entry. A successful POST redirects with a
message; a refused one shows the form again with what was typed, and nothing is written."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from naikkelas.core.forms import add_service_errors
from naikkelas.core.money import rupiah
from naikkelas.ledger import selectors, services
from naikkelas.ledger.access import access_books, access_entry
from naikkelas.ledger.forms import EntryForm, direction_of, parse_month
from naikkelas.ledger.models import Direction, Source
from naikkelas.ledger.views import periods
from naikkelas.ledger.views.officer import consent_context

LATEST = 10
PAGE_SIZE = 50
MONTH_CHOICES = 24
GET_POST = require_http_methods(["GET", "POST"])
DELETABLE = (Source.MANUAL, Source.IMPORT)


def period_labels() -> dict[str, str]:
    return {"today": _("Hari ini"), "week": _("Minggu ini"), "month": _("Bulan ini")}


@login_required
@require_GET
def home(request, business_id):
    business = access_books(request.user, business_id)
    today = services.business_today(business)
    context = {
        "business": business,
        "today": today,
        "cash": selectors.totals(business),
        "periods": periods.current(business, today, period_labels()),
        "latest": list(selectors.entries(business)[:LATEST]),
        **consent_context(business),
    }
    return render(request, "ledger/home.html", context)


@login_required
@require_GET
def entry_list(request, business_id):
    business = access_books(request.user, business_id)
    today = services.business_today(business)
    month = parse_month(request.GET.get("bulan"))
    end = periods.month_end(month) if month else None
    found = selectors.entries(business, start=month, end=end)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("halaman"))
    months = [periods.month_start(today, back) for back in range(MONTH_CHOICES)]
    if month and month not in months:
        months.append(month)
    context = {
        "business": business,
        "page": page,
        "month": month,
        "month_key": month.strftime("%Y-%m") if month else "",
        "month_name": periods.month_label(month) if month else "",
        "months": [(m.strftime("%Y-%m"), periods.month_label(m)) for m in months],
        "totals": selectors.totals(business, start=month, end=end),
    }
    return render(request, "ledger/entry_list.html", context)


def _form_url(business, direction: str, client_id: str) -> str:
    return reverse("ledger:entry_create", args=[business.pk]) + f"?arah={direction}&id={client_id}"


@login_required
@GET_POST
def entry_create(request, business_id):
    """The form carries its id in its address: "Uang masuk" leads to a fresh id, and going back to a sent
    form (whether the browser shows its stored copy or asks again) finds the same id, so sending it again
    stores nothing new. A form whose id is already used shows what it stored."""
    business = access_books(request.user, business_id)
    direction = direction_of(request.GET.get("arah"))
    today = services.business_today(business)
    client_id = request.GET.get("id", "")
    if request.method == "GET" and not services.CLIENT_ID.match(client_id):
        return redirect(_form_url(business, direction, str(uuid.uuid4())))
    saved = None
    if request.method == "POST":
        form = EntryForm(request.POST, direction=direction, today=today)
    else:
        saved = selectors.entries(business).filter(source_key=f"form:{client_id}").first()
        initial = {"client_id": client_id}
        if saved is not None:
            initial |= {
                "amount": rupiah(saved.amount), "date": saved.date, "category": saved.category,
                "method": saved.method, "note": saved.note, "party": saved.party,
            }
        form = EntryForm(direction=direction, today=today, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.entry_record(actor=request.user, business=business, **form.entry_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if entry.direction == Direction.IN:
                done = _("Uang masuk %(amount)s tercatat.")
            else:
                done = _("Uang keluar %(amount)s tercatat.")
            messages.success(request, done % {"amount": rupiah(entry.amount)})
            return redirect("ledger:home", business.pk)
    context = {
        "business": business,
        "form": form,
        "direction": direction,
        "is_in": direction == Direction.IN,
        "action": _form_url(business, direction, form["client_id"].value() or ""),
        "saved": saved,
        "fresh": reverse("ledger:entry_create", args=[business.pk]) + f"?arah={direction}",
    }
    return render(request, "ledger/entry_form.html", context)


@login_required
@GET_POST
def entry_delete(request, business_id, entry_id):
    """GET asks "really?" (or, for an automatic entry, says where it comes from); the POST deletes."""
    entry = access_entry(request.user, business_id, entry_id)
    if request.method == "GET":
        context = {"business": entry.business, "entry": entry, "deletable": entry.source in DELETABLE}
        return render(request, "ledger/entry_delete.html", context)
    try:
        services.entry_delete(actor=request.user, entry=entry)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("ledger:entry_delete", entry.business_id, entry.pk)
    messages.success(request, _("Catatan %(amount)s dihapus.") % {"amount": rupiah(entry.amount)})
    back = reverse("ledger:entry_list", args=[entry.business_id])
    return redirect(back + f"?bulan={entry.date:%Y-%m}")
