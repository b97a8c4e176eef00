import getpass
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from naikkelas.accounts.models import User
from naikkelas.accounts.services import user_create


def read_password(options) -> str:
    if options["password"]:
        return options["password"]
    if not sys.stdin.isatty():
        raise CommandError("--password is required when not run interactively")
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Password (again): "):
        raise CommandError("The passwords do not match")
    return first


def create(command: BaseCommand, options, *, role: str) -> None:
    try:
        user = user_create(
            actor=None,
            phone=options["phone"],
            name=options["name"],
            role=role,
            password=read_password(options),
            region_codes=options.get("region") or (),
        )
    except ValidationError as error:
        raise CommandError(
            "; ".join(f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items())
        ) from error
    regions = ", ".join(user.regions.order_by("code").values_list("code", flat=True))
    command.stdout.write(f"{role} {user.phone} ({user.name or '-'}) created" + (f"; regions {regions}" if regions else ""))


class Command(BaseCommand):
    help = "Create a programme officer who logs in with a phone number and password, scoped to regions."

    def add_arguments(self, parser):
        parser.add_argument("--phone", required=True, help="e.g. 0812-3456-7890")
        parser.add_argument("--name", default="")
        parser.add_argument(
            "--region", action="append", required=True, help="Kemendagri code, e.g. 34 or 34.71; repeat for more"
        )
        parser.add_argument("--password", help="asked for when omitted (interactive only)")

    def handle(self, *args, **options):
        create(self, options, role=User.Role.OFFICER)
