"""`naikkelas purge_erased`: remove the books kept for deleted accounts once their ten years are over
(privacy.services.erased_purge). Safe to run every night."""

from django.core.management.base import BaseCommand

from naikkelas.privacy.services import erased_purge


class Command(BaseCommand):
    help = "Remove the kept books of deleted accounts whose keeping period has ended."

    def handle(self, *args, **options):
        self.stdout.write(f"{erased_purge()} businesses' books removed")
