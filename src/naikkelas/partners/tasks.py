"""Background work of the partners edge, run by `naikkelas worker`."""

from naikkelas.core.jobs import job
from naikkelas.partners import webhooks


@job()
def webhook_deliver(partner_id: int) -> int:
    """Send one partner's due webhook deliveries, in order (partners/webhooks.py)."""
    return webhooks.deliver(partner_id=partner_id)
