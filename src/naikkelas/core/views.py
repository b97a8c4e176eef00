import logging

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.static import serve as static_serve

logger = logging.getLogger(__name__)


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


@never_cache
def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


@never_cache
@require_safe
def readyz(request):
    """Ready for traffic: the database answers and every migration this code knows is applied. 503 otherwise,
    with the reason in a word (and how many migrations are missing); never anything about anyone, never cached.
    For a load balancer or an orchestrator's readiness probe; /healthz only says the process is up."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        executor = MigrationExecutor(connection)
        unapplied = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        logger.warning("readyz: the database does not answer", exc_info=True)
        return JsonResponse({"status": "unavailable", "reason": "database"}, status=503)
    if unapplied:
        return JsonResponse(
            {"status": "unavailable", "reason": "migrations", "unapplied": len(unapplied)}, status=503
        )
    return JsonResponse({"status": "ok"})


def media(request, path: str):
    """Uploaded files (product photos, which are public) when no web server stands in front; MEDIA_ROOT is
    read per request so tests can point it elsewhere."""
    return static_serve(request, path, document_root=settings.MEDIA_ROOT)
