"""`naikkelas backup FILE`: a consistent backup of the whole database, taken while the site keeps running
(SQLite's online backup API, or pg_dump's custom format on PostgreSQL; core/backup.py says why), and print
how big it is and how long it took."""

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from naikkelas.core.backup import BackupError, backup


class Command(BaseCommand):
    help = _("Cadangkan seluruh basis data ke satu berkas, juga saat situs sedang dipakai.")

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("berkas cadangan yang ditulis (ditimpa bila sudah ada)"))

    def handle(self, *args, file, **options):
        try:
            result = backup(file)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            _("Cadangan ditulis ke %(path)s: %(size)s dalam %(seconds)s detik.")
            % {"path": result.path, "size": filesizeformat(result.size), "seconds": result.seconds}
        )
