"""The pure order-history generator: counts, steps that follow the lifecycle, payments, buyers, determinism."""

import math
from collections import Counter
from datetime import datetime, timedelta, timezone

import phonenumbers
import pytest

from naikkelas.orders import lifecycle
from naikkelas.synth.businesses import SynthError
from naikkelas.synth.orders import PAYMENT_MIX, Listing, OrderHistory, Storefront

NOW = datetime(2026, 11, 29, 5, 30, tzinfo=timezone.utc)
LISTINGS = (
    Listing(101, "Keripik Pisang Manis 250 gr", "bungkus", 15_000),
    Listing(102, "Gorengan Tempe Mendoan", "pcs", 1_500),
    Listing(103, "Peyek Kacang Tanah", "toples", 22_000),
    Listing(104, "Lemari Pakaian 2 Pintu", "buah", 2_500_000),
    Listing(105, "Kerupuk Udang 500 gr", "bungkus", 45_000),
)
TERMINAL_AFTER = timedelta(days=8)  # longer than the slowest path through the steps


def history(diy_regencies, *, seed: int = 1, days: int = 60) -> OrderHistory:
    villages = {regency.code: regency.villages for regency in diy_regencies}
    return OrderHistory(province_code="34", villages=villages, seed=seed, days=days, now=NOW)


def shop(key: int = 1, *, size: str = "small", methods=("cod", "qris", "transfer"), regency: str = "34.04"):
    return Storefront(key=key, size_class=size, regency=regency, listings=LISTINGS, methods=methods)


@pytest.fixture(scope="module")
def orders(diy_regencies) -> list[dict]:
    """About 8,000 orders of 150 small shops over 60 days."""
    maker = history(diy_regencies)
    return [order for key in range(150) for order in maker.for_shop(shop(key))]


def steps_of(order: dict) -> list[tuple[str, datetime]]:
    """The status changes the order went through, in time order (a COD payment rides on completion)."""
    names = ["confirmed", "shipped", "completed", "cancelled", "refunded"]
    if order["payment_method"] != "cod":
        names.append("paid")
    steps = [(name, order[f"{name}_at"]) for name in names if order[f"{name}_at"]]
    return sorted(steps, key=lambda step: (step[1], names.index(step[0])))


def test_orders_are_numbered_per_shop_oldest_first_within_the_window(diy_regencies):
    placed = history(diy_regencies).for_shop(shop(7))

    assert [order["number"] for order in placed] == list(range(1, len(placed) + 1))
    times = [order["created_at"] for order in placed]
    assert times == sorted(times)
    assert all(NOW - timedelta(days=61) < at < NOW for at in times)
    assert {order["business"] for order in placed} == {7}


def test_every_order_moves_only_the_way_the_lifecycle_allows(orders):
    for order in orders:
        status, paid = "new", False
        for to, at in steps_of(order):
            method = order["payment_method"]
            assert lifecycle.can_transition(status, to, payment_method=method, paid=paid) or (
                to == "paid" and lifecycle.can_mark_paid(status, payment_method=method, paid=paid)
            ), (status, to, order)
            paid = paid or to == "paid" or lifecycle.pays_on_completion(status, to, payment_method=method, paid=paid)
            status = to
            assert at >= order["created_at"]
        assert status == order["status"]
        assert order["updated_at"] == max([order["created_at"], *(at for _, at in steps_of(order))])


def test_money_and_stock_agree_with_how_the_order_ended(orders):
    for order in orders:
        if order["status"] == "completed":
            assert order["paid_at"] and order["paid_via"] == "owner"
        if order["payment_method"] == "cod" and order["completed_at"]:
            assert order["paid_at"] == order["completed_at"]
        if order["status"] == "refunded":
            assert order["paid_at"]
        assert order["stock_returned"] == (
            order["status"] == "cancelled" or (order["status"] == "refunded" and not order["shipped_at"])
        )
        if order["status"] == "new":
            assert not any(order[f"{name}_at"] for name in ("confirmed", "paid", "shipped", "completed"))


def test_old_orders_are_finished_and_only_recent_ones_wait_for_the_owner(orders):
    for order in orders:
        if order["created_at"] < NOW - TERMINAL_AFTER:
            assert order["status"] in {"completed", "cancelled", "refunded"}
    statuses = Counter(order["status"] for order in orders)
    assert 0.8 < statuses["completed"] / len(orders) < 0.95
    assert 0.05 < statuses["cancelled"] / len(orders) < 0.14
    assert statuses["refunded"] > 0


def test_payment_methods_follow_the_mix_with_cod_the_most(orders):
    counts = Counter(order["payment_method"] for order in orders)
    assert counts.most_common(1)[0][0] == "cod"
    for method, share in PAYMENT_MIX.items():
        tolerance = 4 * math.sqrt(share * (1 - share) / len(orders))
        assert abs(counts[method] / len(orders) - share) <= tolerance + 0.01


def test_a_shop_gets_only_the_payment_methods_it_takes(diy_regencies):
    placed = history(diy_regencies).for_shop(shop(methods=("cod",), size="medium"))
    assert placed and {order["payment_method"] for order in placed} == {"cod"}


def test_transfers_carry_a_unique_code_in_the_total(orders):
    for order in orders:
        if order["payment_method"] == "transfer":
            assert 1 <= order["unique_code"] <= 999
        else:
            assert order["unique_code"] == 0
        assert order["total"] == order["subtotal"] + order["unique_code"]


def test_lines_snapshot_the_shops_products(orders):
    by_key = {listing.key: listing for listing in LISTINGS}
    for order in orders:
        products = [line["product"] for line in order["lines"]]
        assert 1 <= len(products) <= 4 and len(set(products)) == len(products)
        for line in order["lines"]:
            listing = by_key[line["product"]]
            assert (line["name"], line["unit"], line["unit_price"]) == (listing.name, listing.unit, listing.price)
            assert line["quantity"] >= 1 and line["line_total"] == line["unit_price"] * line["quantity"]
            if listing.price >= 1_000_000:
                assert line["quantity"] == 1
        assert order["subtotal"] == sum(line["line_total"] for line in order["lines"])
    cheap = [line["quantity"] for order in orders for line in order["lines"] if line["unit_price"] < 5_000]
    assert sum(cheap) / len(cheap) > 3  # gorengan by the handful


def test_buyers_have_synthetic_mobile_numbers_and_live_in_the_province(orders, diy_regencies):
    villages = {code for regency in diy_regencies for code in regency.villages}
    for order in orders[:3000]:
        number = phonenumbers.parse(order["buyer_phone"], None)
        assert phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE
        # Subscriber part 09xxxxxx: never a synthetic business (10000000 and up) nor a demo login.
        assert order["buyer_phone"][6:8] == "09"
        assert not order["buyer_phone"].startswith("+628120000")
        assert order["buyer_village_code"] in villages
        assert order["buyer_name"].strip() == order["buyer_name"] and order["buyer_name"]
        if order["delivery"] == "pickup":
            assert order["buyer_address"] == ""
        else:
            assert order["buyer_address"]
    near = sum(order["buyer_village_code"].startswith("34.04.") for order in orders) / len(orders)
    assert 0.7 < near < 0.9


def test_some_buyers_come_back(diy_regencies):
    placed = history(diy_regencies).for_shop(shop(size="medium"))
    phones = Counter(order["buyer_phone"] for order in placed)
    assert sum(n - 1 for n in phones.values()) / len(placed) > 0.2


def test_bigger_shops_get_more_orders(diy_regencies):
    maker = history(diy_regencies, days=30)
    micro = [len(maker.for_shop(shop(key, size="micro"))) for key in range(200)]
    medium = [len(maker.for_shop(shop(key, size="medium"))) for key in range(200)]
    assert 4 <= sorted(micro)[100] <= 10
    assert sum(medium) > 5 * sum(micro)


def test_waiting_orders_are_new_and_from_the_last_hours(diy_regencies):
    placed = history(diy_regencies).for_shop(shop(), waiting=2)

    assert [order["status"] for order in placed[-2:]] == ["new", "new"]
    assert all(NOW - timedelta(hours=6) <= order["created_at"] < NOW for order in placed[-2:])
    assert [order["number"] for order in placed] == list(range(1, len(placed) + 1))


def test_no_days_or_no_products_give_no_orders(diy_regencies):
    assert history(diy_regencies, days=0).for_shop(shop()) == []
    empty = Storefront(key=1, size_class="small", regency="34.04", listings=())
    assert history(diy_regencies).for_shop(empty) == []


def test_the_same_seed_and_time_give_the_same_history(diy_regencies):
    first = [history(diy_regencies, seed=4).for_shop(shop(key)) for key in range(5)]
    again = [history(diy_regencies, seed=4).for_shop(shop(key)) for key in range(5)]
    other = [history(diy_regencies, seed=5).for_shop(shop(key)) for key in range(5)]
    assert first == again
    assert first != other


@pytest.mark.parametrize(
    "changes",
    [{"seed": -1}, {"seed": 1.5}, {"days": -1}, {"days": 4000}, {"now": NOW.replace(tzinfo=None)}, {"villages": {}}],
)
def test_bad_arguments_are_refused(diy_regencies, changes):
    arguments = {
        "province_code": "34",
        "villages": {regency.code: regency.villages for regency in diy_regencies},
        "seed": 1,
        "days": 30,
        "now": NOW,
        **changes,
    }
    with pytest.raises(SynthError):
        OrderHistory(**arguments)
