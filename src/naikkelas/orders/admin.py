"""Django admin for orders: look, never edit. An order changes only through orders.services, where the
lifecycle, the stock and the audit log are kept in step; an edit here would bypass all three."""

from django.contrib import admin

from naikkelas.orders.models import Order, OrderLine
from naikkelas.registry.admin import ReadOnly


class OrderLineInline(ReadOnly, admin.TabularInline):
    model = OrderLine
    fields = ("name", "quantity", "unit", "unit_price", "line_total", "product")
    readonly_fields = fields
    raw_id_fields = ("product",)
    extra = 0


@admin.register(Order)
class OrderAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("__str__", "business", "status", "payment_method", "total", "buyer_name", "created_at")
    list_filter = ("status", "payment_method", "delivery")
    list_select_related = ("business",)
    search_fields = ("=token", "business__name", "buyer_name", "buyer_phone")
    raw_id_fields = ("business", "buyer_village", "paid_by")
    date_hierarchy = "created_at"
    inlines = (OrderLineInline,)
    show_full_result_count = False
    list_per_page = 50
    ordering = ("-created_at", "-pk")
