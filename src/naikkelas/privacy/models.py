"""What is left of an account its owner deleted: which businesses' books are kept, and until when."""

from django.db import models
from django.utils import timezone

# UU 28/2007 (KUP) art. 28(11): books, records and the documents behind them are kept for ten years.
BOOKS_KEPT_YEARS = 10


class ErasedBusiness(models.Model):
    """A business whose owner deleted their account. Its personal data is gone; its books (cash book, debts,
    orders) stay until `keep_until`, then `naikkelas purge_erased` removes the business with them. No personal
    data here: `business_id` is the platform's own number, and the business row itself is renamed."""

    # Not a foreign key: this row outlives the business, as the record that its removal was due and done.
    business_id = models.BigIntegerField(unique=True)
    erased_at = models.DateTimeField(default=timezone.now)
    keep_until = models.DateField()
    purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["keep_until"], condition=models.Q(purged_at__isnull=True), name="erased_due")]
