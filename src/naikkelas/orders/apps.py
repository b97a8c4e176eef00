from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "naikkelas.orders"
    label = "orders"
