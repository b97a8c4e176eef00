"""`naikkelas demo --no-serve`: builds the demo province and logins, and a second run reuses them."""

import datetime as dt
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Max, Min
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from naikkelas.accounts.models import User
from naikkelas.accounts.phones import normalize_phone
from naikkelas.catalog.models import Product, ProductPhoto, ShopProfile
from naikkelas.demo.management.commands.demo import OWNER_PRODUCTS
from naikkelas.demo.models import SyntheticOutcome
from naikkelas.demo.risk import EVERY_DAYS, NIGHTS
from naikkelas.earlywarning.selectors import SURVIVAL_DAYS
from naikkelas.earlywarning.models import Intervention, RiskScore
from naikkelas.ledger.models import Entry
from naikkelas.ledger.models import Source as EntrySource
from naikkelas.orders.models import Order, OrderLine
from naikkelas.payments import qris
from naikkelas.payments.models import PaymentSettings
from naikkelas.registry.models import Business, Source

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def snapshot_dir(settings, tmp_path):
    """The demo writes the early-warning snapshot; each test gets a folder of its own."""
    settings.SNAPSHOT_DIR = tmp_path / "snapshot"


def demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", "--no-serve", *args, stdout=out)
    return out.getvalue()


def printed_logins(output: str) -> dict[str, str]:
    """{role label: phone} and the officer's password, as a person would read them off the screen."""
    owner = re.search(r"Pemilik usaha\s*:\s*(0[\d-]+)", output)
    officer = re.search(r"Petugas DIY\s*:\s*(0[\d-]+)\s+kata sandi:\s*(\S+)", output)
    assert owner and officer, output
    return {"owner": owner.group(1), "officer": officer.group(1), "password": officer.group(2)}


def test_demo_creates_the_province_and_prints_logins_that_work():
    output = demo("--businesses", "200")

    logins = printed_logins(output)
    owner = User.objects.get(phone=normalize_phone(logins["owner"]))
    officer = User.objects.get(phone=normalize_phone(logins["officer"]))
    assert owner.role == User.Role.OWNER
    assert not owner.has_usable_password()  # logs in by one-time code
    business = Business.objects.get(owner=owner)
    assert business.village.code.startswith("34.71.")  # Kota Yogyakarta
    assert officer.role == User.Role.OFFICER
    assert officer.check_password(logins["password"])
    assert list(officer.regions.values_list("code", flat=True)) == ["34"]
    assert Business.objects.filter(source=Source.SYNTH, village__code__startswith="34.").count() == 200
    assert "http://127.0.0.1:8000" in output
    assert f"http://127.0.0.1:8000/{business.slug}/" in output  # the owner's storefront


def test_demo_run_twice_reuses_the_data_and_the_logins():
    first = demo("--businesses", "200")
    businesses = set(Business.objects.values_list("pk", flat=True))
    users = set(User.objects.values_list("pk", "phone", "role"))

    second = demo("--businesses", "200")

    assert set(Business.objects.values_list("pk", flat=True)) == businesses
    assert set(User.objects.values_list("pk", "phone", "role")) == users
    assert printed_logins(second) == printed_logins(first)
    assert "sudah ada; dipakai lagi" in second


def test_demo_refuses_production_settings_and_writes_nothing():
    with override_settings(PRODUCTION=True), pytest.raises(CommandError, match="production"):
        demo("--businesses", "10")

    assert not Business.objects.exists()
    assert not User.objects.exists()
    assert not Product.objects.exists()


def test_demo_gives_the_owner_a_shop_that_looks_alive(client):
    # Given a fresh demo
    demo("--businesses", "200")
    owner = User.objects.get(phone=normalize_phone("0812-0000-0001"))
    business = Business.objects.get(owner=owner)

    # Then the owner's shop sells a dozen products, the shown ones with a photo
    products = Product.objects.filter(business=business)
    assert products.count() == len(OWNER_PRODUCTS)
    shown = products.filter(is_active=True)
    assert ProductPhoto.objects.filter(product__in=shown).values("product").distinct().count() == shown.count()
    assert products.filter(is_active=False).exists() and products.filter(made_to_order=True).exists()
    # It takes COD, a (fictional but valid) QRIS, and transfer
    payment = PaymentSettings.objects.get(business=business)
    assert payment.cod_enabled and payment.transfer_enabled
    assert qris.decode(payment.qris_payload).merchant_name == "BAKPIA BU SRI"
    # It has two months of orders, the latest still new, paid ones marked by the owner
    orders = Order.objects.filter(business=business)
    assert orders.count() > 20
    assert orders.filter(status="new").count() >= 2
    assert not orders.filter(paid_at__isnull=False).exclude(paid_by=owner).exists()
    assert not OrderLine.objects.filter(order__business=business).exclude(product__business=business).exists()
    # And the province has other shops too, one product for every four businesses
    assert Product.objects.exclude(business=business).count() == 50
    assert ShopProfile.objects.count() > 2

    # When a buyer opens the storefront, it shows the products
    response = client.get(f"/{business.slug}/")
    assert response.status_code == 200
    assert "Bakpia Kacang Hijau isi 20" in response.content.decode()


def test_demo_run_twice_keeps_the_owners_shop_as_it_is():
    demo("--businesses", "100")
    business = Business.objects.get(owner__phone=normalize_phone("0812-0000-0001"))
    products = set(Product.objects.filter(business=business).values_list("pk", flat=True))
    orders = set(Order.objects.filter(business=business).values_list("pk", flat=True))

    demo("--businesses", "100")

    assert set(Product.objects.filter(business=business).values_list("pk", flat=True)) == products
    assert set(Order.objects.filter(business=business).values_list("pk", flat=True)) == orders


def test_demo_partner_logs_in_and_sees_the_shop_that_shares_with_it(client):
    # Given a fresh demo
    output = demo("--businesses", "50")
    login = re.search(r"Mitra\s*:\s*(0[\d-]+)\s+kata sandi:\s*(\S+)", output)
    assert login, output

    # When the partner's person logs in with what the terminal printed
    person = User.objects.get(phone=normalize_phone(login.group(1)))
    assert person.role == User.Role.PARTNER and person.check_password(login.group(2))
    client.force_login(person)

    # Then their partner's pages list the demo owner's shop among those that share
    from naikkelas.partners.models import Partner, Share

    partner = Partner.objects.get(members=person)
    owner_business = Business.objects.get(owner__phone=normalize_phone("0812-0000-0001"))
    assert Share.objects.filter(partner=partner, business=owner_business, state=Share.State.GRANTED).exists()
    response = client.get(f"/mitra/{partner.pk}/usaha/")
    assert response.status_code == 200
    assert owner_business.name in response.content.decode()


def test_demo_gives_the_owner_and_one_business_in_ten_a_two_year_cash_book(client):
    demo("--businesses", "200")

    owner = Business.objects.get(owner__isnull=False, source=Source.SIGNUP)
    book = Entry.objects.filter(business=owner, source=EntrySource.SYNTH)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    assert book.aggregate(first=Min("date"))["first"] <= yesterday - dt.timedelta(days=700)
    assert book.filter(date__gte=yesterday - dt.timedelta(days=7)).exists()  # her shop is still open
    synthetic = Business.objects.filter(source=Source.SYNTH).order_by("pk")
    assert list(SyntheticOutcome.objects.order_by("pk").values_list("business_id", flat=True)) == [
        *synthetic.values_list("pk", flat=True)[:20], owner.pk
    ]
    assert SyntheticOutcome.objects.get(business=owner).closed_on is None
    # and her cash book page shows the money of the last days
    client.force_login(owner.owner)
    page = client.get(reverse("ledger:home", args=[owner.pk]))
    assert page.status_code == 200 and book.filter(date=book.aggregate(last=Max("date"))["last"]).exists()


def test_demo_officer_finds_half_a_year_of_scores_and_the_help_given(client):
    output = demo("--businesses", "200")
    scored_days = sorted(set(RiskScore.objects.values_list("as_of", flat=True)))
    assert len(scored_days) == NIGHTS and (scored_days[-1] - scored_days[0]).days == (NIGHTS - 1) * EVERY_DAYS
    assert (scored_days[-1] - scored_days[0]).days > SURVIVAL_DAYS  # the first night's help can be judged
    first_night_at_risk = RiskScore.objects.filter(as_of=scored_days[0], tier__in=["kritis", "rawan"]).count()
    helped = Intervention.objects.filter(status="done")
    assert helped.exists() and helped.count() < first_night_at_risk  # half, by lot: the others to compare with
    assert all(item.scored_on == scored_days[0] and item.tier_before in ("kritis", "rawan") for item in helped)

    logins = printed_logins(output)
    officer = User.objects.get(phone=normalize_phone(logins["officer"]))
    client.force_login(officer)
    watchlist = client.get(reverse("earlywarning:watchlist")).content.decode()
    assert "Peluang tutup dalam 90 hari" in watchlist and 'class="sparkline"' in watchlist
    assert "Dibantu, sudah 6 bulan" in client.get(reverse("earlywarning:help_list")).content.decode()

    demo("--businesses", "200")  # a second run adds no scores or help
    assert Intervention.objects.count() == helped.count()
    assert len(set(RiskScore.objects.values_list("as_of", flat=True))) == NIGHTS
