from django.urls import path

from naikkelas.earlywarning import views

app_name = "earlywarning"
urlpatterns = [
    path("usaha/petugas/risiko/", views.watchlist_page, name="watchlist"),
    path("toko/<int:business_id>/risiko/", views.owner_risk, name="owner_risk"),
    path("toko/<int:business_id>/risiko/penilaian/", views.owner_objection, name="owner_objection"),
]
