from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "naikkelas.core"
    label = "core"
