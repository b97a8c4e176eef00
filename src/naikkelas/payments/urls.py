from django.urls import path

from naikkelas.payments.views import buyer, gateway, owner

app_name = "payments"
urlpatterns = [
    # The shop owner
    path("toko/<int:business_id>/pembayaran/", owner.payment_settings, name="settings"),
    path("toko/<int:business_id>/pesanan/<int:number>/lunas/", owner.mark_paid, name="mark_paid"),
    # The buyer, behind the order's unguessable link
    path("pesanan/<str:token>/qris.png", buyer.order_qris_png, name="order_qris_png"),
    # Payment gateways, signed with their shared secret
    path("bayar/callback/<slug:gateway>/", gateway.callback, name="callback"),
]
