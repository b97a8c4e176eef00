from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError

from naikkelas.accounts.phones import normalize_phone


class PhoneBackend(ModelBackend):
    """Password login by phone number in any common Indonesian spelling (for officers and admins)."""

    def authenticate(self, request, username=None, password=None, phone=None, **kwargs):
        raw = phone or username
        if not raw or not password:
            return None
        try:
            normalized = normalize_phone(raw)
        except ValidationError:
            return None
        return super().authenticate(request, username=normalized, password=password, **kwargs)
