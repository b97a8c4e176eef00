from django.urls import path

from naikkelas.registry.views import imports, officer, onboarding, owner

app_name = "registry"
urlpatterns = [
    # Owner
    path("saya/", owner.owner_home, name="owner_home"),
    path("saya/mulai/", onboarding.onboard, name="onboard"),
    path("saya/klaim/", onboarding.claim, name="claim"),
    path("saya/kesiapan/", owner.readiness, name="readiness"),
    path("saya/<int:business_id>/data/", owner.business_data, name="business_data"),
    # Officer and admin
    path("petugas/", officer.officer_list, name="officer_list"),
    path("petugas/ekspor.csv", officer.officer_export, name="officer_export"),
    path("petugas/<int:business_id>/", officer.business_detail, name="business_detail"),
    path("petugas/impor/", imports.import_upload, name="import_upload"),
    path("petugas/impor/<uuid:batch_id>/", imports.import_preview, name="import_preview"),
]
