from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def import_upload(request, **kwargs):
    return HttpResponse("import_upload")


@login_required
def import_preview(request, **kwargs):
    return HttpResponse("import_preview")
