from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from naikkelas.accounts.services import otp_purge
from naikkelas.core.idempotency import idempotency_purge
from naikkelas.core.ratelimit import purge_before


class Command(BaseCommand):
    help = "Delete expired one-time codes, old rate-limit counters and old idempotency keys (run daily)."

    def handle(self, *args, **options):
        codes = otp_purge()
        # The longest rate-limit window is an hour; a day back leaves every live window alone.
        counters = purge_before(timezone.now() - timedelta(days=1))
        # Kept answers of partner requests hold buyers' details; after a day a key counts as new anyway.
        answers = idempotency_purge()
        self.stdout.write(
            f"{codes} kode kedaluwarsa, {counters} penghitung batas, dan {answers} jawaban Idempotency-Key dihapus."
        )
