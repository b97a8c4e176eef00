"""Product feeds: /feed/mitra/<token>/<name> for a partner, /feed/toko/<slug>/<name> for one shop.

<name> is one of partners.feeds.FEEDS: google.xml, meta.csv, produk.csv, produk.json."""

from django.urls import path

from naikkelas.partners.views import feeds as views

app_name = "partners_feeds"
urlpatterns = [
    path("feed/mitra/<str:token>/<str:name>", views.partner_feed, name="partner_feed"),
    path("feed/toko/<slug:slug>/<str:name>", views.shop_feed, name="shop_feed"),
]
