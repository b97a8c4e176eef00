from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from naikkelas.accounts.phones import normalize_phone


class UserManager(BaseUserManager):
    def create_user(self, phone: str, password: str | None = None, **fields):
        user = self.model(phone=normalize_phone(phone), **fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, phone: str, password: str | None = None, **fields):
        fields.setdefault("role", User.Role.ADMIN)
        fields.setdefault("is_superuser", True)
        return self.create_user(phone, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """Everyone who logs in. The phone number (E.164, e.g. +6281234567890) is the login."""

    class Role(models.TextChoices):
        OWNER = "owner", _("Pemilik usaha")
        OFFICER = "officer", _("Petugas")
        PARTNER = "partner", _("Mitra")
        ADMIN = "admin", _("Admin")

    phone = models.CharField(_("nomor HP"), max_length=16, unique=True)
    name = models.CharField(_("nama"), max_length=120, blank=True)
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.OWNER, db_index=True)
    # Officers see the businesses in these regions (any level: a province, a regency, a district...).
    regions = models.ManyToManyField("regions.Region", blank=True, related_name="officers")
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "phone"
    REQUIRED_FIELDS: list[str] = []

    def __str__(self) -> str:
        return self.name or self.phone

    def clean(self):
        super().clean()
        try:
            self.phone = normalize_phone(self.phone)
        except ValidationError as error:
            raise ValidationError({"phone": error.messages})
        # Officers and admins open other people's data: an SMS code alone must never be enough.
        if self.role in (self.Role.OFFICER, self.Role.ADMIN) and not self.has_usable_password():
            raise ValidationError({"role": _("Petugas dan admin wajib memakai kata sandi. Buat kata sandi dulu.")})

    @property
    def is_staff(self) -> bool:
        # Django's admin is for admins only.
        return self.is_active and self.role == self.Role.ADMIN

    @property
    def is_owner(self) -> bool:
        return self.role == self.Role.OWNER

    @property
    def is_officer(self) -> bool:
        return self.role == self.Role.OFFICER

    @property
    def is_admin(self) -> bool:
        return self.role == self.Role.ADMIN

    @property
    def is_partner(self) -> bool:
        return self.role == self.Role.PARTNER


class OtpChallenge(models.Model):
    """A one-time code sent to a phone. Only a hash of the code is kept."""

    class Purpose(models.TextChoices):
        LOGIN = "login", _("Masuk")
        SIGNUP = "signup", _("Daftar")

    phone = models.CharField(max_length=16, db_index=True)
    purpose = models.CharField(max_length=8, choices=Purpose.choices)
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["phone", "created_at"])]
