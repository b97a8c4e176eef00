"""Cells that leave the platform in a spreadsheet (CSV or XLSX exports).

A spreadsheet program treats a cell that starts with = + - @ (or a tab or carriage return before one of
them) as a formula, and a formula such as `=cmd|' /C calc'!A0` can run a program on the officer's computer
(CSV injection, OWASP). Every exported text value goes through `escape_cell`, which makes such a cell plain
text by putting an apostrophe in front: the spreadsheet shows the value as it was and never evaluates it.
"""

import datetime
import decimal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_TYPES = (int, float, decimal.Decimal, datetime.date, datetime.time)


def escape_cell(value):
    """The value to write into an exported cell. Numbers, dates and empty values pass unchanged (a negative
    number is data, not a formula); text starting with a formula character gets a leading apostrophe."""
    if value is None or isinstance(value, _PLAIN_TYPES):
        return value
    text = value if isinstance(value, str) else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def escape_row(values) -> list:
    return [escape_cell(value) for value in values]
