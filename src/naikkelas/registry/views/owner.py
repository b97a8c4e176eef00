from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def owner_home(request, **kwargs):
    return HttpResponse("owner_home")


@login_required
def readiness(request, **kwargs):
    return HttpResponse("readiness")
