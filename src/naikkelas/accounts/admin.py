from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm as DjangoUserChangeForm
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from naikkelas.accounts.models import OtpChallenge, User
from naikkelas.accounts.phones import normalize_phone


class UserCreationForm(forms.ModelForm):
    """Phone, role and regions; a password is optional for owners and required for officers and admins
    (User.clean says so once the password is on the instance)."""

    password1 = forms.CharField(label=_("Kata sandi"), required=False, strip=False, widget=forms.PasswordInput)
    password2 = forms.CharField(label=_("Ulangi kata sandi"), required=False, strip=False, widget=forms.PasswordInput)

    class Meta:
        model = User
        fields = ("phone", "name", "role", "regions")

    def clean_phone(self):
        return normalize_phone(self.cleaned_data["phone"])

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 != password2:
            self.add_error("password2", _("Kedua kata sandi tidak sama."))
        elif password1:
            try:
                validate_password(password1, self.instance)
            except ValidationError as error:
                self.add_error("password1", error)
            else:
                self.instance.set_password(password1)
        else:
            self.instance.set_unusable_password()
        return cleaned


class UserChangeForm(DjangoUserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    list_display = ("phone", "name", "role", "is_active", "date_joined")
    list_filter = ("role", "is_active")
    search_fields = ("phone", "name")
    ordering = ("phone",)
    # 91,599 regions: a plain select would send them all to the browser.
    raw_id_fields = ("regions",)
    readonly_fields = ("last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("phone", "password")}),
        (_("Orang"), {"fields": ("name", "role", "regions", "is_active")}),
        (_("Hak akses Django"), {"fields": ("is_superuser", "groups", "user_permissions")}),
        (_("Waktu"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("phone", "name", "role", "regions", "password1", "password2")}),
    )


@admin.register(OtpChallenge)
class OtpChallengeAdmin(admin.ModelAdmin):
    """Read-only: for answering "I never got my code". The code hash is not shown."""

    list_display = ("phone", "purpose", "created_at", "expires_at", "attempts", "used_at", "ip")
    list_filter = ("purpose",)
    search_fields = ("phone",)
    date_hierarchy = "created_at"
    fields = ("phone", "purpose", "created_at", "expires_at", "attempts", "used_at", "ip")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
