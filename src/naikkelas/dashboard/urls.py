from django.urls import path, re_path

from naikkelas.dashboard import views

app_name = "dashboard"
REGION = r"(?P<code>\d{2}(?:\.\d{2}){0,2})"  # a province, regency or district code: 34, 34.04, 34.04.01
urlpatterns = [
    path("dasbor/", views.region_page, name="nation"),
    path("dasbor/data.json", views.region_data, name="nation_data"),
    re_path(r"^dasbor/unduh\.(?P<extension>xlsx|csv)$", views.region_download, name="nation_download"),
    path("dasbor/banding/", views.compare_page, name="compare"),
    re_path(rf"^dasbor/{REGION}/$", views.region_page, name="region"),
    re_path(rf"^dasbor/{REGION}/data\.json$", views.region_data, name="region_data"),
    re_path(rf"^dasbor/{REGION}/unduh\.(?P<extension>xlsx|csv)$", views.region_download, name="region_download"),
]
