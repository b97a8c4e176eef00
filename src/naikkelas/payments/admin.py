"""Django admin for payment gateways (made here, by the admin role) and their callbacks (looked at only).

A gateway's secret is write-only: typed once when the gateway is added or the secret is rotated, never shown
again, and never written to the audit log; the list shows only its last four characters.
"""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from naikkelas.core.audit import audit_record
from naikkelas.payments.models import Gateway, GatewayEvent
from naikkelas.registry.admin import AdminRoleOnly, ReadOnly

MIN_SECRET_CHARS = 32
SECRET_CHANGED = "diubah"


def masked(secret: str) -> str:
    return "••••" + secret[-4:] if len(secret) > 8 else "••••"


class GatewayForm(forms.ModelForm):
    new_secret = forms.CharField(
        label=_("Rahasia (secret) baru"),
        required=False,
        strip=False,
        min_length=MIN_SECRET_CHARS,
        max_length=Gateway._meta.get_field("secret").max_length,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_(
            "Minimal 32 karakter acak, sama dengan yang dipakai gateway untuk menandatangani callback. "
            "Tidak ditampilkan lagi setelah disimpan. Kosongkan untuk tidak mengubah."
        ),
    )

    class Meta:
        model = Gateway
        fields = ("name", "is_active")

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk and not cleaned.get("new_secret") and "new_secret" not in self.errors:
            self.add_error("new_secret", _("Gateway baru wajib punya rahasia (secret)."))
        return cleaned


@admin.register(Gateway)
class GatewayAdmin(AdminRoleOnly, admin.ModelAdmin):
    form = GatewayForm
    list_display = ("name", "is_active", "secret_hint", "created_at")
    list_filter = ("is_active",)
    readonly_fields = ("secret_hint", "created_at")
    search_fields = ("name",)

    @admin.display(description=_("rahasia"))
    def secret_hint(self, obj) -> str:
        return masked(obj.secret) if obj and obj.secret else "—"

    def has_delete_permission(self, request, obj=None):
        # Its callbacks point at it (PROTECT); switching it off (is_active) is how a gateway is retired.
        return False

    def save_model(self, request, obj, form, change):
        before = Gateway.objects.filter(pk=obj.pk).values("name", "is_active").first() if change else {}
        changes = {
            name: [before.get(name), getattr(obj, name)]
            for name in ("name", "is_active")
            if before.get(name) != getattr(obj, name)
        }
        if form.cleaned_data.get("new_secret"):
            obj.secret = form.cleaned_data["new_secret"]
            changes["secret"] = SECRET_CHANGED
        super().save_model(request, obj, form, change)
        if changes or not change:
            action = f"gateway.admin_{'change' if change else 'add'}"
            audit_record(actor=request.user, action=action, obj=obj, changes=changes)


@admin.register(GatewayEvent)
class GatewayEventAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("received_at", "gateway", "event_id", "kind", "outcome", "order")
    list_filter = ("gateway", "kind", "outcome")
    list_select_related = ("gateway", "order")
    search_fields = ("=event_id", "=order__token")
    raw_id_fields = ("order",)
    date_hierarchy = "received_at"
    show_full_result_count = False
