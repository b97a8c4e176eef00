from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "naikkelas.regions"
    label = "regions"
