from django import forms
from django.utils.translation import gettext_lazy as _

from naikkelas.accounts.phones import normalize_mobile
from naikkelas.accounts.services import OTP_DIGITS


class PhoneForm(forms.Form):
    phone = forms.CharField(
        label=_("Nomor HP"),
        max_length=40,
        help_text=_("Contoh: 0812-3456-7890. Kami kirim kode lewat SMS ke nomor ini."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel", "autofocus": True}),
        error_messages={"required": _("Isi nomor HP Anda.")},
    )

    def clean_phone(self) -> str:
        return normalize_mobile(self.cleaned_data["phone"])


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Kode dari SMS"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True, "size": 8}
        ),
        error_messages={"required": _("Isi kode 6 angka dari SMS.")},
    )

    def clean_code(self) -> str:
        # People copy codes as "123 456" or "123-456"; only the digits matter.
        code = "".join(ch for ch in self.cleaned_data["code"] if ch not in " -.")
        if len(code) != OTP_DIGITS or not code.isascii() or not code.isdigit():
            raise forms.ValidationError(_("Kode terdiri dari 6 angka."), code="code_format")
        return code


class PasswordLoginForm(forms.Form):
    def __init__(self, *args, **kwargs):
        # It shares the login page with the code form: its own ids keep every label tied to its own input.
        kwargs.setdefault("auto_id", "pw_%s")
        super().__init__(*args, **kwargs)

    phone = forms.CharField(
        label=_("Nomor HP"),
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "username"}),
        error_messages={"required": _("Isi nomor HP Anda.")},
    )
    password = forms.CharField(
        label=_("Kata sandi"),
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Isi kata sandi Anda.")},
    )

