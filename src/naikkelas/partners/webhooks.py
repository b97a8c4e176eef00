"""Webhooks to partners: the outbox consumer and delivery."""


def consume(events) -> None:
    """Called by core.outbox.relay with the pending events."""
