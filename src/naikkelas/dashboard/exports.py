"""A dashboard view as a spreadsheet (XLSX with a sheet per table, or CSV as one long table) and as JSON for
the API: the same disclosed figures the page shows, nothing more. A held-back figure is an empty cell (a
null in JSON) with a note beside it, so a pasted table cannot be mistaken for a zero. Region and sector
names pass through core.spreadsheets.escape_cell like every exported text."""

import csv
import datetime as dt
import io
import tempfile
from dataclasses import dataclass

from django.utils.translation import gettext as _

from naikkelas.core.spreadsheets import escape_row
from naikkelas.dashboard.indicators import INDICATORS
from naikkelas.dashboard.selectors import Figures

SPOOL_BYTES = 8 * 1024 * 1024


def held_back_note() -> str:
    return _("disembunyikan: kurang dari 5 usaha")


def _month(month: dt.date) -> str:
    return month.strftime("%Y-%m")


@dataclass
class Table:
    """One table of a view: each row's identity (a month, or a region's or sector's code and name) and its
    figures in INDICATORS' order: numbers (shares as fractions), or None where held back."""

    name: str
    identity: list[str]
    rows: list[tuple[list, list]]


def tables(figures: Figures) -> list[Table]:
    keys = [indicator.key for indicator in INDICATORS]
    out = [Table(_("Bulanan"), [_("bulan")],
                 [([_month(month)], [figures.series[key][n] for key in keys]) for n, month in enumerate(figures.months)])]
    for name, identity, rows in (
        (_("Wilayah"), [_("kode"), _("wilayah")], [row for row in figures.children if row.reachable]),
        (_("Sektor"), [_("kategori KBLI"), _("sektor")], figures.by_sector),
    ):
        if rows:
            out.append(Table(name, identity, [([row.code, row.name], [row.figures.get(key) for key in keys])
                                              for row in rows]))
    return out


def title(figures: Figures) -> list:
    return escape_row([
        figures.place.name, figures.place.code or "ID", _("sektor"), figures.sector or _("semua"), _("data per"),
        figures.refresh.as_of if figures.refresh else None, _("bulan"), _month(figures.month) if figures.month else None,
    ])


def _note(value) -> str:
    return held_back_note() if value is None else ""


def xlsx_file(figures: Figures):
    """An open temporary file holding the workbook, at its start; the caller closes it."""
    from openpyxl import Workbook  # only XLSX exports pay for importing it

    workbook = Workbook(write_only=True)
    summary = workbook.create_sheet(title=_("Ringkasan"))
    summary.append(title(figures))
    summary.append([_("kode"), _("indikator"), _("nilai"), _("catatan"), _("cara hitung")])
    for indicator in INDICATORS:
        value = figures.latest.get(indicator.key)
        summary.append(escape_row([indicator.key, str(indicator.label), value, _note(value), str(indicator.definition)]))
    for table in tables(figures):
        sheet = workbook.create_sheet(title=table.name[:31])
        sheet.append(title(figures))
        sheet.append([*table.identity, *(str(indicator.label) for indicator in INDICATORS)])
        for identity, values in table.rows:
            sheet.append(escape_row([*identity, *values]))
        if any(value is None for _identity, values in table.rows for value in values):
            sheet.append([])
            sheet.append([held_back_note()])
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
    workbook.save(out)
    out.seek(0)
    return out


def csv_text(figures: Figures) -> str:
    """One long table: which table, the row's key and name, the indicator, its value (empty where held back)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")  # Excel reads the file as UTF-8 only with the byte-order mark
    writer.writerow([_("tabel"), _("kode"), _("nama"), _("indikator"), _("nilai"), _("catatan")])
    place = [figures.place.code or "ID", figures.place.name]
    for indicator in INDICATORS:
        value = figures.latest.get(indicator.key)
        writer.writerow(escape_row([_("Ringkasan"), *place, str(indicator.label), value, _note(value)]))
    for table in tables(figures):
        for identity, values in table.rows:
            code, name = (identity * 2)[:2]
            for indicator, value in zip(INDICATORS, values):
                writer.writerow(escape_row([table.name, code, name, str(indicator.label), value, _note(value)]))
    return buffer.getvalue()


def as_json(figures: Figures) -> dict:
    def row(item):
        return {"code": item.code, "name": item.name, "figures": item.figures}

    return {
        "region": {"code": figures.place.code, "name": figures.place.name, "level": figures.place.level},
        "sector": figures.sector,
        "as_of": figures.refresh.as_of.isoformat() if figures.refresh else None,
        "month": _month(figures.month) if figures.month else None,
        "indicators": [
            {"key": i.key, "label": str(i.label), "kind": i.kind, "definition": str(i.definition)} for i in INDICATORS
        ],
        "latest": figures.latest,
        "months": [_month(month) for month in figures.months],
        "series": figures.series,
        "children": [row(item) for item in figures.children if item.reachable],
        "sectors": [row(item) for item in figures.by_sector],
        "held_back": _("null: disembunyikan, kurang dari 5 usaha (atau bagian dari nol usaha)"),
    }
