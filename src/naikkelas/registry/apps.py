from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "naikkelas.registry"
    label = "registry"
