from django.urls import path

from naikkelas.earlywarning import views

app_name = "earlywarning"
urlpatterns = [
    path("usaha/petugas/risiko/", views.watchlist_page, name="watchlist"),
    path("usaha/petugas/risiko/<int:business_id>/", views.business_risk, name="business_risk"),
    path("usaha/petugas/risiko/<int:business_id>/bantuan/", views.plan_help, name="plan_help"),
    path("usaha/petugas/risiko/<int:business_id>/tutup/", views.record_closure, name="record_closure"),
    path("usaha/petugas/bantuan/", views.help_list, name="help_list"),
    path("usaha/petugas/bantuan/<int:intervention_id>/", views.help_detail, name="help_detail"),
    path("toko/<int:business_id>/risiko/", views.owner_risk, name="owner_risk"),
    path("toko/<int:business_id>/risiko/penilaian/", views.owner_objection, name="owner_objection"),
]
