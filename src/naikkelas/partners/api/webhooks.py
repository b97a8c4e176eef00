"""Webhook operations of the partner API: the calling partner's delivery log, to see what was sent, what
waits, and why an attempt failed. Any key of the partner may read it."""

from datetime import datetime
from typing import Literal

from ninja import Path, Query, Router, Schema

from naikkelas.core.access import MAX_ID
from naikkelas.partners import cursors, webhooks
from naikkelas.partners.api.base import CURSOR_PATTERN, bad_cursor

router = Router(tags=["Webhook"])

PAGE_DEFAULT = 50
PAGE_MAX = 200


class Attempt(Schema):
    at: datetime
    status_code: int | None = None
    error: str
    duration_ms: int


class Delivery(Schema):
    id: int
    event_id: int
    type: str
    key: str
    status: Literal["pending", "delivered"]
    attempts: int
    created_at: datetime
    next_attempt_at: datetime | None = None
    last_attempt_at: datetime | None = None
    delivered_at: datetime | None = None


class DeliveryDetail(Delivery):
    data: dict
    attempt_log: list[Attempt]


class DeliveryPage(Schema):
    items: list[Delivery]
    next_cursor: str | None = None


def _delivery(delivery) -> dict:
    return {
        "id": delivery.pk,
        "event_id": delivery.event_id,
        "type": delivery.topic,
        "key": delivery.key,
        "status": delivery.status,
        "attempts": delivery.attempts,
        "created_at": delivery.created_at,
        # Only a waiting delivery has a next attempt.
        "next_attempt_at": delivery.next_attempt_at if delivery.status == "pending" else None,
        "last_attempt_at": delivery.last_attempt_at,
        "delivered_at": delivery.delivered_at,
    }


@router.get(
    "/webhooks/deliveries",
    response=DeliveryPage,
    summary="Log kiriman webhook",
    description=(
        "Kiriman webhook ke mitra Anda, peristiwa terbaru dulu. `status` menyaring yang menunggu (`pending`) "
        "atau yang sudah terkirim (`delivered`); halaman berikutnya dengan `cursor` = `next_cursor`."
    ),
)
def delivery_list(
    request,
    status: Literal["pending", "delivered"] | None = None,
    cursor: str | None = Query(None, max_length=500, pattern=CURSOR_PATTERN),
    limit: int = Query(PAGE_DEFAULT, ge=1, le=PAGE_MAX),
):
    try:
        before = cursors.decode(cursor, list_name="deliveries", fields={"e": int})["e"] if cursor else None
    except cursors.BadCursor:
        raise bad_cursor() from None
    rows = list(webhooks.delivery_log(request.partner, status=status, before_event=before)[: limit + 1])
    page = rows[:limit]
    more = len(rows) > limit
    next_cursor = cursors.encode({"e": page[-1].event_id}, list_name="deliveries") if more else None
    return {"items": [_delivery(row) for row in page], "next_cursor": next_cursor}


@router.get(
    "/webhooks/deliveries/{delivery_id}",
    response=DeliveryDetail,
    summary="Satu kiriman webhook dengan setiap percobaannya",
)
def delivery_detail(request, delivery_id: int = Path(..., ge=1, le=MAX_ID)):
    delivery = webhooks.delivery_of(request.partner, delivery_id)
    attempts = [
        {"at": a.at, "status_code": a.status_code, "error": a.error, "duration_ms": a.duration_ms}
        for a in webhooks.delivery_attempts(delivery)
    ]
    return {**_delivery(delivery), "data": delivery.payload, "attempt_log": attempts}
