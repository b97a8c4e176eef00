"""Payment settings, gateways and signed callbacks for tests."""

import csv
import json
import time
from pathlib import Path

from django.urls import reverse

from naikkelas.payments import signing
from naikkelas.payments.models import Gateway, PaymentSettings

VECTORS = {
    row["kind"]: row["payload"]
    for row in csv.DictReader((Path(__file__).parent / "vectors.tsv").open(encoding="utf-8"), delimiter="\t")
}
STATIC_QRIS = VECTORS["static-valid"]
GATEWAY_SECRET = "rahasia-gateway-uji-0123456789abcdef"


def make_settings(business, *, qris: bool = True, transfer: bool = False, cod: bool = True) -> PaymentSettings:
    values = {
        "cod_enabled": cod,
        "qris_payload": STATIC_QRIS if qris else "",
        "qris_merchant_name": "BIOLBE" if qris else "",
        "qris_nmid": "ID1021125405972" if qris else "",
        "bank_name": "BRI" if transfer else "",
        "bank_account_number": "0123456789" if transfer else "",
        "bank_account_holder": "Sri Wahyuni" if transfer else "",
    }
    settings, _created = PaymentSettings.objects.update_or_create(business=business, defaults=values)
    return settings


def make_gateway(name: str = "uji", *, secret: str = GATEWAY_SECRET, is_active: bool = True) -> Gateway:
    gateway, _created = Gateway.objects.get_or_create(name=name, defaults={"secret": secret, "is_active": is_active})
    return gateway


def callback_body(order=None, *, event_id: str = "evt-1", amount: int | None = None, **fields) -> bytes:
    data = {"event_id": event_id, "type": "payment.succeeded"}
    if order is not None:
        data.update(order_token=order.token, amount=order.total if amount is None else amount)
        data["paid_at"] = "2025-01-31T10:15:00+07:00"
    data.update(fields)
    return json.dumps(data).encode()


def post_callback(client, body: bytes, *, gateway: str = "uji", secret: str = GATEWAY_SECRET, timestamp=None,
                  signature: str | None = None):
    """POST `body` to the callback endpoint, signed like a gateway would (or with the `signature` given)."""
    sent = str(int(time.time()) if timestamp is None else timestamp)
    return client.post(
        reverse("payments:callback", args=[gateway]),
        data=body,
        content_type="application/json",
        headers={
            signing.TIMESTAMP_HEADER: sent,
            signing.SIGNATURE_HEADER: signature if signature is not None else signing.sign(secret, sent, body),
        },
    )
