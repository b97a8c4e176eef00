from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def onboard(request, **kwargs):
    return HttpResponse("onboard")


@login_required
def claim(request, **kwargs):
    return HttpResponse("claim")
