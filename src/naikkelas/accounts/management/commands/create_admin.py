from django.core.management.base import BaseCommand

from naikkelas.accounts.management.commands.create_officer import create
from naikkelas.accounts.models import User


class Command(BaseCommand):
    help = "Create an admin (all regions, Django admin) who logs in with a phone number and password."

    def add_arguments(self, parser):
        parser.add_argument("--phone", required=True, help="e.g. 0812-3456-7890")
        parser.add_argument("--name", default="")
        parser.add_argument("--password", help="asked for when omitted (interactive only)")

    def handle(self, *args, **options):
        create(self, options, role=User.Role.ADMIN)
