"""`naikkelas reindex`: build the product and shop search index again from the catalogue.

Needed once after loading data by other means than the catalogue's services (imports, synthetic data, a
restored backup), and after changing how text is indexed (catalog/search/text.py or documents.py). On SQLite
searches keep answering from the old index until the new one is complete; on PostgreSQL they wait for it.
"""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from naikkelas.catalog.search import index_rebuild


class Command(BaseCommand):
    help = _("Bangun ulang indeks pencarian produk dan toko.")

    def handle(self, *args, **options):
        counts = index_rebuild()
        self.stdout.write(
            _("Indeks pencarian: %(products)s produk, %(shops)s toko, %(terms)s kata dasar, %(seconds)s detik.")
            % counts
        )
