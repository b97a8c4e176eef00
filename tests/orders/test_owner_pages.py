"""The shop owner's order pages: the list with its status chips, one order with its buttons, the step itself."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from naikkelas.catalog.models import Product, ShopProfile
from naikkelas.orders.models import Order
from naikkelas.orders.services import order_mark_paid, order_place
from tests.catalog.factories import make_product
from tests.orders.factories import make_order
from tests.registry.factories import SLEMAN, make_admin, make_business, make_officer, make_owner

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(client):
    user = make_owner()
    client.force_login(user)
    return user


@pytest.fixture
def shop(owner):
    business = make_business(owner=owner, name="Keripik Bu Tini")
    ShopProfile.objects.create(business=business)
    return business


@pytest.fixture
def keripik(shop):
    return make_product(shop, name="Keripik Pisang Manis", price=15000, stock=10)


def place(shop, product, quantity=1, **overrides):
    fields = {
        "buyer_name": "Ani Pembeli", "buyer_phone": "081399990001", "buyer_address": "",
        "buyer_village_code": "", "delivery": "pickup", "payment_method": "cod", **overrides,
    }
    return order_place(business_id=shop.pk, lines=[(product.pk, quantity)], **fields)


def list_url(shop) -> str:
    return reverse("orders:owner_list", args=[shop.pk])


def detail_url(order) -> str:
    return reverse("orders:owner_detail", args=[order.business_id, order.number])


def transition_url(order) -> str:
    return reverse("orders:owner_transition", args=[order.business_id, order.number])


# ---- The list ----------------------------------------------------------------------------------------------


def test_order_list_shows_number_time_buyer_total_method_and_status(client, shop, keripik):
    place(shop, keripik, 2, buyer_name="Budi Santoso", payment_method="transfer")
    body = client.get(list_url(shop)).content.decode()
    assert "Pesanan #1" in body and "Budi Santoso" in body
    assert "Rp 30.001" in body and "Transfer bank" in body and "Baru" in body
    assert "Hari ini" in body
    assert detail_url(Order.objects.get()) in body


def test_order_list_puts_todays_orders_first_then_the_newest(client, shop, keripik):
    now = timezone.now()
    old = make_order(shop, [(keripik, 1)], buyer_name="Pembeli Lama", created_at=now - timedelta(days=3))
    yesterday = make_order(shop, [(keripik, 1)], buyer_name="Pembeli Kemarin", created_at=now - timedelta(days=1))
    today = make_order(shop, [(keripik, 1)], buyer_name="Pembeli Hari Ini", created_at=now)
    # An order stamped in the future by a wrong clock is not "today" and goes with the others
    future = make_order(shop, [(keripik, 1)], buyer_name="Pembeli Besok", created_at=now + timedelta(days=2))
    body = client.get(list_url(shop)).content.decode()
    positions = [body.index(o.buyer_name) for o in (today, future, yesterday, old)]
    assert positions == sorted(positions)
    assert body.index("Hari ini") < body.index("Pembeli Hari Ini") < body.index("Sebelumnya")
    assert body.index("Sebelumnya") < body.index("Pembeli Besok")


def test_order_list_filters_by_status_with_counts_on_the_chips(client, owner, shop, keripik):
    place(shop, keripik, buyer_name="Satu Baru")
    paid = place(shop, keripik, buyer_name="Dua Lunas", payment_method="qris")
    order_mark_paid(order_id=paid.pk, by=owner, via="owner")
    response = client.get(list_url(shop), {"status": "paid"})
    body = response.content.decode()
    assert "Dua Lunas" in body and "Satu Baru" not in body
    chips = {chip["value"]: chip["count"] for chip in response.context["chips"]}
    assert chips[""] == 2 and chips["new"] == 1 and chips["paid"] == 1 and chips["cancelled"] == 0
    assert [chip["value"] for chip in response.context["chips"] if chip["active"]] == ["paid"]
    # An unknown status is no filter at all
    body = client.get(list_url(shop), {"status": "hilang"}).content.decode()
    assert "Dua Lunas" in body and "Satu Baru" in body


def test_order_list_says_when_there_are_no_orders(client, shop):
    assert "Belum ada pesanan" in client.get(list_url(shop)).content.decode()


def test_order_list_pages(client, shop, keripik):
    for _ in range(32):
        make_order(shop, [(keripik, 1)])
    response = client.get(list_url(shop), {"page": 2})
    assert response.status_code == 200 and len(response.context["page"].object_list) == 2
    assert "Halaman 2 dari 2" in response.content.decode()


def test_order_list_shows_times_in_the_shops_own_zone(client, keripik):
    # A shop in Denpasar (WITA, UTC+8): an order at 01:30 UTC is at 09:30 there
    owner = make_owner()
    client.force_login(owner)
    bali = make_business(owner=owner, village="51.71.01.1001", name="Kopi Bali")
    moment = timezone.now().replace(hour=1, minute=30, second=0, microsecond=0) - timedelta(days=2)
    make_order(bali, [(keripik, 1)], created_at=moment)
    assert "09:30" in client.get(list_url(bali)).content.decode()


# ---- One order ---------------------------------------------------------------------------------------------


def test_order_detail_shows_lines_buyer_delivery_payment_timeline_and_next_steps(client, shop, keripik):
    order = place(
        shop, keripik, 3, buyer_name="Budi Santoso", delivery="seller", buyer_address="Jl. Kaliurang km 5",
        buyer_village_code="34.04.07.2001", note="Pedas ya",
    )
    body = client.get(detail_url(order)).content.decode()
    assert "Keripik Pisang Manis" in body and "Rp 45.000" in body
    assert "Budi Santoso" in body and "Jl. Kaliurang km 5" in body and "Caturtunggal" in body
    assert "Diantar penjual" in body and "Bayar di tempat (COD)" in body and "Pedas ya" in body
    assert "Dipesan" in body
    # One button per allowed step (COD, new: confirm, cancel) and "mark paid" posting to payments
    assert body.count(f'action="{transition_url(order)}"') == 2
    assert 'value="confirmed"' in body and 'value="cancelled"' in body and 'value="shipped"' not in body
    assert reverse("payments:mark_paid", args=[shop.pk, order.number]) in body
    # And a WhatsApp link that opens a chat with the buyer about the order
    assert "https://wa.me/6281399990001?text=" in body


def test_order_detail_of_a_cancelled_order_offers_no_buttons(client, owner, shop, keripik):
    order = place(shop, keripik)
    client.post(transition_url(order), {"to": "cancelled"})
    body = client.get(detail_url(order)).content.decode()
    assert transition_url(order) not in body
    assert reverse("payments:mark_paid", args=[shop.pk, order.number]) not in body
    assert "Dibatalkan" in body and "https://wa.me/" in body


# ---- The step ----------------------------------------------------------------------------------------------


def test_owner_moves_an_order_along_and_is_told_to_tell_the_buyer(client, shop, keripik):
    order = place(shop, keripik, 2)
    response = client.post(transition_url(order), {"to": "confirmed"}, follow=True)
    assert response.redirect_chain[-1][0] == detail_url(order)
    assert Order.objects.get(pk=order.pk).status == "confirmed"
    body = response.content.decode()
    assert "Pesanan #1 sekarang: Dikonfirmasi" in body and "WhatsApp" in body


def test_cancelling_from_the_page_returns_the_stock(client, shop, keripik):
    order = place(shop, keripik, 4)
    client.post(transition_url(order), {"to": "cancelled"})
    assert Product.objects.get(pk=keripik.pk).stock == 10


def test_a_step_the_lifecycle_forbids_is_refused_with_a_message(client, shop, keripik):
    order = place(shop, keripik, payment_method="qris")
    response = client.post(transition_url(order), {"to": "shipped"}, follow=True)
    assert "tidak bisa diubah menjadi Dikirim" in response.content.decode()
    assert Order.objects.get(pk=order.pk).status == "new"


def test_the_step_only_answers_post(client, shop, keripik):
    order = place(shop, keripik)
    assert client.get(transition_url(order), {"to": "cancelled"}).status_code == 405
    assert Order.objects.get(pk=order.pk).status == "new"


# ---- Refusals ----------------------------------------------------------------------------------------------


def test_another_owner_gets_a_404_for_every_order_page_and_changes_nothing(client, shop, keripik):
    order = place(shop, keripik)
    client.force_login(make_owner())
    assert client.get(list_url(shop)).status_code == 404
    assert client.get(detail_url(order)).status_code == 404
    assert client.post(transition_url(order), {"to": "cancelled"}).status_code == 404
    assert Order.objects.get(pk=order.pk).status == "new"


@pytest.mark.parametrize("make", [lambda: make_officer(SLEMAN), make_admin])
def test_officers_and_admins_get_a_404_on_a_shops_orders(client, shop, keripik, make):
    order = place(shop, keripik)
    client.force_login(make())
    assert client.get(list_url(shop)).status_code == 404
    assert client.get(detail_url(order)).status_code == 404
    assert client.post(transition_url(order), {"to": "cancelled"}).status_code == 404
    assert Order.objects.get(pk=order.pk).status == "new"


def test_anonymous_visitors_are_sent_to_log_in_and_change_nothing(client, shop, keripik):
    order = place(shop, keripik)
    client.logout()
    login = reverse("accounts:login")
    for response in (
        client.get(list_url(shop)),
        client.get(detail_url(order)),
        client.post(transition_url(order), {"to": "cancelled"}),
    ):
        assert response.status_code == 302 and response["Location"].startswith(login)
    assert Order.objects.get(pk=order.pk).status == "new"


def test_an_order_number_of_another_shop_or_that_does_not_exist_is_a_404(client, shop, keripik):
    other = make_business(owner=make_owner(), name="Batik")
    theirs = make_order(other, [])
    assert client.get(reverse("orders:owner_detail", args=[shop.pk, theirs.number + 5])).status_code == 404
    assert client.get(reverse("orders:owner_detail", args=[other.pk, theirs.number])).status_code == 404


def test_admins_can_look_at_orders_in_django_admin_but_not_change_them(client, shop, keripik):
    order = place(shop, keripik)
    client.force_login(make_admin())
    assert client.get(reverse("admin:orders_order_changelist")).status_code == 200
    response = client.get(reverse("admin:orders_order_change", args=[order.pk]))
    assert response.status_code == 200 and "Keripik Pisang Manis" in response.content.decode()
    change = reverse("admin:orders_order_change", args=[order.pk])
    assert client.post(change, {"status": "completed"}).status_code == 403
    assert client.get(reverse("admin:orders_order_add")).status_code == 403
    assert Order.objects.get(pk=order.pk).status == "new"
