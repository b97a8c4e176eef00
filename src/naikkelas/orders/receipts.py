"""The receipt (struk) of an order: the same facts for the printable page and the PDF.

Times are shown in the business's own zone (WIB, WITA or WIT, by province). The PDF uses the PDF core font
(Helvetica), which covers Latin-1 only; text outside it is brought down to its nearest Latin-1 form so a
name in any script never breaks the receipt (fonts are not shipped, so the PDF looks the same everywhere).
"""

import unicodedata
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from naikkelas.accounts.phones import display_phone
from naikkelas.core.money import rupiah
from naikkelas.orders.models import Delivery, PaymentMethod, Status
from naikkelas.regions.selectors import region_get, region_label, village_zone


def business_zone(business) -> ZoneInfo:
    """The IANA zone of the business's province (set on provinces only), the server's zone otherwise."""
    return village_zone(business.village_id)


def local_datetime_text(moment, zone: ZoneInfo) -> str:
    """"12 Maret 2025 14:05 WIB": the date in words, so it reads the same to everyone."""
    if moment is None:
        return ""
    local = timezone.localtime(moment, zone)
    return f"{formats.date_format(local, 'j F Y H:i')} {local.strftime('%Z')}"


@dataclass(frozen=True)
class ReceiptLine:
    name: str
    unit: str
    unit_price: int
    quantity: int
    line_total: int


@dataclass(frozen=True)
class Receipt:
    shop_name: str
    shop_place: str
    shop_phone: str
    number: int
    created: str
    buyer_name: str
    buyer_phone: str
    buyer_address: str
    buyer_place: str
    delivery: str
    lines: list[ReceiptLine]
    subtotal: int
    unique_code: int
    total: int
    payment_method: str
    status: str
    paid: bool
    paid_at: str
    note: str


def receipt_for(order) -> Receipt:
    business = order.business
    zone = business_zone(business)
    village = region_get(order.buyer_village_id) if order.buyer_village_id else None
    shop_village = region_get(business.village_id) if business.village_id else None
    return Receipt(
        shop_name=business.name,
        shop_place=region_label(shop_village) if shop_village else "",
        shop_phone=display_phone(business.phone) if business.phone else "",
        number=order.number,
        created=local_datetime_text(order.created_at, zone),
        buyer_name=order.buyer_name,
        buyer_phone=display_phone(order.buyer_phone) if order.buyer_phone else "",
        buyer_address=order.buyer_address,
        buyer_place=region_label(village) if village else "",
        delivery=str(Delivery(order.delivery).label) if order.delivery in Delivery.values else order.delivery,
        lines=[
            ReceiptLine(line.name, line.unit, line.unit_price, line.quantity, line.line_total)
            for line in order.lines.all()
        ],
        subtotal=order.subtotal,
        unique_code=order.unique_code,
        total=order.total,
        payment_method=(
            str(PaymentMethod(order.payment_method).label)
            if order.payment_method in PaymentMethod.values
            else order.payment_method
        ),
        status=str(Status(order.status).label) if order.status in Status.values else order.status,
        paid=order.paid_at is not None,
        paid_at=local_datetime_text(order.paid_at, zone),
        note=order.note,
    )


def pdf_filename(order) -> str:
    return f"struk-{order.business.slug}-{order.number}.pdf"


# Common characters outside Latin-1 with an obvious Latin-1 stand-in.
_LATIN1_STANDINS = str.maketrans(
    {
        "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u2018": "'", "\u2019": "'", "\u201a": ",",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2026": "...", "\u2022": "*", "\u20ac": "EUR",
        "\u2122": "TM", "\u00a0": " ", "\u2009": " ", "\u202f": " ",
    }
)


def latin1(text: str) -> str:
    """`text` in Latin-1: stand-ins for common punctuation, accents kept where Latin-1 has them, other
    letters without their accents ("ş" -> "s"), and "?" for anything with no Latin-1 form."""
    out = []
    for char in str(text).translate(_LATIN1_STANDINS):
        if ord(char) < 32 and char not in "\n\t":
            continue  # control characters have no glyph
        try:
            char.encode("latin-1")
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFKD", char)
            base = "".join(c for c in decomposed if not unicodedata.combining(c))
            try:
                base.encode("latin-1")
            except UnicodeEncodeError:
                base = "?"
            out.append(base or "?")
        else:
            out.append(char)
    return "".join(out)


def receipt_pdf_bytes(order, *, compress: bool = True) -> bytes:
    """The receipt as a one-page (or longer) A5 PDF. `compress=False` leaves the text readable in the bytes,
    which the tests use to check what is written."""
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    receipt = receipt_for(order)
    pdf = FPDF(unit="mm", format=(148, 210))  # A5
    pdf.set_compression(compress)
    pdf.set_creator("Naik Kelas")
    pdf.set_title(latin1(_("Struk pesanan #%(number)s") % {"number": receipt.number}))
    pdf.set_creation_date(order.created_at)
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.set_margins(10, 10, 10)
    pdf.add_page()
    width = pdf.epw

    def line(text: str, *, size: float = 9, style: str = "", align: str = "L", height: float = 5) -> None:
        pdf.set_font("Helvetica", style, size)
        pdf.multi_cell(width, height, latin1(text), align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    line(receipt.shop_name, size=14, style="B", align="C", height=7)
    if receipt.shop_place:
        line(receipt.shop_place, align="C")
    if receipt.shop_phone:
        line(receipt.shop_phone, align="C")
    pdf.ln(3)
    line(_("Struk pesanan #%(number)s") % {"number": receipt.number}, size=11, style="B")
    line(receipt.created)
    line(_("Pembeli: %(name)s, %(phone)s") % {"name": receipt.buyer_name, "phone": receipt.buyer_phone})
    line(_("Pengiriman: %(delivery)s") % {"delivery": receipt.delivery})
    address = ", ".join(part for part in (receipt.buyer_address, receipt.buyer_place) if part)
    if address:
        line(_("Alamat: %(address)s") % {"address": address})
    pdf.ln(2)

    pdf.set_font("Helvetica", "", 9)
    with pdf.table(
        col_widths=(50, 12, 24, 26),
        text_align=("LEFT", "RIGHT", "RIGHT", "RIGHT"),
        first_row_as_headings=True,
        line_height=5,
    ) as table:
        table.row([latin1(_("Produk")), latin1(_("Jml")), latin1(_("Harga")), latin1(_("Subtotal"))])
        for item in receipt.lines:
            table.row(
                [
                    latin1(item.name),
                    latin1(f"{item.quantity} {item.unit}"),
                    rupiah(item.unit_price),
                    rupiah(item.line_total),
                ]
            )
    pdf.ln(2)

    def amount(label: str, value: int, *, bold: bool = False) -> None:
        pdf.set_font("Helvetica", "B" if bold else "", 11 if bold else 9)
        pdf.cell(width * 0.6, 6, latin1(label))
        pdf.cell(width * 0.4, 6, rupiah(value), align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    if receipt.unique_code:
        amount(_("Subtotal"), receipt.subtotal)
        amount(_("Kode unik transfer"), receipt.unique_code)
    amount(_("Total"), receipt.total, bold=True)
    pdf.ln(2)
    line(_("Cara bayar: %(method)s") % {"method": receipt.payment_method})
    line(_("Status: %(status)s") % {"status": receipt.status})
    if receipt.paid_at:
        line(_("Dibayar: %(when)s") % {"when": receipt.paid_at})
    if receipt.note:
        line(_("Catatan: %(note)s") % {"note": receipt.note})
    pdf.ln(3)
    line(_("Terima kasih telah berbelanja."), align="C", style="I")
    return bytes(pdf.output())
