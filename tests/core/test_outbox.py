"""The transactional outbox: events commit with the change or not at all, the relay hands them over in the
order written and once, to the consumers named in settings, and one relay task follows each commit."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from naikkelas.core import outbox
from naikkelas.core.models import OutboxEvent

pytestmark = pytest.mark.django_db

RECEIVED: list[list[tuple[str, str]]] = []


def record(events):
    """A consumer for these tests (named in settings.OUTBOX_CONSUMERS by its dotted path)."""
    RECEIVED.append([(event.topic, event.key) for event in events])


def refuse(events):
    raise RuntimeError("consumer down")


@pytest.fixture
def recorded(settings):
    RECEIVED.clear()
    settings.OUTBOX_CONSUMERS = ["tests.core.test_outbox.record"]
    return RECEIVED


def relay_tasks():
    return DBTaskResult.objects.filter(task_path="naikkelas.core.tasks.outbox_relay")


class Boom(Exception):
    pass


def test_an_event_emitted_in_a_transaction_that_rolls_back_leaves_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(Boom), transaction.atomic():
            outbox.emit(topic="product.updated", key="product:1", business_id=1, payload={"id": 1})
            raise Boom
    assert not OutboxEvent.objects.exists()
    assert callbacks == [] and not relay_tasks().exists()


def test_one_relay_task_follows_a_commit_however_many_events_it_wrote(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            for n in range(3):
                outbox.emit(topic="stock.changed", key=f"product:{n}", payload={"id": n})
    assert OutboxEvent.objects.count() == 3
    assert relay_tasks().count() == 1


def test_a_rolled_back_transaction_does_not_silence_the_relay_of_the_next_one(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(Boom), transaction.atomic():
            outbox.emit(topic="stock.changed", key="product:1")
            raise Boom
        with transaction.atomic():
            outbox.emit(topic="stock.changed", key="product:2")
    assert list(OutboxEvent.objects.values_list("key", flat=True)) == ["product:2"]
    assert relay_tasks().count() == 1


def test_an_event_from_a_savepoint_that_rolled_back_is_gone_and_the_rest_still_relay(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            with pytest.raises(Boom), transaction.atomic():
                outbox.emit(topic="stock.changed", key="product:1")
                raise Boom
            outbox.emit(topic="stock.changed", key="product:2")
    assert list(OutboxEvent.objects.values_list("key", flat=True)) == ["product:2"]
    assert relay_tasks().count() == 1


def test_relay_hands_events_to_the_consumers_in_the_order_written_and_only_once(recorded):
    for n in range(5):
        outbox.emit(topic="product.updated", key=f"product:{n % 2}", payload={"n": n})

    assert outbox.relay(batch=2) == 5
    assert outbox.relay() == 0

    handed = [pair for batch in recorded for pair in batch]
    assert handed == [("product.updated", f"product:{n % 2}") for n in range(5)]
    assert [len(batch) for batch in recorded] == [2, 2, 1]
    assert not OutboxEvent.objects.filter(relayed_at__isnull=True).exists()


def test_events_stay_pending_when_a_consumer_fails_and_go_with_the_next_relay(settings, recorded):
    outbox.emit(topic="product.deleted", key="product:7")
    settings.OUTBOX_CONSUMERS = ["tests.core.test_outbox.record", "tests.core.test_outbox.refuse"]
    with pytest.raises(RuntimeError):
        outbox.relay()
    assert OutboxEvent.objects.get().relayed_at is None

    recorded.clear()
    settings.OUTBOX_CONSUMERS = ["tests.core.test_outbox.record"]
    assert outbox.relay() == 1
    assert recorded == [[("product.deleted", "product:7")]]


def test_consumers_are_read_from_settings(settings):
    settings.OUTBOX_CONSUMERS = ["tests.core.test_outbox.record", "tests.core.test_outbox.refuse"]
    assert outbox.consumers() == [record, refuse]
    settings.OUTBOX_CONSUMERS = []
    assert outbox.consumers() == []


def test_the_relay_task_relays(recorded):
    from naikkelas.core.tasks import outbox_relay

    outbox.emit(topic="stock.changed", key="product:3")
    assert outbox_relay.call() == 1
    assert recorded == [[("stock.changed", "product:3")]]


@pytest.mark.django_db(transaction=True)
def test_the_worker_relays_what_is_pending_when_it_starts_and_announces_itself(recorded):
    OutboxEvent.objects.create(topic="stock.changed", key="product:4")  # written before a crash, never relayed

    call_command("worker", "--batch", stdout=io.StringIO())

    assert [pair for batch in recorded for pair in batch] == [("stock.changed", "product:4"), ("worker.started", "worker")]
    assert not OutboxEvent.objects.filter(relayed_at__isnull=True).exists()
    assert not DBTaskResult.objects.failed().exists()
