"""`naikkelas evaluate [--cutoff YYYY-MM-DD] [--k N]`: how well the baseline and the learned model foresee
closures, out of time: trained on what was recorded up to the cut-off, measured on the days after it."""

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from naikkelas.earlywarning import pipeline
from naikkelas.earlywarning.engine.scores import HORIZON_DAYS

DEFAULT_TEST_DAYS = 180


def _fmt(value, pattern="{:.3f}") -> str:
    return "–" if value is None else pattern.format(value)


class Command(BaseCommand):
    help = _("Ukur peringatan dini di luar waktu latih: AUC, PR-AUC, presisi k teratas, waktu tenggang.")

    def add_arguments(self, parser):
        parser.add_argument("--cutoff", type=dt.date.fromisoformat, default=None,
                            help=_("batas latih YYYY-MM-DD (bawaan: 270 hari sebelum hari terakhir snapshot)"))
        parser.add_argument("--k", type=int, default=pipeline.VISITS_PER_MONTH,
                            help=_("berapa usaha yang bisa dikunjungi petugas sebulan (bawaan 50)"))
        parser.add_argument("--dir", default=None, help=_("folder snapshot (bawaan: var/snapshot)"))
        parser.add_argument("--json", action="store_true", help=_("cetak hasil sebagai JSON"))
        parser.add_argument("--by", choices=sorted(pipeline.GROUPS), default=None,
                            help=_("ukuran tiap kelompok: province (provinsi), regency (kabupaten/kota), kategori (KBLI)"))

    def handle(self, *args, cutoff, k, dir, by, **options):
        try:
            _first, last = pipeline.span(dir)
        except pipeline.NoSnapshot as error:
            raise CommandError(str(error)) from None
        cutoff = cutoff or last - dt.timedelta(days=DEFAULT_TEST_DAYS + HORIZON_DAYS)
        try:
            result = pipeline.evaluate(cutoff, dir, k=k)
        except ValueError as error:
            raise CommandError(_("Tidak bisa melatih model: %(error)s") % {"error": error}) from None
        if options["json"]:
            self.stdout.write(json.dumps(result, indent=2))
            return
        self.stdout.write(
            _(
                "Latih sampai %(cutoff)s: %(rows)s baris, %(closures)s di antaranya tutup dalam 90 hari. "
                "Uji %(days)s: %(test)s baris, %(test_closures)s usaha tutup."
            )
            % {"cutoff": result["cutoff"], "rows": f"{result['train_rows']:,}", "closures": result["train_closures"],
               "days": " – ".join(result["test_days"]), "test": f"{result['test_rows']:,}",
               "test_closures": result["test_closures"]}
        )
        for name in ("baseline", "model"):
            m = result[name]
            self.stdout.write(
                f"{name:9} AUC {_fmt(m['auc'])}  PR-AUC {_fmt(m['pr_auc'])}  "
                f"presisi@{k} {_fmt(m['precision_at_k'])}  "
                + _("waktu tenggang median %(lead)s hari (%(n)s penutupan terdeteksi, %(alerted)s usaha diberi peringatan)")
                % {"lead": _fmt(m["median_lead_days"], "{:.0f}"), "n": m["closures_alerted"], "alerted": m["alerted"]}
            )
        if by:
            self.stdout.write(_("Per kelompok (%(by)s): usaha, penutupan, AUC, penutupan terdeteksi, peringatan keliru, waktu tenggang median") % {"by": by})
            for group, measures in result["groups"][by].items():
                for name in ("baseline", "model"):
                    m = measures[name]
                    self.stdout.write(
                        f"{group:6} {name:9} {m['businesses']:6,} {m['closures']:4}  AUC {_fmt(m['auc'])}  "
                        f"{_fmt(m['closures_alerted_share'], '{:.0%}'):>5}  {_fmt(m['false_alert_share'], '{:.1%}'):>6}  "
                        f"{_fmt(m['median_lead_days'], '{:.0f}')}"
                    )
