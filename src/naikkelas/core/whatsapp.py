"""WhatsApp click-to-chat links: the channel owners and buyers already use, with no API account needed."""

from urllib.parse import quote


def wa_link(text: str, phone: str = "") -> str:
    """`https://wa.me/<62…>?text=…`; without a phone WhatsApp lets the user pick whom to send it to.

    `phone` is E.164 ("+62812…"); wa.me wants the digits alone.
    """
    digits = "".join(ch for ch in phone if ch.isdigit())
    return f"https://wa.me/{digits}?text={quote(text, safe='')}"
