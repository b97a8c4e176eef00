"""Reads of early warning, always within what the reader may see of the registry."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Case, F, Max, OuterRef, QuerySet, Subquery, Value, When
from django.utils import timezone


from naikkelas.earlywarning.models import FOLLOW_UP_AFTER_DAYS, SCORING, Closure, Intervention, RiskModel, RiskScore
from naikkelas.registry.access import business_scope_q
from naikkelas.registry.models import Business, Consent

TIERS = ("kritis", "rawan", "waspada", "aman")
RISEN_OVER_DAYS = 30  # "newly risen": a worse tier than a month before, what an officer's monthly round would miss
TREND_DAYS = 180  # the sparkline's reach
SURVIVAL_DAYS = 183  # "still open six months later"
CHUNK = 5_000
FEW = 10  # below this many businesses a share says nothing; it is shown as a count only


def scoring_objected(business) -> bool:
    latest = Consent.objects.filter(business=business, purpose=SCORING).order_by("-at", "-pk").first()
    return bool(latest and not latest.granted)


def objected_ids() -> set[int]:
    """Businesses whose owner's latest word on SCORING is an objection."""
    latest: dict[int, bool] = {}
    for business_id, granted in Consent.objects.filter(purpose=SCORING).order_by("at", "pk").values_list(
        "business_id", "granted"
    ):
        latest[business_id] = granted
    return {business_id for business_id, granted in latest.items() if not granted}


def _visible(actor) -> QuerySet[RiskScore]:
    return RiskScore.objects.filter(business__in=Business.objects.filter(business_scope_q(actor)))


def _tier_rank(field: str):
    return Case(*[When(**{field: name}, then=Value(rank)) for rank, name in enumerate(reversed(TIERS))], default=Value(-1))


def _preferred_method(scores: QuerySet[RiskScore]) -> str:
    return RiskScore.Method.MODEL if scores.filter(method=RiskScore.Method.MODEL).exists() else RiskScore.Method.BASELINE


def watchlist(
    *, actor, tier: str = "", region: str = "", sector: str = "", risen: bool = False
) -> tuple[dt.date | None, QuerySet[RiskScore]]:
    """The day last scored and that day's scores of the businesses `actor` may see, riskiest first: the
    learned model's where the day has them, the baseline's otherwise. `region` narrows to a region's code,
    `sector` to a KBLI kategori letter; `risen` keeps those whose tier is worse than it was RISEN_OVER_DAYS
    before (a business not scored then has nothing to have risen from)."""
    visible = _visible(actor)
    day = visible.aggregate(day=Max("as_of"))["day"]
    scores = visible.filter(as_of=day)
    method = _preferred_method(scores)
    scores = scores.filter(method=method)
    if tier in TIERS:
        scores = scores.filter(tier=tier)
    if region:
        scores = scores.filter(business__village__code__startswith=region.rstrip(".") + ".")
    if sector:
        scores = scores.filter(business__sector__kategori=sector)
    if risen and day:
        before = RiskScore.objects.filter(
            business=OuterRef("business"), method=method, as_of__lte=day - dt.timedelta(days=RISEN_OVER_DAYS)
        ).order_by("-as_of")
        scores = scores.annotate(tier_then=Subquery(before.values("tier")[:1])).annotate(
            rank_now=_tier_rank("tier"), rank_then=_tier_rank("tier_then")
        ).filter(tier_then__isnull=False, rank_now__gt=F("rank_then"))
    return day, scores.select_related("business").order_by("-probability", "business_id")


def trends(business_ids: list[int], *, method: str, until: dt.date) -> dict[int, list[tuple[dt.date, float]]]:
    """Each business's probabilities by `method` over the TREND_DAYS up to `until`, in day order."""
    lines: dict[int, list[tuple[dt.date, float]]] = {business_id: [] for business_id in business_ids}
    for business_id, day, probability in RiskScore.objects.filter(
        business_id__in=business_ids, method=method, as_of__gt=until - dt.timedelta(days=TREND_DAYS), as_of__lte=until
    ).order_by("as_of").values_list("business_id", "as_of", "probability"):
        lines[business_id].append((day, probability))
    return lines


def history(*, business) -> list[RiskScore]:
    """Every day the business was scored, newest first, each day by the learned model where it has one."""
    by_day: dict[dt.date, RiskScore] = {}
    for score in RiskScore.objects.filter(business=business).order_by("as_of", "method"):  # "model" last, so it wins
        by_day[score.as_of] = score
    return [by_day[day] for day in sorted(by_day, reverse=True)]


def active_model() -> RiskModel | None:
    """The model new scores come from: the newest trained."""
    return RiskModel.objects.order_by("-pk").first()


def latest_score(*, business) -> RiskScore | None:
    """A business's latest score: the learned model's where that day has one, the baseline's otherwise."""
    scores = RiskScore.objects.filter(business=business)
    day = scores.aggregate(day=Max("as_of"))["day"]
    return scores.filter(as_of=day).order_by("-method").first() if day else None  # "model" sorts after "baseline"


# -- help given and what became of it ---------------------------------------------------------------------------


FOLLOW_UP_DUE = "tindak-lanjut"  # the help list's filter for help given a month ago and not followed up


def interventions(*, actor, status: str = "", mine: bool = False) -> QuerySet[Intervention]:
    """The help planned for businesses `actor` may see (`status`: one of Intervention.Status or FOLLOW_UP_DUE):
    the unfinished first by schedule, then the newest."""
    found = Intervention.objects.filter(business__in=Business.objects.filter(business_scope_q(actor)))
    if status in Intervention.Status.values:
        found = found.filter(status=status)
    elif status == FOLLOW_UP_DUE:
        found = found.filter(
            status=Intervention.Status.DONE, follow_up_on__isnull=True,
            done_on__lte=timezone.localdate() - dt.timedelta(days=FOLLOW_UP_AFTER_DAYS),
        )
    if mine:
        found = found.filter(assigned_to=actor)
    return found.select_related("business", "assigned_to").order_by(
        Case(When(status=Intervention.Status.PLANNED, then=Value(0)), default=Value(1)),
        F("scheduled_on").asc(nulls_last=True), "-created_at", "-pk",
    )


@dataclass
class Outcome:
    risk_now: RiskScore | None  # the latest score after the help was given
    risk_fell: bool | None  # None without a score before and after
    closed_on: dt.date | None
    six_months_on: dt.date | None  # when "still open six months later" can be said
    survived: bool | None  # None until then


def outcome(intervention: Intervention, *, today: dt.date | None = None) -> Outcome:
    """What became of the business after the help: its risk since, and whether it was still open six months
    after the risk was seen (or after the help, where the business had no score then)."""
    return outcomes([intervention], today=today)[intervention.pk]


def outcomes(given, *, today: dt.date | None = None) -> dict[int, Outcome]:
    """`outcome` of many pieces of help at once (by id), in two queries per 5,000 businesses: the latest score
    after the help is the business's latest score, if that came after the help."""
    today = today or timezone.localdate()
    given = list(given)
    businesses = sorted({intervention.business_id for intervention in given})
    newest = RiskScore.objects.filter(business=OuterRef("business")).order_by("-as_of").values("as_of")[:1]
    latest: dict[int, RiskScore] = {}
    closed: dict[int, dt.date] = {}
    for start in range(0, len(businesses), CHUNK):  # within SQLite's limit of bound parameters
        chunk = businesses[start:start + CHUNK]
        for score in RiskScore.objects.filter(business__in=chunk, as_of=Subquery(newest)).order_by("method"):
            latest[score.business_id] = score  # "model" after "baseline": the model's wins, as on the pages
        closed.update(Closure.objects.filter(business__in=chunk).values_list("business", "closed_on"))
    found = {}
    for intervention in given:
        start = intervention.scored_on or intervention.done_on
        score = latest.get(intervention.business_id)
        after = score if intervention.done_on and score and score.as_of > intervention.done_on else None
        closed_on = closed.get(intervention.business_id)
        ends = start + dt.timedelta(days=SURVIVAL_DAYS) if start else None
        if closed_on and start and closed_on <= ends:
            survived = False
        elif ends and ends <= today:
            survived = True
        else:
            survived = None
        fell = None if after is None or intervention.risk_before is None else after.probability < intervention.risk_before
        found[intervention.pk] = Outcome(risk_now=after, risk_fell=fell, closed_on=closed_on, six_months_on=ends,
                                         survived=survived)
    return found


@dataclass
class Effect:
    """What became of the businesses given one kind of help, beside similar businesses given none."""

    kind: str
    label: str
    waiting: int = 0  # helped, but six months have not passed yet
    helped: int = 0  # helped, six months passed
    helped_open: int = 0  # of those, still open
    similar: int = 0  # similar businesses without help, over the helped's groups (scored day, tier, kategori)
    similar_open_share: float | None = None  # their share still open, weighted to the helped's mix of groups
    matched: int = 0  # helped businesses that had similar ones to compare with
    cells: set = field(default_factory=set, repr=False)

    @property
    def helped_open_share(self) -> float | None:
        return self.helped_open / self.helped if self.helped else None

    @property
    def too_few(self) -> bool:
        return self.helped < FEW or self.matched < FEW


def effects(*, actor, today: dt.date | None = None) -> list[Effect]:
    """For each kind of help given to the businesses `actor` may see: how many were still open six months
    after their risk was seen, against similar businesses that got no help at all. Similar means scored on the
    same day, by the same method, in the same tier and KBLI kategori; their share still open is weighted to
    the helped businesses' mix of those groups (exact matching). Only help given to a scored business counts."""
    today = today or timezone.localdate()
    visible = Business.objects.filter(business_scope_q(actor))
    given = (
        Intervention.objects.filter(business__in=visible, status=Intervention.Status.DONE, scored_on__isnull=False)
        .order_by("scored_on", "pk")
        .values_list("kind", "business_id", "scored_on", "method_before", "tier_before", "business__sector__kategori")
    )
    helped_ids = set(Intervention.objects.filter(business__in=visible, status=Intervention.Status.DONE).values_list("business_id", flat=True))
    closed = dict(Closure.objects.filter(business_id__in=helped_ids).values_list("business_id", "closed_on"))
    results = {kind: Effect(kind=kind, label=label) for kind, label in Intervention.Kind.choices}
    seen: set[tuple[str, int]] = set()
    pools: dict[tuple, tuple[int, int]] = {}
    for kind, business_id, day, method, tier, kategori in given:
        if (kind, business_id) in seen:  # a business helped twice the same way counts once, from the first time
            continue
        seen.add((kind, business_id))
        effect = results[kind]
        ends = day + dt.timedelta(days=SURVIVAL_DAYS)
        if ends > today:
            effect.waiting += 1
            continue
        effect.helped += 1
        closed_on = closed.get(business_id)
        effect.helped_open += not (closed_on and closed_on <= ends)
        cell = (day, method, tier, kategori)
        if cell not in pools:
            pool = RiskScore.objects.filter(as_of=day, method=method, tier=tier, business__in=visible).exclude(
                business_id__in=helped_ids
            )
            pool = pool.filter(business__sector__kategori=kategori) if kategori else pool.filter(business__sector__isnull=True)
            shut = Closure.objects.filter(closed_on__gt=day, closed_on__lte=ends).values("business_id")
            pools[cell] = (pool.count(), pool.filter(business_id__in=shut).count())
        size, shut_count = pools[cell]
        if size:
            if cell not in effect.cells:
                effect.cells.add(cell)
                effect.similar += size
            effect.matched += 1
            effect.similar_open_share = (effect.similar_open_share or 0.0) + (1 - shut_count / size)
    for effect in results.values():
        if effect.matched:
            effect.similar_open_share /= effect.matched
    return list(results.values())


def opted_out_count(*, actor) -> int:
    """How many of the businesses `actor` may see are left out of scoring by their owner's objection."""
    return Business.objects.filter(business_scope_q(actor), pk__in=objected_ids()).count()
