"""An owner with something in every table that holds an owner's data, built through the services where a
service exists, so what is exported and erased is what real use leaves behind."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from naikkelas.catalog import services as catalog_services
from naikkelas.core import crypto
from naikkelas.earlywarning.models import Intervention, RiskScore
from naikkelas.ledger import services as ledger_services
from naikkelas.ledger.models import StatementShare
from naikkelas.orders.models import Status
from naikkelas.partners import services as partners_services
from naikkelas.payments import services as payments_services
from naikkelas.registry import services as registry_services
from naikkelas.registry.models import Business
from tests.catalog.test_photos import image_bytes, upload
from tests.orders.factories import make_order
from tests.registry.factories import CATURTUNGGAL, make_business, make_owner

ANSWERS = {"nib": "yes", "catalogue": "no", "payments": ["cash"], "channels": ["whatsapp"], "books": "paper", "bank": "no"}


@dataclass
class Owned:
    """What an owner left on the platform, and the personal strings that must not survive deletion."""

    owner: object
    business: Business
    product: object
    order: object
    nik: str
    phone: str
    name: str
    owner_name: str
    address: str
    business_name: str


def make_full_owner(
    *, tag: str, phone: str, nik: str, partner=None, village: str = CATURTUNGGAL, officer=None,
) -> Owned:
    """`tag` goes into every text the owner typed, so a test can tell one owner's data from another's."""
    name, owner_name = f"Pemilik {tag}", f"Ibu {tag} Lestari"
    address, business_name = f"Jalan {tag} Nomor 7", f"Warung {tag}"
    owner = make_owner(phone, name=name)
    business = make_business(
        village=village, owner=owner, name=business_name, owner_name=owner_name, phone=phone, address=address,
        nib="1234567890123", nik=nik, capital=25_000_000, annual_sales=90_000_000, owner_birth_year=1980,
    )
    registry_services.consent_record(
        actor=owner, business=business, purpose=registry_services.REGISTRY_CONSENT_PURPOSE,
        version=registry_services.REGISTRY_CONSENT_VERSION,
    )
    registry_services.readiness_record(actor=owner, business=business, answers=ANSWERS)
    product = catalog_services.product_create(
        actor=owner, business=business, name=f"Keripik {tag}", description=f"Dibuat {owner_name}", price=15000,
        stock=10, photo=upload(image_bytes()),
    )
    catalog_services.shop_profile_update(actor=owner, business=business, tagline=f"Dapur {owner_name}")
    payments_services.payment_settings_update(
        actor=owner, business=business, cod_enabled=True, bank_name="BRI", bank_account_number=bank_account(phone),
        bank_account_holder=owner_name,
    )
    order = make_order(
        business, [(product, 2)], status=Status.COMPLETED, buyer_name=f"Pembeli {tag}",
        buyer_phone=buyer_phone(phone), buyer_address=f"Gang Pembeli {tag}", note=f"Titip ke {tag}",
    )
    today = timezone.localdate()
    ledger_services.entry_record(
        actor=owner, business=business, direction="in", amount=30000, date=today, category="sales",
        note=f"Jual ke tetangga {tag}", party=f"Tetangga {tag}",
    )
    ledger_services.debt_record(
        actor=owner, business=business, kind="receivable", party=f"Pak Utang {tag}", amount=50000, date=today,
        phone=debtor_phone(phone),
    )
    ledger_services.officer_summary_consent(actor=owner, business=business, granted=True)
    StatementShare.objects.create(
        business=business, token=f"token-{tag}", start=today - dt.timedelta(days=30), end=today,
        expires_at=timezone.now() + dt.timedelta(days=7),
    )
    if partner is not None:
        partners_services.share_grant(actor=owner, business=business, partner=partner)
    RiskScore.objects.create(
        business=business, as_of=today, method=RiskScore.Method.BASELINE, probability=0.4, tier="waspada",
        reasons=[{"feature": "revenue_1m_vs_3m", "value": 0.4, "peer_median": 0.9}],
    )
    Intervention.objects.create(
        business=business, kind=Intervention.Kind.TRAINING, assigned_to=officer, notes=f"Dilatih bersama {owner_name}",
    )
    return Owned(
        owner=owner, business=business, product=product, order=order, nik=nik, phone=phone, name=name,
        owner_name=owner_name, address=address, business_name=business_name,
    )


# Other people's numbers, different for each owner's `phone` (+62812xxxxxxxx), so a test can tell them apart.
def buyer_phone(phone: str) -> str:
    return "+62813" + phone[6:]


def debtor_phone(phone: str) -> str:
    return "+62814" + phone[6:]


def bank_account(phone: str) -> str:
    return "09" + phone[-11:]


def nik_hash(nik: str) -> str:
    return crypto.keyed_hash(nik)
