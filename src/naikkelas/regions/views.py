"""Small public endpoints behind the region picker. Region data changes only when Kemendagri renumbers,
so answers are cacheable for a day by the phone and any proxy on the way."""

from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_GET

from naikkelas.regions.selectors import region_children, region_label, region_search

CACHE_SECONDS = 24 * 60 * 60


def _wants_json(request) -> bool:
    if request.GET.get("format") == "json":
        return True
    return "application/json" in request.headers.get("Accept", "")


def _cacheable(response):
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    patch_vary_headers(response, ["Accept"])
    return response


@require_GET
def children(request):
    """The regions directly under `?induk=<code>` (the provinces without it): JSON for the picker's script,
    otherwise `<option>` elements ready to drop into a select."""
    parent = (request.GET.get("induk") or "").strip()[:13]
    items = [{"code": region.code, "name": region.name} for region in region_children(parent or None)]
    if _wants_json(request):
        return _cacheable(JsonResponse({"parent": parent, "items": items}))
    html = render_to_string("regions/options.html", {"items": items})
    return _cacheable(HttpResponse(html))


@require_GET
def search(request):
    """Villages matching `?q=`, each with its full place name ("Caturtunggal, Depok, Sleman, DI Yogyakarta")."""
    query = (request.GET.get("q") or "")[:100]
    results = [{"code": region.code, "label": region_label(region)} for region in region_search(query)]
    if _wants_json(request):
        return _cacheable(JsonResponse({"q": query, "results": results}))
    items = [{"code": result["code"], "name": result["label"]} for result in results]
    return _cacheable(HttpResponse(render_to_string("regions/options.html", {"items": items})))
