import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The owner's word on automated scoring, as a registry Consent: granted = scored (the default, with no
# record), withdrawn = left out of scoring; the version names the text they saw.
SCORING = "earlywarning:scoring"
SCORING_VERSION = "2026-11"
FOLLOW_UP_AFTER_DAYS = 30  # help given is checked on a month later


class Closure(models.Model):
    """That a business closed, and when: recorded by an officer, or loaded in bulk (`naikkelas import
    outcomes`). The outcomes a model learns from and is measured against."""

    class Source(models.TextChoices):
        OFFICER = "officer", _("Dicatat petugas")
        IMPORT = "import", _("Impor")
        SYNTH = "synth", _("Data sintetis")

    business = models.OneToOneField("registry.Business", on_delete=models.CASCADE, related_name="+")
    closed_on = models.DateField(_("tutup pada"))
    source = models.CharField(max_length=10, choices=Source.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)


class RiskModel(models.Model):
    """A trained model, versioned: its training window (the days it learned from, `trained_from` to 90 days
    before `trained_until`, with the closures recorded up to `trained_until`), what it saw, how the same recipe
    measured out of time on what was known then (`evaluation`, as `pipeline.evaluate` reports it; {} when
    there was too little history to hold some back), and the model itself as LightGBM's text. The newest
    trained is the active one."""

    trained_from = models.DateField(null=True)
    trained_until = models.DateField()
    rows = models.PositiveIntegerField()
    closing_rows = models.PositiveIntegerField()  # rows that closed within 90 days
    evaluation = models.JSONField(default=dict)
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        get_latest_by = "pk"


class RiskScore(models.Model):
    """A business's risk as its books stood on `as_of`: the probability of closing within 90 days, its tier,
    and the reasons as [{"feature", "value", "peer_median"}], the weightiest first."""

    class Method(models.TextChoices):
        BASELINE = "baseline", _("Rumus dasar")
        MODEL = "model", _("Model")

    business = models.ForeignKey("registry.Business", on_delete=models.CASCADE, related_name="+")
    as_of = models.DateField()
    method = models.CharField(max_length=10, choices=Method.choices)
    model = models.ForeignKey(RiskModel, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    probability = models.FloatField()
    tier = models.CharField(max_length=10)
    reasons = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["business", "as_of", "method"], name="one_score_a_day")]
        indexes = [models.Index(fields=["as_of", "tier"], name="riskscore_day_tier")]


class Intervention(models.Model):
    """Help an officer plans for a business at risk, gives, and follows up. The risk the business stood at when
    the help was planned is kept (`scored_on`, `tier_before`, `risk_before`), so what became of it afterwards
    can be set against similar businesses that got no help."""

    class Kind(models.TextChoices):
        MARKET = "market", _("Akses pasar lewat marketplace atau katalog mitra")
        TRAINING = "training", _("Pelatihan pengelolaan keuangan dan usaha")
        FINANCING = "financing", _("Rujukan pembiayaan (KUR)")
        DEBTS = "debts", _("Penagihan piutang atau restrukturisasi utang")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Direncanakan")
        DONE = "done", _("Sudah dilakukan")
        CANCELLED = "cancelled", _("Dibatalkan")

    business = models.ForeignKey("registry.Business", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("jenis bantuan"), max_length=10, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("petugas")
    )
    scheduled_on = models.DateField(_("jadwal"), null=True, blank=True)
    done_on = models.DateField(_("dilakukan pada"), null=True, blank=True)
    notes = models.TextField(_("yang dilakukan"), blank=True)
    follow_up_on = models.DateField(_("tindak lanjut pada"), null=True, blank=True)
    follow_up_notes = models.TextField(_("hasil tindak lanjut"), blank=True)
    scored_on = models.DateField(null=True, blank=True)
    tier_before = models.CharField(max_length=10, blank=True)
    risk_before = models.FloatField(null=True, blank=True)
    method_before = models.CharField(max_length=10, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["business", "status"], name="intervention_business")]

    @property
    def follow_up_due(self) -> bool:
        """Given a month or more ago and not followed up yet."""
        return (
            self.status == self.Status.DONE and self.follow_up_on is None
            and self.done_on <= timezone.localdate() - dt.timedelta(days=FOLLOW_UP_AFTER_DAYS)
        )
