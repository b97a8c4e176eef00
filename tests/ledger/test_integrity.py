"""Every cash-book entry belongs to a business that exists: the database refuses an entry for a missing
business, and a business deleted takes its entries with it, even by a delete that skips Django (migration
ledger 0004, on both engines)."""

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction

from naikkelas.ledger.models import Category, Direction, Entry
from naikkelas.registry.models import Business
from tests.registry.factories import make_business

pytestmark = pytest.mark.django_db


def entry(business_id: int, **fields) -> Entry:
    return Entry(
        business_id=business_id, direction=Direction.IN, amount=15000, date=dt.date(2024, 5, 2), category=Category.SALES,
        **fields,
    )


def test_an_entry_for_a_business_that_does_not_exist_is_refused():
    missing = (Business.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000
    with pytest.raises(IntegrityError), transaction.atomic():
        entry(missing).save()
    assert not Entry.objects.exists()


def test_a_bulk_insert_with_one_missing_business_stores_none_of_its_rows():
    business = make_business()
    with pytest.raises(IntegrityError), transaction.atomic():
        Entry.objects.bulk_create([entry(business.pk), entry(business.pk + 1000)])
    assert not Entry.objects.exists()


def test_moving_an_entry_to_a_missing_business_is_refused():
    business = make_business()
    saved = entry(business.pk)
    saved.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        Entry.objects.filter(pk=saved.pk).update(business_id=business.pk + 1000)
    assert Entry.objects.get().business_id == business.pk


def test_a_business_deleted_behind_djangos_back_leaves_no_entry_without_its_business():
    business, other = make_business(), make_business(name="Toko Lain")
    entry(business.pk).save()
    entry(other.pk).save()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM registry_business WHERE id = %s", [business.pk])
    assert list(Entry.objects.values_list("business_id", flat=True)) == [other.pk]


def test_deleting_a_business_deletes_its_entries_first():
    business, other = make_business(), make_business(name="Toko Lain")
    entry(business.pk).save()
    entry(other.pk).save()
    business.delete()
    assert list(Entry.objects.values_list("business_id", flat=True)) == [other.pk]
