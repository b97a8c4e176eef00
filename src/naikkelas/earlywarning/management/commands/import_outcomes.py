"""`naikkelas import outcomes FILE [--commit]`: closures in bulk, `business_ref, closed_on` (all or nothing;
see earlywarning/outcomes.py). Exit status 1 with every bad row listed when any row is bad."""

import os

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from naikkelas.earlywarning.outcomes import check_outcomes, import_outcomes
from naikkelas.registry.importing.errors import ImportFileError


class Command(BaseCommand):
    help = _("Periksa (dan dengan --commit, simpan) tanggal tutup usaha dari berkas: business_ref, closed_on.")

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("berkas .csv atau .xlsx: business_ref, closed_on"))
        parser.add_argument("--commit", action="store_true", help=_("simpan semua baris (satu transaksi)"))

    def handle(self, *args, file, commit, **options):
        if not os.path.isfile(file):
            raise CommandError(_("Berkas %(file)s tidak ada.") % {"file": file})
        try:
            report = import_outcomes(file) if commit else check_outcomes(file)
        except ImportFileError as error:
            raise CommandError(_("Berkas tidak bisa dibaca: %(reason)s") % {"reason": error}) from None
        for number, reasons in report.bad_rows:
            self.stderr.write(_("baris %(row)s: %(reasons)s") % {"row": number, "reasons": " ".join(reasons)})
        if report.bad_rows:
            raise CommandError(
                _("%(n)s baris salah; tidak ada yang disimpan. Perbaiki baris di atas lalu jalankan lagi.")
                % {"n": len(report.bad_rows)}
            )
        if not commit:
            self.stdout.write(
                _("%(n)s penutupan usaha baik. Belum ada yang disimpan. Tambahkan --commit untuk menyimpan.")
                % {"n": len(report.closures)}
            )
            return
        self.stdout.write(_("Tersimpan %(n)s penutupan usaha.") % {"n": report.written})
