"""`naikkelas export_owner_data PHONE FILE [--reference TEXT]`

Writes the same ZIP an owner downloads from "Data saya" for the owner with this phone number, for an admin
answering a request received by letter (UU PDP art. 7 and 32: a copy within 3 × 24 hours). Photos are given
by their paths under MEDIA_URL, since there is no request to take a host name from. The export is audited,
with `--reference` (the letter's number) as its reason.
"""

import shutil

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from naikkelas.accounts.models import User
from naikkelas.accounts.phones import normalize_phone
from naikkelas.privacy import services
from naikkelas.privacy.exporting import owner_archive


class Command(BaseCommand):
    help = "Write an owner's data (data.json and one CSV per table, in a ZIP) to FILE."

    def add_arguments(self, parser):
        parser.add_argument("phone")
        parser.add_argument("file")
        parser.add_argument("--reference", default="", help="the request's reference, kept in the audit log")

    def handle(self, *args, phone, file, reference, **options):
        try:
            phone = normalize_phone(phone)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages))
        owner = User.objects.filter(phone=phone, role=User.Role.OWNER).first()
        if owner is None:
            raise CommandError(f"no owner has the phone number {phone}")
        archive, counts = owner_archive(owner, photo_url=lambda field: field.url if field.name else "")
        with archive, open(file, "wb") as out:
            shutil.copyfileobj(archive, out)
        services.export_record(actor=None, owner=owner, counts=counts, reason=reference[:255])
        self.stdout.write(f"{file}: {sum(counts.values())} rows in {len(counts)} tables")
