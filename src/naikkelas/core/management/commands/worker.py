"""`naikkelas worker`: runs the background tasks (django-tasks, database backend).

Before taking tasks it announces itself in the outbox (`worker.started`), which books a relay of every
pending event as its first task, so whatever a crash interrupted is picked up again: events that were
written but never relayed, and work the consumers left without a task (a webhook delivery that was being
sent when the process died). The relay is a task like any other, so a consumer that fails is retried with
backoff instead of stopping the worker from starting. Then it runs django-tasks-db's worker loop with the
same options as `db_worker`; `--batch` runs every task that is due and stops (tests and cron use it).

The loop is django-tasks-db's with two changes (core/jobs.py): a try that raises is put back to run again
after a backoff rather than left FAILED, until the job's last allowed try; and jobs whose worker died in the
middle of a try (RUNNING past their lease) are put back when the worker starts and every RECOVER_EVERY
seconds after.
"""

import logging
import os
import random
import signal
import time

from django.core.management.base import CommandError
from django.db import close_old_connections, transaction
from django.db.utils import OperationalError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django.utils.translation import gettext_lazy as _
from django_tasks_db.compat import TaskContext, task_finished, task_started
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from naikkelas.core import jobs, outbox

_SIGNALS = [signal.SIGINT, signal.SIGTERM] + ([signal.SIGQUIT] if hasattr(signal, "SIGQUIT") else [])

# Seconds between two looks for jobs whose worker died; a lease is minutes long, so this costs nothing.
RECOVER_EVERY = 30

logger = logging.getLogger("django_tasks_db")


class Worker(db_worker.Worker):
    """django-tasks-db's Worker (its claim, signals and options) with retries and leases."""

    _recovered_at = float("-inf")

    def recover(self) -> None:
        if time.monotonic() - self._recovered_at < RECOVER_EVERY:
            return
        self._recovered_at = time.monotonic()
        try:
            jobs.recover(backend_name=self.backend_name)
        except OperationalError as error:
            if not is_locked_database_exception(error):
                raise

    def run(self) -> None:
        # django-tasks-db's loop, with `recover` at the top of each turn.
        logger.info("Starting worker worker_id=%s queues=%s", self.worker_id, ",".join(self.queue_names))
        if self.startup_delay and self.interval:
            time.sleep(random.random())  # noqa: S311 - spreads out workers started together
        while self.running:
            close_old_connections()
            self.recover()
            tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
            if not self.process_all_queues:
                tasks = tasks.filter(queue_name__in=self.queue_names)
            if self.excluded_queue_names:
                tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
            with exclusive_transaction(tasks.db):
                try:
                    task_result = tasks.get_locked()
                    retrieved = True
                    if task_result is not None:
                        task_result.claim(self.worker_id)
                except OperationalError as error:
                    retrieved = False
                    if not is_locked_database_exception(error):
                        raise
                    task_result = None
            if task_result is not None:
                self.run_task(task_result)
            if self.batch and retrieved and task_result is None:
                logger.info("No more tasks to run for worker_id=%s - exiting gracefully.", self.worker_id)
                return
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                logger.info(
                    "Run maximum tasks (%d) on worker=%s - exiting gracefully.", self._run_tasks, self.worker_id
                )
                return
            close_old_connections()
            if self.running and not task_result:
                time.sleep(self.interval)

    def run_task(self, db_task_result: DBTaskResult) -> None:
        # django-tasks-db's, except that a failure goes through jobs.record_failure (a later try, or FAILED
        # after the last), which logs it without the exception's message. task_finished is sent for success
        # only: django-tasks logs a failed one with its traceback, message and all, and the message may quote
        # a person's data.
        try:
            self.running_task = True
            task = db_task_result.task
            task_result = db_task_result.task_result
            backend_type = task.get_backend()
            task_started.send(sender=backend_type, task_result=task_result)
            if task.takes_context:
                return_value = task.call(TaskContext(task_result=task_result), *task_result.args, **task_result.kwargs)
            else:
                return_value = task.call(*task_result.args, **task_result.kwargs)
            db_task_result.set_successful(return_value)
            task_finished.send(sender=backend_type, task_result=db_task_result.task_result)
        except BaseException as error:  # noqa: BLE001 - whatever stops a try, the job must be settled
            jobs.record_failure(db_task_result, error)
        finally:
            self.running_task = False
            self._run_tasks += 1


class Command(db_worker.Command):
    help = _("Jalankan pekerjaan latar: webhook ke mitra, relay outbox, pekerjaan malam.")

    def handle(self, *args, **options):
        with transaction.atomic():
            # Its commit enqueues a relay of every pending event (core.outbox), a job the loop below runs.
            outbox.emit(topic=outbox.WORKER_STARTED, key="worker", payload={"worker_id": options["worker_id"]})
        if options["batch"]:
            # The random pause only spreads out long-running workers started together.
            options["startup_delay"] = False
        # The worker loop installs its own signal handlers; put the caller's back afterwards, which matters
        # when the command runs inside another process (call_command in tests, a cron wrapper).
        previous = {number: signal.getsignal(number) for number in _SIGNALS}
        try:
            self.work(**options)
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)

    def work(self, *, verbosity, queue_name, interval, batch, backend_name, startup_delay, reload, max_tasks,
             worker_id, exclude_queues, **_options) -> None:
        # db_worker.Command.handle, building our Worker.
        self.configure_logging(verbosity)
        if reload and batch:
            logger.warning("Warning: --reload and --batch cannot be specified together. Disabling autoreload.")
            reload = False
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = Worker(
            queue_names=queue_names, interval=interval, batch=batch, backend_name=backend_name,
            startup_delay=startup_delay, max_tasks=max_tasks, worker_id=worker_id, excluded_queue_names=excluded,
        )
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
