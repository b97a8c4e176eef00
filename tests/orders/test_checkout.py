"""Ordering without an account: checkout, ordering over WhatsApp, and the order's own pages behind its token."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings as hypothesis_settings
from hypothesis import strategies as st

from naikkelas.catalog.models import Product, ShopProfile
from naikkelas.orders.cart import SESSION_KEY
from naikkelas.orders.models import Order, OrderLine, PaymentMethod, Status
from naikkelas.payments.models import PaymentSettings
from tests.catalog.factories import make_product
from tests.orders.factories import make_order
from tests.registry.factories import CATURTUNGGAL, make_business

pytestmark = pytest.mark.django_db

QRIS_STATIC = (
    "00020101021126680016ID.CO.TELKOM.WWW011893600898026635207502150001952663520750303UMI51440014ID.CO.QRIS.WWW"
    "0215ID10211254059720303UMI5204549953033605502015802ID5906BIOLBE6011KAB. MALANG610565168622005091147938120703"
    "A03630404CB"
)


@pytest.fixture
def shop():
    business = make_business(name="Keripik Bu Tini", phone="+6281234500001")
    ShopProfile.objects.create(business=business)
    business.pisang = make_product(business, name="Keripik Pisang", price=15000, stock=10)
    business.singkong = make_product(business, name="Keripik Singkong", price=12000, stock=3)
    return business


def _fill_cart(client, shop, items) -> None:
    session = client.session
    carts = session.get(SESSION_KEY, {})
    carts[shop.slug] = {str(product.pk): quantity for product, quantity in items}
    session[SESSION_KEY] = carts
    session.save()


def _cart(client, shop) -> dict:
    return client.session.get(SESSION_KEY, {}).get(shop.slug, {})


def _form(**changes) -> dict:
    data = {
        "name": "Ani Pembeli",
        "phone": "0813-9999-0001",
        "delivery": "seller",
        "address": "Jl. Kaliurang km 5 no. 12",
        "village_province": "34",
        "village_regency": "34.04",
        "village_district": "34.04.07",
        "village_village": CATURTUNGGAL,
        "village_q": "",
        "payment_method": "cod",
        "note": "Tanpa sambal",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def _checkout(client, shop, **changes):
    return client.post(reverse("orders:checkout", args=[shop.slug]), _form(**changes))


def _nothing_written(shop, stock=(10, 3)) -> None:
    assert not Order.objects.exists()
    assert not OrderLine.objects.exists()
    assert tuple(Product.objects.filter(pk__in=[shop.pisang.pk, shop.singkong.pk]).order_by("pk").values_list(
        "stock", flat=True)) == stock


def test_checkout_shows_the_cart_and_only_the_payment_methods_the_shop_offers(client, shop):
    _fill_cart(client, shop, [(shop.pisang, 2)])
    body = client.get(reverse("orders:checkout", args=[shop.slug])).content.decode()
    assert "Keripik Pisang" in body and "Rp 30.000" in body
    assert "Ambil sendiri" in body and "Diantar penjual" in body and "Kurir (diatur kemudian)" in body
    assert 'value="cod"' in body
    assert 'value="qris"' not in body and 'value="transfer"' not in body


def test_checkout_places_the_order_clears_the_cart_and_opens_the_status_page(client, shop):
    _fill_cart(client, shop, [(shop.pisang, 2), (shop.singkong, 1)])
    response = _checkout(client, shop)

    order = Order.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("orders:status", args=[order.token])
    assert (order.business_id, order.number, order.status) == (shop.pk, 1, Status.NEW)
    assert (order.buyer_name, order.buyer_phone) == ("Ani Pembeli", "+6281399990001")
    assert order.buyer_village_id == CATURTUNGGAL
    assert (order.delivery, order.payment_method, order.note) == ("seller", "cod", "Tanpa sambal")
    assert order.total == 2 * 15000 + 12000
    assert sorted(order.lines.values_list("name", "quantity")) == [("Keripik Pisang", 2), ("Keripik Singkong", 1)]
    assert _cart(client, shop) == {}
    assert Product.objects.get(pk=shop.singkong.pk).stock == 2

    page = client.get(response["Location"])
    body = page.content.decode()
    assert "Pesanan #1 sudah dikirim ke penjual." in body
    assert "Bayar tunai saat pesanan diterima." in body and "Rp 42.000" in body


def test_pickup_needs_no_address(client, shop):
    _fill_cart(client, shop, [(shop.pisang, 1)])
    response = _checkout(
        client, shop, delivery="pickup", address="", village_province="", village_regency=None,
        village_district=None, village_village=None,
    )
    assert response.status_code == 302
    order = Order.objects.get()
    assert (order.delivery, order.buyer_address, order.buyer_village_id) == ("pickup", "", None)


def test_a_bad_phone_number_gets_a_message_writes_nothing_and_keeps_what_was_typed(client, shop):
    _fill_cart(client, shop, [(shop.pisang, 2)])
    response = _checkout(client, shop, phone="12345")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Nomor HP tidak dikenali. Contoh: 0812-3456-7890." in body
    assert 'value="Ani Pembeli"' in body and "Jl. Kaliurang km 5 no. 12" in body
    _nothing_written(shop)
    assert _cart(client, shop) == {str(shop.pisang.pk): 2}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": " "}, "Tulis nama Anda."),
        ({"name": "A"}, "Nama paling sedikit 2 huruf."),
        ({"phone": ""}, "Tulis nomor HP Anda."),
        ({"delivery": "drone"}, "Pilih dari daftar."),
        ({"address": ""}, "Tulis alamat pengiriman."),
        (
            {"delivery": "courier", "village_province": "", "village_regency": "", "village_district": "",
             "village_village": ""},
            "Pilih desa/kelurahan tujuan.",
        ),
        ({"village_village": "", "village_district": ""}, "Pilih sampai desa/kelurahan."),
        ({"payment_method": None}, "Pilih cara bayar."),
        ({"note": "x" * 501}, "500"),
    ],
)
def test_bad_checkout_input_gets_a_message_and_writes_nothing(client, shop, changes, message):
    _fill_cart(client, shop, [(shop.pisang, 2)])
    response = _checkout(client, shop, **changes)
    assert response.status_code == 200
    assert message in response.content.decode()
    _nothing_written(shop)


def test_a_payment_method_the_shop_does_not_offer_is_refused(client, shop):
    _fill_cart(client, shop, [(shop.pisang, 2)])
    response = _checkout(client, shop, payment_method="transfer")
    assert response.status_code == 200
    assert "Cara bayar ini tidak tersedia di toko ini." in response.content.decode()
    _nothing_written(shop)


def test_short_stock_gets_a_message_and_keeps_the_cart(client, shop):
    _fill_cart(client, shop, [(shop.pisang, 2), (shop.singkong, 3)])
    Product.objects.filter(pk=shop.singkong.pk).update(stock=1)
    response = _checkout(client, shop)
    assert response.status_code == 200
    assert "Stok Keripik Singkong tidak cukup: tinggal 1 pcs." in response.content.decode()
    _nothing_written(shop, stock=(10, 1))
    assert _cart(client, shop) == {str(shop.pisang.pk): 2, str(shop.singkong.pk): 3}


def test_a_shop_not_accepting_orders_sends_the_buyer_back_to_the_cart(client, shop):
    ShopProfile.objects.filter(business=shop).update(accepting_orders=False)
    _fill_cart(client, shop, [(shop.pisang, 2)])
    response = _checkout(client, shop)
    assert response.status_code == 302
    assert response["Location"] == reverse("orders:cart", args=[shop.slug])
    assert "Toko ini sedang tidak menerima pesanan." in client.get(response["Location"]).content.decode()
    _nothing_written(shop)


def test_an_empty_cart_cannot_check_out(client, shop):
    response = client.get(reverse("orders:checkout", args=[shop.slug]))
    assert response.status_code == 302
    assert response["Location"] == reverse("orders:cart", args=[shop.slug])


def test_the_region_pickers_next_step_reloads_the_form_without_ordering(client, shop):
    _fill_cart(client, shop, [(shop.pisang, 2)])
    response = _checkout(client, shop, village_village="", village_district="", village_step="lanjut")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Depok" in body and 'value="Ani Pembeli"' in body
    assert "Tulis" not in body  # no errors on a reload
    _nothing_written(shop)


def test_too_many_orders_from_one_address_are_refused(client, shop, settings):
    settings.ORDERS_PER_IP_PER_HOUR = 1
    _fill_cart(client, shop, [(shop.pisang, 1)])
    assert _checkout(client, shop).status_code == 302
    _fill_cart(client, shop, [(shop.pisang, 1)])
    response = _checkout(client, shop)
    assert response.status_code == 200
    assert "Terlalu banyak pesanan dari jaringan ini." in response.content.decode()
    assert Order.objects.count() == 1


def test_transfer_orders_show_the_bank_and_the_exact_amount_with_its_unique_code(client, shop):
    PaymentSettings.objects.create(
        business=shop, bank_name="BRI", bank_account_number="0123-01-000123-50-1", bank_account_holder="Tini Lestari"
    )
    _fill_cart(client, shop, [(shop.pisang, 2)])
    response = _checkout(client, shop, payment_method="transfer")
    order = Order.objects.get()
    assert order.unique_code > 0 and order.total == 30000 + order.unique_code
    body = client.get(response["Location"]).content.decode()
    assert "BRI" in body and "0123-01-000123-50-1" in body and "Tini Lestari" in body
    assert f"Rp 30.{order.unique_code:03d}" in body
    assert "Transfer tepat sejumlah ini" in body


def test_qris_orders_show_the_code_image_and_the_amount(client, shop):
    PaymentSettings.objects.create(business=shop, qris_payload=QRIS_STATIC, cod_enabled=False)
    _fill_cart(client, shop, [(shop.pisang, 1)])
    response = _checkout(client, shop, payment_method="qris")
    order = Order.objects.get()
    body = client.get(response["Location"]).content.decode()
    assert f'src="{reverse("payments:order_qris_png", args=[order.token])}"' in body
    assert "Rp 15.000" in body


def test_a_paid_order_no_longer_shows_how_to_pay(client, shop):
    order = make_order(shop, [(shop.pisang, 1)], status=Status.PAID, payment_method=PaymentMethod.QRIS)
    body = client.get(reverse("orders:status", args=[order.token])).content.decode()
    assert "qris.png" not in body
    assert "Dibayar" in body


# --- Ordering over WhatsApp ---


def _wa_text(response) -> tuple[str, str]:
    assert response.status_code == 302
    parts = urlsplit(response["Location"])
    assert (parts.scheme, parts.netloc) == ("https", "wa.me")
    return parts.path, parse_qs(parts.query)["text"][0]


def test_whatsapp_order_opens_a_chat_with_the_seller_and_the_cart_spelled_out(client, shop):
    _fill_cart(client, shop, [(shop.pisang, 2), (shop.singkong, 1)])
    path, text = _wa_text(client.get(reverse("orders:whatsapp_order", args=[shop.slug])))
    assert path == "/6281234500001"
    assert text.splitlines() == [
        "Halo Keripik Bu Tini, saya mau pesan:",
        "2 × Keripik Pisang (Rp 15.000) = Rp 30.000",
        "1 × Keripik Singkong (Rp 12.000) = Rp 12.000",
        "Total: Rp 42.000",
    ]


def test_whatsapp_order_of_one_product_from_its_page_when_the_cart_is_empty(client, shop):
    url = reverse("orders:whatsapp_order", args=[shop.slug]) + f"?product={shop.singkong.pk}"
    _, text = _wa_text(client.get(url))
    assert "1 × Keripik Singkong (Rp 12.000) = Rp 12.000" in text


def test_whatsapp_order_of_another_shops_product_is_refused(client, shop):
    other = make_business(name="Batik Kricak", phone="+6281234500002")
    batik = make_product(other, name="Batik Tulis", price=350000)
    response = client.get(reverse("orders:whatsapp_order", args=[shop.slug]) + f"?product={batik.pk}")
    assert response["Location"] == reverse("orders:cart", args=[shop.slug])
    assert "Keranjang masih kosong." in client.get(response["Location"]).content.decode()


def test_whatsapp_order_without_a_shop_phone_says_so(client, shop):
    shop.phone = ""
    shop.save()
    _fill_cart(client, shop, [(shop.pisang, 2)])
    response = client.get(reverse("orders:whatsapp_order", args=[shop.slug]))
    assert response["Location"] == reverse("orders:cart", args=[shop.slug])
    assert "belum mencantumkan nomor WhatsApp" in client.get(response["Location"]).content.decode()


# --- The order's own pages ---


def test_status_and_receipt_pages_open_by_token_and_keep_the_token_private(client, shop):
    order = make_order(shop, [(shop.pisang, 2)], buyer_name="Ani")
    for name in ("orders:status", "orders:receipt", "orders:receipt_pdf"):
        response = client.get(reverse(name, args=[order.token]))
        assert response.status_code == 200, name
        assert response["Referrer-Policy"] == "no-referrer"
        assert "noindex" in response["X-Robots-Tag"]
        assert response["Cache-Control"] == "private, no-store"
    body = client.get(reverse("orders:receipt", args=[order.token])).content.decode()
    assert "Struk pesanan #1" in body and "Keripik Bu Tini" in body and "Rp 30.000" in body


def test_status_page_has_links_to_the_receipt_and_a_whatsapp_share(client, shop):
    order = make_order(shop, [(shop.pisang, 2)])
    body = client.get(reverse("orders:status", args=[order.token])).content.decode()
    assert reverse("orders:receipt", args=[order.token]) in body
    assert reverse("orders:receipt_pdf", args=[order.token]) in body
    assert "https://wa.me/?text=" in body


@pytest.mark.parametrize("name", ["orders:status", "orders:receipt", "orders:receipt_pdf"])
def test_an_unknown_token_is_not_found(client, shop, name):
    make_order(shop, [(shop.pisang, 1)])
    assert client.get(reverse(name, args=["bukan-token-yang-ada"])).status_code == 404
    assert client.get(reverse(name, args=["x" * 40])).status_code == 404


def test_the_receipt_pdf_is_inline_with_a_readable_file_name(client, shop):
    order = make_order(shop, [(shop.pisang, 2)])
    response = client.get(reverse("orders:receipt_pdf", args=[order.token]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="struk-{shop.slug}-1.pdf"'
    assert response.content.startswith(b"%PDF")


# --- Open-ended input ---

_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=300)
_phones = st.one_of(_text, st.sampled_from(["0813-9999-0001", "+62 813 9999 0001", "6281399990001", "0812", ""]))


@hypothesis_settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    name=_text,
    phone=_phones,
    address=_text,
    note=st.text(st.characters(blacklist_categories=("Cs",)), max_size=600),
    delivery=st.sampled_from(["pickup", "seller", "courier", "", "drone"]),
    payment_method=st.sampled_from(["cod", "qris", "transfer", "", "tunai"]),
    village=st.sampled_from([CATURTUNGGAL, "", "34.04.07", "99.99.99.9999", "x" * 20]),
)
def test_checkout_never_fails_and_never_half_writes_whatever_is_typed(
    client, shop, settings, name, phone, address, note, delivery, payment_method, village
):
    settings.ORDERS_PER_IP_PER_HOUR = 10_000
    _fill_cart(client, shop, [(shop.pisang, 1)])
    before = (Order.objects.count(), OrderLine.objects.count(), Product.objects.get(pk=shop.pisang.pk).stock)
    response = client.post(
        reverse("orders:checkout", args=[shop.slug]),
        {
            "name": name, "phone": phone, "address": address, "note": note, "delivery": delivery,
            "payment_method": payment_method, "village_found": village,
        },
    )
    after = (Order.objects.count(), OrderLine.objects.count(), Product.objects.get(pk=shop.pisang.pk).stock)
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        order = Order.objects.order_by("-pk").first()
        assert response["Location"] == reverse("orders:status", args=[order.token])
        assert after == (before[0] + 1, before[1] + 1, before[2] - 1)
        Product.objects.filter(pk=shop.pisang.pk).update(stock=10)
    else:
        assert after == before
