"""`naikkelas nik_read BUSINESS_ID --admin PHONE --reason TEXT`: print one business's full NIK, audited.

For the rare written request that needs the number itself (registry.identity). The admin account named is
the one recorded as having read it, with the reason; the number goes to this terminal only.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext_lazy

from naikkelas.accounts.models import User
from naikkelas.accounts.phones import normalize_phone
from naikkelas.registry.identity import nik_read


class Command(BaseCommand):
    help = gettext_lazy("Tampilkan NIK lengkap satu usaha (tercatat: siapa, kapan, alasan).")

    def add_arguments(self, parser):
        parser.add_argument("business_id", type=int)
        parser.add_argument("--admin", required=True, help=gettext_lazy("nomor HP akun admin yang membuka"))
        parser.add_argument("--reason", required=True, help=gettext_lazy("alasan, mis. nomor surat permintaan"))

    def handle(self, *args, business_id, admin, reason, **options):
        try:
            actor = User.objects.filter(phone=normalize_phone(admin)).first()
            self.stdout.write(nik_read(actor=actor, business_id=business_id, reason=reason))
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
