"""The buyer's cart: one per shop, in the session, only the shop's own active products, 1 to 999 of each."""

import pytest
from django.urls import reverse

from naikkelas.catalog.models import ShopProfile
from naikkelas.orders.cart import SESSION_KEY
from tests.catalog.factories import make_product
from tests.registry.factories import KRICAK, make_business

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    business = make_business(name="Keripik Bu Tini", phone="+6281234500001")
    ShopProfile.objects.create(business=business)
    business.pisang = make_product(business, name="Keripik Pisang", price=15000, stock=10)
    business.singkong = make_product(business, name="Keripik Singkong", price=12000, stock=3)
    return business


def _add(client, shop, product_id, quantity=1):
    return client.post(reverse("orders:cart_add", args=[shop.slug]), {"product": product_id, "quantity": quantity})


def _cart(client, shop) -> dict:
    return client.session.get(SESSION_KEY, {}).get(shop.slug, {})


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]] if response.context else []


def test_adding_a_product_puts_it_in_this_shops_cart_and_returns_to_the_cart(client, shop):
    response = _add(client, shop, shop.pisang.pk, 2)
    assert response.status_code == 302
    assert response["Location"] == reverse("orders:cart", args=[shop.slug])
    assert _cart(client, shop) == {str(shop.pisang.pk): 2}

    page = client.get(response["Location"])
    body = page.content.decode()
    assert "Keripik Pisang masuk keranjang." in body
    assert "Rp 30.000" in body and "Lanjut pesan" in body and "Pesan lewat WhatsApp" in body


def test_adding_the_same_product_again_adds_to_its_quantity(client, shop):
    _add(client, shop, shop.pisang.pk, 2)
    _add(client, shop, shop.pisang.pk, 3)
    assert _cart(client, shop) == {str(shop.pisang.pk): 5}


def test_carts_of_two_shops_stay_apart(client, shop):
    other = make_business(village=KRICAK, name="Batik Kricak")
    ShopProfile.objects.create(business=other)
    batik = make_product(other, name="Batik Tulis", price=350000)
    _add(client, shop, shop.pisang.pk)
    _add(client, other, batik.pk)
    assert _cart(client, shop) == {str(shop.pisang.pk): 1}
    assert _cart(client, other) == {str(batik.pk): 1}


def test_another_shops_product_is_refused(client, shop):
    other = make_business(village=KRICAK, name="Batik Kricak")
    batik = make_product(other, name="Batik Tulis", price=350000)
    response = _add(client, shop, batik.pk)
    assert response.status_code == 302
    assert _cart(client, shop) == {}
    assert "Produk tidak ditemukan di toko ini." in client.get(response["Location"]).content.decode()


def test_a_hidden_product_is_refused(client, shop):
    shop.pisang.is_active = False
    shop.pisang.save()
    response = _add(client, shop, shop.pisang.pk)
    assert _cart(client, shop) == {}
    assert "Produk tidak ditemukan di toko ini." in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        (0, "Jumlah paling sedikit 1."),
        (-3, "Jumlah paling sedikit 1."),
        (1000, "Jumlah paling banyak 999."),
        ("dua", "Jumlah harus angka bulat."),
        ("", "Isi jumlahnya."),
        ("1.5", "Jumlah harus angka bulat."),
    ],
)
def test_quantities_outside_1_to_999_are_refused_with_a_message(client, shop, quantity, message):
    shop.pisang.made_to_order = True
    shop.pisang.save()
    response = _add(client, shop, shop.pisang.pk, quantity)
    assert response.status_code == 302
    assert _cart(client, shop) == {}
    assert message in client.get(response["Location"]).content.decode()


def test_999_of_a_made_to_order_product_is_accepted_but_not_1000_in_total(client, shop):
    shop.pisang.made_to_order = True
    shop.pisang.save()
    _add(client, shop, shop.pisang.pk, 999)
    assert _cart(client, shop) == {str(shop.pisang.pk): 999}
    response = _add(client, shop, shop.pisang.pk, 1)
    assert _cart(client, shop) == {str(shop.pisang.pk): 999}
    assert "Paling banyak 999 per produk." in client.get(response["Location"]).content.decode()


def test_more_than_the_stock_is_refused_with_what_is_left(client, shop):
    response = _add(client, shop, shop.singkong.pk, 4)
    assert _cart(client, shop) == {}
    assert "Stok Keripik Singkong tinggal 3." in client.get(response["Location"]).content.decode()


def test_cart_add_answers_only_post(client, shop):
    assert client.get(reverse("orders:cart_add", args=[shop.slug])).status_code == 405


def test_the_cart_page_updates_quantities_and_zero_removes(client, shop):
    _add(client, shop, shop.pisang.pk, 2)
    _add(client, shop, shop.singkong.pk, 1)
    url = reverse("orders:cart", args=[shop.slug])
    response = client.post(url, {f"q-{shop.pisang.pk}": "4", f"q-{shop.singkong.pk}": "0", "update": "1"})
    assert response.status_code == 302
    assert _cart(client, shop) == {str(shop.pisang.pk): 4}
    assert "Rp 60.000" in client.get(url).content.decode()


def test_a_bad_quantity_on_the_cart_page_changes_nothing(client, shop):
    _add(client, shop, shop.pisang.pk, 2)
    _add(client, shop, shop.singkong.pk, 1)
    url = reverse("orders:cart", args=[shop.slug])
    client.post(url, {f"q-{shop.pisang.pk}": "4", f"q-{shop.singkong.pk}": "5000", "update": "1"})
    assert _cart(client, shop) == {str(shop.pisang.pk): 2, str(shop.singkong.pk): 1}
    assert "Jumlah harus 1 sampai 999." in client.get(url).content.decode()


def test_the_remove_button_takes_one_product_out(client, shop):
    _add(client, shop, shop.pisang.pk, 2)
    _add(client, shop, shop.singkong.pk, 1)
    client.post(reverse("orders:cart", args=[shop.slug]), {"remove": str(shop.singkong.pk)})
    assert _cart(client, shop) == {str(shop.pisang.pk): 2}


def test_a_product_hidden_after_it_was_added_drops_out_with_a_message(client, shop):
    _add(client, shop, shop.pisang.pk, 2)
    _add(client, shop, shop.singkong.pk, 1)
    shop.singkong.is_active = False
    shop.singkong.save()
    body = client.get(reverse("orders:cart", args=[shop.slug])).content.decode()
    assert "1 produk di keranjang sudah tidak dijual lagi" in body
    assert "<strong>Keripik Singkong</strong>" not in body and "<strong>Keripik Pisang</strong>" in body
    assert _cart(client, shop) == {str(shop.pisang.pk): 2}


def test_the_cart_shows_current_prices_not_the_ones_when_added(client, shop):
    _add(client, shop, shop.pisang.pk, 2)
    shop.pisang.price = 20000
    shop.pisang.save()
    assert "Rp 40.000" in client.get(reverse("orders:cart", args=[shop.slug])).content.decode()


def test_a_line_over_the_stock_left_is_flagged_on_the_cart_page(client, shop):
    _add(client, shop, shop.singkong.pk, 3)
    shop.singkong.stock = 1
    shop.singkong.save()
    body = client.get(reverse("orders:cart", args=[shop.slug])).content.decode()
    assert "Stok tinggal 1 pcs." in body


def test_a_shop_that_is_not_public_has_no_cart(client):
    business = make_business(name="Belum Buka")
    assert client.get(reverse("orders:cart", args=[business.slug])).status_code == 404
    assert client.get(reverse("orders:cart", args=["tidak-ada"])).status_code == 404


def test_an_empty_cart_says_so(client, shop):
    body = client.get(reverse("orders:cart", args=[shop.slug])).content.decode()
    assert "Keranjang masih kosong." in body
