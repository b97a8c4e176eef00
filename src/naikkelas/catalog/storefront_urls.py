"""A shop's own pages at /<slug>/…, included last in the root URLs so they never shadow a fixed route."""

from django.urls import path

from naikkelas.catalog.views import storefront as views

app_name = "storefront"
urlpatterns = [
    path("<slug:slug>/", views.shop, name="shop"),
    path("<slug:slug>/<int:product_id>/", views.product, name="product"),
    path("<slug:slug>/qr.png", views.qr_png, name="qr_png"),
    path("<slug:slug>/qr.svg", views.qr_svg, name="qr_svg"),
    path("<slug:slug>/cetak/", views.qr_print, name="qr_print"),
]
