"""The statement for a loan: the owner picks a period (up to 12 months), sees the figures, downloads the PDF, and
makes a link that opens the PDF for the days they choose; the link itself is a public page that answers only
while it is valid, with the same 404 for an unknown, expired or revoked one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from naikkelas.core.whatsapp import wa_link
from naikkelas.ledger import statement as statements
from naikkelas.ledger.access import access_books
from naikkelas.ledger.services import business_today
from naikkelas.ledger.statement_pdf import amount_text, filename, statement_pdf_bytes
from naikkelas.regions.selectors import village_zone

NEW_LINK = "ledger_statement_new_link"  # session key: the link just made, shown once


def _months(request, today) -> tuple[str, str]:
    first, last = statements.default_months(today)
    source = request.POST if request.method == "POST" else request.GET
    return source.get("dari", first).strip(), source.get("sampai", last).strip()


def _local(moment, business) -> str:
    return formats.date_format(timezone.localtime(moment, village_zone(business.village_id)), "j F Y H:i")


def _share_url(request, share) -> str:
    return request.build_absolute_uri(reverse("ledger:statement_public", args=[share.token]))


def _shown(statement) -> dict:
    """The figures as the page shows them: (label, amount as statements write it, is it negative)."""
    def line(label, value):
        return {"label": label, "amount": amount_text(value), "negative": value < 0}

    return {
        "income": [line(item.label, item.amount) for item in statement.income],
        "income_total": line(_("Jumlah pendapatan"), statement.income_total),
        "expenses": [line(item.label, item.amount) for item in statement.expenses],
        "expenses_total": line(_("Jumlah beban"), statement.expenses_total),
        "profit": line(_("Laba") if statement.profit >= 0 else _("Rugi"), statement.profit),
        "assets": [line(_("Kas"), statement.cash), line(_("Piutang usaha"), statement.receivables)],
        "assets_total": line(_("Jumlah aset"), statement.assets),
        "liabilities": [line(_("Utang usaha"), statement.payables)],
        "equity": line(_("Ekuitas"), statement.equity),
    }


def _page(request, business):
    today = business_today(business)
    start_text, end_text = _months(request, today)
    statement, errors = None, []
    try:
        start, end = statements.period_from(start_text, end_text, today=today)
    except ValidationError as error:
        errors = error.messages
    else:
        statement = statements.statement_for(business, start=start, end=end, generated=today)
    new_link = None
    made = request.session.pop(NEW_LINK, None)
    if made and made.get("business") == business.pk:
        new_link = made
    context = {
        "business": business,
        "dari": start_text,
        "sampai": end_text,
        "errors": errors,
        "statement": statement,
        "shown": _shown(statement) if statement else None,
        "notes": statements.notes(statement) if statement else [],
        "max_months": statements.MAX_MONTHS,
        "days_min": statements.SHARE_DAYS[0],
        "days_max": statements.SHARE_DAYS[1],
        "days_default": statements.DEFAULT_SHARE_DAYS,
        "new_link": new_link,
        "shares": [
            {"share": share, "period": statements.period_text(share.start, share.end), "until": _local(share.expires_at, business)}
            for share in statements.live_shares(business)
        ],
    }
    # A period refused is shown with what to change, and answered as the bad request it is.
    return render(request, "ledger/statement.html", context, status=400 if errors else 200)


@login_required
@require_GET
def statement(request, business_id):
    business = access_books(request.user, business_id)
    return _page(request, business)


def _pdf_response(statement, business, *, inline: bool) -> HttpResponse:
    response = HttpResponse(statement_pdf_bytes(statement), content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename(statement, business.slug)}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def statement_pdf(request, business_id):
    business = access_books(request.user, business_id)
    today = business_today(business)
    start_text, end_text = _months(request, today)
    try:
        start, end = statements.period_from(start_text, end_text, today=today)
    except ValidationError:
        return _page(request, business)  # the page says what to change
    return _pdf_response(statements.statement_for(business, start=start, end=end, generated=today), business, inline=False)


def _back(business, start_text: str, end_text: str):
    return redirect(reverse("ledger:statement", args=[business.pk]) + f"?dari={start_text}&sampai={end_text}")


@login_required
@require_POST
def statement_share(request, business_id):
    business = access_books(request.user, business_id)
    today = business_today(business)
    start_text, end_text = _months(request, today)
    try:
        start, end = statements.period_from(start_text, end_text, today=today)
        try:
            days = int(request.POST.get("hari", ""))
        except ValueError:
            low, high = statements.SHARE_DAYS
            raise ValidationError(_("Masa berlaku tautan %(low)s sampai %(high)s hari.") % {"low": low, "high": high}) from None
        share = statements.statement_share_create(actor=request.user, business=business, start=start, end=end, days=days)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _back(business, start_text, end_text)
    url = _share_url(request, share)
    until = _local(share.expires_at, business)
    message = _(
        "Laporan keuangan %(name)s periode %(period)s: %(url)s (tautan berlaku sampai %(until)s)."
    ) % {"name": business.name, "period": statements.period_text(share.start, share.end), "url": url, "until": until}
    request.session[NEW_LINK] = {"business": business.pk, "url": url, "until": until, "whatsapp": wa_link(message)}
    messages.success(request, _("Tautan laporan dibuat. Salin atau kirim sekarang: tautan lengkapnya hanya ditampilkan sekali."))
    return _back(business, start_text, end_text)


@login_required
@require_POST
def statement_revoke(request, business_id, share_id):
    share = statements.access_share(request.user, business_id, share_id)
    statements.statement_share_revoke(actor=request.user, share=share)
    messages.success(request, _("Tautan dicabut: laporan tidak bisa dibuka lagi lewat tautan itu."))
    return redirect("ledger:statement", share.business.pk)


@require_GET
def statement_public(request, token):
    """The PDF behind a link, for whoever the owner sent it to; never cached, never indexed."""
    share = statements.access_shared(token)
    business = share.business
    statement = statements.statement_for(business, start=share.start, end=share.end)
    response = _pdf_response(statement, business, inline=True)
    response["X-Robots-Tag"] = "noindex"
    return response
