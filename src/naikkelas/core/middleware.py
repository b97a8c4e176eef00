import logging
import re
import time
import uuid

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from naikkelas.core.logging import current_request_id, safe_path

request_log = logging.getLogger("naikkelas.request")
logger = logging.getLogger(__name__)


class LanguageMiddleware:
    """Bahasa Indonesia unless the visitor chose another language with the switcher (its cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, but many phones in Indonesia run
    with an English system language while their owners read Indonesian first; the choice is theirs to make
    on the page, not the phone's.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        response.headers.setdefault("Vary", "Cookie")
        return response


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response (settings.CONTENT_SECURITY_POLICY and
    settings.PERMISSIONS_POLICY), static files included as it sits above WhiteNoise.

    A response that already carries a policy keeps it: a view that truly needs another sets its own header.
    Referrer-Policy, X-Content-Type-Options and X-Frame-Options come from Django's SecurityMiddleware and
    XFrameOptionsMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = settings.CONTENT_SECURITY_POLICY
        self.permissions = settings.PERMISSIONS_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        response.headers.setdefault("Permissions-Policy", self.permissions)
        return response


# An id a proxy or the caller chose is kept when it is sane; anything else is replaced.
INCOMING_REQUEST_ID = re.compile(r"[A-Za-z0-9-]{8,64}")


class RequestIdMiddleware:
    """Gives each request an id (a sane incoming X-Request-ID, else a fresh uuid4 hex) as `request.request_id`,
    on the response's X-Request-ID and on every log record written while the request runs
    (core.logging.RequestIdFilter), and writes one line per request on the `naikkelas.request` logger with the
    method, the path (no query string, tokens masked: core.logging.safe_path), the status and the duration.

    First in settings.MIDDLEWARE, so the line covers the whole request and every response, static files and
    errors included, carries the header.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if INCOMING_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = current_request_id.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            request_log.info(
                "request",
                extra={
                    "request_id": request_id,
                    "method": request.method,
                    "path": safe_path(request.path),
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            return response
        finally:
            current_request_id.reset(token)


# How long a client should wait before trying again when the database is away.
RETRY_AFTER_SECONDS = 30


def wants_json(request) -> bool:
    """The API, or a caller that asks for JSON rather than a page."""
    accept = request.headers.get("Accept", "")
    return request.path.startswith("/api/") or ("application/json" in accept and "text/html" not in accept)


class DatabaseUnavailableMiddleware:
    """A view that fails because the database went away (django.db.OperationalError or InterfaceError: the
    connection lost, the server down, SQLite still locked after its busy timeout) answers 503 with Retry-After:
    a page from templates/503.html, or JSON for the API and for callers that accept JSON.

    Nothing committed is lost and nothing half-written stays: services write inside atomic blocks, so the
    failed request's transaction rolls back. The page is rendered without the request's context processors and
    without base.html, which look up the user and the menu in the database that is not there. The error is
    logged with the request id (core.logging.RequestIdFilter) and the path, never the request body.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        logger.error(
            "database unavailable: %s %s",
            request.method,
            safe_path(request.path),
            exc_info=exception,
            extra={"request_id": getattr(request, "request_id", "")},
        )
        message = _("Layanan sedang terganggu. Data Anda aman; silakan coba lagi dalam beberapa saat.")
        if wants_json(request):
            response = JsonResponse({"error": "service_unavailable", "detail": message}, status=503)
        else:
            body = render_to_string("503.html", {"message": message, "retry_after": RETRY_AFTER_SECONDS})
            response = HttpResponse(body, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
