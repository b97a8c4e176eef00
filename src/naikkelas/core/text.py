"""Text as people type it, made safe to keep."""

import unicodedata


def clean_text(value, *, multiline: bool = False) -> str:
    """Text as typed, without control characters (PostgreSQL refuses NUL; none belongs in a name or an
    address), tabs as spaces, and, unless `multiline`, line breaks as spaces."""
    kept = []
    for ch in str(value or ""):
        if ch == "\n" and multiline:
            kept.append(ch)
        elif ch in "\t\r\n":
            kept.append(" ")
        elif unicodedata.category(ch) not in ("Cc", "Cs"):
            kept.append(ch)
    text = "".join(kept)
    if not multiline:
        text = " ".join(text.split())
    return text.strip()
