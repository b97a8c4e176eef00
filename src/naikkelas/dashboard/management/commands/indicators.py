"""`naikkelas indicators [--as-of YYYY-MM-DD]`: count the dashboard's indicators now, as the nightly run
does (default: up to yesterday), and print how many cells were written and how long it took."""

import datetime as dt

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from naikkelas.dashboard.refresh import refresh


class Command(BaseCommand):
    help = _("Hitung ulang indikator dasbor dari data terbaru.")

    def add_arguments(self, parser):
        parser.add_argument("--as-of", type=dt.date.fromisoformat, default=None,
                            help=_("tanggal YYYY-MM-DD data terakhir yang dihitung (bawaan: kemarin)"))
        parser.add_argument("--dir", default=None, help=_("folder snapshot (bawaan: var/snapshot)"))

    def handle(self, *args, as_of, dir, **options):
        run = refresh(as_of, directory=dir)
        self.stdout.write(
            _("Indikator per %(as_of)s: %(cells)s sel dalam %(seconds)s detik.")
            % {"as_of": run.as_of, "cells": f"{run.cells:,}", "seconds": run.seconds}
        )
