"""`naikkelas train [--until YYYY-MM-DD]`: train the model on the closures recorded up to the day (default:
the snapshot's last day) and make it the active one."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from naikkelas.earlywarning import pipeline


class Command(BaseCommand):
    help = _("Latih model peringatan dini dari penutupan usaha yang tercatat sampai tanggal itu.")

    def add_arguments(self, parser):
        parser.add_argument("--until", type=dt.date.fromisoformat, default=None,
                            help=_("pakai penutupan sampai YYYY-MM-DD (bawaan: hari terakhir snapshot)"))
        parser.add_argument("--dir", default=None, help=_("folder snapshot (bawaan: var/snapshot)"))

    def handle(self, *args, until, dir, **options):
        try:
            until = until or pipeline.span(dir)[1]
            model = pipeline.train_and_store(until, dir)
        except ValueError as error:
            raise CommandError(_("Tidak bisa melatih model: %(error)s") % {"error": error}) from None
        except pipeline.NoSnapshot as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            _("Model %(version)s dilatih sampai %(until)s: %(rows)s baris, %(closing)s tutup dalam 90 hari. Model ini sekarang dipakai.")
            % {"version": model.pk, "until": until, "rows": f"{model.rows:,}", "closing": f"{model.closing_rows:,}"}
        )
        measured = model.evaluation.get("model")
        if measured:
            self.stdout.write(
                _("Diuji di luar waktu (latih sampai %(cutoff)s, uji %(days)s): AUC %(auc)s, waktu tenggang median %(lead)s hari.")
                % {"cutoff": model.evaluation["cutoff"], "days": " – ".join(model.evaluation["test_days"]),
                   "auc": "–" if measured["auc"] is None else f"{measured['auc']:.3f}",
                   "lead": "–" if measured["median_lead_days"] is None else f"{measured['median_lead_days']:.0f}"}
            )
        else:
            self.stdout.write(_("Belum bisa diuji di luar waktu: belum ada penutupan yang tercatat 270 hari sebelumnya."))
