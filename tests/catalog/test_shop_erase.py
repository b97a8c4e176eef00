"""catalog.services.shop_erase: the shop of a deleted account leaves the web for good."""

import pytest

from naikkelas.catalog import services
from naikkelas.catalog.models import Product, ProductPhoto, SearchEntry, ShopProfile
from naikkelas.core.models import OutboxEvent
from tests.catalog.test_photos import image_bytes, upload
from tests.registry.factories import make_business, make_owner

pytestmark = pytest.mark.django_db


def test_profile_photos_and_search_entries_go_and_partners_hear_each_product_deleted(client, django_capture_on_commit_callbacks):
    owner = make_owner()
    business = make_business(owner=owner)
    product = services.product_create(
        actor=owner, business=business, name="Keripik", description="Buatan Bu Sri", price=1000, stock=1,
        photo=upload(image_bytes()),
    )
    photo = ProductPhoto.objects.get(product=product)
    storage, name = photo.image.storage, photo.image.name
    assert SearchEntry.objects.filter(business_id=business.pk).exists()

    with django_capture_on_commit_callbacks(execute=True):
        assert services.shop_erase(actor=owner, business=business) == 1

    assert not ShopProfile.objects.filter(business=business).exists()
    assert not SearchEntry.objects.filter(business_id=business.pk).exists()
    assert not ProductPhoto.objects.filter(product=product).exists() and not storage.exists(name)
    product = Product.objects.get(pk=product.pk)
    assert (product.deleted_at is not None, product.is_active, product.description) == (True, False, "")
    assert OutboxEvent.objects.filter(topic="product.deleted", key=f"product:{product.pk}").count() == 1
    assert client.get(f"/{business.slug}/").status_code == 404
