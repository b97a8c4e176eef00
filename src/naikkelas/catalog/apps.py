from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "naikkelas.catalog"
    label = "catalog"
