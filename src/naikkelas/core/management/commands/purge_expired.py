"""`naikkelas purge_expired`: apply every retention limit now (core/housekeeping.py); the worker does the same
each night at 03:00."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext_lazy

from naikkelas.core import housekeeping


class Command(BaseCommand):
    help = gettext_lazy(
        "Hapus yang sudah lewat masa simpannya: kode sekali pakai, penghitung batas, jawaban Idempotency-Key, "
        "sesi, berkas impor yang tak disimpan, buku usaha yang dihapus pemiliknya setelah masa simpannya."
    )

    def handle(self, *args, **options):
        for path, removed in housekeeping.run().items():
            self.stdout.write(f"{path.rsplit('.', 1)[-1]}: {removed}")
