"""The cash book: money in and out of a business, what others owe it and what it owes."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Direction(models.TextChoices):
    IN = "in", _("Uang masuk")
    OUT = "out", _("Uang keluar")


class Category(models.TextChoices):
    SALES = "sales", _("Penjualan")
    STOCK = "stock", _("Beli stok/bahan")
    WAGES = "wages", _("Gaji/upah")
    RENT = "rent", _("Sewa")
    UTILITIES = "utilities", _("Listrik, air, pulsa")
    TRANSPORT = "transport", _("Transportasi")
    OTHER = "other", _("Lain-lain")


class Method(models.TextChoices):
    CASH = "cash", _("Tunai")
    QRIS = "qris", _("QRIS")
    TRANSFER = "transfer", _("Transfer")
    EWALLET = "ewallet", _("Dompet digital")


class Source(models.TextChoices):
    MANUAL = "manual", _("Dicatat pemilik")
    ORDER = "order", _("Pesanan")
    PARTNER = "partner", _("Laporan mitra")
    DEBT = "debt", _("Pembayaran utang/piutang")
    IMPORT = "import", _("Impor")
    SYNTH = "synth", _("Data sintetis")


class Entry(models.Model):
    """One movement of money. Entries are never edited into something else: a mistake is deleted by its
    owner, a refund is an entry of its own."""

    # Indexed by (business, date) below, which serves look-ups by business alone too: a second index would
    # cost every row of a bulk import one more index entry. The database keeps every entry's business in
    # existence with set-based triggers instead of a row-by-row foreign key (migration 0004 says why).
    business = models.ForeignKey(
        "registry.Business", on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    direction = models.CharField(_("arah"), max_length=3, choices=Direction.choices)
    amount = models.BigIntegerField(_("jumlah (Rp)"))  # whole rupiah, always positive
    date = models.DateField(_("tanggal"))  # the business's own calendar day
    category = models.CharField(_("kategori"), max_length=16, choices=Category.choices)
    method = models.CharField(_("cara bayar"), max_length=10, choices=Method.choices, default=Method.CASH)
    note = models.CharField(_("catatan"), max_length=200, blank=True)
    party = models.CharField(_("pelanggan/pemasok"), max_length=120, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.MANUAL)
    # What made it, so that nothing is recorded twice however often it is sent: the client-made id of a
    # form ("form:<uuid>"), "order:<id>:sale" / "order:<id>:refund", "partner:<id>:<date>", ...
    source_key = models.CharField(max_length=100, blank=True)
    # Empty for what the platform posts and what bulk loads bring, so only the others are indexed (for
    # deleting a user).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    # The database's clock too, so a bulk load leaves the column out instead of sending one time per row.
    created_at = models.DateTimeField(default=timezone.now, db_default=Now())

    class Meta:
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="ledger_entry_amount_positive"),
            models.UniqueConstraint(
                fields=["business", "source_key"], condition=~Q(source_key=""), name="ledger_entry_source_once"
            ),
        ]
        indexes = [
            models.Index(fields=["business", "date"], name="ledger_entry_business_date"),
            models.Index(fields=["created_by"], condition=Q(created_by__isnull=False), name="ledger_entry_created_by"),
        ]

    @property
    def signed_amount(self) -> int:
        return self.amount if self.direction == Direction.IN else -self.amount


class Debt(models.Model):
    """Money owed between the business and someone else ("kasbon"): owed *to* the business (piutang, a
    customer who will pay later) or *by* it (utang, to a supplier). Paid off in parts."""

    class Kind(models.TextChoices):
        RECEIVABLE = "receivable", _("Piutang (orang lain berutang ke saya)")
        PAYABLE = "payable", _("Utang (saya berutang)")

    business = models.ForeignKey("registry.Business", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    party = models.CharField(_("nama"), max_length=120)
    phone = models.CharField(_("nomor HP"), max_length=16, blank=True)  # E.164, for the reminder
    amount = models.BigIntegerField(_("jumlah (Rp)"))
    paid = models.BigIntegerField(default=0)  # sum of the payments so far
    date = models.DateField(_("tanggal"))
    due_date = models.DateField(_("jatuh tempo"), null=True, blank=True)
    note = models.CharField(_("catatan"), max_length=200, blank=True)
    source_key = models.CharField(max_length=100, blank=True)  # the form's client-made id, as for entries
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_date", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="ledger_debt_amount_positive"),
            # The last line behind the service's check: more than owed can never be recorded as paid.
            models.CheckConstraint(condition=Q(paid__gte=0, paid__lte=models.F("amount")), name="ledger_debt_paid_within"),
            models.UniqueConstraint(
                fields=["business", "source_key"], condition=~Q(source_key=""), name="ledger_debt_source_once"
            ),
        ]

    @property
    def remaining(self) -> int:
        return self.amount - self.paid

    @property
    def settled(self) -> bool:
        return self.paid >= self.amount


class StatementShare(models.Model):
    """A link the owner made to send the financial statement of a period to someone (a bank officer, for a
    loan): anyone holding the token may open the PDF until it expires or the owner revokes it."""

    business = models.ForeignKey("registry.Business", on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64, unique=True)  # secrets.token_urlsafe(24)
    start = models.DateField()
    end = models.DateField()
    expires_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
