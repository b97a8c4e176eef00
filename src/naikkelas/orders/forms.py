"""The buyer's forms: the cart's quantities and the checkout (no account: name, phone, where, how)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from naikkelas.accounts.phones import normalize_phone
from naikkelas.orders.cart import MAX_QUANTITY
from naikkelas.orders.models import Delivery, PaymentMethod
from naikkelas.regions.forms import RegionField, ReloadableFormMixin


class CartAddForm(forms.Form):
    product = forms.IntegerField(min_value=1, error_messages={"required": _("Pilih produk.")})
    quantity = forms.IntegerField(
        min_value=1,
        max_value=MAX_QUANTITY,
        initial=1,
        error_messages={
            "required": _("Isi jumlahnya."),
            "invalid": _("Jumlah harus angka bulat."),
            "min_value": _("Jumlah paling sedikit 1."),
            "max_value": _("Jumlah paling banyak %(limit_value)s."),
        },
    )


def _single_line(value: str) -> str:
    # One line, single spaces: what gets printed on the receipt and sent on WhatsApp.
    return " ".join(value.split())


class CheckoutForm(ReloadableFormMixin, forms.Form):
    """Who orders, where it goes and how it is paid. `methods` are the payment methods the shop offers."""

    name = forms.CharField(
        label=_("Nama"),
        min_length=2,
        max_length=120,
        error_messages={
            "required": _("Tulis nama Anda."),
            "min_length": _("Nama paling sedikit 2 huruf."),
            "max_length": _("Nama paling banyak 120 huruf."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(
        label=_("Nomor HP / WhatsApp"),
        max_length=32,
        help_text=_("Penjual menghubungi Anda lewat nomor ini. Contoh: 0812-3456-7890."),
        error_messages={"required": _("Tulis nomor HP Anda.")},
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    delivery = forms.ChoiceField(
        label=_("Pengiriman"),
        choices=Delivery.choices,
        initial=Delivery.PICKUP,
        widget=forms.RadioSelect,
        error_messages={"required": _("Pilih cara pengiriman."), "invalid_choice": _("Pilih dari daftar.")},
    )
    address = forms.CharField(
        label=_("Alamat"),
        max_length=255,
        required=False,
        help_text=_("Jalan, nomor rumah, RT/RW, patokan. Tidak perlu jika ambil sendiri."),
        widget=forms.Textarea(attrs={"rows": 2, "autocomplete": "street-address"}),
    )
    village = RegionField(
        label=_("Desa/kelurahan"),
        required=False,
        help_text=_("Ketik nama desa/kelurahan, atau pilih provinsi sampai desa."),
    )
    payment_method = forms.ChoiceField(
        label=_("Cara bayar"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Pilih cara bayar."),
            "invalid_choice": _("Cara bayar ini tidak tersedia di toko ini."),
        },
    )
    note = forms.CharField(
        label=_("Catatan untuk penjual"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, methods: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(PaymentMethod.choices)
        self.fields["payment_method"].choices = [(method, labels[method]) for method in methods if method in labels]
        if len(methods) == 1:
            self.fields["payment_method"].initial = methods[0]

    def clean_name(self):
        name = _single_line(self.cleaned_data["name"])
        if len(name) < 2:
            raise ValidationError(_("Nama paling sedikit 2 huruf."), code="min_length")
        return name

    def clean_phone(self):
        return normalize_phone(self.cleaned_data["phone"])

    def clean_address(self):
        return _single_line(self.cleaned_data["address"])

    def clean_note(self):
        return self.cleaned_data["note"].strip()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("delivery") in (Delivery.SELLER, Delivery.COURIER):
            # Anything but picking it up needs somewhere to take it.
            if "address" in cleaned and not cleaned["address"]:
                self.add_error("address", _("Tulis alamat pengiriman."))
            if "village" in cleaned and cleaned["village"] is None and "village" not in self.errors:
                self.add_error("village", _("Pilih desa/kelurahan tujuan."))
        return cleaned
