from django.urls import path

from naikkelas.earlywarning import views

app_name = "earlywarning"
urlpatterns = [
    path("petugas/risiko/", views.watchlist_page, name="watchlist"),
]
