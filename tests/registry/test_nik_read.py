"""A full NIK is read only by an admin who gives a reason, and every read is on record: who, when, why,
shown to the business's officers; nothing else hands the number out (registry/identity.py)."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from naikkelas.core.models import AuditLog
from naikkelas.registry.identity import READ_ACTION, nik_read, nik_reads
from naikkelas.registry.models import Business
from naikkelas.registry.services import nik_fields
from tests.registry.factories import SLEMAN, make_admin, make_business, make_officer, make_owner

pytestmark = pytest.mark.django_db

NIK = "3404071203900001"
REASON = "Surat Dinas Koperasi No. 500/123 tentang pemadanan BPUM"


@pytest.fixture
def business():
    business = make_business(owner=make_owner())
    Business.objects.filter(pk=business.pk).update(**nik_fields(NIK))
    return business


def test_an_admin_with_a_reason_reads_it_and_the_read_is_recorded(business):
    admin = make_admin()

    assert nik_read(actor=admin, business_id=business.pk, reason=REASON) == NIK

    read = nik_reads(business).get()
    assert (read.actor, read.reason, read.action) == (admin, REASON, READ_ACTION)
    assert NIK not in str(read.changes) and NIK not in read.reason


@pytest.mark.parametrize("who", ["owner", "officer", "inactive admin", "nobody"])
def test_nobody_else_reads_it(business, who):
    actor = {
        "owner": lambda: business.owner,
        "officer": lambda: make_officer(SLEMAN),
        "inactive admin": lambda: make_admin(),
        "nobody": lambda: None,
    }[who]()
    if who == "inactive admin":
        actor.is_active = False
        actor.save()

    with pytest.raises(ValidationError) as error:
        nik_read(actor=actor, business_id=business.pk, reason=REASON)

    assert error.value.code == "not_admin"
    assert not AuditLog.objects.filter(action=READ_ACTION).exists()


@pytest.mark.parametrize("reason", ["", "   ", "minta", "\u200b" * 20])
def test_a_read_without_a_real_reason_is_refused(business, reason):
    with translation.override("id"), pytest.raises(ValidationError, match="alasan"):
        nik_read(actor=make_admin(), business_id=business.pk, reason=reason)
    assert not AuditLog.objects.filter(action=READ_ACTION).exists()


def test_a_business_without_a_nik_or_missing_says_so(business):
    admin = make_admin()
    without = make_business(name="Warung Tanpa NIK")
    for business_id, code in ((without.pk, "no_nik"), (10**9, "missing")):
        with pytest.raises(ValidationError) as error:
            nik_read(actor=admin, business_id=business_id, reason=REASON)
        assert error.value.code == code
    assert not AuditLog.objects.filter(action=READ_ACTION).exists()


def test_the_command_prints_it_for_the_named_admin_only(business, capsys):
    admin = make_admin()

    call_command("nik_read", str(business.pk), "--admin", admin.phone, "--reason", REASON)
    assert capsys.readouterr().out.strip() == NIK
    assert nik_reads(business).get().actor == admin

    with pytest.raises(CommandError):
        call_command("nik_read", str(business.pk), "--admin", business.owner.phone, "--reason", REASON)
    with pytest.raises(CommandError):
        call_command("nik_read", str(business.pk), "--admin", "bukan nomor", "--reason", REASON)
    assert nik_reads(business).count() == 1


def test_the_business_s_officers_see_who_read_it_and_why(client, business):
    admin = make_admin()
    nik_read(actor=admin, business_id=business.pk, reason=REASON)
    client.force_login(make_officer(SLEMAN))

    page = client.get(reverse("registry:business_detail", args=[business.pk])).content.decode()

    assert READ_ACTION in page and REASON in page and str(admin) in page
    assert NIK not in page
