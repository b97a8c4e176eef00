"""Deleting a product: the owner confirms, and the product leaves the owner's list, the shop and search at
once, while the row stays for the orders that name it. Nobody else may delete it."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from naikkelas.catalog import search, services
from naikkelas.catalog.models import Product
from naikkelas.core.models import AuditLog, OutboxEvent
from naikkelas.orders.models import OrderLine
from tests.catalog.factories import make_product
from tests.orders.factories import make_order
from tests.registry.factories import SLEMAN, make_admin, make_business, make_officer, make_owner

pytestmark = pytest.mark.django_db
LOGIN = reverse("accounts:login")


@pytest.fixture
def owner():
    return make_owner()


@pytest.fixture
def shop(owner):
    return make_business(owner=owner)


@pytest.fixture
def product(owner, shop):
    # Through the service: the shop opens and the product is in search, as in real use.
    return services.product_create(
        actor=owner, business=shop, name="Keripik Pisang Manis", price=15000, stock=10, unit="pcs"
    )


def url(name: str, *args) -> str:
    return reverse(f"catalog:{name}", args=[getattr(arg, "pk", arg) for arg in args])


def found(query: str) -> list[str]:
    return [hit.name for hit in search.search(query).products]


def body(response) -> str:
    return response.content.decode()


# -- the service ---------------------------------------------------------------------------------------------

def test_a_deleted_product_is_kept_hidden_and_marked_and_leaves_search(owner, product):
    assert found("keripik") == ["Keripik Pisang Manis"]

    services.product_delete(actor=owner, product=product)

    product.refresh_from_db()
    assert product.deleted_at is not None and not product.is_active
    assert found("keripik") == []
    assert AuditLog.objects.filter(action="product.delete", object_id=str(product.pk)).count() == 1


def test_deleting_twice_records_and_announces_one_deletion(owner, product):
    services.product_delete(actor=owner, product=product)
    first = Product.objects.get(pk=product.pk).deleted_at
    services.product_delete(actor=owner, product=Product.objects.get(pk=product.pk))
    assert Product.objects.get(pk=product.pk).deleted_at == first
    assert AuditLog.objects.filter(action="product.delete").count() == 1
    assert OutboxEvent.objects.filter(topic="product.deleted").count() == 1


def test_orders_keep_the_lines_of_a_deleted_product(owner, shop, product):
    order = make_order(shop, [(product, 2)])
    services.product_delete(actor=owner, product=product)
    line = OrderLine.objects.get(order=order)
    assert (line.product_id, line.name, line.quantity) == (product.pk, "Keripik Pisang Manis", 2)


@pytest.mark.parametrize(
    "change",
    [
        lambda owner, p: services.product_update(actor=owner, product=p, price=1000),
        lambda owner, p: services.product_set_active(actor=owner, product=p, active=True),
        lambda owner, p: services.product_stock_set(actor=owner, product=p, stock=1),
        lambda owner, p: services.product_duplicate(actor=owner, product=p),
    ],
    ids=["update", "show", "stock", "duplicate"],
)
def test_a_deleted_product_cannot_be_changed_or_brought_back(owner, product, change):
    stale = Product.objects.get(pk=product.pk)  # a page opened before the deletion, in another tab
    services.product_delete(actor=owner, product=product)
    with pytest.raises(ValidationError) as refused:
        change(owner, stale)
    assert "Produk ini sudah dihapus." in refused.value.messages
    product.refresh_from_db()
    assert (product.is_active, product.price, product.stock) == (False, 15000, 10)
    assert Product.objects.count() == 1 and found("keripik") == []


# -- what people see ----------------------------------------------------------------------------------------

def test_a_deleted_product_disappears_from_the_owners_list_the_shop_and_its_page(client, owner, shop, product):
    other = services.product_create(actor=owner, business=shop, name="Bolu Pandan", price=20000, stock=1, unit="pcs")
    shop_page = reverse("storefront:shop", args=[shop.slug])
    product_page = reverse("storefront:product", args=[shop.slug, product.pk])
    assert client.get(product_page).status_code == 200

    services.product_delete(actor=owner, product=product)

    assert "Keripik Pisang Manis" not in body(client.get(shop_page))
    assert "Bolu Pandan" in body(client.get(shop_page))
    assert client.get(product_page).status_code == 404
    client.force_login(owner)
    listed = body(client.get(url("product_list", shop)))
    assert "Keripik Pisang Manis" not in listed and "Bolu Pandan" in listed
    hidden = body(client.get(url("product_list", shop), {"show": "hidden"}))
    assert "Keripik Pisang Manis" not in hidden
    assert found("keripik") == [] and found("bolu") == ["Bolu Pandan"]
    assert other.pk != product.pk


def test_the_edit_page_offers_hapus_which_asks_first(client, owner, shop, product):
    client.force_login(owner)
    edit = body(client.get(url("product_edit", shop, product)))
    assert f'href="{url("product_delete", shop, product)}"' in edit and "Hapus" in edit

    response = client.get(url("product_delete", shop, product))

    page = body(response)
    assert response.status_code == 200
    assert "Hapus Keripik Pisang Manis?" in page
    assert f'<form method="post" action="{url("product_delete", shop, product)}">' in page
    assert "Ya, hapus produk" in page and f'href="{url("product_edit", shop, product)}"' in page
    assert Product.objects.get(pk=product.pk).deleted_at is None  # asking deletes nothing


def test_confirming_deletes_and_returns_to_the_list_with_a_message(client, owner, shop, product):
    client.force_login(owner)
    response = client.post(url("product_delete", shop, product))
    assert response.status_code == 302 and response["Location"] == url("product_list", shop)
    assert [str(m) for m in response.wsgi_request._messages] == ["Keripik Pisang Manis dihapus dari toko."]
    assert Product.objects.get(pk=product.pk).deleted_at is not None


@pytest.mark.parametrize(
    ("method", "name", "data"),
    [
        ("get", "product_edit", {}),
        ("post", "product_edit", {"name": "Hidup Lagi", "price": "1000", "stock": "1", "unit": "pcs"}),
        ("post", "product_active", {"active": "1"}),
        ("post", "product_stock", {"stock": "3"}),
        ("post", "product_duplicate", {}),
        ("get", "product_delete", {}),
        ("post", "product_delete", {}),
    ],
)
def test_a_deleted_products_pages_answer_404_to_its_owner_too(client, owner, shop, product, method, name, data):
    services.product_delete(actor=owner, product=product)
    client.force_login(owner)
    assert getattr(client, method)(url(name, shop, product), data).status_code == 404
    product.refresh_from_db()
    assert (product.name, product.is_active, product.stock) == ("Keripik Pisang Manis", False, 10)
    assert Product.objects.count() == 1


# -- who may delete -------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "make_user",
    [make_owner, lambda: make_officer(SLEMAN), make_admin],
    ids=["another owner", "officer in the region", "admin"],
)
def test_only_the_shops_owner_may_delete_everyone_else_gets_404_and_nothing_changes(client, product, shop, make_user):
    client.force_login(make_user())
    for method in ("get", "post"):
        assert getattr(client, method)(url("product_delete", shop, product)).status_code == 404
    product.refresh_from_db()
    assert product.deleted_at is None and product.is_active
    assert found("keripik") == ["Keripik Pisang Manis"]
    assert not OutboxEvent.objects.filter(topic="product.deleted").exists()


def test_another_owners_product_id_under_ones_own_shop_is_404(client, owner, shop):
    stranger_product = make_product(make_business(owner=make_owner(), name="Toko Orang"))
    client.force_login(owner)
    assert client.post(url("product_delete", shop, stranger_product)).status_code == 404
    assert Product.objects.get(pk=stranger_product.pk).deleted_at is None


def test_anonymous_visitors_are_sent_to_log_in_and_nothing_is_deleted(client, shop, product):
    for method in ("get", "post"):
        response = getattr(client, method)(url("product_delete", shop, product))
        assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert Product.objects.get(pk=product.pk).deleted_at is None


def test_delete_answers_only_get_and_post(client, owner, shop, product):
    client.force_login(owner)
    assert client.put(url("product_delete", shop, product)).status_code == 405
    assert Product.objects.get(pk=product.pk).deleted_at is None
