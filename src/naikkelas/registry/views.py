from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def owner_home(request):
    return HttpResponse("owner")


@login_required
def officer_list(request):
    return HttpResponse("officer")


@login_required
def import_upload(request):
    return HttpResponse("import")
