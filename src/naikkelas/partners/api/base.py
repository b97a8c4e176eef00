"""What every operation of the partner API shares: the key check, the rate limit, problem documents.

Handlers raise `Problem(status, title, detail)` (or Http404 / Django's ValidationError from a service) and the
handlers here turn each into an RFC 9457 document; handlers never build error responses by hand.
"""

import time
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer

from naikkelas.core import ratelimit
from naikkelas.partners import keys

PROBLEM_TYPE = "application/problem+json"
RATE_WINDOW = timedelta(minutes=1)
# Error answers every operation may give, declared on each in the OpenAPI description.
COMMON_PROBLEMS = {
    "400": "Permintaan tidak bisa dibaca (mis. JSON rusak).",
    "401": "Kunci API tidak ada, salah, dicabut, atau kedaluwarsa.",
    "403": "Kunci ini tidak boleh melakukannya (mis. kunci baca saja untuk menulis).",
    "404": "Tidak ditemukan, atau usaha ini tidak berbagi dengan mitra Anda.",
    "422": "Isi permintaan tidak sah; `errors` menyebut bagian mana.",
    "429": "Terlalu banyak permintaan; tunggu sebanyak detik di Retry-After.",
}


def rate_limit() -> int:
    """Requests per key per minute (settings.PARTNER_API_RATE_LIMIT)."""
    return getattr(settings, "PARTNER_API_RATE_LIMIT", 600)


class ProblemError(Schema):
    loc: list[str | int]
    msg: str


class ProblemSchema(Schema):
    """An RFC 9457 problem document."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    errors: list[ProblemError] | None = None


class Problem(Exception):
    """Raised by handlers: answered as a problem document with this status."""

    def __init__(self, status: int, title: str, detail: str | None = None, *, headers: dict | None = None, errors=None):
        super().__init__(detail or title)
        self.status, self.title, self.detail, self.headers, self.errors = status, title, detail, headers or {}, errors


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class KeyAuth(HttpBearer):
    """`Authorization: Bearer nk_…`. Sets request.api_key and request.partner; counts the request against the
    key's rate limit; refuses a read-only key on any method that writes (before the body is even read, so
    the answer does not depend on what was sent)."""

    openapi_scheme = "bearer"

    def __call__(self, request: HttpRequest):
        _activate_language(request)
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, token: str):
        key = keys.authenticate(token)
        if key is None:
            return None
        request.api_key, request.partner = key, key.partner
        if request.method not in SAFE_METHODS:
            require_write(request)
        if not ratelimit.hit(f"api:{key.prefix}", limit=rate_limit(), window=RATE_WINDOW):
            seconds = int(RATE_WINDOW.total_seconds())
            wait = seconds - int(time.time()) % seconds
            raise Problem(
                429,
                _("Terlalu banyak permintaan"),
                _("Kunci ini boleh %(n)s permintaan per menit. Coba lagi dalam %(s)s detik.") % {"n": rate_limit(), "s": wait},
                headers={"Retry-After": str(wait)},
            )
        return key


def _activate_language(request: HttpRequest) -> None:
    # Indonesian by default, as on the site; English when the partner's program asks for it.
    wanted = request.headers.get("Accept-Language", "")
    translation.activate("en" if wanted.lower().startswith("en") else settings.LANGUAGE_CODE)


def require_write(request: HttpRequest) -> None:
    if not keys.can_write(request.api_key):
        raise Problem(403, _("Kunci baca saja"), _("Operasi ini menulis data: pakai kunci dengan izin baca dan tulis."))


# What a cursor may look like (django.core.signing's alphabet); anything else is refused before it is read.
CURSOR_PATTERN = r"^[A-Za-z0-9_.:-]+$"


def bad_cursor() -> Problem:
    """The answer to a cursor this site did not hand out for this list (partners.cursors.BadCursor)."""
    message = _("Cursor tidak dikenal. Pakai next_cursor dari halaman sebelumnya, apa adanya.")
    return Problem(422, _("Cursor tidak sah"), message, errors=[{"loc": ["query", "cursor"], "msg": message}])


def problem_response(request: HttpRequest, status: int, title: str, detail=None, *, headers=None, errors=None) -> HttpResponse:
    body = ProblemSchema(status=status, title=title, detail=detail, instance=request.path, errors=errors)
    response = HttpResponse(body.model_dump_json(exclude_none=True), status=status, content_type=PROBLEM_TYPE)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _loc(parts) -> list[str | int]:
    return [part if isinstance(part, int) else str(part) for part in parts]


def install_problem_handlers(api: NinjaAPI) -> None:
    def on_problem(request, exc: Problem):
        return problem_response(request, exc.status, exc.title, exc.detail, headers=exc.headers, errors=exc.errors)

    def on_invalid(request, exc: NinjaValidationError):
        errors = [{"loc": _loc(error.get("loc", ())), "msg": str(error.get("msg", ""))} for error in exc.errors]
        return problem_response(request, 422, _("Isi permintaan tidak sah"), _("Periksa bagian yang disebut di errors."), errors=errors)

    def on_service_error(request, exc: DjangoValidationError):
        if hasattr(exc, "error_dict"):
            errors = [{"loc": ["body", field], "msg": str(message)} for field, items in exc.message_dict.items() for message in items]
        else:
            errors = [{"loc": ["body"], "msg": str(message)} for message in exc.messages]
        return problem_response(request, 422, _("Isi permintaan tidak sah"), "; ".join(e["msg"] for e in errors), errors=errors)

    def on_not_found(request, exc):
        return problem_response(request, 404, _("Tidak ditemukan"), _("Tidak ada, atau usaha ini tidak berbagi dengan mitra Anda."))

    def on_http_error(request, exc: HttpError):
        if isinstance(exc, AuthenticationError):
            return problem_response(
                request, 401, _("Kunci API tidak sah"),
                _("Kirim header Authorization: Bearer diikuti kunci API yang masih berlaku."),
                headers={"WWW-Authenticate": 'Bearer realm="api"'},
            )
        if exc.status_code == 400:
            return problem_response(request, 400, _("Permintaan tidak bisa dibaca"), str(exc))
        return problem_response(request, exc.status_code, str(exc))

    api.add_exception_handler(Problem, on_problem)
    api.add_exception_handler(NinjaValidationError, on_invalid)
    api.add_exception_handler(DjangoValidationError, on_service_error)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(HttpError, on_http_error)


class ProblemAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI description declares the problem documents every operation may answer with."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components["Problem"] = ProblemSchema.model_json_schema(ref_template="#/components/schemas/{model}")
        for definition in components["Problem"].pop("$defs", {}).values():
            components.setdefault(definition["title"], definition)
        problem = {PROBLEM_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}
        for methods in schema.get("paths", {}).values():
            for operation in methods.values():
                # Ninja keys its own responses by int, these by str: one key per status in the JSON.
                responses = {str(status): response for status, response in operation.get("responses", {}).items()}
                operation["responses"] = responses
                for status, description in COMMON_PROBLEMS.items():
                    responses[status] = {"description": description, "content": problem}
                for status, response in list(responses.items()):
                    if int(status) >= 400:
                        response["content"] = problem
                if min(int(status) for status in responses) < 300 and "429" in responses:
                    responses["429"]["headers"] = {"Retry-After": {"schema": {"type": "integer"}}}
        return schema
