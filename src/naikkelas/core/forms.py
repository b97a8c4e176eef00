"""What every form page does with a service's refusal, and the date field every form uses."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"]


def date_field(label, *, required: bool = True) -> forms.DateField:
    """A date picked on a phone's calendar, or typed as 2025-03-31 or 31/03/2025."""
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=DATE_FORMATS,
        error_messages={"required": _("Pilih tanggalnya."), "invalid": _("Tanggal tidak dikenali.")},
    )


def add_service_errors(form, error: ValidationError, rename: dict | None = None) -> None:
    """A service's ValidationError shown on `form`: each message next to its field (`rename` maps a service's
    field name to the form's), or on top of the form when it names no field the form has."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, errors in error.message_dict.items():
        field = (rename or {}).get(field, field)
        form.add_error(field if field in form.fields else None, errors)
