from django.urls import path

from naikkelas.catalog.views import owner

app_name = "catalog"
SHOP = "toko/<int:business_id>/"
PRODUCT = SHOP + "produk/<int:product_id>/"

urlpatterns = [
    # The owner's catalogue
    path(SHOP + "produk/", owner.product_list, name="product_list"),
    path(SHOP + "produk/baru/", owner.product_create, name="product_create"),
    path(PRODUCT, owner.product_edit, name="product_edit"),
    path(PRODUCT + "salin/", owner.product_duplicate, name="product_duplicate"),
    path(PRODUCT + "stok/", owner.product_stock, name="product_stock"),
    path(PRODUCT + "tampil/", owner.product_active, name="product_active"),
    path(PRODUCT + "hapus/", owner.product_delete, name="product_delete"),
    path(PRODUCT + "foto/", owner.photo_add, name="photo_add"),
    path(PRODUCT + "foto/<int:photo_id>/hapus/", owner.photo_delete, name="photo_delete"),
    path(SHOP + "profil/", owner.shop_profile, name="shop_profile"),
]

from naikkelas.catalog.views import search as search_views  # noqa: E402

urlpatterns.append(path("cari/", search_views.search, name="search"))
