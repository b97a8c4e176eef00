"""`naikkelas score [--as-of YYYY-MM-DD]`: score every business as its books stood on the day (default: the
snapshot's last day) with the baseline and the active model; nothing after the day is read."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from naikkelas.earlywarning import pipeline


class Command(BaseCommand):
    help = _("Beri skor risiko setiap usaha menurut buku kasnya pada tanggal itu.")

    def add_arguments(self, parser):
        parser.add_argument("--as-of", type=dt.date.fromisoformat, default=None,
                            help=_("tanggal YYYY-MM-DD (bawaan: hari terakhir snapshot)"))
        parser.add_argument("--dir", default=None, help=_("folder snapshot (bawaan: var/snapshot)"))

    def handle(self, *args, as_of, dir, **options):
        try:
            as_of = as_of or pipeline.span(dir)[1]
            summary = pipeline.score(as_of, dir)
        except pipeline.NoSnapshot as error:
            raise CommandError(str(error)) from None
        tiers = ", ".join(f"{name} {summary.tiers.get(name, 0):,}" for name in ("kritis", "rawan", "waspada", "aman"))
        used = _("model %(n)s") % {"n": summary.model.pk} if summary.model else _("rumus dasar (belum ada model)")
        self.stdout.write(
            _("%(n)s usaha diberi skor per %(as_of)s dengan %(used)s: %(tiers)s.")
            % {"n": f"{summary.scored:,}", "as_of": as_of, "used": used, "tiers": tiers}
        )
