import re

import pytest

from naikkelas.accounts.sms import LocmemBackend


@pytest.fixture(autouse=True)
def sms_outbox(settings):
    """Every accounts test sends its SMS into a list it can read."""
    settings.SMS_BACKEND = "naikkelas.accounts.sms.LocmemBackend"
    LocmemBackend.outbox.clear()
    yield LocmemBackend.outbox
    LocmemBackend.outbox.clear()


def last_code(outbox, phone: str) -> str:
    texts = [message["text"] for message in outbox if message["to"] == phone]
    assert texts, f"no SMS to {phone}"
    match = re.search(r"\b(\d{6})\b", texts[-1])
    assert match, f"no code in {texts[-1]!r}"
    return match.group(1)


def wrong_code(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"
