"""Cursors of the partner API's lists: where the next page starts, as an opaque string.

A cursor is the position (a small dict) signed with the site's key (django.core.signing), one salt per list,
so a partner can neither forge a position nor hand one list's cursor to another; what it holds is the
site's own and only its shape is checked on the way back.
"""

from django.core import signing

_SALT = "naikkelas.partners.cursor."


class BadCursor(ValueError):
    """A cursor this site did not hand out for this list, or one mangled on the way."""


def encode(position: dict, *, list_name: str) -> str:
    return signing.dumps(position, salt=_SALT + list_name, compress=True)


def decode(cursor: str, *, list_name: str, fields: dict[str, type] | None = None) -> dict:
    """The position `encode` made for `list_name`; with `fields`, exactly those keys with those types."""
    try:
        position = signing.loads(cursor, salt=_SALT + list_name)
    except (signing.BadSignature, ValueError, TypeError):
        raise BadCursor(cursor) from None
    if not isinstance(position, dict):
        raise BadCursor(cursor)
    if fields is not None:
        if set(position) != set(fields):
            raise BadCursor(cursor)
        for name, kind in fields.items():
            if type(position[name]) is not kind:  # bool is an int subclass: compared exactly
                raise BadCursor(cursor)
    return position
