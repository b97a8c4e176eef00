"""Debts and receivables ("kasbon"): the list of who owes what (owed to the business and owed by it), a new
debt, and one debt with its payments so far, a payment form and the WhatsApp reminder. Forms carry their
client-made id in their address as the entry form does (views.book.entry_create), so a resent form is stored
once; a refused one is shown again with what was typed, and nothing is written."""

import uuid
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from naikkelas.core.forms import add_service_errors
from naikkelas.core.money import rupiah
from naikkelas.ledger import selectors, services
from naikkelas.ledger.access import access_books
from naikkelas.ledger.debt_access import access_debt
from naikkelas.ledger.debt_forms import DebtForm, PaymentForm, kind_of
from naikkelas.ledger.models import Debt

GET_POST = require_http_methods(["GET", "POST"])
SETTLED_SHOWN = 20  # the latest settled ones; older ones stay in the cash book's entries


@dataclass
class Side:
    """One side of the list: receivables (owed to the business) or payables (owed by it)."""

    kind: str
    title: str
    anchor: str
    unpaid: list
    settled: list

    @property
    def remaining(self) -> int:
        return sum(debt.remaining for debt in self.unpaid)

    @property
    def overdue(self) -> int:
        return sum(1 for debt in self.unpaid if debt.overdue)


def _mark(debts, today) -> list[Debt]:
    for debt in debts:
        debt.overdue = not debt.settled and debt.due_date is not None and debt.due_date < today
    return list(debts)


def _side(business, kind: str, title: str, anchor: str, today) -> Side:
    unpaid = selectors.debts(business, kind=kind, settled=False)
    settled = selectors.debts(business, kind=kind, settled=True)[:SETTLED_SHOWN]
    return Side(kind, title, anchor, _mark(unpaid, today), _mark(settled, today))


@login_required
@require_GET
def debt_list(request, business_id):
    business = access_books(request.user, business_id)
    today = services.business_today(business)
    sides = [
        _side(business, Debt.Kind.RECEIVABLE, _("Piutang: orang lain berutang ke saya"), "piutang", today),
        _side(business, Debt.Kind.PAYABLE, _("Utang: saya berutang"), "utang", today),
    ]
    return render(request, "ledger/debts.html", {"business": business, "today": today, "sides": sides})


def _create_url(business, kind: str, client_id: str) -> str:
    return reverse("ledger:debt_create", args=[business.pk]) + f"?jenis={kind}&id={client_id}"


@login_required
@GET_POST
def debt_create(request, business_id):
    """Like the entry form: opening it leads to an address with a fresh id, and a form whose id is already
    used shows what it stored, so going back and sending it again adds nothing."""
    business = access_books(request.user, business_id)
    kind = kind_of(request.GET.get("jenis"))
    today = services.business_today(business)
    client_id = request.GET.get("id", "")
    if request.method == "GET" and not services.CLIENT_ID.match(client_id):
        return redirect(_create_url(business, kind, str(uuid.uuid4())))
    saved = None
    if request.method == "POST":
        form = DebtForm(request.POST, today=today, kind=kind)
    else:
        saved = Debt.objects.filter(business=business, source_key=f"form:{client_id}").first()
        initial = {"client_id": client_id}
        if saved is not None:
            initial |= {
                "kind": saved.kind, "party": saved.party, "phone": saved.phone, "amount": rupiah(saved.amount),
                "date": saved.date, "due_date": saved.due_date, "note": saved.note,
            }
        form = DebtForm(today=today, kind=kind, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            debt = services.debt_record(actor=request.user, business=business, **form.debt_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if debt.kind == Debt.Kind.RECEIVABLE:
                done = _("Piutang %(name)s sebesar %(amount)s tercatat.")
            else:
                done = _("Utang ke %(name)s sebesar %(amount)s tercatat.")
            messages.success(request, done % {"name": debt.party, "amount": rupiah(debt.amount)})
            return redirect("ledger:debt_detail", business.pk, debt.pk)
    context = {
        "business": business,
        "form": form,
        "action": _create_url(business, kind, form["client_id"].value() or ""),
        "saved": saved,
        "fresh": reverse("ledger:debt_create", args=[business.pk]) + f"?jenis={kind}",
    }
    return render(request, "ledger/debt_form.html", context)


def _detail_url(debt: Debt, client_id: str = "") -> str:
    url = reverse("ledger:debt_detail", args=[debt.business_id, debt.pk])
    return url + f"?id={client_id}" if client_id else url


@login_required
@GET_POST
def debt_detail(request, business_id, debt_id):
    """The debt, its payments so far and, while something remains, the payment form with its own id in the
    page's address. More than what remains is refused with the service's message, next to the amount."""
    debt = access_debt(request.user, business_id, debt_id)
    business = debt.business
    today = services.business_today(business)
    client_id = request.GET.get("id", "")
    if request.method == "GET" and not debt.settled and not services.CLIENT_ID.match(client_id):
        return redirect(_detail_url(debt, str(uuid.uuid4())))
    saved = None
    if request.method == "POST":
        form = PaymentForm(request.POST, today=today)
        if form.is_valid():
            try:
                entry = services.debt_pay(actor=request.user, debt=debt, **form.payment_fields())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Pembayaran %(amount)s tercatat.") % {"amount": rupiah(entry.amount)})
                return redirect(_detail_url(debt))
    else:
        key = f"debt:{debt.pk}:form:{client_id}" if client_id else ""
        saved = selectors.debt_payments(debt).filter(source_key=key).first() if key else None
        initial = {"client_id": client_id}
        if saved is not None:
            initial |= {"amount": rupiah(saved.amount), "date": saved.date, "method": saved.method}
        form = PaymentForm(today=today, initial=initial)
    debt.overdue = not debt.settled and debt.due_date is not None and debt.due_date < today
    context = {
        "business": business,
        "debt": debt,
        "is_receivable": debt.kind == Debt.Kind.RECEIVABLE,
        "payments": list(selectors.debt_payments(debt)),
        "form": form,
        "action": _detail_url(debt, form["client_id"].value() or ""),
        "saved": saved,
        "fresh": _detail_url(debt),
        "reminder": services.debt_reminder_link(debt, business_name=business.name),
    }
    return render(request, "ledger/debt_detail.html", context)
