"""Cash-book history from a CSV file, all or nothing: every row is checked first, every bad row is listed with
its reasons, and nothing is written unless every row is good (the registry import's rule).

Two users, one reader and one set of rules:
- an owner uploads their own book (views/transfer.py): the rows are the business's own, columns as the
  export writes them (`tanggal, arah, jumlah, kategori, cara_bayar, catatan, pihak`);
- officers and partners load history for many businesses at once (`naikkelas import ledger`): each row
  names its business by `business_ref`, the agency id the registry import stored (Business.external_ref).

The file is read as a stream, twice when writing: once to check (`check_file`), once to write
(`commit_file`, which checks each row again as it goes and rolls everything back if the file changed in
between). Only a bounded number of bad rows and a bounded cache of business references stay in memory, so a
file of ten million rows takes no more memory than one of ten. Rows are written through core.bulk (COPY on
PostgreSQL, a prepared executemany on SQLite), with source "import".

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
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from naikkelas.core.bulk import bulk_insert_rows, db_value
from naikkelas.core.models import AuditLog
from naikkelas.ledger.forms import parse_amount
from naikkelas.ledger.models import Category, Direction, Entry, Method, Source
from naikkelas.ledger.services import EARLIEST, MAX_AMOUNT, business_today
from naikkelas.registry.importing.readers import sniff_delimiter
from naikkelas.registry.importing.values import formula_like_text
from naikkelas.registry.models import Business

BATCH_SIZE = 20_000
BAD_ROWS_KEPT = 1_000
REF_CACHE_SIZE = 200_000  # business references remembered between batches; forgotten all at once past this
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
ATTNAMES = (
    "business_id", "direction", "amount", "date", "category", "method", "note", "party", "source", "source_key",
    "created_by_id", "created_at",
)


class ImportFileError(Exception):
    """The file cannot be read as a cash book (not CSV text, no headings, a required column missing...). The
    message is for the person importing, in Indonesian; nothing has been written."""


class CommitRefused(Exception):
    """Nothing was written; the message says why (bad rows, the file changed since the check, imported before)."""


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
    rows: Iterator[tuple[int, list[str]]]


def _open(path, *, need_ref: bool) -> _Table:
    sample = [line for line in itertools.islice(_lines(path), 20) if line.strip()]
    if not sample:
        raise ImportFileError(_("Berkas kosong."))
    delimiter = sniff_delimiter(sample)
    reader = csv.reader(_lines(path), delimiter=delimiter)
    numbered = enumerate(reader, start=1)
    try:
        for _number, headings in numbered:
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
    return _Table(delimiter=delimiter, positions=positions, headings=headings, rows=_rows(numbered))


def expected_columns(need_ref: bool) -> list[str]:
    if need_ref:
        return ["business_ref", "date", "direction", "amount", "category"]
    return [COLUMNS[key][0] for key in ("date", "direction", "amount", "category", "method", "note", "party")]


def _rows(numbered) -> Iterator[tuple[int, list[str]]]:
    number = 0
    try:
        for number, cells in numbered:
            yield number, cells
    except csv.Error as error:
        raise ImportFileError(
            _("Baris %(row)s tidak bisa dibaca sebagai CSV (%(error)s). Periksa tanda kutip di baris itu.")
            % {"row": number + 1, "error": error}
        ) from None


# -- one row --------------------------------------------------------------------------------------------------


class _RowChecker:
    """One row's cells into an entry's values, or the reasons it cannot be one. The common shapes ("15000",
    "2024-05-02", "in") are dictionary look-ups; anything else takes the careful path."""

    def __init__(self, positions: dict[str, int], *, latest: dt.date):
        self.positions = positions
        self.latest = latest
        self._dates: dict[str, dt.date | str] = {}
        get = positions.get
        self._at = tuple(get(key) for key in ("date", "direction", "amount", "category", "method", "note", "party"))
        self._ref_at = get("business_ref")
        self._width = max(positions.values()) + 1

    def check(self, cells: list[str]):
        """None for an empty row; (ref, values) for a good one; a list of reasons for a bad one."""
        if len(cells) < self._width:
            if not any(cell.strip() for cell in cells):
                return None
            cells = cells + [""] * (self._width - len(cells))
        at_date, at_direction, at_amount, at_category, at_method, at_note, at_party = self._at
        reasons: list[str] = []

        text = cells[at_date].strip()
        day = self._dates.get(text)
        if day is None:
            day = self._date(text)
            if len(self._dates) < 20_000:
                self._dates[text] = day
        if type(day) is str:
            reasons.append(day)

        text = cells[at_direction].strip()
        direction = DIRECTIONS.get(text) or DIRECTIONS.get(text.lower())
        if direction is None:
            reasons.append(_("Arah '%(text)s' tidak dikenali: tulis in atau out (masuk atau keluar).") % {"text": text})

        text = cells[at_amount].strip()
        amount = self._amount(text)
        if type(amount) is str:
            reasons.append(amount)

        text = cells[at_category].strip()
        category = CATEGORIES.get(text) or CATEGORIES.get(text.lower())
        if category is None:
            reasons.append(
                _("Kategori '%(text)s' tidak dikenali: pilih %(choices)s.")
                % {"text": text, "choices": ", ".join(Category.values)}
            )

        method = Method.CASH
        if at_method is not None:
            text = cells[at_method].strip()
            method = METHODS.get(text) or METHODS.get(text.lower())
            if method is None:
                reasons.append(
                    _("Cara bayar '%(text)s' tidak dikenali: pilih %(choices)s.")
                    % {"text": text, "choices": ", ".join(Method.values)}
                )
        note = self._text(cells, at_note, 200, _("Catatan"), reasons)
        party = self._text(cells, at_party, 120, _("Pihak"), reasons)

        ref = ""
        if self._ref_at is not None:
            ref = cells[self._ref_at].strip()
            if not ref:
                reasons.append(_("Kolom business_ref kosong."))
        if reasons:
            if not any(cell.strip() for cell in cells):
                return None
            return reasons
        return ref, (direction, amount, day, category, method, note, party)

    def _date(self, text: str) -> dt.date | str:
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
            return _("Tanggal '%(text)s' tidak dikenali. Contoh: 2024-05-02 atau 02/05/2024.") % {"text": text}
        if day < EARLIEST:
            return _("Tanggal %(text)s terlalu lama (sebelum tahun 2000).") % {"text": text}
        if day > self.latest:
            return _("Tanggal %(text)s di masa depan.") % {"text": text}
        return day

    @staticmethod
    def _amount(text: str) -> int | str:
        if text.isdigit() and text.isascii():
            amount = int(text)
            if amount <= 0:
                return _("Jumlah harus lebih dari 0.")
        else:
            try:
                amount = parse_amount(text)
            except ValidationError:
                return _("Jumlah '%(text)s' tidak dikenali: tulis rupiah bulat, mis. 15000 atau 15.000.") % {
                    "text": text
                }
        if amount > MAX_AMOUNT:
            return _("Jumlah '%(text)s' terlalu besar.") % {"text": text}
        return amount

    @staticmethod
    def _text(cells, position, limit: int, label: str, reasons: list[str]) -> str:
        if position is None:
            return ""
        value = " ".join(cells[position].split())
        if len(value) > limit:
            reasons.append(_("%(label)s terlalu panjang (paling banyak %(n)s huruf).") % {"label": label, "n": limit})
        elif formula_like_text(value):
            reasons.append(
                _("%(label)s '%(text)s' terlihat seperti rumus spreadsheet; hapus tanda = + - @ di depannya.")
                % {"label": label, "text": value[:40]}
            )
        return value


# -- businesses by reference ----------------------------------------------------------------------------------


class _Businesses:
    """Business ids by the agency's reference, looked up a batch at a time and remembered (bounded)."""

    def __init__(self, fixed_id: int | None = None):
        self.fixed_id = fixed_id
        self.known: dict[str, int | None] = {}

    def resolve(self, refs) -> None:
        if self.fixed_id is not None:
            return
        missing = list({ref for ref in refs if ref not in self.known})
        if len(self.known) + len(missing) > REF_CACHE_SIZE:
            self.known.clear()
        for start in range(0, len(missing), 900):
            part = missing[start : start + 900]
            found = dict(Business.objects.filter(external_ref__in=part).values_list("external_ref", "pk"))
            for ref in part:
                self.known[ref] = found.get(ref)

    def get(self, ref: str) -> int | None:
        return self.fixed_id if self.fixed_id is not None else self.known.get(ref)


# -- the two passes -------------------------------------------------------------------------------------------


def _judged(path, *, business=None) -> tuple[_Table, Iterator]:
    """The table and its rows judged batch by batch: yields lists of (row number, business id, values) or
    (row number, None, reasons)."""
    need_ref = business is None
    table = _open(path, need_ref=need_ref)
    latest = business_today(business) if business is not None else timezone.localtime(timezone.now(), EASTERNMOST).date()
    checker = _RowChecker(table.positions, latest=latest)
    businesses = _Businesses(fixed_id=business.pk if business is not None else None)

    def batches():
        rows = iter(table.rows)
        while True:
            chunk = list(itertools.islice(rows, BATCH_SIZE))
            if not chunk:
                return
            judged = []
            refs = []
            for number, cells in chunk:
                result = checker.check(cells)
                if result is None:
                    continue
                judged.append((number, result))
                if type(result) is tuple:
                    refs.append(result[0])
            businesses.resolve(refs)
            out = []
            for number, result in judged:
                if type(result) is list:
                    out.append((number, None, result))
                    continue
                ref, values = result
                business_id = businesses.get(ref)
                if business_id is None:
                    out.append((number, None, [_("Usaha dengan business_ref '%(ref)s' tidak ada.") % {"ref": ref}]))
                else:
                    out.append((number, business_id, values))
            yield out

    return table, batches()


def _owner_key_prefix(digest: str) -> str:
    return f"import:{digest[:16]}:"


def check_file(path, *, business=None, on_progress: Callable[[int], None] | None = None) -> Report:
    """Judge every row of the file at `path` and write nothing. `business` for an owner's own book (no
    business_ref column); None for a bulk file. Raises ImportFileError for a file that cannot be read."""
    report = Report(digest=file_digest(path))
    table, batches = _judged(path, business=business)
    report.delimiter = table.delimiter
    report.columns = [table.headings[p] for p in sorted(table.positions.values())]
    for batch in batches:
        for number, business_id, values in batch:
            report.rows += 1
            if business_id is None:
                report.bad += 1
                if len(report.bad_rows) < BAD_ROWS_KEPT:
                    report.bad_rows.append((number, values))
                continue
            report.good += 1
            direction, amount, day = values[0], values[1], values[2]
            if direction == Direction.IN:
                report.money_in += amount
            else:
                report.money_out += amount
            if report.first_date is None or day < report.first_date:
                report.first_date = day
            if report.last_date is None or day > report.last_date:
                report.last_date = day
        if on_progress:
            on_progress(report.rows)
    if report.rows == 0:
        raise ImportFileError(_("Berkas hanya berisi judul kolom; tidak ada baris data."))
    report.already_imported = _imported_before(report.digest, business)
    return report


def _imported_before(digest: str, business) -> bool:
    if business is not None:
        return Entry.objects.filter(business=business, source_key__startswith=_owner_key_prefix(digest)).exists()
    return AuditLog.objects.filter(object_type="ledger.entry", object_id=digest, action=BULK_AUDIT_ACTION).exists()


def commit_file(
    path, *, report: Report, actor=None, business=None, on_progress: Callable[[int], None] | None = None
) -> int:
    """Write every row of the checked file in one transaction, or none: refused (CommitRefused) when the
    check found bad rows, when the file was imported before, or when the file no longer matches its check.
    Returns the number of entries written."""
    if report.bad:
        raise CommitRefused(_("Ada %(n)s baris yang salah; perbaiki dulu, lalu impor lagi.") % {"n": number(report.bad)})
    if report.already_imported:
        raise CommitRefused(_("Berkas ini sudah pernah diimpor; tidak ada yang disimpan dua kali."))
    if not report.good:
        raise CommitRefused(_("Tidak ada baris untuk disimpan."))
    to_date = db_value(Entry, "date")
    created_at = db_value(Entry, "created_at")(timezone.now())
    created_by = getattr(actor, "pk", None) if getattr(actor, "is_authenticated", False) else None
    prefix = _owner_key_prefix(report.digest) if business is not None else None
    dates: dict[dt.date, object] = {}
    written = 0
    with transaction.atomic():
        if file_digest(path) != report.digest:
            raise CommitRefused(_("Berkas berubah sejak diperiksa; periksa lagi."))
        _table, batches = _judged(path, business=business)
        for batch in batches:
            rows = []
            for number_, business_id, values in batch:
                if business_id is None:
                    raise CommitRefused(
                        _("Baris %(row)s salah: %(reasons)s") % {"row": number_, "reasons": " ".join(values)}
                    )
                direction, amount, day, category, method, note, party = values
                stored_day = dates.get(day)
                if stored_day is None:
                    stored_day = dates[day] = to_date(day)
                rows.append((
                    business_id, direction, amount, stored_day, category, method, note, party, Source.IMPORT,
                    f"{prefix}{number_}" if prefix else "", created_by, created_at,
                ))
            written += bulk_insert_rows(Entry, ATTNAMES, rows)
            if on_progress:
                on_progress(written)
        if written != report.good:
            raise CommitRefused(_("Berkas berubah sejak diperiksa; periksa lagi."))
        AuditLog.objects.create(
            actor=actor if created_by else None,
            action=BULK_AUDIT_ACTION if business is None else "ledger.import",
            object_type="registry.business" if business is not None else "ledger.entry",
            object_id=str(business.pk) if business is not None else report.digest,
            changes={"sha256": report.digest, "rows": written, "money_in": report.money_in, "money_out": report.money_out},
        )
    return written
