"""Early warning's pages: the officers' watchlist of the businesses in their regions most at risk of closing,
each business's risk history with the help planned, given and followed up, what help achieved, and each
owner's own risk with its reasons, a next step and the choice not to be scored."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from naikkelas.core.access import not_found
from naikkelas.core.forms import add_service_errors
from naikkelas.earlywarning import selectors, services
from naikkelas.earlywarning.access import access_intervention, access_risk
from naikkelas.earlywarning.charts import sparkline
from naikkelas.earlywarning.forms import ClosureForm, FollowUpForm, PlanHelpForm, RecordHelpForm
from naikkelas.earlywarning.models import Closure, Intervention
from naikkelas.earlywarning.reasons import NEXT_STEPS, next_step, peers_place, sentence, suggested_help
from naikkelas.earlywarning.selectors import TIERS, latest_score, opted_out_count, scoring_objected, watchlist
from naikkelas.ledger.access import access_books
from naikkelas.regions.selectors import region_get, sector_kategori
from naikkelas.registry.access import is_registry_staff

PAGE_SIZE = 50


def _staff_only(request) -> None:
    if not is_registry_staff(request.user):
        raise not_found()


def _reason_sentences(score, region=None) -> list[str]:
    return [sentence(reason, peers=peers_place(region)) for reason in score.reasons] if score else []


def _trend_title() -> str:
    return _("Peluang tutup dalam 90 hari, 6 bulan terakhir")


@login_required
@require_GET
def watchlist_page(request):
    _staff_only(request)
    tier = request.GET.get("tingkat", "")
    region = request.GET.get("wilayah", "").strip()[:20]
    sector = request.GET.get("sektor", "").strip()[:1].upper()
    risen = request.GET.get("baru_naik") == "1"
    day, scores = watchlist(actor=request.user, tier=tier, region=region, sector=sector, risen=risen)
    page = Paginator(scores, PAGE_SIZE).get_page(request.GET.get("page"))
    method = page.object_list[0].method if page.object_list else ""
    lines = selectors.trends([score.business_id for score in page.object_list], method=method, until=day) if day else {}
    regencies = {}
    rows = []
    for score in page.object_list:
        code = (score.business.village_id or "")[:5]
        if code not in regencies:
            regencies[code] = region_get(code)
        rows.append((
            score, _reason_sentences(score, regencies[code]), suggested_help(score.reasons),
            sparkline(lines.get(score.business_id, []), title=_trend_title()),
        ))
    filters = {"tingkat": tier, "wilayah": region, "sektor": sector, "baru_naik": "1" if risen else ""}
    return render(
        request,
        "earlywarning/watchlist.html",
        {
            "day": day, "page": page, "rows": rows, "tiers": TIERS, "tier": tier, "region": region,
            "sector": sector, "risen": risen, "risen_days": selectors.RISEN_OVER_DAYS,
            "sectors": sector_kategori(),
            "query": urlencode({name: value for name, value in filters.items() if value}),
            "opted_out": opted_out_count(actor=request.user),
            "model": selectors.active_model() if method == "model" else None,
        },
    )


def _business_page(request, business, *, plan_form=None, closure_form=None, status=200):
    score = latest_score(business=business)
    past = selectors.history(business=business)
    kind = NEXT_STEPS[score.reasons[0]["feature"]] if score and score.reasons else None
    helpers = services.helpers_for(business)
    helps = selectors.interventions(actor=request.user).filter(business=business)
    closure = Closure.objects.filter(business=business).first()
    return render(
        request,
        "earlywarning/business_risk.html",
        {
            "business": business, "score": score, "reasons": _reason_sentences(score, region_get((business.village_id or "")[:5])),
            "help": suggested_help(score.reasons) if score else "",
            "history": past[:60],
            "trend": sparkline([(s.as_of, s.probability) for s in reversed(past)], title=_trend_title()),
            "helps": [(item, selectors.outcome(item)) for item in helps],
            "plan_form": plan_form or PlanHelpForm(helpers=helpers, initial={"kind": kind}),
            "closure": closure,
            "closure_form": closure_form or ClosureForm(initial={"closed_on": closure.closed_on if closure else None}),
            "objected": scoring_objected(business),
        },
        status=status,
    )


@login_required
@require_GET
def business_risk(request, business_id):
    """One business's risk for an officer: its reasons, its history, the help planned and given, and the
    record of a closure."""
    return _business_page(request, access_risk(request.user, business_id))


@login_required
@require_POST
def plan_help(request, business_id):
    business = access_risk(request.user, business_id)
    form = PlanHelpForm(request.POST, helpers=services.helpers_for(business))
    if form.is_valid():
        try:
            planned = services.plan_help(actor=request.user, business=business, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Bantuan direncanakan: %(kind)s.") % {"kind": planned.get_kind_display()})
            return redirect("earlywarning:help_detail", planned.pk)
    return _business_page(request, business, plan_form=form, status=400)


@login_required
@require_POST
def record_closure(request, business_id):
    business = access_risk(request.user, business_id)
    form = ClosureForm(request.POST)
    if form.is_valid():
        try:
            services.record_closure(actor=request.user, business=business, closed_on=form.cleaned_data["closed_on"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Penutupan usaha tercatat; usaha ini tidak dinilai lagi sejak tanggal itu."))
            return redirect("earlywarning:business_risk", business.pk)
    return _business_page(request, business, closure_form=form, status=400)


@login_required
@require_GET
def help_list(request):
    """The help in the officer's regions, the unfinished first, and what each kind of help achieved."""
    _staff_only(request)
    status = request.GET.get("status", "")
    mine = request.GET.get("saya") == "1"
    found = selectors.interventions(actor=request.user, status=status, mine=mine)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "earlywarning/help_list.html",
        {
            "page": page, "status": status, "mine": mine,
            "statuses": [*Intervention.Status.choices, (selectors.FOLLOW_UP_DUE, _("Perlu tindak lanjut"))],
            "query": urlencode({name: value for name, value in (("status", status), ("saya", "1" if mine else "")) if value}),
            "effects": selectors.effects(actor=request.user), "few": selectors.FEW, "today": timezone.localdate(),
        },
    )


HELP_ACTIONS = {
    "catat": (RecordHelpForm, services.record_help, lambda: _("Bantuan tercatat sudah dilakukan.")),
    "tindak-lanjut": (FollowUpForm, services.follow_up, lambda: _("Tindak lanjut tercatat.")),
}


SHOWN_FORM = {Intervention.Status.PLANNED: "catat", Intervention.Status.DONE: "tindak-lanjut"}


@login_required
@require_http_methods(["GET", "POST"])
def help_detail(request, intervention_id):
    """One piece of help: record that it was given, follow it up, or cancel it; and what became of the business."""
    intervention = access_intervention(request.user, intervention_id)
    forms = {"catat": RecordHelpForm(initial={"done_on": timezone.localdate()}),
             "tindak-lanjut": FollowUpForm(initial={"follow_up_on": timezone.localdate()})}
    status, refused = 200, []
    if request.method == "POST":
        action = request.POST.get("aksi", "")
        try:
            if action == "batal":
                services.cancel_help(actor=request.user, intervention=intervention)
                messages.success(request, _("Bantuan dibatalkan."))
                return redirect("earlywarning:help_detail", intervention.pk)
            if action not in HELP_ACTIONS:
                raise ValidationError(_("Pilih yang ingin dicatat."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("earlywarning:help_detail", intervention.pk)
        form_class, service, done = HELP_ACTIONS[action]
        form = forms[action] = form_class(request.POST)
        if form.is_valid():
            try:
                service(actor=request.user, intervention=intervention, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, done())
                return redirect("earlywarning:help_detail", intervention.pk)
        status = 400
        if action != SHOWN_FORM.get(intervention.status):  # the page does not show this form: say why on top
            refused = [message for messages_ in form.errors.values() for message in messages_]
    return render(
        request,
        "earlywarning/help_detail.html",
        {"item": intervention, "outcome": selectors.outcome(intervention), "record_form": forms["catat"],
         "follow_form": forms["tindak-lanjut"], "refused": refused},
        status=status,
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
    reasons = _reason_sentences(score, region)
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
