"""The officers' forms for help and closures. The rules live in services.py; the forms parse what is typed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from naikkelas.core.forms import date_field
from naikkelas.earlywarning.models import Intervention

NOTES_ATTRS = {"rows": 3, "maxlength": 2000}


class PlanHelpForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Jenis bantuan"), choices=Intervention.Kind.choices, widget=forms.RadioSelect,
        error_messages={"required": _("Pilih jenis bantuan."), "invalid_choice": _("Pilih jenis bantuan.")},
    )
    assigned_to = forms.ModelChoiceField(
        label=_("Petugas"), queryset=None, required=False, empty_label=_("Saya sendiri"),
        error_messages={"invalid_choice": _("Petugas ini tidak bertugas di wilayah usaha tersebut.")},
    )
    scheduled_on = date_field(_("Jadwal (boleh kosong)"), required=False)

    def __init__(self, *args, helpers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = helpers


class RecordHelpForm(forms.Form):
    done_on = date_field(_("Dilakukan pada"))
    notes = forms.CharField(
        label=_("Yang dilakukan"), widget=forms.Textarea(attrs=NOTES_ATTRS),
        error_messages={"required": _("Tulis apa yang sudah dilakukan.")},
    )


class FollowUpForm(forms.Form):
    follow_up_on = date_field(_("Tindak lanjut pada"))
    follow_up_notes = forms.CharField(
        label=_("Hasil tindak lanjut"), widget=forms.Textarea(attrs=NOTES_ATTRS),
        error_messages={"required": _("Tulis hasil tindak lanjutnya.")},
    )


class ClosureForm(forms.Form):
    closed_on = date_field(_("Usaha tutup pada"))
