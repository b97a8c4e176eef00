"""Django admin for the partners edge, for the admin role only, audited like the registry's.

Admins make partner organisations and their people here: a new partner goes through `partner_create` (its
slug and feed token), and phone numbers typed as new members become partner accounts through
`accounts.services.user_create`, as officers' accounts are made (partners log in with an SMS code). Keys are
looked at and revoked, never edited, and no secret is ever shown: a key's hash, the webhook's signing secret.
Shares, deliveries and sales reports are evidence, looked at only.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from naikkelas.accounts.models import User
from naikkelas.accounts.phones import normalize_phone
from naikkelas.accounts.services import user_create
from naikkelas.core.audit import audit_record
from naikkelas.partners import services
from naikkelas.partners.models import ApiKey, Partner, SalesReport, Share, WebhookAttempt, WebhookDelivery
from naikkelas.registry.admin import AuditedAdmin, ReadOnly


def _https_first(field, **kwargs):
    # A website typed without a scheme is taken as https (Django 6's default, asked for now).
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return field.formfield(**kwargs)


class PartnerAdminForm(forms.ModelForm):
    new_members = forms.CharField(
        label=_("Anggota baru (nomor HP)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Satu nomor HP per baris. Nomor yang belum terdaftar dibuatkan akun mitra (masuk dengan kode SMS); "
            "nomor akun mitra yang sudah ada ditambahkan sebagai anggota."
        ),
    )

    class Meta:
        model = Partner
        fields = ("name", "kind", "description", "website", "is_active", "members")
        formfield_callback = _https_first

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].required = False
        self.fields["members"].queryset = User.objects.filter(role=User.Role.PARTNER).order_by("phone")
        self.fields["members"].help_text = _("Hanya akun berperan mitra yang bisa menjadi anggota.")

    def clean_new_members(self):
        """[(phone in E.164, existing partner account or None)], every line checked before anything is made."""
        wanted, errors = [], []
        for line in self.cleaned_data["new_members"].splitlines():
            if not line.strip():
                continue
            try:
                phone = normalize_phone(line)
            except ValidationError:
                errors.append(_("%(line)s bukan nomor HP yang sah.") % {"line": line.strip()})
                continue
            existing = User.objects.filter(phone=phone).first()
            if existing is not None and not existing.is_partner:
                errors.append(
                    _("%(phone)s sudah terdaftar dengan peran lain (%(role)s); hanya akun mitra yang bisa jadi anggota.")
                    % {"phone": phone, "role": existing.get_role_display()}
                )
                continue
            if phone not in {p for p, _user in wanted}:
                wanted.append((phone, existing))
        if errors:
            raise forms.ValidationError(errors)
        return wanted


@admin.register(Partner)
class PartnerAdmin(AuditedAdmin):
    form = PartnerAdminForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ("name", "kind", "is_active", "member_count", "webhook_enabled", "webhook_disabled_at", "created_at")
    list_filter = ("kind", "is_active", "webhook_enabled")
    search_fields = ("name", "=slug")
    readonly_fields = (
        "slug", "feed_token", "webhook_url", "webhook_enabled", "webhook_failures", "webhook_disabled_at",
        "webhook_disabled_reason", "created_at",
    )
    fieldsets = (
        (None, {"fields": ("name", "slug", "kind", "description", "website", "is_active")}),
        (_("Anggota"), {"fields": ("members", "new_members")}),
        (
            _("Webhook dan feed"),
            {
                "fields": (
                    "webhook_url", "webhook_enabled", "webhook_failures", "webhook_disabled_at",
                    "webhook_disabled_reason", "feed_token", "created_at",
                )
            },
        ),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_total=Count("members", distinct=True))

    @admin.display(description=_("anggota"), ordering="member_total")
    def member_count(self, partner):
        return partner.member_total

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        # A new partner is made by the service (slug, feed token, audit record); the form's members are then
        # saved onto it by save_related.
        made = services.partner_create(
            actor=request.user, name=obj.name, kind=obj.kind, description=obj.description, website=obj.website
        )
        if not obj.is_active:
            Partner.objects.filter(pk=made.pk).update(is_active=False)
        obj.pk, obj.slug, obj.feed_token, obj.created_at = made.pk, made.slug, made.feed_token, made.created_at
        obj._state.adding, obj._state.db = False, made._state.db

    def save_related(self, request, form, formsets, change):
        partner = form.instance
        before = set(partner.members.values_list("pk", flat=True)) if change else set()
        super().save_related(request, form, formsets, change)
        added = []
        for phone, existing in form.cleaned_data.get("new_members") or []:
            user = existing or user_create(actor=request.user, phone=phone, role=User.Role.PARTNER)
            added.append(user)
        if added:
            partner.members.add(*added)
            created = sum(1 for _phone, existing in form.cleaned_data["new_members"] if existing is None)
            if created:
                self.message_user(
                    request,
                    ngettext(
                        "%(n)d akun mitra dibuat; pemiliknya masuk dengan kode SMS ke nomornya.",
                        "%(n)d akun mitra dibuat; pemiliknya masuk dengan kode SMS ke nomornya.",
                        created,
                    )
                    % {"n": created},
                    messages.SUCCESS,
                )
        after = set(partner.members.values_list("pk", flat=True))
        if after != before:
            audit_record(
                actor=request.user,
                action="partner.members",
                obj=partner,
                changes={"added": sorted(after - before), "removed": sorted(before - after)},
            )


@admin.register(ApiKey)
class ApiKeyAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("prefix", "name", "partner", "scope", "created_at", "last_used_at", "expires_at", "revoked_at")
    list_filter = ("scope", ("revoked_at", admin.EmptyFieldListFilter), "partner")
    list_select_related = ("partner",)
    search_fields = ("=prefix", "name", "partner__name")
    # The hash stays out: it is of no use to a person, and the less a secret's traces travel the better.
    fields = (
        "partner", "name", "prefix", "scope", "created_at", "created_by", "last_used_at", "expires_at",
        "replaced_by", "revoked_at",
    )
    readonly_fields = fields
    actions = ("revoke",)

    @admin.action(description=_("Cabut kunci terpilih"))
    def revoke(self, request, queryset):
        revoked = 0
        for key in queryset.filter(revoked_at__isnull=True):
            services.api_key_revoke(actor=request.user, key=key)
            revoked += 1
        self.message_user(
            request, ngettext("%(n)d kunci dicabut.", "%(n)d kunci dicabut.", revoked) % {"n": revoked}, messages.SUCCESS
        )


@admin.register(Share)
class ShareAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("business", "partner", "state", "invited_at", "granted_at", "withdrawn_at", "changed_at")
    list_filter = ("state", "partner")
    list_select_related = ("business", "partner")
    raw_id_fields = ("business", "invited_by")
    search_fields = ("business__name",)
    show_full_result_count = False


class AttemptInline(ReadOnly, admin.TabularInline):
    model = WebhookAttempt
    extra = 0
    fields = ("at", "status_code", "error", "duration_ms")
    readonly_fields = fields


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("event_id", "partner", "topic", "key", "status", "attempts", "next_attempt_at", "delivered_at")
    list_filter = ("status", "topic", "partner")
    list_select_related = ("partner",)
    search_fields = ("=event_id", "key")
    inlines = (AttemptInline,)
    show_full_result_count = False
    ordering = ("-event_id",)


@admin.register(SalesReport)
class SalesReportAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("date", "business", "partner", "orders", "units", "gross_amount", "updated_at")
    list_filter = ("partner",)
    list_select_related = ("business", "partner")
    raw_id_fields = ("business",)
    search_fields = ("business__name",)
    date_hierarchy = "date"
    show_full_result_count = False
