"""One spreadsheet row into one business, or the reasons it cannot be one.

`RowChecker.check(cells)` returns a `Row` (clean values, ready to write) or a list of reasons in Indonesian.
Everything a row needs from the database (the region tree, the KBLI codes) is read once when the checker
is built, so checking a row never queries.
"""

import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from naikkelas.core import crypto
from naikkelas.regions.matching import Resolver
from naikkelas.regions.models import Sector
from naikkelas.registry.importing import values
from naikkelas.registry.importing.headers import FIELDS, HeaderMap, field_label
from naikkelas.registry.importing.values import Invalid
from naikkelas.registry.sizeclass import size_class

NAME_MAX = 160
OWNER_NAME_MAX = 120
ADDRESS_MAX = 255
EXTERNAL_REF_MAX = 64
TEXT_FIELDS = ("name", "owner_name", "address", "external_ref")
_REGION_KEYS = ("region_code", "province", "regency", "district", "village")
_WORDS = re.compile(r"\w+")


@dataclass(slots=True)
class Row:
    """A row that can be written: Business field values (NIK still in clear, never stored like that)."""

    name: str = ""
    village_id: str = ""
    owner_name: str = ""
    phone: str = ""
    address: str = ""
    sector_id: str | None = None
    nib: str = ""
    nik: str = ""
    nik_hash: str = ""
    founded_year: int | None = None
    employees: int | None = None
    capital: int | None = None
    annual_sales: int | None = None
    size_class: str = ""
    owner_birth_year: int | None = None
    has_bank_account: bool | None = None
    external_ref: str | None = None
    channels: list | None = None
    marketplaces: list | None = None
    payment_methods: list | None = None


class SectorCodes:
    """KBLI 2020 codes of any level, from the Sector table; a cell may also hold an entry's exact title
    ("Industri Batik"), which some agency files write where the code belongs."""

    def __init__(self):
        self.codes = set()
        self.titles = {}
        for code, title in Sector.objects.values_list("code", "title"):
            self.codes.add(code)
            self.titles.setdefault(_title_key(title), code)

    def find(self, text: str) -> str | None:
        code = text.replace(".", "").replace(" ", "").upper()
        if code in self.codes:
            return code
        # Excel drops the leading zero of agriculture codes (01111 -> 1111) when the column is numeric.
        if code.isdigit() and len(code) == 4 and "0" + code in self.codes:
            return "0" + code
        return self.titles.get(_title_key(text))


def _title_key(title: str) -> str:
    return " ".join(_WORDS.findall(title.lower()))


def scope_check(roots: tuple[str, ...] | None):
    """A test for "this village is in the actor's regions"; None means everywhere (admins, the CLI)."""
    if roots is None:
        return None
    exact = frozenset(roots)
    prefixes = tuple(root + "." for root in roots)

    def in_scope(code: str) -> bool:
        return code in exact or code.startswith(prefixes)

    return in_scope


def actor_roots(actor) -> tuple[str, ...] | None:
    """The region codes an actor may import into; None for everywhere."""
    if actor is None or getattr(actor, "is_admin", False):
        return None
    if getattr(actor, "is_officer", False):
        return tuple(actor.regions.values_list("code", flat=True))
    return ()


class RowChecker:
    def __init__(self, header: HeaderMap, *, roots: tuple[str, ...] | None):
        self.columns = header.columns
        self.in_scope = scope_check(roots)
        self.resolver = Resolver(roots=roots or ())
        self.sectors = SectorCodes() if "sector" in self.columns else None
        # Everything the per-row loop needs, computed once: it runs a million times.
        self.labels = {name: field_label(name) for name in FIELDS}
        self.this_year = datetime.date.today().year
        # One step per mapped column, in the order the fields must be read (annual sales before monthly,
        # channels before marketplaces); region columns are gathered and resolved together after.
        order = {key: position for position, (key, _parse) in enumerate(_OPTIONAL)}
        # Columns whose cells take few distinct values (years, KBLI codes, yes/no, amounts written the same
        # way) remember each text's value: a dict look-up instead of a parse, a million rows over.
        self.plan = [
            (
                index,
                name,
                _REGION_KEYS.index(name) if name in _REGION_KEYS else None,  # its slot among the region cells
                _PARSERS.get(name),
                name in TEXT_FIELDS,
                ({}, _REMEMBERED[name]) if name in _REMEMBERED else None,
            )
            for name, index in sorted(self.columns.items(), key=lambda item: (order.get(item[0], -1), item[1]))
        ]
        self.width = max((index for index, *_rest in self.plan), default=-1) + 1
        self.name_index = self.columns.get("name")

    def village_name(self, code: str) -> str:
        return self.resolver.matcher.name.get(code, code)

    def check(self, cells: list[str]) -> Row | list[str] | None:
        """A Row, the list of reasons it is bad, or None for a row with nothing in it."""
        if len(cells) < self.width:
            cells = cells + [""] * (self.width - len(cells))
        row = Row()
        errors = []
        region = ["", "", "", "", ""]
        filled = 0  # cells with something in them, besides the agency id (pre-numbered empty rows have one)
        formulas = None
        empty, formula_first = values.EMPTY, _FORMULA_FIRST
        for index, name, slot, parse, is_text, known in self.plan:
            if known is not None:
                # The cell as it stands first: most are written without spaces around, and only texts that
                # passed every test below are remembered, so a hit needs none of them.
                value = known[0].get(cells[index], _UNKNOWN)
                if value is not _UNKNOWN:
                    filled += 1
                    setattr(row, known[1], value)
                    continue
            text = cells[index].strip()
            if not text or (len(text) <= 4 and text.lower() in empty):
                continue
            if known is not None:
                value = known[0].get(text, _UNKNOWN)
                if value is not _UNKNOWN:
                    # Only values are remembered, never refusals: a text seen before was fine.
                    filled += 1
                    setattr(row, known[1], value)
                    continue
            first = text[0]
            if first in formula_first and (first == "=" or (is_text and values.formula_like_text(text))):
                errors.append(
                    _("Kolom '%(column)s' berisi rumus (%(text)s); rumus tidak dijalankan dan baris ini ditolak.")
                    % {"column": self.labels[name], "text": text[:40]}
                )
                formulas = (formulas or set()) | {name}
                continue
            if name != "external_ref":
                filled += 1
            if slot is not None:
                region[slot] = text
                continue
            try:
                parse(self, row, text)
            except Invalid as error:
                errors.append(str(error))
                continue
            if known is not None and len(known[0]) < REMEMBERED_PER_COLUMN:
                known[0][text] = getattr(row, known[1])
        if not filled:
            return errors or None
        if not row.name:
            # Empty, unless the cell was there and refused (a formula, too long) with its own reason.
            given_name = cells[self.name_index].strip() if self.name_index is not None else ""
            if not given_name or given_name.lower() in values.EMPTY:
                errors.insert(0, _("Nama usaha kosong."))
        self._region(row, region, errors, formulas)
        if errors:
            return errors
        if row.capital is not None or row.annual_sales is not None:
            row.size_class = size_class(capital=row.capital, annual_sales=row.annual_sales)
        if row.nik:
            row.nik_hash = crypto.keyed_hash(row.nik)
        return row

    def _region(self, row: Row, given: list[str], errors: list, formulas) -> None:
        if not any(given):
            if formulas and formulas.intersection(_REGION_KEYS):
                return
            errors.append(_("Wilayah kosong: isi kode wilayah atau nama desa/kelurahan."))
            return
        match = self.resolver.resolve(*given)
        if match.error:
            errors.append(match.error)
            return
        if self.in_scope is not None and not self.in_scope(match.code):
            errors.append(
                _("Desa/kelurahan %(name)s (%(code)s) di luar wilayah tugas Anda.")
                % {"name": self.village_name(match.code), "code": match.code}
            )
            return
        row.village_id = match.code


_FORMULA_FIRST = frozenset("=+-@")


def _text(attr, max_length):
    def parse(checker, row, text):
        setattr(row, attr, values.clean_text(text, max_length=max_length, label=checker.labels[attr]))

    return parse


def _external_ref(checker, row, text):
    row.external_ref = values.clean_text(text, max_length=EXTERNAL_REF_MAX, label=checker.labels["external_ref"])


def _phone(checker, row, text):
    row.phone = values.parse_phone(text)


def _nib(checker, row, text):
    if text.lower() not in values.NO_NUMBER:
        row.nib = values.parse_nib(text)


def _nik(checker, row, text):
    if text.lower() not in values.NO_NUMBER:
        row.nik = values.parse_nik(text)


def _sector(checker, row, text):
    code = checker.sectors.find(text)
    if code is None:
        raise Invalid(_("Kode KBLI '%(text)s' tidak dikenal (contoh: 47111 atau 10792).") % {"text": text})
    row.sector_id = code


def _founded(checker, row, text):
    row.founded_year = values.parse_year(text, label=checker.labels["founded_year"], latest=checker.this_year)


def _birth_year(checker, row, text):
    row.owner_birth_year = values.parse_year(
        text, label=checker.labels["owner_birth_year"], latest=checker.this_year - 10
    )


def _employees(checker, row, text):
    row.employees = values.parse_count(text, label=checker.labels["employees"])


def _capital(checker, row, text):
    row.capital = values.parse_money(text)


def _annual_sales(checker, row, text):
    row.annual_sales = values.parse_annual_sales(text)


def _monthly_sales(checker, row, text):
    if row.annual_sales is None:
        row.annual_sales = values.parse_annual_sales(text, monthly_column=True)


def _bank(checker, row, text):
    row.has_bank_account = values.parse_yes_no(text)


def _channels(checker, row, text):
    channels, marketplaces = values.parse_channels(text)
    row.channels = channels
    if marketplaces:
        row.marketplaces = list(dict.fromkeys((row.marketplaces or []) + marketplaces))


def _marketplaces(checker, row, text):
    names = values.parse_marketplaces(text)
    row.marketplaces = list(dict.fromkeys((row.marketplaces or []) + names))
    if names and "marketplace" not in (row.channels or []):
        row.channels = (row.channels or []) + ["marketplace"]


def _payments(checker, row, text):
    row.payment_methods = values.parse_payment_methods(text)


def _name(checker, row, text):
    row.name = values.clean_text(text, max_length=NAME_MAX, label=checker.labels["name"])


# Order matters only where one field reads another: annual sales before monthly, channels before
# marketplaces.
_OPTIONAL = (
    ("name", _name),
    ("owner_name", _text("owner_name", OWNER_NAME_MAX)),
    ("address", _text("address", ADDRESS_MAX)),
    ("external_ref", _external_ref),
    ("phone", _phone),
    ("nib", _nib),
    ("nik", _nik),
    ("sector", _sector),
    ("founded_year", _founded),
    ("owner_birth_year", _birth_year),
    ("employees", _employees),
    ("capital", _capital),
    ("annual_sales", _annual_sales),
    ("monthly_sales", _monthly_sales),
    ("has_bank_account", _bank),
    ("channels", _channels),
    ("marketplaces", _marketplaces),
    ("payment_methods", _payments),
)
_PARSERS = dict(_OPTIONAL)
# Columns whose parser sets one attribute of the row (named here) from the cell alone, reading nothing
# else, so a text's value can be remembered. Bounded per column: memory stays flat on any file.
_REMEMBERED = {
    "sector": "sector_id", "founded_year": "founded_year", "owner_birth_year": "owner_birth_year",
    "employees": "employees", "capital": "capital", "annual_sales": "annual_sales",
    "has_bank_account": "has_bank_account",
}
REMEMBERED_PER_COLUMN = 4_096
_UNKNOWN = object()
