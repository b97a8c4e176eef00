from django.apps import AppConfig


class DashboardConfig(AppConfig):
    """The officers' dashboard: adoption indicators by region and sector, month by month."""

    name = "naikkelas.dashboard"
    label = "dashboard"
