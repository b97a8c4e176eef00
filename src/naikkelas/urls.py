from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from naikkelas.core import views as core_views
from naikkelas.partners.api import api

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("akun/", include("naikkelas.accounts.urls")),
    path("akun/", include("naikkelas.privacy.urls")),
    path("wilayah/", include("naikkelas.regions.urls")),
    path("usaha/", include("naikkelas.registry.urls")),
    path("", include("naikkelas.earlywarning.urls")),
    path("", include("naikkelas.dashboard.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("naikkelas.catalog.urls")),
    path("", include("naikkelas.orders.urls")),
    path("", include("naikkelas.payments.urls")),
    path("", include("naikkelas.ledger.urls")),
    path("api/v1/", api.urls),
    path("mitra/", include("naikkelas.partners.urls")),
    path("", include("naikkelas.partners.feed_urls")),
]

if not settings.PRODUCTION:
    # Product photos. In production the web server in front serves MEDIA_ROOT directly.
    urlpatterns.append(re_path(r"^media/(?P<path>.+)$", core_views.media, name="media"))

# Last: a shop's own pages at /<slug>/, which would otherwise shadow any one-segment route above.
urlpatterns.append(path("", include("naikkelas.catalog.storefront_urls")))
