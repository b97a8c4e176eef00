"""The officers' watchlist: the businesses in their regions most at risk of closing, with the reasons."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from naikkelas.core.access import not_found
from naikkelas.earlywarning.reasons import sentence
from naikkelas.earlywarning.selectors import TIERS, watchlist
from naikkelas.regions.selectors import region_get
from naikkelas.registry.access import is_registry_staff

PAGE_SIZE = 50


def _peers(region) -> str:
    return region.name.replace("Kabupaten ", "Kab. ") if region else ""


@login_required
@require_GET
def watchlist_page(request):
    if not is_registry_staff(request.user):
        raise not_found()
    tier = request.GET.get("tingkat", "")
    region = request.GET.get("wilayah", "").strip()[:20]
    day, scores = watchlist(actor=request.user, tier=tier, region=region)
    page = Paginator(scores, PAGE_SIZE).get_page(request.GET.get("page"))
    regencies = {}
    rows = []
    for score in page.object_list:
        code = (score.business.village_id or "")[:5]
        if code not in regencies:
            regencies[code] = region_get(code)
        rows.append((score, [sentence(reason, peers=_peers(regencies[code])) for reason in score.reasons]))
    return render(
        request,
        "earlywarning/watchlist.html",
        {"day": day, "page": page, "rows": rows, "tiers": TIERS, "tier": tier, "region": region},
    )
