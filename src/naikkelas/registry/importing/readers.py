"""Rows out of an uploaded CSV or XLSX file, one at a time, whatever the size of the file.

The format is decided by the bytes, not the file name: an XLSX is a ZIP archive; anything else must be
text. CSV text is read as UTF-8 (with or without the byte-order mark Excel writes), as UTF-16 when it
starts with a UTF-16 mark (Excel's "Unicode text"), and falls back to Windows-1252 only when the file is
not UTF-8 and every byte of it is a Windows-1252 character; latin-1 is never guessed, because it accepts
any byte and would turn junk into text. The delimiter is sniffed from the heading row: Indonesian Excel
writes `;`. XLSX is read with openpyxl in read-only mode (streaming the sheet XML), formulas as their text,
never evaluated.

Every failure to read is an ImportFileError with a message for the officer; nothing else escapes.
"""

import codecs
import contextlib
import csv
import datetime
import itertools
import os
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from naikkelas.registry.importing.errors import ImportFileError

CHUNK = 1 << 20
# Longest line and cell accepted. Real rows are a few hundred characters; the limits keep a file of junk
# without line breaks from being read into memory whole.
MAX_LINE = 256 * 1024
MAX_CELL = 128 * 1024
# An XLSX is compressed; these bound what it may expand to (a "zip bomb" is a few KB that inflate to GBs).
MAX_XLSX_EXPANDED = 2 * 1024 * 1024 * 1024
MAX_XLSX_RATIO = 200
DELIMITERS = (";", ",", "\t", "|")
SNIFF_LINES = 20
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls (and .doc) format


@dataclass
class Table:
    """An open file: what kind it is, and its rows as (spreadsheet row number, cells as text)."""

    format: str
    rows: Iterator[tuple[int, list[str]]]
    encoding: str = ""
    delimiter: str = ""
    sheet: str = ""
    notes: list[str] = field(default_factory=list)

    def describe(self) -> dict:
        return {
            "format": self.format,
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "sheet": self.sheet,
            "notes": self.notes,
        }


@contextlib.contextmanager
def open_table(path) -> Iterator[Table]:
    """Open `path` for reading rows; closes whatever it opened on the way out."""
    try:
        size = os.path.getsize(path)
    except OSError:
        raise ImportFileError(_("Berkas tidak dapat dibuka.")) from None
    if size == 0:
        raise ImportFileError(_("Berkas kosong (0 byte)."))
    if size > settings.IMPORT_MAX_BYTES:
        raise ImportFileError(
            _("Berkas terlalu besar (%(size)s MB); batasnya %(limit)s MB. Pecah menjadi beberapa berkas.")
            % {"size": _mb(size), "limit": _mb(settings.IMPORT_MAX_BYTES)}
        )
    with open(path, "rb") as probe:
        head = probe.read(8)
    if head.startswith(XLSX_MAGIC):
        with _open_xlsx(path) as table:
            yield table
    elif head.startswith(OLE_MAGIC):
        raise ImportFileError(
            _("Format .xls lama tidak didukung. Buka di Excel lalu simpan sebagai .xlsx atau CSV.")
        )
    else:
        with _open_csv(path) as table:
            yield table


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".rstrip("0").rstrip(".")


# -- CSV -----------------------------------------------------------------------------------------------------

class _LineTooLong(Exception):
    pass


def _decodes_cleanly(path, encoding: str) -> bool:
    """Whether the whole file decodes in `encoding` into text without control characters (binary junk).
    Raises _LineTooLong for a line longer than MAX_LINE: checked here, in the same pass, so the reading
    pass can hand the file straight to the csv module."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    tail = ""
    with open(path, "rb") as raw:
        try:
            while True:
                chunk = raw.read(CHUNK)
                text = decoder.decode(chunk, final=not chunk)
                if _CONTROL.search(text):
                    return False
                lines = (tail + text).replace("\r", "\n").split("\n")
                tail = lines.pop()
                if len(tail) > MAX_LINE or (lines and len(max(lines, key=len)) > MAX_LINE):
                    raise _LineTooLong
                if not chunk:
                    return True
        except UnicodeDecodeError:
            return False


def detect_encoding(path) -> str:
    try:
        return _detect_encoding(path)
    except _LineTooLong:
        raise ImportFileError(
            _("Ada baris yang terlalu panjang (lebih dari %(n)s huruf); berkas ini tampaknya bukan tabel.")
            % {"n": f"{MAX_LINE:,}".replace(",", ".")}
        ) from None


def _detect_encoding(path) -> str:
    with open(path, "rb") as raw:
        head = raw.read(4)
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            if _decodes_cleanly(path, encoding):
                return encoding
            raise ImportFileError(
                _("Berkas rusak: isinya tidak cocok dengan pengkodean teks yang tertulis di awalnya.")
            )
    if _decodes_cleanly(path, "utf-8"):
        return "utf-8"
    if _decodes_cleanly(path, "cp1252"):
        return "cp1252"
    raise ImportFileError(
        _(
            "Berkas ini bukan CSV atau XLSX yang bisa dibaca (isinya bukan teks). Simpan ulang dari Excel "
            "sebagai 'CSV UTF-8' atau .xlsx."
        )
    )


def sniff_delimiter(lines: list[str]) -> str:
    """The delimiter that splits the first lines most consistently: the one with the highest median count
    per line, counting outside quotes (so a title line or a comma inside an address does not decide)."""
    counts = {d: [] for d in DELIMITERS}
    for line in lines:
        outside = re.sub(r'"[^"]*"', "", line)
        for delimiter in DELIMITERS:
            counts[delimiter].append(outside.count(delimiter))
    medians = {d: sorted(c)[len(c) // 2] for d, c in counts.items()}
    best = max(DELIMITERS, key=lambda d: (medians[d], sum(counts[d])))
    return best if sum(counts[best]) else ","


@contextlib.contextmanager
def _open_csv(path) -> Iterator[Table]:
    encoding = detect_encoding(path)
    with open(path, encoding=encoding, newline="") as text:
        sample = [line for line in itertools.islice(text, SNIFF_LINES) if line.strip()]
        if not sample:
            raise ImportFileError(_("Berkas kosong: hanya berisi baris kosong."))
        text.seek(0)
        delimiter = sniff_delimiter(sample)
        # Lines were measured by detect_encoding, so the csv module may read the file directly.
        reader = csv.reader(text, delimiter=delimiter)
        table = Table(format="csv", rows=_csv_rows(reader), encoding=encoding, delimiter=delimiter)
        if encoding == "cp1252":
            table.notes.append(
                _("Berkas bukan UTF-8; dibaca sebagai Windows-1252. Periksa huruf beraksen di pratinjau.")
            )
        yield table


def _csv_rows(reader) -> Iterator[tuple[int, list[str]]]:
    # The number is the record's position, which is the row number a spreadsheet shows for the same file.
    # A cell past csv's field limit (128 KB) is an unclosed quote swallowing the rest of the file.
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            yield number, cells
    except csv.Error as error:
        raise ImportFileError(
            _("Baris %(row)s tidak bisa dibaca sebagai CSV (%(error)s). Periksa tanda kutip di baris itu.")
            % {"row": number + 1, "error": error}
        ) from None


# -- XLSX ----------------------------------------------------------------------------------------------------

def _check_archive(path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise ImportFileError(_("Berkas XLSX rusak (arsipnya tidak bisa dibuka). Simpan ulang dari Excel.")) from None
    expanded = sum(member.file_size for member in members)
    compressed = sum(member.compress_size for member in members) or 1
    if expanded > MAX_XLSX_EXPANDED or (expanded > 50 * 1024 * 1024 and expanded / compressed > MAX_XLSX_RATIO):
        raise ImportFileError(_("Berkas XLSX ini mengembang terlalu besar saat dibuka; simpan sebagai CSV."))
    if not any(member.filename.startswith("xl/worksheets/") for member in members):
        raise ImportFileError(_("Berkas ini arsip ZIP tetapi bukan lembar kerja XLSX."))


def cell_text(value) -> str:
    """A cell as the text a person would have typed: 2015.0 -> "2015", a date -> "2015-08-17"."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e17:
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return str(value)


@contextlib.contextmanager
def _open_xlsx(path) -> Iterator[Table]:
    import openpyxl  # only XLSX uploads pay for importing it

    _check_archive(path)
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=False, keep_links=False)
    except Exception:  # openpyxl raises many kinds (KeyError, XML errors...) for a damaged file
        raise ImportFileError(_("Berkas XLSX rusak atau tidak lengkap. Simpan ulang dari Excel.")) from None
    try:
        if not workbook.worksheets:
            raise ImportFileError(_("Berkas XLSX tidak berisi lembar kerja."))
        sheet = workbook.worksheets[0]
        # Read-only mode trusts the size the writing program recorded, and some record it wrong ("A1:A1"),
        # which would cut the sheet short; forgetting it makes openpyxl read what is really there.
        if hasattr(sheet, "reset_dimensions"):
            sheet.reset_dimensions()
        table = Table(format="xlsx", rows=_xlsx_rows(sheet), sheet=sheet.title)
        if len(workbook.worksheets) > 1:
            table.notes.append(
                _("Berkas punya %(n)s lembar kerja; hanya lembar pertama (%(sheet)s) yang dibaca.")
                % {"n": len(workbook.worksheets), "sheet": sheet.title}
            )
        yield table
    finally:
        workbook.close()


def _xlsx_rows(sheet) -> Iterator[tuple[int, list[str]]]:
    number = 0
    try:
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [cell_text(value) for value in values]
            if any(len(cell) > MAX_CELL for cell in cells):
                raise ImportFileError(_("Baris %(row)s berisi sel yang terlalu panjang.") % {"row": number})
            yield number, cells
    except ImportFileError:
        raise
    except Exception:  # damaged sheet XML surfaces only while streaming
        raise ImportFileError(
            _("Berkas XLSX rusak di sekitar baris %(row)s. Simpan ulang dari Excel.") % {"row": number + 1}
        ) from None
