from django.db import models


class SyntheticOutcome(models.Model):
    """What really happened to a synthetic business whose cash book `naikkelas synth` wrote: whether and when
    it closed, and how its sales came through the shock. Kept apart from everything the platform records, as
    the truth that early warnings on synthetic data are checked against; nothing shows it to users."""

    business = models.OneToOneField("registry.Business", on_delete=models.CASCADE, primary_key=True, related_name="+")
    closed_on = models.DateField(null=True, blank=True)
    # Sales four months after the shock against before it, in per cent (-62 for a fall of 62 %).
    revenue_change = models.SmallIntegerField()
    recovered = models.BooleanField(default=False)
    history_start = models.DateField()
    history_end = models.DateField()
