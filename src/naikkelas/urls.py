from django.contrib import admin
from django.urls import include, path

from naikkelas.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("akun/", include("naikkelas.accounts.urls")),
    path("wilayah/", include("naikkelas.regions.urls")),
    path("usaha/", include("naikkelas.registry.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
