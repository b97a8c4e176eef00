"""The transactional outbox (DESIGN §3.6): how a lower app tells the edges what happened without importing them.

A service calls `emit(...)` inside its own transaction; the event row commits with the change or not at all.
After the commit a relay task runs on the task worker (`naikkelas worker`) and hands the pending events, in
the order written, to each consumer named in settings.OUTBOX_CONSUMERS (dotted paths, so core imports no
edge); a consumer records what it will do (e.g. one webhook delivery per partner) in the relay's transaction,
and the events are marked relayed in that same transaction. A crash in between leaves them pending for the
next relay (the worker also relays when it starts), so nothing is lost and nothing is relayed twice.

`naikkelas worker` also writes a `worker.started` event when it starts: consumers take it as the moment to
pick up work that a crash may have left without a task (e.g. webhook deliveries that were being sent).

Events with the same key ("product:123") are written by transactions that change the same row, which the
database serialises, so their ids follow the order of the changes; consumers keep that order per key.
"""

from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from naikkelas.core.models import OutboxEvent

RELAY_BATCH = 500
WORKER_STARTED = "worker.started"


def emit(*, topic: str, key: str, business_id: int | None = None, payload: dict | None = None) -> OutboxEvent:
    """Record an event in the current transaction; the relay runs once it commits."""
    event = OutboxEvent.objects.create(topic=topic, key=key, business_id=business_id, payload=payload or {})
    _relay_after_commit()
    return event


def _enqueue_relay() -> None:
    from naikkelas.core.tasks import outbox_relay

    outbox_relay.enqueue()


def _relay_after_commit() -> None:
    # One relay per committed transaction however many events it wrote. Django keeps the callbacks of the
    # open transaction in connection.run_on_commit and drops them with a rollback (of the whole transaction
    # or of the savepoint that registered them), so "already registered" is read from there: a flag of our
    # own would outlive a rollback and silence every later transaction on this connection.
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(func is _enqueue_relay for _sids, func, _robust in connection.run_on_commit):
        return
    transaction.on_commit(_enqueue_relay)


def consumers() -> list[Callable[[list[OutboxEvent]], None]]:
    return [import_string(path) for path in getattr(settings, "OUTBOX_CONSUMERS", ())]


def relay(*, batch: int = RELAY_BATCH) -> int:
    """Hand every pending event to the consumers, oldest first; returns how many were relayed."""
    relayed = 0
    handlers = consumers()
    while True:
        with transaction.atomic():
            # Locked so that two relays never hand the same events over twice (SQLite: the IMMEDIATE
            # transaction already takes the write lock).
            events = list(
                OutboxEvent.objects.select_for_update().filter(relayed_at__isnull=True).order_by("id")[:batch]
            )
            if not events:
                return relayed
            for handle in handlers:
                handle(events)
            OutboxEvent.objects.filter(pk__in=[event.pk for event in events]).update(relayed_at=timezone.now())
        relayed += len(events)
