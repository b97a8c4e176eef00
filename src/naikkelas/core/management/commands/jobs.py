"""`naikkelas jobs [--rerun ID]`

Lists the background jobs that failed for good (FAILED, when) and those waiting to be tried again after a
failure (READY, from when), newest first: id, task, tries so far, and the error's class (the traceback is in
the admin, under the task results). `--rerun ID` runs a failed job again as a new job with the same
arguments. See docs/OPERATIONS.md, "Background work: retries".
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks_db.models import DBTaskResult

from naikkelas.core import jobs

SHOWN = 50


class Command(BaseCommand):
    help = _("Daftar pekerjaan latar yang gagal atau menunggu dicoba lagi; --rerun ID menjalankan ulang yang gagal.")

    def add_arguments(self, parser):
        parser.add_argument("--rerun", metavar="ID", help=_("jalankan ulang pekerjaan yang gagal ini"))

    def handle(self, *args, rerun, **options):
        if rerun:
            try:
                fresh = jobs.rerun(result_id=rerun)
            except (DBTaskResult.DoesNotExist, ValidationError):
                raise CommandError(_("Tidak ada pekerjaan gagal dengan id %(id)s.") % {"id": rerun}) from None
            self.stdout.write(_("Dijalankan ulang sebagai %(id)s.") % {"id": fresh.pk})
            return
        listed = DBTaskResult.objects.filter(
            Q(status=jobs.FAILED) | Q(status=jobs.READY) & ~Q(exception_class_path="")
        ).order_by("-enqueued_at")[:SHOWN]
        for result in listed:
            # Status and error class as the admin shows them, so a line leads straight to its row there.
            when = timezone.localtime(result.finished_at if result.status == jobs.FAILED else result.run_after)
            self.stdout.write(
                f"{result.pk}  {result.task_path}  {result.status} {when:%Y-%m-%d %H:%M}  "
                f"{jobs.tries(result)}x  {result.exception_class_path}"
            )
