from django.apps import AppConfig


class DemoConfig(AppConfig):
    """`naikkelas demo`: an edge that sets up a working demo from every app's services."""

    name = "naikkelas.demo"
    label = "demo"
