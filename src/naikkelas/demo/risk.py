"""The demo province's early warning as it would stand after half a year of nightly runs: the snapshot, a model
trained on the closures recorded up to the first of those nights, scores every four weeks since, and the help the
demo officer gave to half of the businesses at risk on that first night.

The synthetic world does not answer to help (closures are drawn before anything is scored), so the help page's
comparison of helped and similar businesses shows how large a difference chance alone makes.
"""

import datetime as dt
import random

from naikkelas.earlywarning import pipeline
from naikkelas.earlywarning.models import Intervention, RiskModel, RiskScore
from naikkelas.earlywarning.reasons import NEXT_STEPS
from naikkelas.earlywarning.snapshot import write_snapshot

EVERY_DAYS = 28  # a month apart: each night scored costs the demo about a second
NIGHTS = 8  # seven months of scores, so help given on the first night can be judged six months on
AT_RISK = ("kritis", "rawan")
NOTES = {
    Intervention.Kind.MARKET: "Didaftarkan ke marketplace mitra; foto produk dibantu.",
    Intervention.Kind.TRAINING: "Ikut pelatihan pembukuan dan pengelolaan biaya.",
    Intervention.Kind.FINANCING: "Dirujuk ke bank penyalur KUR dengan laporan buku kas.",
    Intervention.Kind.DEBTS: "Piutang pelanggan ditagih bersama; jadwal cicilan utang diatur ulang.",
}


def build_risk(officer, *, seed: int = 1) -> dict:
    """Snapshot, model, scores and help for the demo; a second run changes nothing that is already there."""
    if RiskScore.objects.exists():
        return {"scored_days": 0}
    write_snapshot()
    try:
        _first, last = pipeline.span()
    except pipeline.NoSnapshot:
        return {"scored_days": 0}
    nights = [last - dt.timedelta(days=EVERY_DAYS * n) for n in reversed(range(NIGHTS))]
    if not RiskModel.objects.exists():
        try:
            pipeline.train_and_store(nights[0])
        except ValueError:  # no closure recorded yet: the baseline alone scores
            pass
    pipeline.score_days(nights)
    helped = _help_the_first_nights_risky(officer, nights[0], random.Random(seed))
    return {"scored_days": len(nights), "helped": helped}


def _help_the_first_nights_risky(officer, night: dt.date, rng: random.Random) -> int:
    """Help for half of the businesses at risk on `night` (chosen by lot, so the other half are the similar
    businesses without help), given a week later and followed up a month after."""
    scores = RiskScore.objects.filter(as_of=night, tier__in=AT_RISK).order_by("business_id")
    method = RiskScore.Method.MODEL if scores.filter(method=RiskScore.Method.MODEL).exists() else RiskScore.Method.BASELINE
    chosen = [score for score in scores.filter(method=method) if rng.random() < 0.5]
    Intervention.objects.bulk_create(
        Intervention(
            business_id=score.business_id, kind=kind, status=Intervention.Status.DONE, assigned_to=officer,
            created_by=officer, scheduled_on=night + dt.timedelta(days=7), done_on=night + dt.timedelta(days=7),
            notes=NOTES[kind], follow_up_on=night + dt.timedelta(days=37),
            follow_up_notes="Dikunjungi lagi; pemilik masih mencatat buku kas.", scored_on=night,
            tier_before=score.tier, risk_before=score.probability, method_before=method,
        )
        for score in chosen
        for kind in [NEXT_STEPS[score.reasons[0]["feature"]] if score.reasons else Intervention.Kind.MARKET]
    )
    return len(chosen)
