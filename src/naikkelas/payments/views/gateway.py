"""The endpoint payment gateways call back when a payment succeeds (documented in docs/API.md)."""

import time

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from naikkelas.payments import selectors, services, signing


def _refuse(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"error": code, "message": message}, status=status)


@csrf_exempt  # a gateway has no session or CSRF cookie; the HMAC signature is what authenticates it
@require_POST
def callback(request, gateway: str):
    found = selectors.gateway_by_name(gateway)
    if found is None:
        return _refuse(404, "unknown_gateway", _("Gateway tidak dikenal atau tidak aktif."))
    body = request.body
    try:
        signing.verify(
            secret=found.secret,
            timestamp=request.headers.get(signing.TIMESTAMP_HEADER),
            signature=request.headers.get(signing.SIGNATURE_HEADER),
            body=body,
            now=time.time(),
        )
    except signing.SignatureError as error:
        return _refuse(401, error.code, str(error))
    try:
        event = services.parse_callback(body)
    except ValidationError as error:
        return _refuse(400, error.code or "invalid", " ".join(error.messages))
    result = services.gateway_callback(gateway=found, event=event, body=body)
    return JsonResponse({"event_id": result.event_id, "outcome": result.outcome, "repeat": result.repeat})
