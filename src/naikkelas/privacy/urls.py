from django.urls import path

from naikkelas.privacy import views

app_name = "privacy"
urlpatterns = [
    path("data-saya/", views.data_page, name="data"),
    path("data-saya/unduh/", views.data_download, name="download"),
    path("hapus/", views.delete_page, name="delete"),
]
