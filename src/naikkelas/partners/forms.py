"""Forms of the partners edge's pages: a new API key, the webhook address, an officer's invitation."""

from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from naikkelas.partners.models import ApiKey, Partner
from naikkelas.partners.selectors import active_partners, region_covered
from naikkelas.regions.forms import RegionField, ReloadableFormMixin


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        label=_("Nama kunci"),
        max_length=80,
        help_text=_("Untuk membedakan kunci, mis. \"server produksi\" atau \"uji coba\"."),
        error_messages={
            "required": _("Beri nama kunci, mis. \"server produksi\"."),
            "max_length": _("Nama kunci paling panjang %(limit_value)d huruf."),
        },
    )
    scope = forms.ChoiceField(
        label=_("Izin"),
        choices=ApiKey.Scope.choices,
        initial=ApiKey.Scope.READ,
        widget=forms.RadioSelect,
        help_text=_("Kunci baca saja cukup untuk mengambil katalog; pesanan dan laporan penjualan perlu izin tulis."),
        error_messages={
            "required": _("Pilih izin kunci: baca saja, atau baca dan tulis."),
            "invalid_choice": _("Pilih izin kunci: baca saja, atau baca dan tulis."),
        },
    )

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Beri nama kunci, mis. \"server produksi\"."), code="required")
        return name


class WebhookForm(forms.Form):
    url = forms.CharField(
        label=_("Alamat webhook"),
        max_length=500,
        help_text=_("Alamat lengkap server Anda yang menerima pemberitahuan, mis. https://contoh.id/naikkelas/webhook."),
        widget=forms.URLInput(attrs={"inputmode": "url", "autocomplete": "url"}),
        error_messages={
            "required": _("Tulis alamat webhook, mis. https://contoh.id/naikkelas/webhook."),
            "max_length": _("Alamat webhook paling panjang %(limit_value)d huruf."),
        },
    )

    def clean_url(self):
        url = self.cleaned_data["url"].strip()
        try:
            URLValidator(schemes=["https", "http"])(url)
        except forms.ValidationError:
            raise forms.ValidationError(
                _("Alamat webhook tidak sah. Tulis alamat lengkap, mis. https://contoh.id/naikkelas/webhook."),
                code="invalid",
            ) from None
        return url


class InviteForm(ReloadableFormMixin, forms.Form):
    """An officer invites the businesses of one region (inside their own) to share with one partner."""

    partner = forms.ModelChoiceField(
        label=_("Mitra"),
        queryset=Partner.objects.none(),
        empty_label=_("— pilih mitra —"),
        error_messages={"required": _("Pilih mitra."), "invalid_choice": _("Pilih mitra dari daftar.")},
    )
    region = RegionField(
        label=_("Wilayah"),
        min_level=1,
        max_level=4,
        help_text=_("Semua usaha di wilayah ini yang sudah punya akun pemilik akan mendapat undangan."),
        error_messages={"required": _("Pilih wilayah yang usahanya diundang.")},
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields["partner"].queryset = active_partners()

    def clean_region(self):
        region = self.cleaned_data["region"]
        if region is not None and not region_covered(self.actor, region.code):
            raise forms.ValidationError(
                _("Wilayah ini di luar wilayah tugas Anda. Pilih wilayah tugas Anda atau bagian di dalamnya."),
                code="outside",
            )
        return region
