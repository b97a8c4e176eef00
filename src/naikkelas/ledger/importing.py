"""Cash-book history from a CSV file, all or nothing: every row is checked, every bad row is listed with its
reasons, and nothing is written unless every row is good (the registry import's rule).

Two users, one reader and one set of rules:
- an owner uploads their own book (views/transfer.py): the rows are the business's own, columns as the
  export writes them (`tanggal, arah, jumlah, kategori, cara_bayar, catatan, pihak`);
- officers and partners load history for many businesses at once (`naikkelas import ledger`): each row
  names its business by `business_ref`, the agency id the registry import stored (Business.external_ref).

`check_file` reads the file and writes nothing. `commit_file` reads it once more and writes as it checks, in
one transaction: the rows go to the database while the rest of the file is still being read, and the first
bad row stops the writing (the rest is still checked, so every bad row is reported) and rolls it all back.
The file is read as a stream in batches; only a bounded number of bad rows and bounded memories of cells
already judged stay in memory, so a file of ten million rows takes no more memory than one of ten.

Rows are judged a column at a time: each distinct cell of a batch is judged once and remembered, because a
cash book repeats itself (a few hundred dates, two directions, a handful of categories, the same businesses
and prices), so the common row costs a few dictionary look-ups done in C. Rows are written through core.bulk
(one COPY stream on PostgreSQL, a prepared executemany on SQLite), with source "import".

Imported entries of an owner's upload carry `import:<file digest>:<row>` as their source key, so the same
file uploaded twice is refused instead of doubling the book. Bulk loads leave the key empty (a unique key per
row would cost every one of millions of rows an index entry) and are guarded by the file's digest in the
audit log instead.
"""

import codecs
import csv
import datetime as dt
import hashlib
import itertools
import operator
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import compress, repeat
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from naikkelas.core.bulk import Same, bulk_insert_columns, db_value
from naikkelas.core.models import AuditLog
from naikkelas.ledger.forms import parse_amount
from naikkelas.ledger.models import Category, Direction, Entry, Method, Source
from naikkelas.ledger.services import EARLIEST, MAX_AMOUNT, business_today
from naikkelas.registry.importing.readers import sniff_delimiter
from naikkelas.registry.importing.values import formula_like_text
from naikkelas.registry.models import Business

BATCH_SIZE = 50_000
BAD_ROWS_KEPT = 1_000
MEMORY_SIZE = 200_000  # distinct cells (or business references) remembered per column; forgotten all at once past this
CHUNK = 1 << 20
MAX_LINE = 64 * 1024
BULK_AUDIT_ACTION = "ledger.import_bulk"
# The latest calendar day anywhere in Indonesia (WIT): a bulk row dated after it is in the future everywhere.
EASTERNMOST = ZoneInfo("Asia/Jayapura")

# Column headings as people and other bookkeeping apps write them; the export writes the first of each.
COLUMNS = {
    "business_ref": ("business_ref", "ref usaha", "kode usaha", "id umkm"),
    "date": ("tanggal", "date", "tgl"),
    "direction": ("arah", "direction", "jenis", "masuk/keluar"),
    "amount": ("jumlah", "amount", "jumlah (rp)", "nominal", "nilai"),
    "category": ("kategori", "category"),
    "method": ("cara bayar", "method", "metode", "metode bayar"),
    "note": ("catatan", "note", "keterangan"),
    "party": ("pihak", "party", "pelanggan/pemasok"),
}
REQUIRED = ("date", "direction", "amount", "category")


def _heading_key(text: str) -> str:
    return " ".join(text.lower().replace("_", " ").split())


_HEADING_ALIASES = {_heading_key(alias): key for key, aliases in COLUMNS.items() for alias in aliases}

DIRECTIONS = {
    "in": Direction.IN, "masuk": Direction.IN, "uang masuk": Direction.IN, "pemasukan": Direction.IN,
    "out": Direction.OUT, "keluar": Direction.OUT, "uang keluar": Direction.OUT, "pengeluaran": Direction.OUT,
}
CATEGORIES = {
    **{value: value for value in Category.values},
    "penjualan": Category.SALES, "jualan": Category.SALES,
    "beli stok/bahan": Category.STOCK, "beli stok": Category.STOCK, "stok": Category.STOCK, "bahan": Category.STOCK,
    "gaji/upah": Category.WAGES, "gaji": Category.WAGES, "upah": Category.WAGES,
    "sewa": Category.RENT,
    "listrik, air, pulsa": Category.UTILITIES, "listrik": Category.UTILITIES, "utilitas": Category.UTILITIES,
    "transportasi": Category.TRANSPORT, "transpor": Category.TRANSPORT, "ongkir": Category.TRANSPORT,
    "lain-lain": Category.OTHER, "lainnya": Category.OTHER,
}
METHODS = {
    **{value: value for value in Method.values},
    "": Method.CASH, "tunai": Method.CASH, "transfer bank": Method.TRANSFER, "tf": Method.TRANSFER,
    "dompet digital": Method.EWALLET, "e-wallet": Method.EWALLET,
}
_DATE_DMY = re.compile(r"(\d{1,2})[/-](\d{1,2})[/-](\d{4})")
# created_at is left to the database's default: the time the row was stored.
ATTNAMES = (
    "business_id", "direction", "amount", "date", "category", "method", "note", "party", "source", "source_key",
    "created_by_id",
)


class ImportFileError(Exception):
    """The file cannot be read as a cash book (not CSV text, no headings, a required column missing...). The
    message is for the person importing, in Indonesian; nothing has been written."""


@dataclass
class Report:
    """What the check found. The counts are exact; `bad_rows` keeps the first BAD_ROWS_KEPT."""

    digest: str = ""
    delimiter: str = ","
    columns: list[str] = field(default_factory=list)
    rows: int = 0
    good: int = 0
    bad: int = 0
    money_in: int = 0
    money_out: int = 0
    first_date: dt.date | None = None
    last_date: dt.date | None = None
    bad_rows: list[tuple[int, list[str]]] = field(default_factory=list)
    already_imported: bool = False
    written: int = 0

    def add(self, batch: "_Batch") -> None:
        self.rows += batch.count
        self.good += batch.good
        self.bad += len(batch.bad)
        self.bad_rows.extend(batch.bad[: BAD_ROWS_KEPT - len(self.bad_rows)])
        self.money_in += batch.money_in
        self.money_out += batch.money_out
        if batch.first_date and (self.first_date is None or batch.first_date < self.first_date):
            self.first_date = batch.first_date
        if batch.last_date and (self.last_date is None or batch.last_date > self.last_date):
            self.last_date = batch.last_date

    @property
    def ok(self) -> bool:
        return self.good > 0 and self.bad == 0 and not self.already_imported

    def bad_lines(self) -> list[str]:
        lines = [
            _("baris %(row)s: %(reasons)s") % {"row": row, "reasons": " ".join(reasons)} for row, reasons in self.bad_rows
        ]
        hidden = self.bad - len(self.bad_rows)
        if hidden > 0:
            lines.append(_("… dan %(n)s baris salah lainnya.") % {"n": number(hidden)})
        return lines


def number(value: int) -> str:
    """12345 -> "12.345", the Indonesian way."""
    return f"{value:,}".replace(",", ".")


def file_digest(path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        while chunk := file.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


# -- reading --------------------------------------------------------------------------------------------------


def _lines(path) -> Iterator[str]:
    """The file's text as UTF-8 (with or without Excel's byte-order mark), line by line, with a readable
    error for anything that is not text."""
    with open(path, "rb") as raw:
        head = raw.read(4)
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in head:
            raise ImportFileError(_("Berkas harus CSV dengan huruf UTF-8. Simpan ulang dari Excel sebagai 'CSV UTF-8'."))
    with open(path, encoding="utf-8-sig", newline="") as text:
        try:
            for line in text:
                if len(line) > MAX_LINE:
                    raise ImportFileError(_("Ada baris yang terlalu panjang; berkas ini tampaknya bukan tabel."))
                yield line
        except UnicodeDecodeError:
            raise ImportFileError(
                _("Berkas bukan teks UTF-8 (atau rusak). Simpan ulang dari Excel sebagai 'CSV UTF-8'.")
            ) from None


@dataclass
class _Table:
    delimiter: str
    positions: dict[str, int]
    headings: list[str]
    batches: Iterator[tuple[int, list[list[str]]]]  # (number of the first row, rows)


def _open(path, *, need_ref: bool) -> _Table:
    sample = [line for line in itertools.islice(_lines(path), 20) if line.strip()]
    if not sample:
        raise ImportFileError(_("Berkas kosong."))
    delimiter = sniff_delimiter(sample)
    reader = csv.reader(_lines(path), delimiter=delimiter)
    try:
        for heading_row, headings in enumerate(reader, start=1):
            if any(cell.strip() for cell in headings):
                break
        else:
            raise ImportFileError(_("Berkas kosong."))
    except csv.Error as error:
        raise ImportFileError(_("Judul kolom tidak bisa dibaca sebagai CSV (%(error)s).") % {"error": error}) from None
    positions: dict[str, int] = {}
    for position, heading in enumerate(headings):
        key = _HEADING_ALIASES.get(_heading_key(heading))
        if key is not None and key not in positions:
            positions[key] = position
    wanted = REQUIRED + (("business_ref",) if need_ref else ())
    missing = [COLUMNS[key][0] if key != "business_ref" else "business_ref" for key in wanted if key not in positions]
    if missing:
        raise ImportFileError(
            _("Kolom wajib tidak ada: %(missing)s. Baris pertama harus berisi judul kolom: %(expected)s.")
            % {"missing": ", ".join(missing), "expected": ", ".join(expected_columns(need_ref))}
        )
    return _Table(delimiter=delimiter, positions=positions, headings=headings, batches=_batches(reader, first=heading_row + 1))


def expected_columns(need_ref: bool) -> list[str]:
    if need_ref:
        return ["business_ref", "date", "direction", "amount", "category"]
    return [COLUMNS[key][0] for key in ("date", "direction", "amount", "category", "method", "note", "party")]


def _batches(reader, *, first: int) -> Iterator[tuple[int, list[list[str]]]]:
    """The rows after the headings, BATCH_SIZE at a time, each batch with the number of its first row."""
    while True:
        try:
            rows = list(itertools.islice(reader, BATCH_SIZE))
        except csv.Error as error:
            raise ImportFileError(
                _("Baris %(row)s tidak bisa dibaca sebagai CSV (%(error)s). Periksa tanda kutip di baris itu.")
                % {"row": reader.line_num, "error": error}  # the line, which is the row unless a cell holds a line break
            ) from None
        if not rows:
            return
        yield first, rows
        first += len(rows)


# -- one cell -------------------------------------------------------------------------------------------------


class Reason(str):
    """Why a cell cannot be stored, in the importer's language (a cell's verdict is its value or a Reason)."""


def _day(text: str, *, latest: dt.date) -> dt.date | Reason:
    text = text.strip()
    day = None
    try:
        day = dt.date.fromisoformat(text) if len(text) == 10 and text[4] == "-" else None
    except ValueError:
        day = None
    if day is None:
        match = _DATE_DMY.fullmatch(text)
        if match:
            try:
                day = dt.date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
            except ValueError:
                day = None
    if day is None:
        return Reason(_("Tanggal '%(text)s' tidak dikenali. Contoh: 2024-05-02 atau 02/05/2024.") % {"text": text})
    if day < EARLIEST:
        return Reason(_("Tanggal %(text)s terlalu lama (sebelum tahun 2000).") % {"text": text})
    if day > latest:
        return Reason(_("Tanggal %(text)s di masa depan.") % {"text": text})
    return day


def _choice(table: dict[str, str], message: str, choices=()) -> Callable[[str], str | Reason]:
    """A judge of cells that must name one of `table`'s keys (any case); `message` says what else to write."""
    listed = ", ".join(choices)

    def judge(text: str) -> str | Reason:
        text = text.strip()
        value = table.get(text.lower())
        return value if value is not None else Reason(message % {"text": text, "choices": listed})

    return judge


def _amount(text: str) -> int | Reason:
    text = text.strip()
    if text.isdigit() and text.isascii():
        amount = int(text)
        if amount <= 0:
            return Reason(_("Jumlah harus lebih dari 0."))
    else:
        try:
            amount = parse_amount(text)
        except ValidationError:
            return Reason(_("Jumlah '%(text)s' tidak dikenali: tulis rupiah bulat, mis. 15000 atau 15.000.") % {"text": text})
    if amount > MAX_AMOUNT:
        return Reason(_("Jumlah '%(text)s' terlalu besar.") % {"text": text})
    return amount


def _free_text(label: str, limit: int) -> Callable[[str], str | Reason]:
    def judge(text: str) -> str | Reason:
        value = " ".join(text.split())
        if len(value) > limit:
            return Reason(_("%(label)s terlalu panjang (paling banyak %(n)s huruf).") % {"label": label, "n": limit})
        if formula_like_text(value):
            return Reason(
                _("%(label)s '%(text)s' terlihat seperti rumus spreadsheet; hapus tanda = + - @ di depannya.")
                % {"label": label, "text": value[:40]}
            )
        return value

    return judge


def _reference(text: str) -> str | Reason:
    return text.strip() or Reason(_("Kolom business_ref kosong."))


# -- one batch ------------------------------------------------------------------------------------------------


class _Column:
    """One column's verdicts, each distinct cell judged once and remembered."""

    def __init__(self, position: int | None, judge: Callable):
        self.position = position
        self.judge = judge
        self.memory: dict[str, object] = {}

    def verdicts(self, columns: list[tuple[str, ...]]) -> tuple[list | None, bool]:
        """The verdict of each of the column's cells (None when the file has no such column) and whether any
        of them is a Reason."""
        if self.position is None:
            return None, False
        cells = columns[self.position]
        memory = self.memory
        distinct = set(cells)
        new = distinct.difference(memory)
        if new:
            if len(memory) + len(new) > MEMORY_SIZE:
                memory.clear()
                new = distinct
            memory.update(zip(new, map(self.judge, new)))
        refused = any(type(memory[cell]) is Reason for cell in distinct)
        return list(map(memory.__getitem__, cells)), refused


@dataclass
class _Batch:
    """A batch judged: the good rows as database columns (ATTNAMES, for core.bulk.bulk_insert_columns), the
    bad ones with their reasons."""

    count: int = 0
    good: int = 0
    columns: list = field(default_factory=list)
    bad: list[tuple[int, list[str]]] = field(default_factory=list)
    money_in: int = 0
    money_out: int = 0
    first_date: dt.date | None = None
    last_date: dt.date | None = None


class _Judge:
    """A file's rows into entries' database rows, a batch at a time, in two steps: `read` judges the cells
    and needs no database, so that it can run while the database stores the batch before; `finish` looks the
    businesses up and makes the rows."""

    def __init__(self, positions: dict[str, int], *, latest: dt.date, business=None, actor=None, key_prefix=""):
        get = positions.get
        self.columns = [
            _Column(get("date"), lambda text: _day(text, latest=latest)),
            _Column(
                get("direction"),
                _choice(DIRECTIONS, _("Arah '%(text)s' tidak dikenali: tulis in atau out (masuk atau keluar).")),
            ),
            _Column(get("amount"), _amount),
            _Column(
                get("category"),
                _choice(CATEGORIES, _("Kategori '%(text)s' tidak dikenali: pilih %(choices)s."), Category.values),
            ),
            _Column(get("method"), _choice(METHODS, _("Cara bayar '%(text)s' tidak dikenali: pilih %(choices)s."), Method.values)),
            _Column(get("note"), _free_text(_("Catatan"), 200)),
            _Column(get("party"), _free_text(_("Pihak"), 120)),
            _Column(None if business is not None else get("business_ref"), _reference),
        ]
        self.width = max(positions.values()) + 1
        self.business_id = business.pk if business is not None else None
        self.businesses: dict[str, int | None] = {}  # reference -> id (None: no such business)
        self.key_prefix = key_prefix
        self.created_by = actor.pk if actor is not None else None
        self.stored_date = db_value(Entry, "date")
        self.stored_dates: dict[dt.date, object] = {}

    def read(self, first: int, rows: list[list[str]]) -> tuple[int, list[list[str]], list]:
        width = self.width
        if min(map(len, rows)) < width:  # short rows (and blank lines) read as if their missing cells were empty
            rows = [row if len(row) >= width else row + [""] * (width - len(row)) for row in rows]
        columns = list(zip(*rows))
        return first, rows, [column.verdicts(columns) for column in self.columns]

    def finish(self, read: tuple[int, list[list[str]], list], *, look_up: bool = True) -> _Batch | None:
        """The batch, or None when it names businesses not looked up yet and `look_up` is False."""
        first, rows, judged = read
        days, directions, amounts, categories, methods, notes, parties, refs = (values for values, _refused in judged)
        ids = self._business_ids(refs, len(rows), look_up=look_up)
        if ids is None:
            return None
        numbers = range(first, first + len(rows))
        if any(refused for _values, refused in judged) or None in ids:
            keep = self._sort_out(rows, numbers, judged, ids, batch := _Batch(count=len(rows)))
            if not any(keep):
                return batch
            days, directions, amounts, categories, methods, notes, parties, ids, numbers = (
                list(compress(values, keep)) if values is not None else None
                for values in (days, directions, amounts, categories, methods, notes, parties, ids, numbers)
            )
        else:
            batch = _Batch(count=len(rows))
        stored_dates = self.stored_dates
        for day in set(days).difference(stored_dates):
            stored_dates[day] = self.stored_date(day)
        batch.good = len(days)
        columns = [
            ids, directions, amounts, list(map(stored_dates.__getitem__, days)), categories,
            methods or Same(Method.CASH), notes or Same(""), parties or Same(""), Same(Source.IMPORT),
            list(map(f"{self.key_prefix}{{}}".format, numbers)) if self.key_prefix else Same(""),
            Same(self.created_by),
        ]
        if self.business_id is None and len(ids) > 1:
            # Stored business by business (the sort is stable, so each one's rows keep the file's order): the
            # (business, date) index then takes them a page at a time, a fifth faster than in file order.
            reorder = operator.itemgetter(*sorted(range(len(ids)), key=ids.__getitem__))
            columns = [column if isinstance(column, Same) else reorder(column) for column in columns]
        batch.columns = columns
        total = sum(amounts)
        batch.money_in = sum(compress(amounts, map(operator.eq, directions, repeat(Direction.IN))))
        batch.money_out = total - batch.money_in
        batch.first_date, batch.last_date = min(days), max(days)
        return batch

    def _business_ids(self, refs: list | None, count: int, *, look_up: bool) -> list | None:
        if refs is None:
            return [self.business_id] * count
        known = self.businesses
        wanted = {ref for ref in set(refs) if type(ref) is not Reason}
        missing = list(wanted.difference(known))
        if missing and not look_up:
            return None
        if len(known) + len(missing) > MEMORY_SIZE:
            known.clear()
            missing = list(wanted)
        for start in range(0, len(missing), 900):
            part = missing[start : start + 900]
            found = dict(Business.objects.filter(external_ref__in=part).values_list("external_ref", "pk"))
            known.update((ref, found.get(ref)) for ref in part)
        return [known.get(ref) for ref in refs]

    def _sort_out(self, rows, numbers, judged, ids, batch: _Batch) -> list[bool]:
        """The careful path, for a batch with a bad or blank row: which rows to keep, the others' reasons put
        in the batch (rows with nothing in them are passed over, and not counted)."""
        keep = []
        for index, number in enumerate(numbers):
            reasons = [values[index] for values, refused in judged if refused and type(values[index]) is Reason]
            if not reasons and ids[index] is None:
                reasons = [_("Usaha dengan business_ref '%(ref)s' tidak ada.") % {"ref": judged[-1][0][index]}]
            keep.append(not reasons)
            if not reasons:
                continue
            if any(cell.strip() for cell in rows[index]):
                batch.bad.append((number, reasons))
            else:
                batch.count -= 1  # a row with nothing in it is passed over
        return keep


# -- the file -------------------------------------------------------------------------------------------------


def _owner_key_prefix(digest: str) -> str:
    return f"import:{digest[:16]}:"


def _reading(path, report: Report, *, business=None, actor=None) -> tuple[_Judge, Iterator]:
    """The judge for the file and its batches read (see _Judge)."""
    need_ref = business is None
    table = _open(path, need_ref=need_ref)
    report.delimiter = table.delimiter
    report.columns = [table.headings[p] for p in sorted(table.positions.values())]
    latest = business_today(business) if business is not None else timezone.localtime(timezone.now(), EASTERNMOST).date()
    judge = _Judge(
        table.positions, latest=latest, business=business, actor=actor,
        key_prefix=_owner_key_prefix(report.digest) if business is not None else "",
    )
    return judge, (judge.read(first, rows) for first, rows in table.batches)


def check_file(path, *, business=None, on_progress: Callable[[int], None] | None = None) -> Report:
    """Judge every row of the file at `path` and write nothing. `business` for an owner's own book (no
    business_ref column); None for a bulk file. Raises ImportFileError for a file that cannot be read."""
    report = Report(digest=file_digest(path))
    judge, reads = _reading(path, report, business=business)
    for read in reads:
        report.add(judge.finish(read))
        if on_progress:
            on_progress(report.rows)
    _refuse_empty(report)
    report.already_imported = _imported_before(report.digest, business)
    return report


def _refuse_empty(report: Report) -> None:
    if report.rows == 0:
        raise ImportFileError(_("Berkas hanya berisi judul kolom; tidak ada baris data."))


def _imported_before(digest: str, business) -> bool:
    if business is not None:
        return Entry.objects.filter(business=business, source_key__startswith=_owner_key_prefix(digest)).exists()
    return AuditLog.objects.filter(object_type="ledger.entry", object_id=digest, action=BULK_AUDIT_ACTION).exists()


def commit_file(path, *, actor=None, business=None, on_progress: Callable[[int], None] | None = None) -> Report:
    """Check the file at `path` and write every row of it in one transaction, or none: nothing is written
    when a row is bad or the file was imported before (the report says which; `report.written` is 0).
    Raises ImportFileError for a file that cannot be read."""
    report = Report(digest=file_digest(path))
    if _imported_before(report.digest, business):
        report.already_imported = True
        return report
    judge, reads = _reading(path, report, business=business, actor=actor)
    with transaction.atomic():
        written = 0
        read = next(reads, None)
        batch = judge.finish(read) if read is not None else None
        while batch is not None:
            report.add(batch)
            if on_progress:
                on_progress(report.rows)
            read = ready = None

            def read_on():
                """The next batch, made ready as far as it can be without the database, which is busy."""
                nonlocal read, ready
                read = next(reads, None)
                if read is not None:
                    ready = judge.finish(read, look_up=False)

            if report.bad:  # after the first bad row the rest is only checked, to report every bad row
                read_on()
            else:
                written += bulk_insert_columns(Entry, ATTNAMES, batch.columns, while_storing=read_on)
            batch = ready or (judge.finish(read) if read is not None else None)
        _refuse_empty(report)
        if not report.ok:
            transaction.set_rollback(True)
            return report
        report.written = written
        AuditLog.objects.create(
            actor=actor,
            action=BULK_AUDIT_ACTION if business is None else "ledger.import",
            object_type="registry.business" if business is not None else "ledger.entry",
            object_id=str(business.pk) if business is not None else report.digest,
            changes={"sha256": report.digest, "rows": written, "money_in": report.money_in, "money_out": report.money_out},
        )
    return report
