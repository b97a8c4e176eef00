from django.urls import path

from naikkelas.orders.views import buyer

app_name = "orders"

# The buyer's side: no account, the cart per shop slug, the order behind its token.
urlpatterns = [
    path("<slug:slug>/keranjang/", buyer.cart, name="cart"),
    path("<slug:slug>/keranjang/tambah/", buyer.cart_add, name="cart_add"),
    path("<slug:slug>/pesan/", buyer.checkout, name="checkout"),
    path("<slug:slug>/pesan/whatsapp/", buyer.whatsapp_order, name="whatsapp_order"),
    path("pesanan/<str:token>/", buyer.status, name="status"),
    path("pesanan/<str:token>/struk/", buyer.receipt, name="receipt"),
    path("pesanan/<str:token>/struk.pdf", buyer.receipt_pdf, name="receipt_pdf"),
]

# The shop owner's side: the orders of one of their shops, by number.
from naikkelas.orders.views import owner  # noqa: E402

urlpatterns += [
    path("toko/<int:business_id>/pesanan/", owner.owner_list, name="owner_list"),
    path("toko/<int:business_id>/pesanan/<int:number>/", owner.owner_detail, name="owner_detail"),
    path("toko/<int:business_id>/pesanan/<int:number>/status/", owner.owner_transition, name="owner_transition"),
]
