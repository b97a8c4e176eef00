from django.urls import path

from naikkelas.registry import views

app_name = "registry"
urlpatterns = [
    path("saya/", views.owner_home, name="owner_home"),
    path("petugas/", views.officer_list, name="officer_list"),
    path("petugas/impor/", views.import_upload, name="import_upload"),
]
