from django.apps import AppConfig


class EarlyWarningConfig(AppConfig):
    """Early warning: which businesses are heading for closure, why, and what was done about it."""

    name = "naikkelas.earlywarning"
    label = "earlywarning"
