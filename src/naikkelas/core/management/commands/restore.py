"""`naikkelas restore FILE [--force]`: replace what the database holds with a backup made by
`naikkelas backup`. Refuses a file that is not a backup of this database engine, and a database that already
has tables unless --force is given. Stop the site and the worker first."""

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from naikkelas.core.backup import BackupError, restore


class Command(BaseCommand):
    help = _("Pulihkan basis data dari berkas cadangan (hentikan situs dan pekerja dulu).")

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("berkas cadangan dari `naikkelas backup`"))
        parser.add_argument("--force", action="store_true",
                            help=_("timpa basis data yang sudah berisi tabel"))

    def handle(self, *args, file, force, **options):
        try:
            result = restore(file, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            _("Basis data dipulihkan dari %(path)s (%(size)s) dalam %(seconds)s detik.")
            % {"path": result.path, "size": filesizeformat(result.size), "seconds": result.seconds}
        )
