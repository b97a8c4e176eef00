"""Officer import pages: upload a spreadsheet, read its preview, decide on duplicates, commit.

Visitors who are not signed in are sent to log in, like on every signed-in page. Only officers and admins
reach them; other signed-in people (owners, partners) get the same 404 as a batch that does not exist, and
a batch is seen only by its uploader or an admin. The work is in registry/importing/; these views only
read the form and show the stored report.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from naikkelas.core.access import not_found
from naikkelas.registry.importing import batches
from naikkelas.registry.importing.errors import ChangedSincePreview, CommitRefused, ImportFileError
from naikkelas.registry.importing.headers import FIELDS
from naikkelas.registry.importing.report import commit_line, describe_match, file_line
from naikkelas.registry.models import ImportBatch

DECISION_PREFIX = "dup-"
IMPORT, SKIP = "import", "skip"


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Berkas CSV atau XLSX"),
        help_text=gettext_lazy("Baris pertama (atau salah satu baris awal) berisi judul kolom."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt"}),
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request):
    if not batches.may_import(request.user):
        raise not_found()
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = batches.import_upload(actor=request.user, uploaded_file=form.cleaned_data["file"])
        except ImportFileError as error:
            form.add_error("file", str(error))
        else:
            return redirect("registry:import_preview", batch_id=batch.pk)
    context = {
        "form": form,
        "recent": batches.recent_batches(actor=request.user),
        "columns": [(str(label), synonyms[:4]) for label, synonyms in FIELDS.values()],
    }
    return render(request, "registry/import_upload.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def import_preview(request, batch_id):
    batch = batches.access_import_batch(request.user, batch_id)
    if request.method == "POST":
        _act(request, batch)
        return redirect("registry:import_preview", batch_id=batch.pk)
    report = batch.report or {}
    counts = report.get("counts", {})
    duplicates = [
        {
            **item,
            "locked": any(match["kind"] == "ref" for match in item["matches"]),
            "described": [describe_match(match) for match in item["matches"]],
        }
        for item in report.get("duplicates", [])
    ]
    context = {
        "batch": batch,
        "report": report,
        "counts": counts,
        "file_line": file_line(report) if report.get("file") else "",
        "duplicates": duplicates,
        "bad_hidden": counts.get("bad", 0) - len(report.get("bad_rows", [])),
        "duplicates_hidden": counts.get("duplicates", 0) - len(duplicates),
        "committed": batch.status == ImportBatch.Status.COMMITTED,
        "commit_line": commit_line(report["commit"]) if report.get("commit") else "",
        "can_commit": batch.status == ImportBatch.Status.PREVIEWED,
        "preview_days": batches.PREVIEW_KEPT.days,
    }
    return render(request, "registry/import_preview.html", context)


def _decisions(post) -> dict:
    default = post.get("default")
    decisions = {"default": IMPORT if default == IMPORT else SKIP, IMPORT: [], SKIP: []}
    for key, value in post.items():
        if key.startswith(DECISION_PREFIX) and value in (IMPORT, SKIP):
            number = key.removeprefix(DECISION_PREFIX)
            if number.isdigit():
                decisions[value].append(int(number))
    return decisions


def _act(request, batch: ImportBatch) -> None:
    action = request.POST.get("action")
    try:
        if action == "commit":
            result = batches.import_commit(
                actor=request.user,
                batch=batch,
                skip_invalid=request.POST.get("skip_invalid") == "on",
                decisions=_decisions(request.POST),
            )
            messages.success(request, commit_line(result))
        elif action == "recheck":
            batches.import_recheck(actor=request.user, batch=batch)
            messages.info(request, _("Berkas sudah diperiksa ulang."))
    except ChangedSincePreview as error:
        messages.error(request, str(error))
        try:
            batches.import_recheck(actor=request.user, batch=batch)
        except (CommitRefused, ImportFileError) as again:
            messages.error(request, str(again))
        else:
            messages.info(request, _("Pratinjau di bawah sudah diperbarui."))
    except (CommitRefused, ImportFileError) as error:
        messages.error(request, str(error))
