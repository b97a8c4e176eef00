"""A business's cash book as a spreadsheet the owner can keep, hand to a bookkeeper, or import again.

Oldest entry first, one row per entry, with the columns the import reads (importing.COLUMNS), so an exported
file goes back in unchanged. Direction, category and method are written as their codes (`in`, `sales`,
`cash`), which do not change with the page's language; docs/DATA.md lists them. Every text cell passes
through core.spreadsheets.escape_cell: a note such as `=HYPERLINK(...)` typed by anyone reaches the
spreadsheet as text, never as a formula.

Both formats stream: CSV row by row into the response, XLSX through openpyxl's write-only mode into a
temporary file (a ZIP cannot be sent before it is finished), so a long book never sits in memory.
"""

import csv
import tempfile
from collections.abc import Iterator

from naikkelas.core.spreadsheets import escape_row
from naikkelas.ledger import selectors

HEADINGS = ["tanggal", "arah", "jumlah", "kategori", "cara_bayar", "catatan", "pihak", "sumber"]
CHUNK = 2_000
SPOOL_BYTES = 8 * 1024 * 1024


def rows(business) -> Iterator[list]:
    """The entries as rows of values (dates as dates, amounts as whole rupiah), oldest first."""
    found = selectors.entries(business).order_by("date", "pk").values_list(
        "date", "direction", "amount", "category", "method", "note", "party", "source"
    )
    for values in found.iterator(chunk_size=CHUNK):
        yield escape_row(values)


class _Echo:
    """A file-like object whose write returns the text, so csv.writer can feed a streaming response."""

    def write(self, value: str) -> str:
        return value


def csv_lines(business) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # Excel reads the file as UTF-8 only with the byte-order mark
    yield writer.writerow(HEADINGS)
    for row in rows(business):
        yield writer.writerow([value.isoformat() if hasattr(value, "isoformat") else value for value in row])


def xlsx_file(business):
    """An open temporary file holding the workbook, at its start; the caller closes it."""
    from openpyxl import Workbook  # only XLSX exports pay for importing it

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title="Buku kas")
    sheet.append(HEADINGS)
    for row in rows(business):
        sheet.append(row)
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
    workbook.save(out)
    out.seek(0)
    return out
