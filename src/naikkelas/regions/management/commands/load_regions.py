import time

from django.core.management.base import BaseCommand

from naikkelas.regions.loading import load_all
from naikkelas.regions.models import Region, Sector


class Command(BaseCommand):
    help = "Load Indonesia's regions (Kemendagri codes) and KBLI 2020 sectors. Safe to run again."

    def handle(self, *args, **options):
        started = time.perf_counter()
        added = load_all()
        counts = {level.label: Region.objects.filter(level=level).count() for level in Region.Level}
        self.stdout.write(
            f"added {added['regions']} regions and {added['sectors']} sectors in {time.perf_counter() - started:.1f} s; "
            + ", ".join(f"{label}: {n:,}" for label, n in counts.items())
            + f"; KBLI: {Sector.objects.count():,}"
        )
