from django.conf import settings
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.static import serve as static_serve


def home(request):
    """The landing page for visitors; signed-in people go straight to their own home."""
    user = request.user
    if user.is_authenticated:
        if user.is_officer or user.is_admin:
            return redirect("registry:officer_list")
        if user.is_owner:
            return redirect("registry:owner_home")
        if user.is_partner:
            return redirect("partners:index")
    return render(request, "core/home.html")


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


def media(request, path: str):
    """Uploaded files (product photos, which are public) when no web server stands in front; MEDIA_ROOT is
    read per request so tests can point it elsewhere."""
    return static_serve(request, path, document_root=settings.MEDIA_ROOT)
