import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SizeClass(models.TextChoices):
    """PP 7/2021 size classes (see registry/sizeclass.py)."""

    MICRO = "micro", _("Mikro")
    SMALL = "small", _("Kecil")
    MEDIUM = "medium", _("Menengah")
    LARGE = "large", _("Besar")


class Channel(models.TextChoices):
    OFFLINE = "offline", _("Toko/lapak offline")
    WHATSAPP = "whatsapp", _("WhatsApp")
    SOCIAL = "social", _("Media sosial")
    MARKETPLACE = "marketplace", _("Marketplace")


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("Tunai")
    QRIS = "qris", _("QRIS")
    TRANSFER = "transfer", _("Transfer bank")
    EWALLET = "ewallet", _("Dompet digital")


class Source(models.TextChoices):
    SIGNUP = "signup", _("Daftar sendiri")
    IMPORT = "import", _("Impor petugas")
    SYNTH = "synth", _("Data sintetis")
    ADMIN = "admin", _("Admin")


class Business(models.Model):
    """A UMKM. It may arrive from an officer's import before its owner signs up and claims it."""

    name = models.CharField(_("nama usaha"), max_length=160)
    slug = models.SlugField(max_length=80, unique=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="businesses"
    )
    owner_name = models.CharField(_("nama pemilik"), max_length=120, blank=True)
    # The agency's own id for the business: how imports, ledgers and outcomes refer to it.
    external_ref = models.CharField(max_length=64, null=True, blank=True, unique=True)
    nib = models.CharField(_("NIB"), max_length=13, blank=True, db_index=True)
    # NIK is never stored in clear: Fernet ciphertext for the rare audited read, a keyed hash for look-ups,
    # and the masked form for display (see core/crypto.py).
    nik_ciphertext = models.TextField(blank=True)
    nik_hash = models.CharField(max_length=64, blank=True, db_index=True)
    nik_masked = models.CharField(max_length=16, blank=True)
    phone = models.CharField(_("nomor HP"), max_length=16, blank=True, db_index=True)
    address = models.CharField(_("alamat"), max_length=255, blank=True)
    # No index of its own: the (village, name) index below starts with it, and serves look-ups by village.
    village = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", db_index=False)
    sector = models.ForeignKey("regions.Sector", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    founded_year = models.PositiveSmallIntegerField(_("tahun berdiri"), null=True, blank=True)
    employees = models.PositiveIntegerField(_("jumlah pekerja"), null=True, blank=True)
    capital = models.BigIntegerField(_("modal usaha (Rp)"), null=True, blank=True)
    annual_sales = models.BigIntegerField(_("omzet setahun (Rp)"), null=True, blank=True)
    # Not indexed (nor readiness_level): dashboards read pre-aggregated summaries, and every index costs
    # each imported row a write.
    size_class = models.CharField(max_length=8, choices=SizeClass.choices, blank=True)
    owner_birth_year = models.PositiveSmallIntegerField(_("tahun lahir pemilik"), null=True, blank=True)
    channels = models.JSONField(default=list, blank=True)
    marketplaces = models.JSONField(default=list, blank=True)  # names, e.g. ["Tokopedia", "Shopee"]
    payment_methods = models.JSONField(default=list, blank=True)
    has_bank_account = models.BooleanField(null=True, blank=True)
    # The latest readiness level (0–4), kept here for lists; the history is in ReadinessAssessment.
    readiness_level = models.PositiveSmallIntegerField(null=True, blank=True)
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.SIGNUP)
    # Not indexed: batches are not deleted in normal use, so SET_NULL's scan of this column is rare.
    import_batch = models.ForeignKey(
        "ImportBatch", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("usaha")
        verbose_name_plural = _("usaha")
        indexes = [models.Index(fields=["village", "name"])]

    def __str__(self) -> str:
        return self.name


class Consent(models.Model):
    """An owner's consent (or its withdrawal) for one purpose, at one version of the text they saw."""

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(max_length=64)
    version = models.CharField(max_length=16)
    granted = models.BooleanField()
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-at"]


class ReadinessAssessment(models.Model):
    """One answer sheet of the digital readiness questionnaire and the level it gave."""

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="assessments")
    answers = models.JSONField()
    level = models.PositiveSmallIntegerField()
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-at"]


class ImportBatch(models.Model):
    """An uploaded spreadsheet between preview and commit. The file stays on disk; the report is its summary."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("Pratinjau")
        COMMITTED = "committed", _("Tersimpan")
        FAILED = "failed", _("Gagal")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    original_name = models.CharField(max_length=255)
    stored_path = models.CharField(max_length=500)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREVIEWED)
    report = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    committed_at = models.DateTimeField(null=True, blank=True)
    rows_written = models.PositiveIntegerField(default=0)
