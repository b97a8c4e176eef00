"""Phone numbers are the login, so they are normalised once, on the way in, to E.164."""

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def normalize_phone(raw: str, region: str = "ID") -> str:
    """'0812-3456-7890', '+62 812 3456 7890' and '6281234567890' all become '+6281234567890'."""
    text = (raw or "").strip()
    if text.startswith("62") and not text.startswith("+"):
        text = "+" + text
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        raise ValidationError(_("Nomor HP tidak dikenali. Contoh: 0812-3456-7890."), code="invalid_phone")
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(_("Nomor HP tidak dikenali. Contoh: 0812-3456-7890."), code="invalid_phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164: str) -> str:
    """'+6281234567890' -> '0812-3456-7890'-like national form for Indonesian numbers."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def normalize_mobile(raw: str) -> str:
    """Like normalize_phone, for numbers that log in: they must receive an SMS, so an Indonesian mobile."""
    e164 = normalize_phone(raw)
    number = phonenumbers.parse(e164, None)
    if number.country_code != 62 or phonenumbers.number_type(number) != phonenumbers.PhoneNumberType.MOBILE:
        raise ValidationError(
            _("Gunakan nomor HP Indonesia yang bisa menerima SMS, misalnya 0812-3456-7890."), code="not_mobile"
        )
    return e164
