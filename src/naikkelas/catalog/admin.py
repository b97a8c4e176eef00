"""Django admin for the catalogue, for the admin role only, audited like the registry's. Admins correct products
and shop profiles here; the search index follows every change. Photos are only looked at: a photo comes in
through the owner's pages, where it is checked and re-encoded. Deleting a product deletes its photos' files."""

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from naikkelas.catalog import search
from naikkelas.catalog.services import photo_files_delete_on_commit
from naikkelas.catalog.models import Product, ProductPhoto, ShopProfile
from naikkelas.registry.admin import AuditedAdmin, ReadOnly


class PhotoInline(ReadOnly, admin.TabularInline):
    model = ProductPhoto
    extra = 0
    fields = ("preview", "width", "height", "position")
    readonly_fields = fields

    @admin.display(description=_("foto"))
    def preview(self, photo):
        return format_html('<img src="{}" alt="" width="80">', photo.thumb.url) if photo.thumb else ""


@admin.register(Product)
class ProductAdmin(AuditedAdmin):
    list_display = ("name", "business", "price", "stock", "made_to_order", "is_active", "updated_at")
    list_filter = ("is_active", "made_to_order")
    list_select_related = ("business",)
    search_fields = ("name", "=business__slug")
    raw_id_fields = ("business",)
    inlines = (PhotoInline,)
    show_full_result_count = False
    list_per_page = 50
    ordering = ("-pk",)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        search.index_products([obj.pk])

    def delete_model(self, request, obj):
        pk = obj.pk
        photo_files_delete_on_commit(obj.photos.all())
        super().delete_model(request, obj)
        search.index_products([pk])

    def delete_queryset(self, request, queryset):
        pks = list(queryset.values_list("pk", flat=True))
        photo_files_delete_on_commit(ProductPhoto.objects.filter(product__in=pks))
        super().delete_queryset(request, queryset)
        search.index_products(pks)


@admin.register(ShopProfile)
class ShopProfileAdmin(AuditedAdmin):
    list_display = ("business", "tagline", "accepting_orders", "updated_at")
    list_filter = ("accepting_orders",)
    list_select_related = ("business",)
    search_fields = ("business__name", "=business__slug")
    raw_id_fields = ("business",)
    show_full_result_count = False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        search.index_business(obj.pk)

    def delete_model(self, request, obj):
        business_id = obj.pk
        super().delete_model(request, obj)
        search.index_business(business_id)
