"""The owner's catalogue forms, laid out for a phone: fields in the order an owner fills them, number pads for
numbers. The rules themselves live in services.py; the forms parse what people type and show every broken
rule next to its field at once."""

import re
from decimal import ROUND_HALF_UP, Decimal

from django import forms
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from naikkelas.catalog import selectors, services
from naikkelas.catalog.models import Product
from naikkelas.catalog.storefront import DAY_CODES

NUMERIC = {"inputmode": "numeric", "autocomplete": "off"}
# "15000", "15.000", "15 000", "Rp 15.000", "Rp15.000,-", "Rp 15.000,00": whole rupiah as people write them.
_PRICE = re.compile(r"(?:rp\.?\s?)?([0-9]{1,3}(?:[. ][0-9]{3})+|[0-9]+)(?:,-|,00?)?", re.IGNORECASE)
_PRICE_DIGITS = 13  # more digits than this can only be a mistake, whatever the rules say later
# "-7.782900, 110.367100": what a maps app copies when the owner holds a finger on the shop's spot.
_LOCATION = re.compile(r"(-?[0-9]{1,3}(?:\.[0-9]+)?)\s*[,;\s]\s*(-?[0-9]{1,3}(?:\.[0-9]+)?)")
_MICRODEGREE = Decimal("0.000001")


def parse_price(text: str) -> int:
    """Whole rupiah from what an owner types, or a ValidationError in Indonesian."""
    text = " ".join(str(text).split())
    match = _PRICE.fullmatch(text) if len(text) <= 40 else None
    digits = match.group(1).replace(".", "").replace(" ", "") if match else ""
    if not digits or len(digits) > _PRICE_DIGITS:
        raise forms.ValidationError(
            _("Tulis harga dalam rupiah tanpa sen, mis. 15000 atau 15.000."), code="invalid_price"
        )
    return int(digits)


def parse_location(text: str) -> tuple[Decimal, Decimal] | None:
    text = text.strip()
    if not text:
        return None
    match = _LOCATION.fullmatch(text)
    if not match:
        raise forms.ValidationError(
            _("Tulis titik lokasi seperti -7.7829, 110.3671 (garis lintang, garis bujur)."), code="invalid_location"
        )
    return tuple(Decimal(part).quantize(_MICRODEGREE, rounding=ROUND_HALF_UP) for part in match.groups())


def stock_field() -> forms.IntegerField:
    return forms.IntegerField(
        label=_("Stok"),
        min_value=0,
        max_value=services.STOCK_MAX,
        initial=0,
        error_messages={
            "required": _("Tulis jumlah stok."),
            "invalid": _("Stok harus bilangan bulat."),
            "min_value": _("Stok tidak boleh kurang dari 0."),
            "max_value": _("Stok terlalu besar."),
        },
        widget=forms.NumberInput(attrs={**NUMERIC, "min": 0}),
    )


class PriceField(forms.Field):
    """Text in (a number pad, but "Rp 15.000" pasted from a chat works too), whole rupiah out."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={**NUMERIC, "placeholder": "15.000", "maxlength": 40}))
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values or not str(value).strip():
            return None
        return parse_price(value)


class ProductForm(forms.ModelForm):
    """Name, price and stock first: the three things every product needs; the rest can wait."""

    price = PriceField(label=_("Harga (Rp)"), error_messages={"required": _("Tulis harganya.")})
    stock = stock_field()

    class Meta:
        model = Product
        fields = ("name", "price", "stock", "made_to_order", "unit", "weight_grams", "category", "description")
        labels = {"unit": _("Satuan"), "weight_grams": _("Berat (gram)"), "category": pgettext_lazy("product", "Kategori")}
        help_texts = {
            "made_to_order": _("Centang bila dibuat setelah ada pesanan: stok tidak dihitung."),
            "unit": _("Mis. pcs, bungkus, kg, porsi, botol."),
            "weight_grams": _("Untuk ongkos kirim. Boleh dikosongkan."),
            "category": _("Mis. Makanan ringan. Boleh dikosongkan."),
        }
        error_messages = {"name": {"required": _("Tulis nama produknya.")}}
        widgets = {
            "name": forms.TextInput(attrs={"autocapitalize": "sentences"}),
            "weight_grams": forms.NumberInput(attrs={**NUMERIC, "min": 1}),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def clean(self):
        cleaned = super().clean()
        candidate = Product(**{name: cleaned[name] for name in self._meta.fields if name in cleaned})
        for field, messages in services.product_errors(candidate).items():
            if field in cleaned:
                self.add_error(field, messages)
        return cleaned

    def product_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class NewProductForm(ProductForm):
    """Adding a product starts with its photo. No `capture` attribute: on Android it would open the camera
    alone, and most product photos are already in the gallery."""

    photo = forms.FileField(
        label=_("Foto produk"),
        required=False,
        help_text=_("JPG, PNG, atau WebP, paling besar 8 MB. Boleh ditambah nanti."),
        widget=forms.FileInput(attrs={"accept": "image/*"}),
    )
    field_order = ("photo",)


class PhotoForm(forms.Form):
    photo = forms.FileField(
        label=_("Tambah foto"),
        help_text=_("JPG, PNG, atau WebP, paling besar 8 MB."),
        error_messages={"required": _("Pilih foto dulu.")},
        widget=forms.FileInput(attrs={"accept": "image/*"}),
    )


class StockForm(forms.Form):
    stock = stock_field()


class ProductFilterForm(forms.Form):
    """The list's search box and filter, sent with GET so the list stays a plain link."""

    SHOW_CHOICES = (
        (selectors.SHOW_ALL, _("Semua")),
        (selectors.SHOW_ACTIVE, _("Tampil")),
        (selectors.SHOW_HIDDEN, _("Disembunyikan")),
        (selectors.SHOW_OUT_OF_STOCK, _("Stok habis")),
    )

    q = forms.CharField(label=_("Cari produk"), required=False, max_length=100)
    show = forms.ChoiceField(label=_("Tampilkan"), required=False, choices=SHOW_CHOICES)

    def filters(self) -> dict:
        """What to hand the selector; an invalid form filters nothing rather than failing the page."""
        if not self.is_valid():
            return {}
        return {"query": self.cleaned_data["q"], "show": self.cleaned_data["show"] or selectors.SHOW_ALL}


# -- the shop profile --------------------------------------------------------------------------------------

def hours_by_day(hours: list) -> dict[str, tuple[str, str]]:
    """{"Mo": ("08:00", "17:00"), ...} from the stored list (the first span of a day, which is what the form
    edits)."""
    by_day = {}
    for entry in hours or []:
        for code in entry.get("days", []):
            by_day.setdefault(code, (entry["opens"], entry["closes"]))
    return by_day


def hours_list(by_day: dict[str, tuple[str, str]]) -> list[dict]:
    """The stored form: days with the same hours share one entry, Monday first."""
    entries: dict[tuple[str, str], list[str]] = {}
    for code in DAY_CODES:
        if code in by_day:
            entries.setdefault(by_day[code], []).append(code)
    return [{"days": days, "opens": opens, "closes": closes} for (opens, closes), days in entries.items()]


class ShopProfileForm(forms.Form):
    tagline = forms.CharField(
        label=_("Slogan singkat"),
        required=False,
        max_length=160,
        help_text=_("Satu kalimat di bawah nama toko, mis. Keripik renyah tanpa pengawet."),
    )
    accepting_orders = forms.BooleanField(
        label=_("Menerima pesanan"),
        required=False,
        help_text=_("Hilangkan centang saat libur: toko tetap tampil, tetapi pembeli belum bisa memesan."),
    )
    location = forms.CharField(
        label=_("Titik lokasi (boleh dikosongkan)"),
        required=False,
        max_length=60,
        help_text=_(
            "Di aplikasi peta, tekan lama titik toko Anda lalu salin angkanya ke sini, mis. -7.7829, 110.3671. "
            "Alamat toko diambil dari data usaha Anda."
        ),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        time_input = {"type": "time"}
        for index, code in enumerate(DAY_CODES):
            day = WEEKDAYS[index]
            self.fields[f"{code}_opens"] = forms.TimeField(
                label=_("%(day)s buka") % {"day": day}, required=False,
                widget=forms.TimeInput(attrs=time_input, format="%H:%M"),
            )
            self.fields[f"{code}_closes"] = forms.TimeField(
                label=_("%(day)s tutup") % {"day": day}, required=False,
                widget=forms.TimeInput(attrs=time_input, format="%H:%M"),
            )

    @classmethod
    def initial_for(cls, shop) -> dict:
        if shop is None:
            return {"accepting_orders": True}
        initial = {"tagline": shop.tagline, "accepting_orders": shop.accepting_orders}
        if shop.latitude is not None and shop.longitude is not None:
            initial["location"] = f"{shop.latitude}, {shop.longitude}"
        for code, (opens, closes) in hours_by_day(shop.opening_hours).items():
            initial[f"{code}_opens"], initial[f"{code}_closes"] = opens, closes
        return initial

    def days(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        """(day name, opens field, closes field), Monday first, for the template's table."""
        return [(WEEKDAYS[i], self[f"{code}_opens"], self[f"{code}_closes"]) for i, code in enumerate(DAY_CODES)]

    def clean_location(self):
        return parse_location(self.cleaned_data["location"])

    def clean(self):
        cleaned = super().clean()
        by_day = {}
        for code in DAY_CODES:
            opens, closes = cleaned.get(f"{code}_opens"), cleaned.get(f"{code}_closes")
            if opens is None and closes is None:
                continue  # closed that day
            if opens is None or closes is None:
                self.add_error(f"{code}_opens", _("Isi jam buka dan jam tutup, atau kosongkan keduanya bila libur."))
            elif opens == closes:
                self.add_error(f"{code}_opens", _("Jam buka dan jam tutup tidak boleh sama."))
            else:
                by_day[code] = (opens.strftime("%H:%M"), closes.strftime("%H:%M"))
        cleaned["opening_hours"] = hours_list(by_day)
        return cleaned

    def shop_fields(self) -> dict:
        data = self.cleaned_data
        latitude, longitude = data["location"] or (None, None)
        return {
            "tagline": data["tagline"],
            "accepting_orders": data["accepting_orders"],
            "opening_hours": data["opening_hours"],
            "latitude": latitude,
            "longitude": longitude,
        }
