"""`naikkelas rotate_keys [--check] [--rehash] [--batch-size N]`

Re-encrypts every stored NIK (Business.nik_ciphertext) and partner webhook secret (Partner.webhook_secret)
under the newest key, the first of NIK_ENCRYPTION_KEYS, in batches of N rows, each its own transaction; an
interrupted run is simply run again. `--rehash` also makes every nik_hash again with the current NIK_HASH_KEY.
`--check` writes nothing and counts the ciphertexts that still need an old key. See docs/OPERATIONS.md,
"Key rotation".

Exit status: 0 when every ciphertext was read; 1 when some open with no key in NIK_ENCRYPTION_KEYS.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from naikkelas.core import keys


class Command(BaseCommand):
    help = _("Enkripsi ulang NIK dan rahasia webhook dengan kunci terbaru (--check: hanya hitung).")

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help=_("hanya hitung sandi yang masih perlu kunci lama; tidak menulis")
        )
        parser.add_argument(
            "--rehash", action="store_true", help=_("buat ulang hash NIK dengan NIK_HASH_KEY yang sekarang")
        )
        parser.add_argument(
            "--batch-size", type=int, default=keys.BATCH_SIZE, help=_("baris per transaksi (bawaan: %(default)s)")
        )

    def handle(self, *args, check, rehash, batch_size, **options):
        if check and rehash:
            raise CommandError(_("--check dan --rehash tidak bisa dipakai bersama."))
        if batch_size < 1:
            raise CommandError(_("--batch-size harus 1 atau lebih."))
        results = keys.run(check=check, rehash=rehash, batch_size=batch_size)
        unreadable = 0
        for name, counts in results.items():
            unreadable += counts.unreadable
            if check:
                line = _("%(column)s: %(checked)d sandi, %(old)d masih perlu kunci lama, %(unreadable)d tidak terbaca")
                values = {"column": name, "checked": counts.checked, "old": counts.old_key}
                self.stdout.write(line % {**values, "unreadable": counts.unreadable})
                continue
            line = _(
                "%(column)s: %(checked)d sandi, %(rotated)d dienkripsi ulang, %(current)d sudah dengan kunci terbaru, "
                "%(changed)d berubah saat dibaca (dilewati), %(unreadable)d tidak terbaca"
            ) % {
                "column": name,
                "checked": counts.checked,
                "rotated": counts.rotated,
                "current": counts.current,
                "changed": counts.changed,
                "unreadable": counts.unreadable,
            }
            if rehash and name.endswith("nik_ciphertext"):
                line += _("; %(rehashed)d hash NIK dibuat ulang") % {"rehashed": counts.rehashed}
            self.stdout.write(line)
        if unreadable:
            message = _("%(count)d sandi tidak bisa dibuka dengan kunci mana pun di NIK_ENCRYPTION_KEYS.")
            raise CommandError(message % {"count": unreadable})
