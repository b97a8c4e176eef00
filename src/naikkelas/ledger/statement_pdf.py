"""The statement (ledger.statement) as an A4 PDF in Indonesian: Laporan Laba Rugi, Laporan Posisi Keuangan and
the notes, drawn with fpdf2 and its core font (Helvetica), so no system package or font file is needed and the
PDF looks the same everywhere. Helvetica covers Latin-1 only: other text is brought down to its nearest
Latin-1 form. Amounts read "Rp 1.234.567", a negative one "(Rp 1.234.567)", as statements write them."""

import unicodedata

from django.utils import formats, translation
from django.utils.translation import gettext as _

from naikkelas.core.money import rupiah
from naikkelas.ledger.statement import Statement, notes

_STANDINS = str.maketrans(
    {"\u2013": "-", "\u2014": "-", "\u2212": "-", "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
     "\u2026": "...", "\u00a0": " "}
)


def latin1(text) -> str:
    out = []
    for char in str(text).translate(_STANDINS):
        if ord(char) < 32 and char not in "\n\t":
            continue
        try:
            char.encode("latin-1")
            out.append(char)
        except UnicodeEncodeError:
            base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
            out.append(base if base and base.isascii() else "?")
    return "".join(out)


def amount_text(value: int) -> str:
    """1234567 -> "Rp 1.234.567", -1234567 -> "(Rp 1.234.567)"."""
    return f"({rupiah(-value)})" if value < 0 else rupiah(value)


def filename(statement: Statement, slug: str) -> str:
    return f"laporan-keuangan-{slug}-{statement.start:%Y%m}-{statement.end:%Y%m}.pdf"


def statement_pdf_bytes(statement: Statement, *, compress: bool = True) -> bytes:
    """The statement in Indonesian whatever the reader's language (it is made for an Indonesian bank).
    `compress=False` leaves the text readable in the bytes, which the tests use."""
    with translation.override("id"):
        return _draw(statement, compress=compress)


def _draw(statement: Statement, *, compress: bool) -> bytes:
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    pdf = FPDF(unit="mm", format="A4")
    pdf.set_compression(compress)
    pdf.set_creator("Naik Kelas")
    pdf.set_title(latin1(_("Laporan keuangan %(name)s") % {"name": statement.business_name}))
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.set_margins(20, 18, 20)
    pdf.add_page()
    width = pdf.epw

    def text(value: str, *, size: float = 10, style: str = "", align: str = "L", height: float = 5.5) -> None:
        pdf.set_font("Helvetica", style, size)
        pdf.multi_cell(width, height, latin1(value), align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def row(label: str, value: int | None, *, bold: bool = False, indent: float = 0, rule: bool = False) -> None:
        pdf.set_font("Helvetica", "B" if bold else "", 10)
        if rule:
            y = pdf.get_y()
            pdf.line(pdf.l_margin + width * 0.65, y, pdf.l_margin + width, y)
        pdf.set_x(pdf.l_margin + indent)
        pdf.cell(width * 0.65 - indent, 6.5, latin1(label))
        pdf.cell(width * 0.35, 6.5, "" if value is None else amount_text(value), align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def heading(title: str, subtitle: str) -> None:
        text(statement.business_name, size=13, style="B", align="C", height=7)
        text(title, size=12, style="B", align="C", height=6.5)
        text(subtitle, size=10, align="C")
        pdf.ln(4)

    # Laporan Laba Rugi
    heading(_("LAPORAN LABA RUGI"), _("Untuk periode %(period)s") % {"period": statement.period})
    row(_("Pendapatan"), None, bold=True)
    for line in statement.income:
        row(line.label, line.amount, indent=5)
    row(_("Jumlah pendapatan"), statement.income_total, bold=True, rule=True)
    pdf.ln(2)
    row(_("Beban"), None, bold=True)
    if not statement.expenses:
        row(_("(tidak ada)"), 0, indent=5)
    for line in statement.expenses:
        row(line.label, line.amount, indent=5)
    row(_("Jumlah beban"), statement.expenses_total, bold=True, rule=True)
    pdf.ln(2)
    row(_("LABA (RUGI)") if statement.profit >= 0 else _("RUGI"), statement.profit, bold=True, rule=True)
    pdf.ln(10)

    # Laporan Posisi Keuangan
    heading(
        _("LAPORAN POSISI KEUANGAN"),
        _("Per %(day)s") % {"day": formats.date_format(statement.end, "j F Y")},
    )
    row(_("Aset"), None, bold=True)
    row(_("Kas"), statement.cash, indent=5)
    row(_("Piutang usaha"), statement.receivables, indent=5)
    row(_("Jumlah aset"), statement.assets, bold=True, rule=True)
    pdf.ln(2)
    row(_("Liabilitas"), None, bold=True)
    row(_("Utang usaha"), statement.payables, indent=5)
    row(_("Jumlah liabilitas"), statement.liabilities, bold=True, rule=True)
    pdf.ln(2)
    row(_("Ekuitas"), statement.equity, bold=True)
    row(_("Jumlah liabilitas dan ekuitas"), statement.liabilities + statement.equity, bold=True, rule=True)

    # Catatan atas laporan keuangan
    pdf.add_page()
    text(_("CATATAN ATAS LAPORAN KEUANGAN"), size=12, style="B", align="C", height=6.5)
    text(statement.business_name, size=10, align="C")
    pdf.ln(4)
    for number, (title, body) in enumerate(notes(statement), start=1):
        text(f"{number}. {title}", style="B")
        text(body)
        pdf.ln(2)
    pdf.ln(4)
    text(
        _("Dibuat di Naik Kelas pada %(day)s dari catatan pemilik usaha.")
        % {"day": formats.date_format(statement.generated, "j F Y")},
        size=8, style="I",
    )
    return bytes(pdf.output())
