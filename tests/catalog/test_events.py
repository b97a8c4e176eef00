"""What the catalogue's services tell partners through the outbox: `product.updated` when a listing changes,
`stock.changed` when only the count moves, `product.deleted`; each in the service's own transaction, keyed
by product so that a product's events keep their order."""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from naikkelas.catalog import services
from naikkelas.catalog.models import Product
from naikkelas.core.models import OutboxEvent
from tests.catalog.factories import make_product
from tests.catalog.test_photos import image_bytes, upload
from tests.registry.factories import make_business, make_owner

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    return make_owner()


@pytest.fixture
def shop(owner):
    return make_business(owner=owner)


@pytest.fixture
def product(shop):
    return make_product(shop)


def events(topic: str | None = None) -> list[OutboxEvent]:
    found = OutboxEvent.objects.order_by("pk")
    return list(found.filter(topic=topic) if topic else found)


def topics() -> list[str]:
    return [event.topic for event in events()]


def test_a_new_product_is_announced_once_with_what_partners_list(owner, shop):
    product = services.product_create(
        actor=owner, business=shop, name="Keripik Talas", price=12500, stock=8, unit="pcs", photo=upload(image_bytes())
    )
    [event] = events()
    product.refresh_from_db()
    assert (event.topic, event.key, event.business_id) == ("product.updated", f"product:{product.pk}", shop.pk)
    assert event.payload == {
        "id": product.pk, "business_id": shop.pk, "name": "Keripik Talas", "price": 12500, "stock": 8,
        "made_to_order": False, "is_active": True, "updated_at": product.updated_at.isoformat(),
    }


def test_an_edit_is_announced_and_an_edit_that_changes_nothing_is_not(owner, product):
    services.product_update(actor=owner, product=product, price=17000, name="Keripik Pisang Cokelat")
    services.product_update(actor=owner, product=product, price=17000)
    [event] = events()
    assert event.topic == "product.updated"
    assert (event.payload["price"], event.payload["name"]) == (17000, "Keripik Pisang Cokelat")


def test_a_refused_edit_announces_nothing(owner, product):
    with pytest.raises(ValidationError):
        services.product_update(actor=owner, product=product, price=0)
    assert events() == []


def test_an_edit_rolled_back_with_its_caller_leaves_no_event(owner, product):
    with pytest.raises(RuntimeError), transaction.atomic():
        services.product_update(actor=owner, product=product, price=17000)
        raise RuntimeError("the caller fails after the service")
    assert events() == []


def test_hiding_and_showing_are_product_updates_with_the_new_state(owner, product):
    services.product_set_active(actor=owner, product=product, active=False)
    services.product_set_active(actor=owner, product=product, active=True)
    assert [(e.topic, e.payload["is_active"]) for e in events()] == [
        ("product.updated", False), ("product.updated", True),
    ]


def test_a_copy_is_announced_as_a_new_hidden_product(owner, product):
    copy = services.product_duplicate(actor=owner, product=product)
    [event] = events()
    assert (event.key, event.payload["is_active"], event.payload["stock"]) == (f"product:{copy.pk}", False, 0)


def test_a_photo_added_or_deleted_is_a_product_update_and_moves_updated_at(owner, product):
    before = Product.objects.get(pk=product.pk).updated_at
    photo = services.photo_add(actor=owner, product=product, upload=upload(image_bytes()))
    added = Product.objects.get(pk=product.pk).updated_at
    services.photo_delete(actor=owner, photo=photo)
    deleted = Product.objects.get(pk=product.pk).updated_at
    assert topics() == ["product.updated", "product.updated"]
    assert before < added < deleted
    assert events()[-1].payload["updated_at"] == deleted.isoformat()


def test_the_quick_stock_edit_is_a_stock_change(owner, product):
    services.product_stock_set(actor=owner, product=product, stock=3)
    [event] = events()
    assert (event.topic, event.key) == ("stock.changed", f"product:{product.pk}")
    assert event.payload == {
        "id": product.pk, "business_id": product.business_id, "stock": 3, "made_to_order": False,
        "at": event.payload["at"],
    }


def test_an_edit_that_changes_the_stock_with_other_fields_is_a_product_update_carrying_the_stock(owner, product):
    services.product_update(actor=owner, product=product, stock=4, price=16000)
    [event] = events()
    assert (event.topic, event.payload["stock"], event.payload["price"]) == ("product.updated", 4, 16000)


def test_a_restock_announces_the_count_in_the_database(product):
    Product.objects.filter(pk=product.pk).update(stock=7)  # an order took some meanwhile; `product` is stale
    services.product_restock(product_id=product.pk, quantity=5)
    [event] = events()
    assert (event.topic, event.business_id, event.payload["stock"], event.payload["made_to_order"]) == (
        "stock.changed", product.business_id, 12, False,
    )


def test_a_deletion_is_announced_and_a_deleted_products_restock_is_not(owner, product):
    services.product_delete(actor=owner, product=product)
    services.product_restock(product_id=product.pk, quantity=1)  # an old order cancelled: units come back
    [event] = events()
    product.refresh_from_db()
    assert (event.topic, event.key) == ("product.deleted", f"product:{product.pk}")
    assert event.business_id == product.business_id
    assert event.payload == {
        "id": product.pk, "business_id": product.business_id, "deleted_at": product.deleted_at.isoformat(),
    }


def test_a_products_events_are_written_in_the_order_of_its_changes(owner, product):
    services.product_update(actor=owner, product=product, price=16000)
    services.product_stock_set(actor=owner, product=product, stock=2)
    services.product_set_active(actor=owner, product=product, active=False)
    services.product_delete(actor=owner, product=product)
    assert topics() == ["product.updated", "stock.changed", "product.updated", "product.deleted"]
    assert {event.key for event in events()} == {f"product:{product.pk}"}
