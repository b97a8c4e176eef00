"""The forms of debts and receivables ("kasbon"), laid out for a phone like the entry form: who and how much
first, what usually stays as it is (today, cash) after. The rules live in services.py (debt_record, debt_pay);
these forms parse what people type and show every broken rule next to its field."""

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from naikkelas.core.forms import date_field
from naikkelas.ledger.forms import AmountField
from naikkelas.ledger.models import Debt, Method


def kind_of(value) -> str:
    """"payable" for what the business owes; everything else is a receivable, the usual kasbon."""
    return Debt.Kind.PAYABLE if value == Debt.Kind.PAYABLE else Debt.Kind.RECEIVABLE


class DebtForm(forms.Form):
    """A new debt or receivable. `client_id` travels in the form's address (views.debts.debt_create) so that
    the same form sent again is stored once."""

    kind = forms.ChoiceField(
        label=_("Jenis"),
        choices=Debt.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Pilih: orang lain berutang ke saya, atau saya berutang."),
            "invalid_choice": _("Pilih: orang lain berutang ke saya, atau saya berutang."),
        },
    )
    party = forms.CharField(
        label=_("Nama"), max_length=120, error_messages={"required": _("Tulis nama orangnya.")}
    )
    phone = forms.CharField(
        label=_("Nomor HP (boleh kosong)"),
        required=False,
        max_length=30,
        help_text=_("Untuk mengirim pengingat lewat WhatsApp."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "placeholder": "0812-3456-7890"}),
    )
    amount = AmountField(label=_("Jumlah (Rp)"), error_messages={"required": _("Tulis jumlahnya.")})
    date = date_field(_("Tanggal"))
    due_date = date_field(_("Jatuh tempo (boleh kosong)"), required=False)
    note = forms.CharField(label=_("Catatan"), required=False, max_length=200)
    client_id = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, today: dt.date, kind: str = Debt.Kind.RECEIVABLE, **kwargs):
        kwargs["initial"] = {"kind": kind_of(kind), "date": today, **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        self.fields["date"].widget.attrs["max"] = today.isoformat()
        self.fields["note"].widget.attrs["placeholder"] = _("mis. ambil beras 5 kg")

    def debt_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"], "party": data["party"], "phone": data["phone"], "amount": data["amount"],
            "date": data["date"], "due_date": data["due_date"], "note": data["note"], "client_id": data["client_id"],
        }


class PaymentForm(forms.Form):
    """A payment of a debt, whole or in part; the service refuses more than what remains."""

    amount = AmountField(label=_("Jumlah dibayar (Rp)"), error_messages={"required": _("Tulis jumlahnya.")})
    date = date_field(_("Tanggal"))
    method = forms.ChoiceField(
        label=_("Cara bayar"),
        choices=Method.choices,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Pilih cara bayar."), "required": _("Pilih cara bayar.")},
    )
    client_id = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, today: dt.date, **kwargs):
        kwargs["initial"] = {"date": today, "method": Method.CASH, **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        self.fields["date"].widget.attrs["max"] = today.isoformat()

    def payment_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "amount": data["amount"], "date": data["date"], "method": data["method"], "client_id": data["client_id"],
        }
