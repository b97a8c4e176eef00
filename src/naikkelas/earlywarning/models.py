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
