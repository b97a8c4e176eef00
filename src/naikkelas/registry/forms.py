from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from naikkelas.accounts.phones import normalize_phone

from naikkelas.regions.forms import ReloadableFormMixin, RegionField
from naikkelas.regions.selectors import sector_kelompok, sector_search
from naikkelas.registry import readiness
from naikkelas.registry.importing.values import nik_is_valid
from naikkelas.registry.models import SizeClass

OTHER = "lainnya"

# What owners call their trade, mapped to the KBLI 2020 kelompok an officer would file it under. The list is
# short on purpose (the common UMKM trades); anything else goes through "Lainnya" and a KBLI search.
SECTOR_CHOICES: tuple[tuple[str, str], ...] = (
    ("47112", _("Warung / toko kelontong")),
    ("56102", _("Warung makan / rumah makan")),
    ("56104", _("Jualan makanan keliling / gerobak")),
    ("10794", _("Keripik, kerupuk, camilan")),
    ("10710", _("Roti dan kue")),
    ("11040", _("Minuman (es, jus, kopi kemasan)")),
    ("47711", _("Jual pakaian")),
    ("14120", _("Jahit pakaian / konveksi")),
    ("32903", _("Kerajinan tangan")),
    ("01139", _("Bertani sayur dan buah")),
    ("01464", _("Ternak ayam")),
    ("03221", _("Budidaya ikan")),
    ("96112", _("Salon kecantikan / pangkas rambut")),
    ("45407", _("Bengkel motor")),
    ("47414", _("Jual pulsa dan HP")),
    ("96200", _("Laundry / penatu")),
    ("47919", _("Jualan online / reseller")),
)

_SECTOR_LABELS = dict(SECTOR_CHOICES)


def sector_label(business) -> str:
    """The owner's own words for the trade when it is one of the common ones, the KBLI title otherwise."""
    if business.sector_id is None:
        return ""
    return str(_SECTOR_LABELS.get(business.sector_id) or business.sector.title)


class OnboardForm(ReloadableFormMixin, forms.Form):
    """The owner's one screen after the phone code: business name, what it does, where it is."""

    name = forms.CharField(
        label=_("Nama usaha"),
        max_length=160,
        help_text=_("Nama yang dikenal pembeli, mis. Warung Bu Sri."),
        error_messages={"required": _("Tulis nama usaha Anda.")},
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    sector = forms.ChoiceField(
        label=_("Jenis usaha"),
        choices=(("", _("— pilih —")), *SECTOR_CHOICES, (OTHER, _("Lainnya…"))),
        error_messages={"required": _("Pilih jenis usaha Anda."), "invalid_choice": _("Pilih dari daftar.")},
    )
    sector_q = forms.CharField(
        label=_("Jika lainnya, usaha apa?"),
        required=False,
        max_length=100,
        help_text=_("Tulis satu atau dua kata, mis. \"sablon kaos\", lalu tekan Cari."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    sector_code = forms.CharField(required=False, max_length=5, widget=forms.RadioSelect)
    village = RegionField(
        label=_("Lokasi usaha"),
        help_text=_("Ketik nama desa/kelurahan, atau pilih provinsi sampai desa."),
        error_messages={"required": _("Pilih desa/kelurahan tempat usaha Anda.")},
    )
    consent = forms.BooleanField(
        label=_("Saya setuju data usaha ini disimpan dan dipakai dinas untuk pendampingan UMKM."),
        error_messages={"required": _("Centang persetujuan untuk melanjutkan.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # "Lainnya": the KBLI matches for what the owner typed become the choices of sector_code.
        typed = self._value("sector_q")
        matches = sector_search(typed) if typed and self._value("sector") == OTHER else []
        self.sector_matches = matches
        self.fields["sector_code"].widget.choices = [(s.code, s.title) for s in matches]

    def _value(self, name: str) -> str:
        if self.is_bound:
            return (self.data.get(self.add_prefix(name)) or "").strip()
        value = self.initial.get(name)
        return value.strip() if isinstance(value, str) else ""

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Tulis nama usaha Anda."), code="required")
        return name

    def clean(self):
        cleaned = super().clean()
        sector = cleaned.get("sector")
        if sector and sector != OTHER:
            cleaned["sector_code"] = sector
        elif sector == OTHER:
            code = cleaned.get("sector_code") or ""
            if code and sector_kelompok(code) is None:
                self.add_error("sector_code", _("Pilih dari daftar."))
            # An owner whose trade is not listed may go on without a code; an officer can file it later.
            cleaned["sector_code"] = code or None
        return cleaned


class ClaimForm(forms.Form):
    YES, NO = "ya", "bukan"

    business_id = forms.IntegerField(widget=forms.HiddenInput)
    answer = forms.ChoiceField(choices=((YES, _("Ya, ini usaha saya")), (NO, _("Bukan"))))
    consent = forms.BooleanField(
        required=False,
        label=_("Saya setuju data usaha ini disimpan dan dipakai dinas untuk pendampingan UMKM."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("answer") == self.YES and not cleaned.get("consent"):
            self.add_error("consent", _("Centang persetujuan untuk mengklaim usaha ini."))
        return cleaned


class ReadinessForm(forms.Form):
    """The questionnaire, built from readiness.QUESTIONS so the page and the scoring never disagree."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for question in readiness.QUESTIONS:
            if question.multiple:
                field = forms.MultipleChoiceField(
                    label=question.text,
                    help_text=question.help,
                    choices=question.choices,
                    required=False,
                    widget=forms.CheckboxSelectMultiple,
                )
            else:
                field = forms.ChoiceField(
                    label=question.text,
                    help_text=question.help,
                    choices=question.choices,
                    widget=forms.RadioSelect,
                    error_messages={"required": _("Pilih salah satu jawaban.")},
                )
            self.fields[question.key] = field

    def answers(self) -> dict:
        return {question.key: self.cleaned_data[question.key] for question in readiness.QUESTIONS}


class OfficerFilterForm(forms.Form):
    """The officer list's filters, sent with GET so a filtered list is a link that can be shared."""

    READINESS_CHOICES = (
        ("", _("Semua")),
        *((str(level), _("Level %(level)s") % {"level": level}) for level in range(readiness.MAX_LEVEL + 1)),
        ("none", _("Belum diukur")),
    )

    q = forms.CharField(label=_("Cari nama, NIB, atau nomor HP"), required=False, max_length=100)
    region = RegionField(label=_("Wilayah"), required=False, min_level=1, max_level=4)
    sector = forms.RegexField(
        label=_("Sektor (kode KBLI)"),
        required=False,
        regex=r"^(?:[A-Ua-u]|\d{2,5})$",
        max_length=5,
        error_messages={"invalid": _("Tulis kode KBLI: satu huruf kategori (mis. G) atau 2–5 angka.")},
    )
    size = forms.ChoiceField(label=_("Skala usaha"), required=False, choices=(("", _("Semua")), *SizeClass.choices))
    readiness = forms.ChoiceField(label=_("Kesiapan digital"), required=False, choices=READINESS_CHOICES)

    def filters(self) -> dict:
        """What to hand the selector; an invalid form filters nothing rather than failing the page."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "q": data["q"].strip(),
            "region": data["region"].code if data["region"] else "",
            "sector": data["sector"],
            "size": data["size"],
            "readiness": data["readiness"],
        }


def _digits(value: str) -> str:
    return "".join(char for char in value if char.isdigit())


class UnechoedInput(forms.TextInput):
    """A text box that never writes its value back into the page (for a NIK sent with a mistake)."""

    def get_context(self, name, value, attrs):
        return super().get_context(name, None, attrs)


class BusinessDataForm(ReloadableFormMixin, forms.Form):
    """What the registry holds about the owner's business, as the owner corrects it. The NIK is never shown
    back: left empty it stays as stored, ticking "remove" deletes it."""

    name = OnboardForm.base_fields["name"]
    owner_name = forms.CharField(label=_("Nama pemilik"), max_length=120, required=False,
                                 widget=forms.TextInput(attrs={"autocomplete": "name"}))
    owner_birth_year = forms.IntegerField(label=_("Tahun lahir pemilik"), required=False)
    phone = forms.CharField(label=_("Nomor HP usaha"), max_length=32, required=False,
                            widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}))
    address = forms.CharField(label=_("Alamat"), max_length=255, required=False,
                              widget=forms.TextInput(attrs={"autocomplete": "street-address"}))
    village = RegionField(label=_("Lokasi usaha"), error_messages={"required": _("Pilih desa/kelurahan tempat usaha Anda.")})
    nib = forms.CharField(label=_("NIB"), max_length=20, required=False, widget=forms.TextInput(attrs={"inputmode": "numeric"}),
                          help_text=_("Nomor Induk Berusaha dari OSS, 13 angka. Kosongkan jika belum punya."))
    nik = forms.CharField(label=_("NIK baru"), max_length=24, required=False,
                          widget=UnechoedInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    remove_nik = forms.BooleanField(label=_("Hapus NIK yang tersimpan"), required=False)
    founded_year = forms.IntegerField(label=_("Tahun berdiri"), required=False)
    employees = forms.IntegerField(label=_("Jumlah pekerja"), required=False, min_value=0, max_value=1_000_000)
    capital = forms.IntegerField(label=_("Modal usaha (Rp)"), required=False, min_value=0, max_value=10**15)
    annual_sales = forms.IntegerField(label=_("Omzet setahun (Rp)"), required=False, min_value=0, max_value=10**15)
    has_bank_account = forms.NullBooleanField(
        label=_("Punya rekening bank untuk usaha?"),
        widget=forms.Select(choices=[("unknown", _("— belum diisi —")), ("true", _("Ya")), ("false", _("Tidak"))]),
    )

    def __init__(self, *args, this_year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.this_year = this_year

    def _year(self, name: str, earliest: int):
        year = self.cleaned_data.get(name)
        if year is not None and not earliest <= year <= self.this_year:
            raise forms.ValidationError(_("Tahun antara %(a)s dan %(b)s.") % {"a": earliest, "b": self.this_year})
        return year

    def clean_owner_birth_year(self):
        return self._year("owner_birth_year", 1900)

    def clean_founded_year(self):
        return self._year("founded_year", 1800)

    def clean_phone(self):
        text = self.cleaned_data["phone"].strip()
        if not text:
            return ""
        try:
            return normalize_phone(text)
        except ValidationError:
            raise forms.ValidationError(_("Nomor HP tidak dikenali. Contoh: 0812-3456-7890.")) from None

    def clean_nib(self):
        nib = _digits(self.cleaned_data["nib"])
        if nib and len(nib) != 13:
            raise forms.ValidationError(_("NIB harus 13 angka."))
        return nib

    def clean_nik(self):
        # The message never repeats what was typed: a NIK is not written back into a page.
        text = self.cleaned_data["nik"].strip()
        if not text:
            return None
        nik = "".join(text.split()).replace(".", "").replace("-", "")
        if len(nik) != 16 or not nik.isdigit():
            raise forms.ValidationError(_("NIK harus 16 angka."))
        if not nik_is_valid(nik):
            raise forms.ValidationError(_("NIK ini tidak sah: kode wilayah atau tanggal lahir di dalamnya salah."))
        return nik

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("remove_nik") and cleaned.get("nik"):
            self.add_error("nik", _("Isi NIK baru atau centang hapus, jangan keduanya."))
        return cleaned

    def changes(self) -> dict:
        """Keyword arguments for registry.services.business_update."""
        data = self.cleaned_data
        fields = {name: data[name] for name in (
            "name", "owner_name", "owner_birth_year", "phone", "address", "nib", "founded_year", "employees",
            "capital", "annual_sales", "has_bank_account",
        )}
        nik = "" if data["remove_nik"] else data["nik"]  # None keeps the stored one
        return {**fields, "nik": nik, "village_code": data["village"].code}
