"""Text messages (SMS), sent through a backend chosen by setting, the way Django picks an email backend.

`settings.SMS_BACKEND` is the dotted path of a class; `send_sms(phone, text)` builds one and sends.

Built in:
- `ConsoleBackend` prints each message to stdout (the default on a laptop).
- `FileBackend` appends one JSON line per message, `{"to": ..., "text": ..., "at": ...}` ("at" is an ISO 8601
  UTC time), to `settings.SMS_FILE_PATH`. That setting is a file path; when it names a directory, or a path
  without a file suffix such as the default `var/sms`, the file is `outbox.jsonl` inside it. Parent
  directories are created. The demo and the browser test read the codes from this file.
- `LocmemBackend` keeps messages in `LocmemBackend.outbox` (a list of the same dicts), for tests.

A real provider plugs in by setting, e.g. `SMS_BACKEND=mycompany.sms.ProviderBackend`. The interface:

    class ProviderBackend(BaseSmsBackend):
        def send(self, phone: str, text: str) -> None:
            ...  # phone is E.164 ("+6281234567890"); text is at most a few hundred characters

The class is built with no arguments for every message (read credentials from settings or the environment
in `__init__`) and must raise `SmsError` when the provider refuses or cannot be reached, so the person
waiting for a code is told to try again instead of waiting for a message that will never come.
"""

import json
import sys
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.utils.module_loading import import_string


class SmsError(Exception):
    """The message could not be handed to the provider."""


class BaseSmsBackend:
    def send(self, phone: str, text: str) -> None:
        raise NotImplementedError


def _record(phone: str, text: str) -> dict:
    return {"to": phone, "text": text, "at": datetime.now(UTC).isoformat()}


class ConsoleBackend(BaseSmsBackend):
    def send(self, phone: str, text: str) -> None:
        sys.stdout.write(f"SMS to {phone}: {text}\n")
        sys.stdout.flush()


class FileBackend(BaseSmsBackend):
    def __init__(self, path: str | Path | None = None):
        self.path = outbox_path(path if path is not None else settings.SMS_FILE_PATH)

    def send(self, phone: str, text: str) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            line = json.dumps(_record(phone, text), ensure_ascii=False) + "\n"
            # One write call in append mode: lines from several server processes do not interleave.
            with self.path.open("a", encoding="utf-8") as outbox:
                outbox.write(line)
        except OSError as error:
            raise SmsError(str(error)) from error


def outbox_path(path: str | Path) -> Path:
    """The file FileBackend writes for a given SMS_FILE_PATH."""
    path = Path(path)
    if path.is_dir() or not path.suffix:
        return path / "outbox.jsonl"
    return path


class LocmemBackend(BaseSmsBackend):
    # Shared by every instance, because send_sms builds a new backend for each message.
    outbox: list[dict] = []

    def send(self, phone: str, text: str) -> None:
        LocmemBackend.outbox.append(_record(phone, text))


def get_backend(path: str | None = None) -> BaseSmsBackend:
    return import_string(path or settings.SMS_BACKEND)()


def send_sms(phone: str, text: str) -> None:
    """Send `text` to `phone` (E.164). Raises SmsError when the message could not be sent."""
    get_backend().send(phone, text)
