"""The owner's copy of their data (UU PDP art. 7 and 13): one ZIP with data.json and one CSV per table.

Built in one pass over the database: each table's rows are read one at a time and written at once into
its CSV (a member of the ZIP) and into data.json, which goes to a temporary file beside it and is copied
into the ZIP last (a ZIP member is written whole before the next one starts). The ZIP itself is a temporary
file too, so nothing is held in memory, let alone twice. Every CSV cell passes through
core.spreadsheets.escape_cell, so a product name such as `=HYPERLINK(...)` reaches a spreadsheet as text.
"""

import csv
import io
import json
import shutil
import tempfile
import zipfile

from django.utils import timezone
from django.utils.translation import gettext as _

from naikkelas.core.spreadsheets import escape_row
from naikkelas.privacy.selectors import Table, owner_tables, plain

FORMAT_VERSION = 1


def _cell(value):
    """A CSV cell: lists and dicts (channels, opening hours, reasons) as JSON text, dates in ISO 8601."""
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return plain(value)


def _notes() -> list[str]:
    return [
        _("NIK ditampilkan tersamar (8 dari 16 angka), seperti di semua halaman Naik Kelas; NIK lengkap "
          "disimpan terenkripsi. Kapan dan mengapa admin pernah membukanya ada di pembacaan_nik."),
        _("Tautan laporan keuangan tanpa kodenya, dan data petugas yang membantu tidak disertakan."),
        _("Uang dalam rupiah utuh; waktu dalam UTC (ISO 8601); tanggal buku kas menurut hari usaha Anda."),
    ]


def _write_table(table: Table, archive: zipfile.ZipFile, data) -> int:
    """Write `table` as <name>.csv into `archive` and as a JSON list into the open data.json text `data`."""
    count = 0
    data.write(f"{json.dumps(table.name)}: [")
    with archive.open(f"{table.name}.csv", "w") as raw:
        # UTF-8 with a byte-order mark, so spreadsheet programs read names with accents rightly.
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        writer = csv.writer(text)
        writer.writerow(table.columns)
        for row in table.rows():
            writer.writerow(escape_row([_cell(value) for value in row]))
            record = dict(zip(table.columns, (plain(value) for value in row)))
            data.write(("\n" if count == 0 else ",\n") + json.dumps(record, ensure_ascii=False))
            count += 1
        text.flush()
        text.detach()
    data.write("]")
    return count


def owner_archive(user, *, photo_url) -> tuple[tempfile.TemporaryFile, dict[str, int]]:
    """The ZIP of everything held about `user`, as an open temporary file at position 0, and the number of
    rows of each table (for the audit record)."""
    archive_file = tempfile.TemporaryFile()
    counts: dict[str, int] = {}
    with tempfile.TemporaryFile("w+", encoding="utf-8") as data, zipfile.ZipFile(
        archive_file, "w", compression=zipfile.ZIP_DEFLATED
    ) as archive:
        header = {
            "format": "naikkelas-owner-data",
            "version": FORMAT_VERSION,
            "generated_at": timezone.now().isoformat(),
            "notes": _notes(),
        }
        data.write(json.dumps(header, ensure_ascii=False)[:-1] + ', "tables": {')
        for index, table in enumerate(owner_tables(user, photo_url=photo_url)):
            if index:
                data.write(",\n")
            counts[table.name] = _write_table(table, archive, data)
        data.write("}}\n")
        data.seek(0)
        with archive.open("data.json", "w") as member:
            shutil.copyfileobj(_Encoded(data), member)
    archive_file.seek(0)
    return archive_file, counts


class _Encoded:
    """Reads a text file as UTF-8 bytes, a chunk at a time, for shutil.copyfileobj."""

    def __init__(self, text):
        self.text = text

    def read(self, size: int = -1) -> bytes:
        return self.text.read(size if size and size > 0 else 64 * 1024).encode("utf-8")
