"""`naikkelas snapshot`: write the analytic snapshot of the cash books (earlywarning/snapshot.py) as Parquet,
only the months that changed since the last run."""

import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from naikkelas.earlywarning.snapshot import snapshot_dir, write_snapshot


class Command(BaseCommand):
    help = _("Tulis snapshot buku kas (Parquet, per bulan) untuk peringatan dini; hanya bulan yang berubah.")

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=None, help=_("folder snapshot (bawaan: var/snapshot)"))

    def handle(self, *args, dir, **options):
        started = time.perf_counter()
        summary = write_snapshot(dir)
        self.stdout.write(
            _(
                "Snapshot di %(dir)s: %(written)s bulan ditulis (%(rows)s baris), %(kept)s bulan tetap, "
                "%(removed)s bulan dihapus; %(businesses)s usaha; %(seconds).1f detik."
            )
            % {
                "dir": dir or snapshot_dir(), "written": summary.months_written, "rows": f"{summary.rows_written:,}",
                "kept": summary.months_kept, "removed": summary.months_removed, "businesses": f"{summary.businesses:,}",
                "seconds": time.perf_counter() - started,
            }
        )
