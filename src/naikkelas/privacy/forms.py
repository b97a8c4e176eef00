from django import forms
from django.utils.translation import gettext_lazy as _

# The word typed to confirm. Not translated: the check must not depend on the page's language, and the page
# shows the word to type in either language.
CONFIRM_WORD = "HAPUS"


class DeleteForm(forms.Form):
    confirm = forms.CharField(
        label=_("Ketik HAPUS untuk menghapus akun"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )

    def clean_confirm(self) -> str:
        value = self.cleaned_data["confirm"].strip()
        if value.upper() != CONFIRM_WORD:
            raise forms.ValidationError(_("Ketik HAPUS (tanpa tanda kutip) untuk menghapus akun."))
        return value
