"""Officer and admin pages: the registry list in their regions, one business, and the list as CSV.

Anonymous visitors are sent to log in (like every signed-in page); signed-in people who are not officers or
admins get the same 404 as a business that does not exist. NIK appears only in its masked form.
"""

import csv
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from naikkelas.accounts.phones import display_phone
from naikkelas.core.access import not_found
from naikkelas.core.spreadsheets import escape_cell
from naikkelas.regions.selectors import region_label, region_path, short_name
from naikkelas.registry import services
from naikkelas.registry.access import access_business, is_registry_staff
from naikkelas.registry.forms import OfficerFilterForm
from naikkelas.registry.models import Channel, PaymentMethod
from naikkelas.registry.selectors import (
    business_audit,
    business_consents,
    business_counts,
    business_list,
    business_page,
    readiness_history,
)

EXPORT_CHUNK = 2000
EXPORT_COLUMNS = (
    "id", "ref_dinas", "nama_usaha", "nama_pemilik", "no_hp", "nib", "nik_tersamar", "alamat",
    "kode_desa", "desa", "kecamatan", "kabupaten_kota", "provinsi", "kbli", "sektor", "skala",
    "level_kesiapan", "saluran", "marketplace", "pembayaran", "punya_rekening", "sumber", "diklaim_pemilik",
    "dibuat",
)


def _require_staff(user) -> None:
    if not is_registry_staff(user):
        raise not_found()


def _filters(request) -> tuple[OfficerFilterForm, dict]:
    form = OfficerFilterForm(request.GET or None)
    return form, (form.filters() if form.is_bound else {})


@login_required
@require_GET
def officer_list(request):
    user = request.user
    _require_staff(user)
    form, filters = _filters(request)
    page = business_page(actor=user, page=request.GET.get("page") or 1, **filters)
    # The page links keep the filters but not the page number or the picker's reload button.
    kept = [
        (key, value)
        for key, values in request.GET.lists()
        for value in values
        if key != "page" and not key.endswith("_step")
    ]
    query = urlencode(kept)
    rows = [{"business": b, "place": region_label(b.village)} for b in page.object_list]
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "counts": business_counts(actor=user, **filters),
        "query": query,
        "levels": range(5),
    }
    return render(request, "registry/officer_list.html", context)


@login_required
@require_GET
def business_detail(request, business_id: int):
    user = request.user
    _require_staff(user)
    business = access_business(user, business_id)
    channels = dict(Channel.choices)
    payments = dict(PaymentMethod.choices)
    context = {
        "business": business,
        "place": region_label(business.village),
        "phone": display_phone(business.phone) if business.phone else "",
        "channels": [str(channels.get(c, c)) for c in business.channels or []],
        "payments": [str(payments.get(m, m)) for m in business.payment_methods or []],
        "history": readiness_history(actor=user, business=business)[:20],
        "consents": business_consents(actor=user, business=business),
        "audit": business_audit(actor=user, business=business),
    }
    return render(request, "registry/business_detail.html", context)


def _export_row(business) -> list:
    path = {r.level: r for r in region_path(business.village)}
    place = [short_name(path[level]) if level in path else "" for level in (4, 3, 2, 1)]
    values = [
        business.pk,
        business.external_ref or "",
        business.name,
        business.owner_name,
        # National form ("0812-3456-7890"): a spreadsheet keeps it as text, and the importer reads it back.
        display_phone(business.phone) if business.phone else "",
        business.nib,
        business.nik_masked,
        business.address,
        business.village_id,
        *place,
        business.sector_id or "",
        business.sector.title if business.sector else "",
        business.get_size_class_display() if business.size_class else "",
        "" if business.readiness_level is None else business.readiness_level,
        " ".join(business.channels or []),
        " ".join(business.marketplaces or []),
        " ".join(business.payment_methods or []),
        {True: "ya", False: "tidak"}.get(business.has_bank_account, ""),
        business.source,
        "ya" if business.owner_id else "tidak",
        timezone.localtime(business.created_at).strftime("%Y-%m-%d"),
    ]
    # Names and addresses come from spreadsheets and sign-ups: a leading "=" must stay text in Excel.
    return [escape_cell(value) for value in values]


class _Echo:
    def write(self, value):
        return value


@login_required
@require_GET
def officer_export(request):
    """The filtered list as CSV (UTF-8 with a byte-order mark so Excel shows names right), streamed."""
    user = request.user
    _require_staff(user)
    _form, filters = _filters(request)
    businesses = business_list(actor=user, **filters).select_related("village__parent__parent__parent", "sector")
    services.export_record(actor=user, filters=filters, rows=businesses.count())
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff" + writer.writerow(EXPORT_COLUMNS)
        for business in businesses.iterator(chunk_size=EXPORT_CHUNK):
            yield writer.writerow(_export_row(business))

    filename = f"usaha-{timezone.localdate():%Y%m%d}.csv"
    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
