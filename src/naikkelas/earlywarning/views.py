"""Early warning's pages: the officers' watchlist of the businesses in their regions most at risk of closing,
and each owner's own risk with its reasons, a next step and the choice not to be scored."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from naikkelas.core.access import not_found
from naikkelas.earlywarning import services
from naikkelas.earlywarning.reasons import next_step, peers_place, sentence, suggested_help
from naikkelas.earlywarning.selectors import TIERS, latest_score, opted_out_count, watchlist
from naikkelas.earlywarning.services import scoring_objected
from naikkelas.ledger.access import access_books
from naikkelas.regions.selectors import region_get
from naikkelas.registry.access import is_registry_staff

PAGE_SIZE = 50


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
        rows.append((
            score, [sentence(reason, peers=peers_place(regencies[code])) for reason in score.reasons],
            suggested_help(score.reasons),
        ))
    return render(
        request,
        "earlywarning/watchlist.html",
        {
            "day": day, "page": page, "rows": rows, "tiers": TIERS, "tier": tier, "region": region,
            "opted_out": opted_out_count(actor=request.user),
        },
    )


TIER_WORDS = {
    "aman": lambda: _("Aman: buku kas Anda tidak menunjukkan tanda usaha akan tutup."),
    "waspada": lambda: _("Waspada: ada tanda yang perlu diperhatikan."),
    "rawan": lambda: _("Rawan: beberapa tanda menunjukkan usaha Anda sedang kesulitan."),
    "kritis": lambda: _("Kritis: buku kas Anda menunjukkan usaha sedang sangat kesulitan. Hubungi petugas dinas."),
}


@login_required
@require_GET
def owner_risk(request, business_id):
    """The owner's own tier and reasons in plain words, a next step, and the choice not to be scored."""
    business = access_books(request.user, business_id)
    score = latest_score(business=business)
    region = region_get((business.village_id or "")[:5])
    reasons = [sentence(reason, peers=peers_place(region)) for reason in score.reasons] if score else []
    return render(
        request,
        "earlywarning/owner_risk.html",
        {
            "business": business, "score": score, "reasons": reasons,
            "tier_words": TIER_WORDS[score.tier]() if score else "",
            "next_step": next_step(score.reasons) if score else "", "objected": scoring_objected(business),
        },
    )


@login_required
@require_POST
def owner_objection(request, business_id):
    business = access_books(request.user, business_id)
    objects = request.POST.get("tolak") == "1"
    try:
        services.scoring_objection(actor=request.user, business=business, objects=objects)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Usaha Anda tidak lagi dinilai otomatis; skornya sudah dihapus.") if objects
            else _("Usaha Anda akan dinilai lagi pada penilaian malam berikutnya."),
        )
    return redirect("earlywarning:owner_risk", business.pk)
