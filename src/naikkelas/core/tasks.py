"""Background work of core, run by `naikkelas worker` (django-tasks with its database backend)."""

from django_tasks import task

from naikkelas.core import outbox


@task()
def outbox_relay() -> int:
    return outbox.relay()
