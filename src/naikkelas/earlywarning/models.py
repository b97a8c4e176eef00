from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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
    """A trained model, versioned: the closures it learned from (recorded up to `trained_until`), what it saw,
    and the model itself as LightGBM's text. The newest trained is the active one."""

    trained_until = models.DateField()
    rows = models.PositiveIntegerField()
    closing_rows = models.PositiveIntegerField()  # rows that closed within 90 days
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
