from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from naikkelas.accounts.services import otp_purge
from naikkelas.core.ratelimit import purge_before


class Command(BaseCommand):
    help = "Delete expired one-time codes and old rate-limit counters (run daily)."

    def handle(self, *args, **options):
        codes = otp_purge()
        # The longest rate-limit window is an hour; a day back leaves every live window alone.
        counters = purge_before(timezone.now() - timedelta(days=1))
        self.stdout.write(f"{codes} kode kedaluwarsa dan {counters} penghitung batas dihapus.")
