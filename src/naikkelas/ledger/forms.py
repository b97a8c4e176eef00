"""The cash book's forms, laid out for a phone: the amount first with a number pad, then what usually stays as
it is (today, the usual category, cash). The rules live in services.py; the forms parse what people type and
show every broken rule next to its field at once."""

import datetime as dt
import re

from django import forms
from django.utils.translation import gettext_lazy as _

from naikkelas.ledger.models import Category, Direction, Method

# "15000", "15.000", "15 000", "Rp 15.000", "Rp15.000,-", "Rp 15.000,00": whole rupiah as people write them.
_AMOUNT = re.compile(r"(?:rp\.?\s?)?([0-9]{1,3}(?:[. ][0-9]{3})+|[0-9]+)(?:,-|,00?)?", re.IGNORECASE)
_AMOUNT_DIGITS = 13  # more digits than this can only be a mistake (the service caps amounts at Rp 10 trillion)
_MONTH = re.compile(r"^([0-9]{4})-([0-9]{2})$")

# The categories an owner picks from, most used first: money in is nearly always a sale; money out is
# mostly stock, then the running costs of a small shop.
CATEGORIES = {
    Direction.IN: [Category.SALES, Category.OTHER],
    Direction.OUT: [
        Category.STOCK, Category.WAGES, Category.RENT, Category.UTILITIES, Category.TRANSPORT, Category.OTHER,
    ],
}
DEFAULT_CATEGORY = {Direction.IN: Category.SALES, Direction.OUT: Category.STOCK}


def parse_amount(text) -> int:
    """Whole rupiah from what an owner types, or a ValidationError in Indonesian."""
    text = " ".join(str(text).split())
    match = _AMOUNT.fullmatch(text) if len(text) <= 40 else None
    digits = match.group(1).replace(".", "").replace(" ", "") if match else ""
    if not digits or len(digits) > _AMOUNT_DIGITS:
        raise forms.ValidationError(
            _("Tulis jumlah dalam rupiah tanpa sen, mis. 15000 atau 15.000."), code="invalid_amount"
        )
    amount = int(digits)
    if amount <= 0:
        raise forms.ValidationError(_("Jumlah harus lebih dari 0."), code="zero_amount")
    return amount


def parse_month(text) -> dt.date | None:
    """The first day of "2024-05", or None for anything else (the whole book)."""
    match = _MONTH.match(str(text or ""))
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not (2000 <= year <= 9999 and 1 <= month <= 12):
        return None
    return dt.date(year, month, 1)


def direction_of(value) -> str:
    """"out" for money out; everything else is money in, the common case."""
    return Direction.OUT if value == Direction.OUT else Direction.IN


class AmountField(forms.Field):
    # No autocomplete="off": it would stop the browser from restoring what was typed when the owner goes back.
    widget = forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "15.000"})

    def to_python(self, value):
        if value in self.empty_values:
            return None
        return parse_amount(value)


class EntryForm(forms.Form):
    """One entry. `client_id` is made when the form is first shown (views.book.entry_create) and travels with
    it, so that the same form sent again (a double tap, back and send again, a connection that dropped the
    answer) is stored once."""

    amount = AmountField(label=_("Jumlah (Rp)"), error_messages={"required": _("Tulis jumlahnya.")})
    date = forms.DateField(
        label=_("Tanggal"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"],
        error_messages={"required": _("Pilih tanggalnya."), "invalid": _("Tanggal tidak dikenali.")},
    )
    category = forms.ChoiceField(label=_("Kategori"), error_messages={"invalid_choice": _("Pilih kategori.")})
    method = forms.ChoiceField(
        label=_("Cara bayar"),
        choices=Method.choices,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Pilih cara bayar."), "required": _("Pilih cara bayar.")},
    )
    note = forms.CharField(label=_("Catatan"), required=False, max_length=200)
    party = forms.CharField(required=False, max_length=120)
    client_id = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, direction: str, today: dt.date, **kwargs):
        self.direction = direction_of(direction)
        kwargs.setdefault("initial", {})
        kwargs["initial"] = {
            "date": today,
            "category": DEFAULT_CATEGORY[self.direction],
            "method": Method.CASH,
            **kwargs["initial"],
        }
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [(c.value, c.label) for c in CATEGORIES[self.direction]]
        self.fields["party"].label = _("Pelanggan (boleh kosong)") if self.direction == Direction.IN else _(
            "Pemasok (boleh kosong)"
        )
        self.fields["note"].widget.attrs["placeholder"] = (
            _("mis. jual nasi bungkus") if self.direction == Direction.IN else _("mis. beli beras 10 kg")
        )
        self.fields["date"].widget.attrs["max"] = today.isoformat()

    def entry_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "direction": self.direction,
            "amount": data["amount"],
            "date": data["date"],
            "category": data["category"],
            "method": data["method"],
            "note": data["note"],
            "party": data["party"],
            "client_id": data["client_id"],
        }
