"""`naikkelas worker`: runs the background tasks (django-tasks, database backend).

Before taking tasks it announces itself in the outbox (`worker.started`) and relays every pending event, so
whatever a crash interrupted is picked up again: events that were written but never relayed, and work the
consumers left without a task (a webhook delivery that was being sent when the process died). Then it runs
django-tasks-db's worker loop with the same options as `db_worker`; `--batch` runs every task that is due
and stops (tests and cron use it).
"""

import signal

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_tasks_db.management.commands import db_worker

from naikkelas.core import outbox

_SIGNALS = [signal.SIGINT, signal.SIGTERM] + ([signal.SIGQUIT] if hasattr(signal, "SIGQUIT") else [])


class Command(db_worker.Command):
    help = _("Jalankan pekerjaan latar: webhook ke mitra, relay outbox, pekerjaan malam.")

    def handle(self, *args, **options):
        with transaction.atomic():
            outbox.emit(topic=outbox.WORKER_STARTED, key="worker", payload={"worker_id": options["worker_id"]})
        relayed = outbox.relay()
        if options["verbosity"] > 1:
            self.stdout.write(f"outbox: {relayed} event(s) relayed")
        if options["batch"]:
            # The random pause only spreads out long-running workers started together.
            options["startup_delay"] = False
        # The worker loop installs its own signal handlers; put the caller's back afterwards, which matters
        # when the command runs inside another process (call_command in tests, a cron wrapper).
        previous = {number: signal.getsignal(number) for number in _SIGNALS}
        try:
            super().handle(*args, **options)
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)
