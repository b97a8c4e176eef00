"""The public search page, /cari/: products of every public shop, and the shops, with filters.

Everything comes in the query string, so a search is a link that can be shared (q, wilayah, sektor, min,
max, hal). A filter that cannot be read is dropped with a message next to it; the page never fails on input.
"""

import re
from urllib.parse import urlencode

from django import forms
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from naikkelas.catalog import search as catalog_search
from naikkelas.catalog.search import choices
from naikkelas.catalog.search.query import MAX_PRICE, MAX_QUERY_LENGTH, REGION_PATTERN, SECTOR_PATTERN
from naikkelas.core.widgets import PlainSelect
from naikkelas.registry.forms import SECTOR_CHOICES

PAGE_PARAM = "hal"
_NOT_DIGITS = re.compile(r"[\s.,]|^rp", re.IGNORECASE)


class PriceField(forms.Field):
    """Whole rupiah as people write it: "15000", "15.000", "Rp 15.000"."""

    widget = forms.TextInput
    default_error_messages = {"invalid": _("Tulis harga dengan angka saja, mis. 15000.")}

    def to_python(self, value):
        value = (value or "").strip()
        if not value:
            return None
        digits = _NOT_DIGITS.sub("", value)
        if not digits.isdigit() or int(digits) > MAX_PRICE:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return int(digits)


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Cari produk atau toko"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("mis. keripik pisang")}),
        error_messages={"max_length": _("Kata pencarian terlalu panjang.")},
    )
    wilayah = forms.RegexField(
        label=_("Wilayah"),
        required=False,
        regex=REGION_PATTERN,
        max_length=13,
        error_messages={"invalid": _("Wilayah tidak dikenali. Pilih dari daftar.")},
    )
    sektor = forms.RegexField(
        label=_("Jenis usaha"),
        required=False,
        regex=SECTOR_PATTERN,
        max_length=5,
        error_messages={"invalid": _("Jenis usaha tidak dikenali. Pilih dari daftar.")},
    )
    min = PriceField(label=_("Harga dari (Rp)"), required=False)
    max = PriceField(label=_("Harga sampai (Rp)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        region = (self.data.get("wilayah") or "").strip() if self.is_bound else ""
        selected = region if REGION_PATTERN.match(region) else ""
        self.fields["wilayah"].widget = PlainSelect(
            choices=[("", str(_("Semua wilayah"))), *choices.region_choices(selected)]
        )
        # Labels translated once here rather than escaped as lazy translations option by option: that
        # halves the cost of the two lists (2.8 → 1.5 ms a page).
        self.fields["sektor"].widget = PlainSelect(
            choices=[
                ("", str(_("Semua jenis usaha"))),
                (str(_("Jenis usaha")), [(code, str(label)) for code, label in SECTOR_CHOICES]),
                (str(_("Kategori KBLI")), [(code, f"{code} · {title}") for code, title in choices.kategori_choices()]),
            ]
        )
        for name in ("min", "max"):
            self.fields[name].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})

    def values(self) -> dict:
        """The search arguments from the fields that are valid; the others are left out."""
        self.is_valid()
        data = {name: value for name, value in self.cleaned_data.items() if name not in self.errors}
        return {
            "query": data.get("q") or "",
            "region": data.get("wilayah") or None,
            "sector": data.get("sektor") or None,
            "price_min": data.get("min"),
            "price_max": data.get("max"),
        }


def _page_number(raw) -> int:
    try:
        return max(1, int(raw))
    except (TypeError, ValueError):
        return 1


@require_safe
def search(request):
    form = SearchForm(request.GET)
    values = form.values()
    messages: list[str] = []
    results = None
    filters = ("region", "sector", "price_min", "price_max")
    asked = bool(values["query"].strip()) or any(values[key] is not None for key in filters)
    if asked:
        try:
            results = catalog_search.search(**values, page=_page_number(request.GET.get(PAGE_PARAM)))
        except catalog_search.SearchError as error:
            messages += error.messages
    kept = urlencode([(key, value) for key, value in request.GET.items() if key != PAGE_PARAM and value])
    corrected_url = ""
    if results is not None and results.parsed.corrected:
        corrected = [(key, value) for key, value in request.GET.items() if key not in (PAGE_PARAM, "q") and value]
        corrected_url = "?" + urlencode([("q", results.parsed.corrected_text), *corrected])
    context = {
        "form": form,
        "results": results,
        "asked": asked,
        "messages_list": messages,
        "kept": kept,
        "corrected_url": corrected_url,
    }
    return render(request, "catalog/search.html", context)
