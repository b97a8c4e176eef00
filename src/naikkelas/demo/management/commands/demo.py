"""`naikkelas demo [--businesses 20000] [--no-serve]`: a working site with a demo province, from nothing.

Migrates, loads the reference data, generates the synthetic businesses of DI Yogyakarta (province 34),
creates two demo logins if they are missing, prints them, and serves http://127.0.0.1:8000 with `serve`
(gunicorn, DEBUG off, static files through WhiteNoise). Every step is idempotent, so a second run reuses
the data and starts in seconds.

The logins:
- an owner (0812-0000-0001) with a business in Kota Yogyakarta, who logs in with a one-time code; the
  code goes to SMS_BACKEND, which prints it in this terminal by default;
- an officer (0812-0000-0002) scoped to the province, who logs in with the password printed here.
The demo refuses to run with production settings: the officer's password is public.
"""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from naikkelas.accounts.models import User
from naikkelas.accounts.phones import display_phone, normalize_phone
from naikkelas.regions.models import Region
from naikkelas.registry.models import Business, Source
from naikkelas.registry.services import business_create

PROVINCE = "34"  # DI Yogyakarta
CITY = "34.71"  # Kota Yogyakarta
SEED = 1
OWNER_PHONE = "0812-0000-0001"
OFFICER_PHONE = "0812-0000-0002"
OFFICER_PASSWORD = "petugas-demo-diy"
BIND = "127.0.0.1:8000"


def ensure_owner() -> User:
    phone = normalize_phone(OWNER_PHONE)
    owner = User.objects.filter(phone=phone).first()
    if owner is None:
        owner = User.objects.create_user(phone, role=User.Role.OWNER, name="Sri Wahyuni")
    if not Business.objects.filter(owner=owner).exists():
        villages = Region.objects.filter(level=Region.Level.VILLAGE, code__startswith=f"{CITY}.")
        village = villages.order_by("code").first()
        business_create(
            actor=owner,
            name="Bakpia Bu Sri",
            village_code=village.code,
            owner=owner,
            sector_code="10710",
            source=Source.SIGNUP,
            owner_name=owner.name,
            phone=owner.phone,
            address="Jl. Malioboro No. 17",
            founded_year=2016,
            employees=3,
            capital=40_000_000,
            annual_sales=180_000_000,
            owner_birth_year=1988,
            channels=["offline", "whatsapp"],
            payment_methods=["cash"],
            has_bank_account=True,
        )
    return owner


def ensure_officer() -> User:
    phone = normalize_phone(OFFICER_PHONE)
    officer = User.objects.filter(phone=phone).first()
    if officer is None:
        officer = User.objects.create_user(
            phone, password=OFFICER_PASSWORD, role=User.Role.OFFICER, name="Petugas Dinas Koperasi DIY"
        )
    officer.regions.add(Region.objects.get(code=PROVINCE))
    return officer


class Command(BaseCommand):
    help = _("Siapkan situs demo (provinsi DI Yogyakarta, akun demo) lalu jalankan di http://127.0.0.1:8000.")

    def add_arguments(self, parser):
        parser.add_argument("--businesses", type=int, default=20_000, help=_("jumlah usaha sintetis (bawaan 20000)"))
        parser.add_argument("--no-serve", action="store_true", help=_("siapkan data saja, tanpa menjalankan server"))
        parser.add_argument("--bind", default=BIND, help=_("alamat:port server, bawaan 127.0.0.1:8000"))

    def handle(self, *args, businesses, no_serve, bind, **options):
        if settings.PRODUCTION:
            raise CommandError(_("Demo tidak boleh dijalankan dengan NAIKKELAS_ENV=production: kata sandinya umum."))
        if businesses < 0:
            raise CommandError(_("--businesses harus 0 atau lebih."))
        verbosity = options["verbosity"]
        self.stdout.write(_("1/4 Menyiapkan basis data..."))
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(_("2/4 Memuat wilayah dan KBLI..."))
        call_command("load_regions", verbosity=verbosity, stdout=self.stdout)
        self.stdout.write(_("3/4 Membuat usaha sintetis DI Yogyakarta..."))
        call_command(
            "synth",
            province=PROVINCE,
            businesses=businesses,
            seed=SEED,
            keep_existing=True,
            verbosity=verbosity,
            stdout=self.stdout,
        )
        self.stdout.write(_("4/4 Menyiapkan akun demo..."))
        with transaction.atomic():
            owner = ensure_owner()
            officer = ensure_officer()
        self.print_logins(owner, officer, bind)
        if not no_serve:
            call_command("serve", bind=bind, workers=2)

    def print_logins(self, owner: User, officer: User, bind: str) -> None:
        line = "=" * 72
        self.stdout.write(
            "\n".join(
                [
                    "",
                    line,
                    _("  Naik Kelas demo: http://%(bind)s") % {"bind": bind},
                    "",
                    _("  Pemilik usaha : %(phone)s (%(name)s, Bakpia Bu Sri, Kota Yogyakarta)")
                    % {"phone": display_phone(owner.phone), "name": owner.name},
                    _("                  masuk dengan kode sekali pakai; kodenya tampil di terminal ini"),
                    _("  Petugas DIY   : %(phone)s  kata sandi: %(password)s")
                    % {
                        "phone": display_phone(officer.phone),
                        "password": OFFICER_PASSWORD
                        if officer.check_password(OFFICER_PASSWORD)
                        else _("(sudah diganti dari bawaan demo)"),
                    },
                    _("                  melihat semua usaha di DI Yogyakarta"),
                    line,
                    "",
                ]
            )
        )
