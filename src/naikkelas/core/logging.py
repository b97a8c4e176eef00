"""Structured logs with request ids, and no personal data in them.

- `current_request_id` is the id of the request being served (core.middleware.RequestIdMiddleware sets it);
  `RequestIdFilter` puts it on every log record as `request_id`.
- `safe_path` is the path a log may carry: no query string (tokens and phone numbers travel there) and the
  token in a token-bearing path (a buyer's order, a shared statement, a partner feed) masked.
- `MaskPersonalDataFilter` masks what looks like a NIK (16 digits) or an Indonesian phone number
  (+62…, 62…, 08…) in a record's message, its arguments and its traceback, and the tokens in the paths a
  message names (Django's "Not Found: /pesanan/<token>/").
- `JsonFormatter` writes one JSON object per line.

settings.LOGGING applies both filters to every handler and the JSON formatter to stderr.
"""

import contextvars
import json
import logging
import re
import time

current_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")

MASK = "***"

NIK = re.compile(r"(?<!\d)\d{16}(?!\d)")
# +62 812-3456-7890, 62812345678, 0812 3456 789: an 8 after the country code or the 0, then 7 to 11 digits that
# may be split by spaces, dots or dashes.
PHONE = re.compile(r"(?<![\w+])(?:\+62|62|0)[\s.-]?8(?:[\s.-]?\d){7,11}(?!\d)")

# The paths whose segment after the prefix is a secret: a buyer's order (/pesanan/<token>/…), a statement link
# an owner shares (/laporan/<token>/) and a partner's feed (/feed/mitra/<token>/…).
TOKEN_PATHS = re.compile(r"^(/(?:pesanan|laporan|feed/mitra)/)[^/]+")
# The same inside a message (Django's "Not Found: /pesanan/<token>/").
TOKEN_PATHS_IN_TEXT = re.compile(r"(/(?:pesanan|laporan|feed/mitra)/)[^/\s?#\"']+")
# Any other segment that looks like a token: long, letters and digits mixed.
TOKEN_SEGMENT = re.compile(r"(?<=/)(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9_-]{20,}(?=/|$)")


def mask_personal_data(text: str) -> str:
    """`text` with NIK-like and phone-like numbers replaced by ***."""
    return PHONE.sub(MASK, NIK.sub(MASK, text))


def safe_path(path: str) -> str:
    """The path part of `path` fit for a log: query string dropped, tokens and personal data masked."""
    path = path.split("?", 1)[0]
    path = TOKEN_PATHS.sub(lambda match: match.group(1) + MASK, path)
    path = TOKEN_SEGMENT.sub(MASK, path)
    return mask_personal_data(path)


class RequestIdFilter(logging.Filter):
    """Puts the request's id on the record (empty outside a request) unless it carries one already."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            # Django logs a 4xx/5xx response on django.request after the middleware is done, with the request.
            request = getattr(record, "request", None)
            record.request_id = getattr(request, "request_id", "") or current_request_id.get()
        return True


class MaskPersonalDataFilter(logging.Filter):
    """Masks NIK-like and phone-like numbers in the message, its arguments and the traceback text."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: leave it for the handler to report
            return True
        # Django's own request records (django.request, django.security) name the path, query string and all.
        request = getattr(record, "request", None)
        full_path = getattr(request, "get_full_path", None)
        if callable(full_path):
            message = message.replace(full_path(), safe_path(request.path))
        message = TOKEN_PATHS_IN_TEXT.sub(lambda match: match.group(1) + MASK, message)
        record.msg = mask_personal_data(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_personal_data(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_personal_data(record.stack_info)
        return True


# The request fields core.middleware.RequestIdMiddleware puts on its access line.
REQUEST_FIELDS = ("method", "path", "status", "duration_ms")


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, request_id when there is one, the request
    fields when the record has them, and the traceback as `exc`."""

    converter = time.gmtime

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", "")
        if request_id:
            entry["request_id"] = request_id
        for field in REQUEST_FIELDS:
            if hasattr(record, field):
                entry[field] = getattr(record, field)
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exc"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
