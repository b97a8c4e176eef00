from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "naikkelas.payments"
    label = "payments"
