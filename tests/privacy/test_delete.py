"""An owner deletes their account: personal data goes from every table, the books stay detached from the
person, the shop leaves the web and the partners, the sessions end, and it is all or nothing."""

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from naikkelas.accounts.models import User
from naikkelas.catalog.models import Product, ProductPhoto, SearchEntry, ShopProfile
from naikkelas.core.models import AuditLog, OutboxEvent
from naikkelas.earlywarning.models import SCORING, Intervention, RiskScore
from naikkelas.ledger.models import Debt, Entry, StatementShare
from naikkelas.orders.models import Order, Status
from naikkelas.partners.models import Share
from naikkelas.payments.models import PaymentSettings
from naikkelas.privacy import services
from naikkelas.privacy.models import ErasedBusiness
from naikkelas.registry.models import Business, Consent, ReadinessAssessment
from naikkelas.registry.services import ERASED_NAME
from tests.orders.factories import make_order
from tests.partners.factories import Api, make_key, make_partner_org
from tests.privacy.factories import bank_account, buyer_phone, debtor_phone, make_full_owner, nik_hash
from tests.registry.factories import KRICAK, SLEMAN, make_officer, make_owner

pytestmark = pytest.mark.django_db

NIK_A = "3404074501800001"
NIK_B = "3471016602850002"
# Reference data: it cannot hold anyone's personal data, and reading 91,599 regions would slow every test.
NOT_SCANNED = {"regions_region", "regions_sector"}


@pytest.fixture
def partner():
    return make_partner_org("Pasar Nusantara")


@pytest.fixture
def mine(partner):
    return make_full_owner(
        tag="Alfa", phone="+6281211110001", nik=NIK_A, partner=partner, officer=make_officer(SLEMAN)
    )


@pytest.fixture
def theirs():
    return make_full_owner(tag="Zulu", phone="+6281299990009", nik=NIK_B, village=KRICAK)


def _tables_holding(text: str) -> set[str]:
    """Every table of the database with a row in which `text` appears, in any column."""
    found = set()
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if table in NOT_SCANNED:
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            if any(text in str(row) for row in cursor.fetchall()):
                found.add(table)
    return found


def _delete(client, user, word: str = "hapus"):
    client.force_login(user)
    return client.post(reverse("privacy:delete"), {"confirm": word})


def test_deletion_leaves_none_of_the_persons_data_in_any_table(client, mine, theirs):
    personal = {
        "phone": mine.phone, "name": mine.name, "owner's name": mine.owner_name, "address": mine.address,
        "business name": mine.business_name, "NIK hash": nik_hash(NIK_A), "masked NIK": "3404********0001",
        "bank account": bank_account(mine.phone), "buyer's phone": buyer_phone(mine.phone),
        "debtor's phone": debtor_phone(mine.phone),
    }
    # The scan sees them before, so an empty answer after means they are gone.
    assert all(_tables_holding(text) for text in personal.values())

    response = _delete(client, mine.owner)

    assert response.status_code == 302
    left = {what: _tables_holding(text) for what, text in personal.items()}
    assert left == {what: set() for what in personal}
    # The other owner's data is untouched.
    for text in (theirs.phone, nik_hash(NIK_B), theirs.owner_name, bank_account(theirs.phone), buyer_phone(theirs.phone)):
        assert _tables_holding(text)


def test_deletion_keeps_the_books_detached_from_the_person_until_their_date(client, mine):
    business_id, entries = mine.business.pk, Entry.objects.filter(business_id=mine.business.pk).count()

    _delete(client, mine.owner)

    business = Business.objects.get(pk=business_id)
    assert (business.name, business.owner, business.slug) == (ERASED_NAME, None, f"dihapus-{business_id}")
    assert (business.nik_ciphertext, business.nik_hash, business.nik_masked, business.phone) == ("", "", "", "")
    assert Entry.objects.filter(business_id=business_id).count() == entries == 1
    assert Entry.objects.get(business_id=business_id).created_by is None
    debt = Debt.objects.get(business_id=business_id)
    assert (debt.party, debt.amount, debt.phone) == ("Pak Utang Alfa", 50000, "")
    order = Order.objects.get(pk=mine.order.pk)
    assert (order.buyer_name, order.total, order.buyer_phone, order.buyer_address, order.note) == (
        "Pembeli Alfa", 30000, "", "", ""
    )
    assert order.lines.get().quantity == 2
    kept = ErasedBusiness.objects.get(business_id=business_id)
    today = timezone.localdate()
    assert kept.keep_until == dt.date(today.year + 10, today.month, min(today.day, 28) if today.month == 2 else today.day)
    # What only served the person is gone.
    assert not ReadinessAssessment.objects.filter(business_id=business_id).exists()
    assert not StatementShare.objects.filter(business_id=business_id).exists()
    assert not PaymentSettings.objects.filter(business_id=business_id).exists()
    assert not RiskScore.objects.filter(business_id=business_id).exists()
    help_given = Intervention.objects.get(business_id=business_id)
    assert (help_given.kind, help_given.notes) == (Intervention.Kind.TRAINING, "")


def test_the_shop_leaves_the_web_search_and_partners(client, mine, partner):
    key = make_key(partner)
    api = Api(key)
    slug, business_id, product_id = mine.business.slug, mine.business.pk, mine.product.pk
    assert client.get(f"/{slug}/").status_code == 200
    assert api.get(f"/businesses/{business_id}").status_code == 200
    assert api.get(f"/products/{product_id}").status_code == 200
    partner_feed = reverse("partners_feeds:partner_feed", args=[partner.feed_token, "produk.csv"])
    shop_feed = reverse("partners_feeds:shop_feed", args=[slug, "produk.csv"])
    assert "Keripik Alfa" in b"".join(client.get(partner_feed).streaming_content).decode()
    assert client.get(shop_feed).status_code == 200

    _delete(client, mine.owner)

    client.logout()
    assert client.get(f"/{slug}/").status_code == 404
    assert not ShopProfile.objects.filter(business_id=business_id).exists()
    assert not SearchEntry.objects.filter(business_id=business_id).exists()
    assert not ProductPhoto.objects.filter(product_id=product_id).exists()
    assert Product.objects.get(pk=product_id).deleted_at is not None
    assert api.get(f"/businesses/{business_id}").status_code == 404
    assert api.get(f"/products/{product_id}").status_code == 404
    assert "Keripik Alfa" not in b"".join(client.get(partner_feed).streaming_content).decode()
    assert client.get(shop_feed).status_code == 404
    assert Share.objects.get(business_id=business_id, partner=partner).state == Share.State.WITHDRAWN
    topics = set(OutboxEvent.objects.filter(business_id=business_id).values_list("topic", flat=True))
    assert {"consent.withdrawn", "product.deleted"} <= topics


def test_every_consent_is_withdrawn_and_recorded(client, mine):
    business_id = mine.business.pk
    _delete(client, mine.owner)
    latest = {}
    for purpose, granted in Consent.objects.filter(business_id=business_id).order_by("at", "pk").values_list("purpose", "granted"):
        latest[purpose] = granted
    assert latest == {"registry": False, "ledger:officer_summary": False, "partner:pasar-nusantara": False, SCORING: False}


def test_deletion_ends_every_session_and_the_account(client, mine):
    elsewhere = Client()
    elsewhere.force_login(mine.owner)
    user_id = mine.owner.pk

    response = _delete(client, mine.owner)

    assert response["Location"] == reverse("home")
    assert not User.objects.filter(pk=user_id).exists()
    for device in (client, elsewhere):
        assert device.get(reverse("privacy:data"))["Location"].startswith(reverse("accounts:login"))
    assert not [s for s in Session.objects.all() if str(s.get_decoded().get("_auth_user_id")) == str(user_id)]
    # The audit log keeps that it happened, by nobody now, with ids and a date only.
    row = AuditLog.objects.get(action="privacy.account_delete")
    assert (row.actor, row.object_id) == (None, str(user_id))
    assert row.changes == {"businesses": [mine.business.pk], "books_kept_until": row.changes["books_kept_until"]}


def test_a_wrong_word_deletes_nothing(client, mine):
    with translation.override("id"):
        response = _delete(client, mine.owner, word="hapus akun")
    assert response.status_code == 400
    assert "Ketik HAPUS" in response.content.decode()
    assert User.objects.filter(pk=mine.owner.pk).exists()
    assert Business.objects.get(pk=mine.business.pk).name == mine.business_name


def test_an_unfinished_order_blocks_deletion_and_says_which_and_what_to_do(client, mine):
    waiting = make_order(mine.business, [(mine.product, 1)], status=Status.PAID)
    with translation.override("id"):
        client.force_login(mine.owner)
        page = client.get(reverse("privacy:delete")).content.decode()
        response = _delete(client, mine.owner)
    assert f"#{waiting.number} (Warung Alfa)" in page and "batalkan" in page
    assert response.status_code == 400
    assert f"#{waiting.number}" in response.content.decode()
    assert User.objects.filter(pk=mine.owner.pk).exists()
    assert ShopProfile.objects.filter(business_id=mine.business.pk).exists()
    assert not ErasedBusiness.objects.exists()


def test_a_failure_midway_leaves_everything_as_it_was(mine, partner, monkeypatch):
    before_audit = AuditLog.objects.count()

    def broken(**kwargs):
        raise RuntimeError("disk full")

    # Fails after the sharing, shop, payment, orders and books steps have run for the business.
    monkeypatch.setattr(services.registry_services, "business_erase", broken)
    with pytest.raises(RuntimeError):
        services.account_delete(actor=mine.owner)

    assert User.objects.get(pk=mine.owner.pk).phone == mine.phone
    business = Business.objects.get(pk=mine.business.pk)
    assert (business.name, business.owner_id, business.nik_hash) == (mine.business_name, mine.owner.pk, nik_hash(NIK_A))
    assert ShopProfile.objects.filter(business=business).exists()
    assert ProductPhoto.objects.filter(product=mine.product).exists()
    assert PaymentSettings.objects.filter(business=business).exists()
    assert Share.objects.get(business=business, partner=partner).state == Share.State.GRANTED
    assert Order.objects.get(pk=mine.order.pk).buyer_phone == buyer_phone(mine.phone)
    assert RiskScore.objects.filter(business=business).exists()
    assert AuditLog.objects.count() == before_audit
    assert not ErasedBusiness.objects.exists()


def test_books_are_removed_once_their_date_has_passed(client, mine, theirs):
    _delete(client, mine.owner)
    kept = ErasedBusiness.objects.get()
    assert services.erased_purge(today=kept.keep_until) == 0  # not before the day is over

    assert services.erased_purge(today=kept.keep_until + dt.timedelta(days=1)) == 1

    assert not Business.objects.filter(pk=mine.business.pk).exists()
    assert not Entry.objects.filter(business_id=mine.business.pk).exists()
    assert not Order.objects.filter(business_id=mine.business.pk).exists()
    assert ErasedBusiness.objects.get().purged_at is not None
    assert Business.objects.filter(pk=theirs.business.pk).exists()


def test_the_buyers_link_to_a_kept_order_still_opens_its_receipt(client, mine):
    token = mine.order.token
    _delete(client, mine.owner)
    client.logout()
    for name in ("orders:status", "orders:receipt", "orders:receipt_pdf"):
        response = client.get(reverse(name, args=[token]))
        assert response.status_code == 200, name
    page = client.get(reverse("orders:receipt", args=[token])).content.decode()
    assert "Pembeli Alfa" in page and mine.phone not in page and mine.business_name not in page


def test_officers_find_the_business_marked_with_no_personal_data(client, mine):
    officer = make_officer(SLEMAN)
    _delete(client, mine.owner)
    client.force_login(officer)
    page = client.get(reverse("registry:business_detail", args=[mine.business.pk])).content.decode()
    listed = client.get(reverse("registry:officer_list")).content.decode()
    assert ERASED_NAME in page and ERASED_NAME in listed
    for text in (mine.phone, mine.owner_name, mine.business_name, mine.address, "3404********0001"):
        assert text not in page and text not in listed


def test_an_owner_without_a_business_yet_can_delete_the_account(client):
    owner = make_owner("+6281277770007", name="Baru Daftar")
    response = _delete(client, owner)
    assert response["Location"] == reverse("home")
    assert _tables_holding("+6281277770007") == set() and _tables_holding("Baru Daftar") == set()
