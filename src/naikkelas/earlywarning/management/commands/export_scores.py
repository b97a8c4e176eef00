"""`naikkelas export scores FILE.csv [--as-of YYYY-MM-DD]`: the scores of a day (default: the latest scored)
as `business_ref, as_of, probability, tier, reason_1 .. reason_4`, the reasons as sentences; the learned
model's scores where there are any, the baseline's otherwise."""

import csv
import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Max
from django.utils.translation import gettext as _

from naikkelas.core.spreadsheets import escape_row
from naikkelas.earlywarning.models import RiskScore
from naikkelas.earlywarning.reasons import peers_place, sentence
from naikkelas.earlywarning.engine.scores import REASONS
from naikkelas.regions.models import Region

HEADER = ["business_ref", "as_of", "probability", "tier", *(f"reason_{n}" for n in range(1, REASONS + 1))]


class Command(BaseCommand):
    help = _("Tulis skor risiko satu tanggal ke berkas CSV, dengan alasannya dalam kalimat.")

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("berkas .csv yang ditulis"))
        parser.add_argument("--as-of", type=dt.date.fromisoformat, default=None,
                            help=_("tanggal skor YYYY-MM-DD (bawaan: yang terakhir)"))

    def handle(self, *args, file, as_of, **options):
        as_of = as_of or RiskScore.objects.aggregate(last=Max("as_of"))["last"]
        scores = RiskScore.objects.filter(as_of=as_of)
        if as_of is None or not scores.exists():
            raise CommandError(_("Belum ada skor untuk tanggal itu. Jalankan dulu: naikkelas score"))
        method = RiskScore.Method.MODEL if scores.filter(method=RiskScore.Method.MODEL).exists() else RiskScore.Method.BASELINE
        rows = scores.filter(method=method).select_related("business").order_by("-probability", "business_id")
        regencies = {
            r.code: peers_place(r) for r in Region.objects.filter(level=Region.Level.REGENCY)
        }
        written = 0
        with open(file, "w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(HEADER)
            for score in rows.iterator(chunk_size=2_000):
                business = score.business
                peers = regencies.get((business.village_id or "")[:5], "")
                reasons = [sentence(reason, peers=peers) for reason in score.reasons][:REASONS]
                writer.writerow(escape_row([
                    business.external_ref or f"NK-{business.pk}", score.as_of.isoformat(), f"{score.probability:.4f}",
                    score.tier, *reasons, *[""] * (REASONS - len(reasons)),
                ]))
                written += 1
        self.stdout.write(_("%(n)s skor per %(as_of)s ditulis ke %(file)s.") % {"n": f"{written:,}", "as_of": as_of, "file": file})
