"""Django admin for the registry, for the admin role only, with every change written to the audit log.

NIK is shown masked and never decrypted here: an admin can replace or remove it, and find a business by it
(through the keyed hash), but not read it back.
"""

from django import forms
from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.id import nik as stdnum_nik

from naikkelas.core import crypto
from naikkelas.core.audit import audit_record
from naikkelas.core.models import AuditLog
from naikkelas.regions.selectors import region_children, under_regions_q
from naikkelas.registry.models import Business, Consent, ImportBatch, ReadinessAssessment, Source
from naikkelas.registry.services import field_changes, nik_fields, unique_slug
from naikkelas.registry.sizeclass import size_class


class AdminRoleOnly:
    """The admin site lets in `is_staff` users (the admin role); these models also ask for that role rather
    than Django's per-model permissions, which the platform does not hand out."""

    def _admin(self, request) -> bool:
        user = request.user
        return bool(user.is_authenticated and user.is_active and user.is_admin)

    def has_module_permission(self, request):
        return self._admin(request)

    def has_view_permission(self, request, obj=None):
        return self._admin(request)

    def has_add_permission(self, request, *args):
        return self._admin(request)

    def has_change_permission(self, request, obj=None):
        return self._admin(request)

    def has_delete_permission(self, request, obj=None):
        return self._admin(request)


class ReadOnly(AdminRoleOnly):
    """Records that are evidence (consents, answers, the audit log itself) are looked at, never edited."""

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _snapshot(obj) -> dict:
    return {field.attname: getattr(obj, field.attname) for field in obj._meta.concrete_fields}


class AuditedAdmin(AdminRoleOnly, admin.ModelAdmin):
    """Writes an AuditLog row for every add, change and delete made through the admin, naming the fields
    that changed with their old and new values (a NIK only as "diubah")."""

    def save_model(self, request, obj, form, change):
        before = {}
        if change:
            stored = type(obj).objects.filter(pk=obj.pk).first()
            before = _snapshot(stored) if stored is not None else {}
        super().save_model(request, obj, form, change)
        changes = field_changes(before, _snapshot(obj))
        changes.pop("updated_at", None)
        action = f"{obj._meta.model_name}.admin_{'change' if change else 'add'}"
        if changes or not change:
            audit_record(actor=request.user, action=action, obj=obj, changes=changes)

    def delete_model(self, request, obj):
        audit_record(
            actor=request.user, action=f"{obj._meta.model_name}.admin_delete", obj=obj, changes={"name": str(obj)}
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            audit_record(
                actor=request.user, action=f"{obj._meta.model_name}.admin_delete", obj=obj, changes={"name": str(obj)}
            )
        super().delete_queryset(request, queryset)


class BusinessAdminForm(forms.ModelForm):
    new_nik = forms.CharField(
        label=_("NIK baru"),
        required=False,
        max_length=16,
        help_text=_("Kosongkan untuk tidak mengubah. NIK tersimpan terenkripsi dan hanya tampil tersamar."),
    )
    remove_nik = forms.BooleanField(label=_("Hapus NIK"), required=False)

    class Meta:
        model = Business
        exclude = ("nik_ciphertext", "nik_hash", "nik_masked", "size_class")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _("Kosongkan agar dibuat dari nama usaha.")

    def clean_new_nik(self):
        value = "".join(self.cleaned_data["new_nik"].split())
        if not value:
            return ""
        try:
            return stdnum_nik.validate(value)
        except StdnumError:
            raise forms.ValidationError(
                _("NIK tidak valid: harus 16 angka dengan kode wilayah dan tanggal lahir yang benar.")
            ) from None

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("new_nik") and cleaned.get("remove_nik"):
            self.add_error("remove_nik", _("Pilih salah satu: ganti NIK atau hapus NIK."))
        return cleaned


class ProvinceFilter(admin.SimpleListFilter):
    """By province: 38 choices, where a filter on the village itself would list 83,762."""

    title = _("provinsi")
    parameter_name = "provinsi"

    def lookups(self, request, model_admin):
        return [(region.code, region.name) for region in region_children(None)]

    def queryset(self, request, queryset):
        code = self.value()
        if not code:
            return queryset
        return queryset.filter(under_regions_q([code], field="village__code"))


@admin.register(Business)
class BusinessAdmin(AuditedAdmin):
    form = BusinessAdminForm
    list_display = ("name", "village", "size_class", "readiness_level", "source", "owner", "created_at")
    list_filter = (ProvinceFilter, "size_class", "readiness_level", "source", ("owner", admin.EmptyFieldListFilter))
    list_select_related = ("village", "owner")
    search_fields = ("name", "owner_name", "=nib", "=external_ref", "phone", "=slug")
    raw_id_fields = ("village", "sector", "owner", "import_batch")
    readonly_fields = ("nik_masked", "size_class", "created_at", "updated_at")
    # 50,000+ rows: skip the second, unfiltered COUNT the changelist would otherwise run on every page.
    show_full_result_count = False
    list_per_page = 50
    ordering = ("-pk",)

    def get_search_results(self, request, queryset, search_term):
        """A 16-digit term is also looked up as a NIK, through its keyed hash (nothing is decrypted)."""
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = "".join(search_term.split())
        if len(term) == 16 and term.isdigit():
            results = results | queryset.filter(Q(nik_hash=crypto.keyed_hash(term)))
        return results, may_have_duplicates

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if data.get("new_nik"):
            for name, value in nik_fields(data["new_nik"]).items():
                setattr(obj, name, value)
        elif data.get("remove_nik"):
            for name, value in nik_fields("").items():
                setattr(obj, name, value)
        if not obj.slug:
            obj.slug = unique_slug(obj.name)
        if not change:
            obj.source = Source.ADMIN
        obj.size_class = size_class(capital=obj.capital, annual_sales=obj.annual_sales)
        super().save_model(request, obj, form, change)


@admin.register(Consent)
class ConsentAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("business", "purpose", "version", "granted", "at", "by")
    list_filter = ("purpose", "version", "granted")
    list_select_related = ("business", "by")
    raw_id_fields = ("business", "by")
    search_fields = ("business__name",)
    show_full_result_count = False


@admin.register(ReadinessAssessment)
class ReadinessAssessmentAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("business", "level", "at", "by")
    list_filter = ("level",)
    list_select_related = ("business", "by")
    raw_id_fields = ("business", "by")
    search_fields = ("business__name",)
    show_full_result_count = False


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("original_name", "status", "uploaded_by", "created_at", "committed_at", "rows_written")
    list_filter = ("status",)
    list_select_related = ("uploaded_by",)
    raw_id_fields = ("uploaded_by",)


@admin.register(AuditLog)
class AuditLogAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("at", "actor", "action", "object_type", "object_id", "reason")
    list_filter = ("action", "object_type")
    list_select_related = ("actor",)
    search_fields = ("=object_id", "action")
    date_hierarchy = "at"
    raw_id_fields = ("actor",)
    show_full_result_count = False
