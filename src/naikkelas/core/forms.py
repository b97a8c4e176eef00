"""What every form page does with a service's refusal."""

from django.core.exceptions import ValidationError


def add_service_errors(form, error: ValidationError, rename: dict | None = None) -> None:
    """A service's ValidationError shown on `form`: each message next to its field (`rename` maps a service's
    field name to the form's), or on top of the form when it names no field the form has."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, errors in error.message_dict.items():
        field = (rename or {}).get(field, field)
        form.add_error(field if field in form.fields else None, errors)
