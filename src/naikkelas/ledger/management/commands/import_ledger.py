"""`naikkelas import ledger FILE [--commit]`: cash-book history for many businesses at once.

For officers and partners loading history in bulk. The file is a CSV with the columns `business_ref, date,
direction, amount, category` (docs/DATA.md, "Cash book import"), where business_ref is the agency id the
registry import stored. Every row is checked and every bad row printed with its reasons; with `--commit`
the rows are written as they are checked, in one transaction that is rolled back at the first bad row (all
or nothing), source "import". The file is streamed: memory does not grow with it.

Exit status: 0 when the file is good (and, with --commit, written); 1 with the reasons otherwise.
"""

import os
import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from naikkelas.ledger.importing import ImportFileError, check_file, commit_file, number
from naikkelas.core.money import rupiah


class Command(BaseCommand):
    help = _("Periksa (dan dengan --commit, simpan) riwayat buku kas banyak usaha dari berkas CSV.")

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("berkas .csv: business_ref, date, direction, amount, category"))
        parser.add_argument("--commit", action="store_true", help=_("simpan semua baris (satu transaksi)"))
        parser.add_argument("--progress", action="store_true", help=_("tulis kemajuan ke stderr"))

    def handle(self, *args, file, commit, progress, **options):
        if not os.path.isfile(file):
            raise CommandError(_("Berkas %(file)s tidak ada.") % {"file": file})
        started = time.perf_counter()
        run = commit_file if commit else check_file
        try:
            report = run(file, on_progress=self._progress if progress else None)
        except ImportFileError as error:
            raise CommandError(_("Berkas tidak bisa dibaca: %(reason)s") % {"reason": error}) from None
        seconds = f"{time.perf_counter() - started:.1f}"
        self.stdout.write(
            _("Baris data: %(rows)s — baik %(good)s, salah %(bad)s. Uang masuk %(in)s, uang keluar %(out)s.")
            % {
                "rows": number(report.rows), "good": number(report.good), "bad": number(report.bad),
                "in": rupiah(report.money_in), "out": rupiah(report.money_out),
            }
        )
        for line in report.bad_lines():
            self.stderr.write(line)
        if report.bad:
            raise CommandError(
                _("%(n)s baris salah; tidak ada yang disimpan. Perbaiki baris di atas lalu jalankan lagi.")
                % {"n": number(report.bad)}
            )
        if report.already_imported:
            raise CommandError(_("Berkas ini sudah pernah diimpor; tidak ada yang disimpan dua kali."))
        if not commit:
            self.stdout.write(
                _("Diperiksa dalam %(seconds)s s. Belum ada yang disimpan. Tambahkan --commit untuk menyimpan.")
                % {"seconds": seconds}
            )
            return
        self.stdout.write(
            _("Tersimpan %(n)s catatan buku kas (diperiksa dan disimpan dalam %(seconds)s s).")
            % {"n": number(report.written), "seconds": seconds}
        )

    def _progress(self, rows: int) -> None:
        print(_("… %(n)s baris") % {"n": number(rows)}, file=sys.stderr, flush=True)
