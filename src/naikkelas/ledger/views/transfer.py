"""The cash book out and in: export as CSV or XLSX, and an owner's import of their own book from CSV.

The import is three steps, as the registry import: upload (the file is kept beside the media files under a
random name, in a folder of the business), the check report (every bad row with its reasons; nothing is
written), and the commit, which writes every row in one transaction or none. The commit names the upload by
its random token; the token is only looked for in the folder of the business the owner's gate let through.
"""

import re
import uuid
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from naikkelas.ledger import exporting, importing, uploads
from naikkelas.ledger.access import access_books
from naikkelas.ledger.importing import ImportFileError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024  # some 100,000 rows: years of a small shop's book
_TOKEN = re.compile(r"^[0-9a-f]{32}$")


@login_required
@require_GET
def export(request, business_id):
    business = access_books(request.user, business_id)
    kind = request.GET.get("format", "csv")
    name = f"buku-kas-{slugify(business.name) or business.pk}"
    if kind == "csv":
        response = StreamingHttpResponse(exporting.csv_lines(business), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    if kind == "xlsx":
        return FileResponse(
            exporting.xlsx_file(business),
            as_attachment=True,
            filename=f"{name}.xlsx",
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    return HttpResponseBadRequest(_("Format ekspor tidak dikenal: pilih csv atau xlsx."), content_type="text/plain; charset=utf-8")


def _upload_path(business, token: str) -> Path | None:
    if not _TOKEN.match(token or ""):
        return None
    path = uploads.folder(business) / f"{token}.csv"
    return path if path.is_file() else None


def _render(request, business, **context):
    return render(request, "ledger/import.html", {"business": business, "columns": importing.expected_columns(False), **context})


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request, business_id):
    """GET: the upload form. POST: keep the file and show its check report; nothing written."""
    business = access_books(request.user, business_id)
    if request.method == "GET":
        return _render(request, business)
    upload = request.FILES.get("berkas")
    if upload is None:
        return _render(request, business, error=_("Pilih berkas CSV buku kas lebih dulu."))
    if upload.size > MAX_UPLOAD_BYTES:
        return _render(
            request, business, error=_("Berkas terlalu besar; batasnya %(n)s MB.") % {"n": MAX_UPLOAD_BYTES // (1024 * 1024)}
        )
    token = uuid.uuid4().hex
    path = uploads.folder(business) / f"{token}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    try:
        report = importing.check_file(path, business=business)
    except ImportFileError as error:
        uploads.remove(path)
        return _render(request, business, error=str(error))
    if not report.ok:
        uploads.remove(path)  # a file that cannot be written is uploaded again once corrected
    return _render(request, business, report=report, token=token if report.ok else "")


@login_required
@require_POST
def import_commit(request, business_id):
    business = access_books(request.user, business_id)
    path = _upload_path(business, request.POST.get("berkas", ""))
    if path is None:
        return _render(request, business, error=_("Berkas unggahan sudah tidak ada; unggah ulang."))
    try:
        report = importing.commit_file(path, actor=request.user, business=business)
    except ImportFileError as error:
        return _render(request, business, error=_("Tidak ada yang disimpan: %(reason)s") % {"reason": error})
    finally:
        uploads.remove(path)
    if not report.written:
        return _render(request, business, report=report, error=_("Tidak ada yang disimpan; lihat hasil pemeriksaan di bawah."))
    messages.success(request, _("%(n)s catatan buku kas diimpor.") % {"n": importing.number(report.written)})
    return redirect("ledger:home", business.pk)
