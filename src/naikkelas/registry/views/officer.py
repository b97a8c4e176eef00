from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def officer_list(request, **kwargs):
    return HttpResponse("officer_list")


@login_required
def officer_export(request, **kwargs):
    return HttpResponse("officer_export")


@login_required
def business_detail(request, **kwargs):
    return HttpResponse("business_detail")
