from django.urls import path

from naikkelas.regions import views

app_name = "regions"
urlpatterns = [
    path("anak/", views.children, name="children"),
    path("cari/", views.search, name="search"),
]
