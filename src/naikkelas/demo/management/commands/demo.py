"""`naikkelas demo [--businesses 20000] [--no-serve]`: a working site with a demo province, from nothing.

Migrates, loads the reference data, generates the synthetic businesses of DI Yogyakarta (province 34) with
a few hundred shops (products, placeholder photos, a month of orders) and two years of cash book for one
business in ten, creates the demo logins if they are missing, prints them, and serves http://127.0.0.1:8000 with `serve` (gunicorn, DEBUG off, static files
through WhiteNoise). Every step is idempotent, so a second run reuses the data and starts in seconds.

The logins:
- an owner (0812-0000-0001) with a business in Kota Yogyakarta, Bakpia Bu Sri, whose shop already sells a
  dozen products with photos, takes COD, QRIS and transfer, has two months of orders (the latest still
  waiting for the owner) and a cash book of the last two years; the owner logs in with a one-time code, which goes to SMS_BACKEND (printed in
  this terminal by default);
- an officer (0812-0000-0002) scoped to the province, who logs in with the password printed here;
- a partner's person (0812-0000-0003) of "Pasar Nusantara (demo)", a marketplace that Bakpia Bu Sri shares
  its catalogue with, who logs in with the password printed here and makes API keys on the partner pages.
The demo refuses to run with production settings: the officer's password is public.
"""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from naikkelas.accounts.models import User
from naikkelas.accounts.phones import display_phone, normalize_phone
from naikkelas.catalog.models import ShopProfile
from naikkelas.demo.cashbooks import write_open_cash_book
from naikkelas.demo.risk import build_risk
from naikkelas.demo.synthetic import ShopKey, index_shop, province_history, write_shops
from naikkelas.ledger.models import Entry
from naikkelas.ledger.models import Source as EntrySource
from naikkelas.partners.models import Partner
from naikkelas.partners.services import partner_create, share_grant
from naikkelas.payments import qris
from naikkelas.payments.services import payment_settings_update
from naikkelas.regions.models import Region
from naikkelas.registry.models import Business, Source
from naikkelas.registry.services import business_create
from naikkelas.synth.products import Seller, Shop

PROVINCE = "34"  # DI Yogyakarta
CITY = "34.71"  # Kota Yogyakarta
SEED = 1
OWNER_PHONE = "0812-0000-0001"
OFFICER_PHONE = "0812-0000-0002"
OFFICER_PASSWORD = "petugas-demo-diy"
PARTNER_PHONE = "0812-0000-0003"
PARTNER_PASSWORD = "mitra-demo-nusantara"
PARTNER_NAME = "Pasar Nusantara (demo)"
BIND = "127.0.0.1:8000"
# The demo province's shops: enough for search and the storefronts to look alive, few enough that the
# first `make demo` stays quick (docs/BENCHMARKS.md): one product for every four businesses, 5,000 by default.
PRODUCTS_PER_BUSINESS = 0.25
ORDER_DAYS = 30
PHOTOS = 36
# One business in ten keeps its cash book on the platform, 24 months of it (about a thousand entries each):
# 2,000 books by default, enough for the early warnings to learn from, few enough for a quick first start.
CASH_BOOK_MONTHS = 24
CASH_BOOK_SHARE = 0.1
OWNER_ORDER_DAYS = 60
OWNER_WAITING = 2  # orders from the last hours still new, so the owner's first look has something to do

# Bakpia Bu Sri's shop: (name, price, stock or None when made to order, unit, grams, category, description,
# shown in the shop).
OWNER_PRODUCTS = (
    ("Bakpia Kacang Hijau isi 20", 35_000, 40, "kotak", 650, "Bakpia",
     "Bakpia kulit tipis isi kacang hijau, dipanggang tiap pagi. Tahan 5 hari tanpa pengawet.", True),
    ("Bakpia Keju isi 20", 42_000, 25, "kotak", 650, "Bakpia",
     "Isi keju cheddar yang lumer, favorit anak-anak.", True),
    ("Bakpia Cokelat isi 20", 40_000, 30, "kotak", 650, "Bakpia", "Isi cokelat pekat, tidak terlalu manis.", True),
    ("Bakpia Kumbu Hitam isi 20", 40_000, 18, "kotak", 650, "Bakpia",
     "Isi kacang hitam (kumbu) resep lama keluarga.", True),
    ("Bakpia Kukus Ubi Ungu isi 10", 30_000, 0, "kotak", 450, "Bakpia",
     "Bakpia kukus lembut dari ubi ungu Kulon Progo. Habis, dibuat lagi hari Sabtu.", True),
    ("Bakpia Basah Hangat isi 15", 30_000, None, "kotak", 500, "Bakpia",
     "Langsung dari oven, ambil di toko atau diantar di sekitar Malioboro. Pesan H-1.", True),
    ("Geplak Aneka Rasa", 25_000, 22, "kotak", 350, "Oleh-oleh",
     "Geplak kelapa khas Bantul: stroberi, pandan, durian, original.", True),
    ("Yangko Kacang", 20_000, 35, "kotak", 250, "Oleh-oleh", "Kue kenyal dari tepung ketan isi kacang.", True),
    ("Wingko Babat isi 10", 35_000, 12, "kotak", 500, "Oleh-oleh", "Wingko kelapa muda, dibakar arang.", True),
    ("Roti Kembang Waru", 5_000, 25, "pcs", 80, "Kue Tradisional",
     "Kue khas Kotagede berbentuk bunga waru, dimasak di tungku.", True),
    ("Paket Oleh-oleh Jogja", 95_000, None, "paket", 1_800, "Oleh-oleh",
     "Dua kotak bakpia, geplak, dan yangko dalam kardus rapi, siap dibawa pulang.", True),
    ("Kue Kering Nastar 500 gr", 85_000, 0, "toples", 550, "Kue Kering",
     "Nastar selai nanas asli, hanya dibuat menjelang Lebaran.", False),
)
# A fictional merchant (the QRIS test vectors are for parsing tests only): the demo shows QRIS checkout
# without pointing at anyone's real account.
OWNER_QRIS_FIELDS = [
    ("00", "01"),
    ("01", "11"),
    ("26", qris.build_tlv([("00", "ID.CO.CONTOH.WWW"), ("01", "936000000000000017"), ("02", "DEMO0000017"),
                           ("03", "UMI")])),
    ("51", qris.build_tlv([("00", qris.QRIS_DOMAIN), ("02", "ID1000000000017"), ("03", "UMI")])),
    ("52", "5462"),  # bakeries
    ("53", "360"),
    ("58", "ID"),
    ("59", "BAKPIA BU SRI"),
    ("60", "YOGYAKARTA"),
    ("61", "55271"),
]


def owner_qris_payload() -> str:
    body = qris.build_tlv(OWNER_QRIS_FIELDS) + "6304"
    return body + qris.crc16(body.encode("ascii"))


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


def _owner_shop() -> Shop:
    seller = Seller(key=None, sector_code="10710", kategori="C", size_class="small", catalogue_step=True,
                    place="Yogyakarta")
    products = [
        {
            "name": name,
            "description": description,
            "price": price,
            "stock": stock or 0,
            "made_to_order": stock is None,
            "unit": unit,
            "weight_grams": grams,
            "category": category,
            "is_active": shown,
            "listed_days_ago": 200 - 15 * position,
        }
        for position, (name, price, stock, unit, grams, category, description, shown) in enumerate(OWNER_PRODUCTS)
    ]
    return Shop(
        key=None,
        tagline="Bakpia hangat dan oleh-oleh Jogja sejak 2016, dekat Malioboro",
        opening_hours=[
            {"days": ["Mo", "Tu", "We", "Th", "Fr", "Sa"], "opens": "07:00", "closes": "20:00"},
            {"days": ["Su"], "opens": "08:00", "closes": "14:00"},
        ],
        products=products,
        seller=seller,
    )


def ensure_owner_shop(owner: User) -> bool:
    """Bakpia Bu Sri's shop with its products, photos, payment methods and orders, if it has none yet."""
    business = Business.objects.get(owner=owner)
    if ShopProfile.objects.filter(business=business).exists():
        return False
    payment_settings_update(
        actor=owner,
        business=business,
        cod_enabled=True,
        bank_name="BPD DIY",
        bank_account_number="001221000017",
        bank_account_holder=owner.name,
        qris_payload=owner_qris_payload(),
    )
    now = timezone.now()
    key = ShopKey(business.pk, CITY, "small", ("cod", "qris", "transfer"), paid_by=owner.pk, waiting=OWNER_WAITING)
    history = province_history(PROVINCE, seed=SEED, days=OWNER_ORDER_DAYS, now=now)
    write_shops([(_owner_shop(), key)], photos=len(OWNER_PRODUCTS), history=history, now=now)
    index_shop(business.pk)
    return True


def ensure_owner_books(owner: User) -> bool:
    """Bakpia Bu Sri's cash book of the last 24 months, if she has none yet: a history in which her shop is
    still open, since she is using it today."""
    business = Business.objects.get(owner=owner)
    if Entry.objects.filter(business=business, source=EntrySource.SYNTH).exists():
        return False
    write_open_cash_book(business, seed=SEED, months=CASH_BOOK_MONTHS, today=timezone.localdate())
    return True


def ensure_officer() -> User:
    phone = normalize_phone(OFFICER_PHONE)
    officer = User.objects.filter(phone=phone).first()
    if officer is None:
        officer = User.objects.create_user(
            phone, password=OFFICER_PASSWORD, role=User.Role.OFFICER, name="Petugas Dinas Koperasi DIY"
        )
    officer.regions.add(Region.objects.get(code=PROVINCE))
    return officer


def ensure_partner(owner: User) -> User:
    """The demo marketplace, its person, and the demo owner's decision to share with it."""
    phone = normalize_phone(PARTNER_PHONE)
    person = User.objects.filter(phone=phone).first()
    if person is None:
        person = User.objects.create_user(phone, password=PARTNER_PASSWORD, role=User.Role.PARTNER, name="Tim Integrasi")
    partner = Partner.objects.filter(name=PARTNER_NAME).first() or partner_create(
        actor=None,
        name=PARTNER_NAME,
        description="Marketplace contoh: menampilkan katalog toko yang berbagi dan meneruskan pesanan pembelinya.",
    )
    partner.members.add(person)
    share_grant(actor=owner, business=Business.objects.get(owner=owner), partner=partner)
    return person


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
        self.stdout.write(_("1/5 Menyiapkan basis data..."))
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(_("2/5 Memuat wilayah dan KBLI..."))
        call_command("load_regions", verbosity=verbosity, stdout=self.stdout)
        self.stdout.write(_("3/5 Membuat usaha sintetis DI Yogyakarta..."))
        call_command(
            "synth",
            province=PROVINCE,
            businesses=businesses,
            seed=SEED,
            products=int(businesses * PRODUCTS_PER_BUSINESS),
            orders_days=ORDER_DAYS,
            photos=PHOTOS,
            cash_book_months=CASH_BOOK_MONTHS,
            cash_books=int(businesses * CASH_BOOK_SHARE),
            keep_existing=True,
            verbosity=verbosity,
            stdout=self.stdout,
        )
        self.stdout.write(_("4/5 Menyiapkan akun demo..."))
        with transaction.atomic():
            owner = ensure_owner()
            officer = ensure_officer()
            ensure_owner_shop(owner)
            ensure_owner_books(owner)
            partner = ensure_partner(owner)
        self.stdout.write(_("5/5 Menilai risiko usaha dari buku kas (snapshot, model, skor enam bulan terakhir)..."))
        build_risk(officer)
        call_command("indicators", verbosity=verbosity, stdout=self.stdout)
        self.print_logins(owner, officer, partner, bind)
        if not no_serve:
            call_command("serve", bind=bind, workers=2)

    def print_logins(self, owner: User, officer: User, partner: User, bind: str) -> None:
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
                    _("                  tokonya: http://%(bind)s/%(slug)s/")
                    % {"bind": bind, "slug": Business.objects.get(owner=owner).slug},
                    _("  Petugas DIY   : %(phone)s  kata sandi: %(password)s")
                    % {
                        "phone": display_phone(officer.phone),
                        "password": OFFICER_PASSWORD
                        if officer.check_password(OFFICER_PASSWORD)
                        else _("(sudah diganti dari bawaan demo)"),
                    },
                    _("                  melihat semua usaha di DI Yogyakarta"),
                    _("  Mitra         : %(phone)s  kata sandi: %(password)s")
                    % {
                        "phone": display_phone(partner.phone),
                        "password": PARTNER_PASSWORD
                        if partner.check_password(PARTNER_PASSWORD)
                        else _("(sudah diganti dari bawaan demo)"),
                    },
                    _("                  %(name)s: kunci API di http://%(bind)s/mitra/, API di /api/v1/docs")
                    % {"name": PARTNER_NAME, "bind": bind},
                    line,
                    "",
                ]
            )
        )
