"""The transactional outbox (DESIGN §3.6): how a lower app tells the edges what happened without importing them.

A service calls `emit(...)` inside its own transaction; the event row commits with the change or not at all.
After the commit a relay task runs on the task worker (`naikkelas worker`) and hands the pending events, in
the order written, to each consumer named in settings.OUTBOX_CONSUMERS (dotted paths, so core imports no
edge); a consumer records what it will do (e.g. one webhook delivery per partner) in the relay's transaction,
and the events are marked relayed in that same transaction. A crash in between leaves them pending for the
next relay (the worker also relays when it starts), so nothing is lost and nothing is relayed twice.

Events with the same key ("product:123") are written by transactions that change the same row, which the
database serialises, so their ids follow the order of the changes; consumers keep that order per key.
"""

from collections.abc import Callable

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from naikkelas.core.models import OutboxEvent

RELAY_BATCH = 500


def emit(*, topic: str, key: str, business_id: int | None = None, payload: dict | None = None) -> OutboxEvent:
    """Record an event in the current transaction; the relay runs once it commits."""
    event = OutboxEvent.objects.create(topic=topic, key=key, business_id=business_id, payload=payload or {})
    _relay_after_commit()
    return event


def _relay_after_commit() -> None:
    # One relay per committed transaction however many events it wrote.
    if getattr(connection, "_outbox_relay_scheduled", False):
        return
    connection._outbox_relay_scheduled = True

    def enqueue():
        connection._outbox_relay_scheduled = False
        from naikkelas.core.tasks import outbox_relay

        outbox_relay.enqueue()

    transaction.on_commit(enqueue)
    if not connection.in_atomic_block:
        connection._outbox_relay_scheduled = False


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
