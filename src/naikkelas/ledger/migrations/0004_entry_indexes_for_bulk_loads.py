"""Cash-book entries made cheaper to load in bulk, with the same guarantee that each belongs to a business.

- The index on business alone goes: the (business, date) index serves those look-ups too.
- The index on created_by keeps only the rows that have one (what the platform posts and bulk loads have none).
- created_at gets the database's clock as its default, so a bulk load need not send it with every row.
- Entries can come from `naikkelas synth` (source "synth").
- The foreign key from an entry to its business becomes a pair of triggers. A foreign key checks each new row
  with a query of its own, which on PostgreSQL cost more than storing the row (4 µs of 9 per row in a bulk
  import). The triggers work on a whole statement at once: after rows are added, their businesses are locked
  against deletion (FOR KEY SHARE, as the foreign key does) and must all exist; after businesses are deleted,
  their entries go with them, as the model's on_delete=CASCADE says (Django deletes them first anyway; the
  trigger catches a delete that skips them, and a delete that waited on an import's lock takes the imported
  entries too). On SQLite, where each row costs little, the same rules hold row by row.
"""

import django.db.models.deletion
import django.db.models.functions.datetime
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

MISSING = "ledger_entry.business_id refers to a business that does not exist"

POSTGRESQL = [
    f"""
    CREATE FUNCTION ledger_entry_business_exists() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM 1 FROM registry_business b
        WHERE b.id IN (SELECT DISTINCT n.business_id FROM new_rows n) FOR KEY SHARE OF b;
      IF EXISTS (SELECT 1 FROM new_rows n WHERE NOT EXISTS (SELECT 1 FROM registry_business b WHERE b.id = n.business_id)) THEN
        RAISE foreign_key_violation USING MESSAGE = '{MISSING}';
      END IF;
      RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER ledger_entry_business_exists_insert AFTER INSERT ON ledger_entry
      REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ledger_entry_business_exists()
    """,
    """
    CREATE TRIGGER ledger_entry_business_exists_update AFTER UPDATE ON ledger_entry
      REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ledger_entry_business_exists()
    """,
    """
    CREATE FUNCTION registry_business_takes_entries() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      DELETE FROM ledger_entry e USING old_rows o WHERE e.business_id = o.id;
      RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER registry_business_takes_entries AFTER DELETE ON registry_business
      REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION registry_business_takes_entries()
    """,
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER registry_business_takes_entries ON registry_business",
    "DROP FUNCTION registry_business_takes_entries()",
    "DROP TRIGGER ledger_entry_business_exists_update ON ledger_entry",
    "DROP TRIGGER ledger_entry_business_exists_insert ON ledger_entry",
    "DROP FUNCTION ledger_entry_business_exists()",
]
SQLITE = [
    f"""
    CREATE TRIGGER ledger_entry_business_exists_insert BEFORE INSERT ON ledger_entry
    WHEN NOT EXISTS (SELECT 1 FROM registry_business WHERE id = NEW.business_id)
    BEGIN SELECT RAISE(ABORT, '{MISSING}'); END
    """,
    f"""
    CREATE TRIGGER ledger_entry_business_exists_update BEFORE UPDATE OF business_id ON ledger_entry
    WHEN NOT EXISTS (SELECT 1 FROM registry_business WHERE id = NEW.business_id)
    BEGIN SELECT RAISE(ABORT, '{MISSING}'); END
    """,
    """
    CREATE TRIGGER registry_business_takes_entries AFTER DELETE ON registry_business
    BEGIN DELETE FROM ledger_entry WHERE business_id = OLD.id; END
    """,
]
SQLITE_REVERSE = [
    "DROP TRIGGER registry_business_takes_entries",
    "DROP TRIGGER ledger_entry_business_exists_update",
    "DROP TRIGGER ledger_entry_business_exists_insert",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor[schema_editor.connection.vendor]:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ('ledger', '0003_statement_share'),
        ('registry', '0002_business_index_diet'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='entry',
            name='business',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='registry.business'),
        ),
        migrations.AlterField(
            model_name='entry',
            name='created_by',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='entry',
            name='created_at',
            field=models.DateTimeField(db_default=django.db.models.functions.datetime.Now(), default=django.utils.timezone.now),
        ),
        migrations.AlterField(
            model_name='entry',
            name='source',
            field=models.CharField(choices=[('manual', 'Dicatat pemilik'), ('order', 'Pesanan'), ('partner', 'Laporan mitra'), ('debt', 'Pembayaran utang/piutang'), ('import', 'Impor'), ('synth', 'Data sintetis')], default='manual', max_length=10),
        ),
        migrations.AddIndex(
            model_name='entry',
            index=models.Index(condition=models.Q(('created_by__isnull', False)), fields=['created_by'], name='ledger_entry_created_by'),
        ),
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}),
        ),
    ]
