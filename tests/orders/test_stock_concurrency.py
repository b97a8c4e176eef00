"""Stock under real concurrency, on PostgreSQL: many buyers at the same instant, each on its own connection.

(SQLite lets one writer in at a time, so there is no race to lose there; these tests skip on it.)
"""

import threading
import time

import pytest
from django.db import connections

from naikkelas.catalog.models import Product, ShopProfile
from naikkelas.orders.models import Order, OrderLine
from naikkelas.orders.services import OrderError, order_place
from tests.catalog.factories import make_product
from tests.registry.factories import make_business, make_caturtunggal, make_owner

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

BUYERS = 50
LAST_UNITS = 5
ROUNDS = 20
WAIT = 60  # seconds a thread waits for the others at the barrier before the test gives up


@pytest.fixture
def shop():
    make_caturtunggal()  # a transactional test starts from whatever the previous one emptied
    business = make_business(owner=make_owner(), name="Keripik Bu Tini")
    ShopProfile.objects.create(business=business)
    return business


def _buy(shop, lines):
    return order_place(
        business_id=shop.pk,
        lines=lines,
        buyer_name="Pembeli Serentak",
        buyer_phone="081399990001",
        buyer_address="",
        buyer_village_code="",
        delivery="pickup",
        payment_method="cod",
    )


def _run_together(workers: int, rounds: int, attempt) -> list[list[str]]:
    """`workers` threads, each on its own database connection, run `attempt(round, worker)` for every round,
    all starting each round at the same instant. Returns the outcome of each attempt: "ok", the OrderError's
    code, or the repr of anything else."""
    barrier = threading.Barrier(workers, timeout=WAIT)
    outcomes = [[""] * workers for _ in range(rounds)]

    def work(worker: int) -> None:
        try:
            for round_ in range(rounds):
                barrier.wait()
                try:
                    attempt(round_, worker)
                    outcomes[round_][worker] = "ok"
                except OrderError as error:
                    outcomes[round_][worker] = error.code
                except Exception as error:  # a deadlock or a broken constraint must show in the result
                    outcomes[round_][worker] = repr(error)
        except threading.BrokenBarrierError:
            pass
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(worker,)) for worker in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT * rounds)
    assert not any(thread.is_alive() for thread in threads), "a buyer thread hung"
    return outcomes


def test_fifty_buyers_racing_for_the_last_five_units_exactly_five_succeed_twenty_times_over(shop):
    # Given, for each of 20 rounds, a product with its last 5 units
    products = [make_product(shop, name=f"Keripik Edisi {n}", price=15000, stock=LAST_UNITS) for n in range(ROUNDS)]
    started = time.monotonic()
    # When 50 buyers each try to buy one at the same instant
    outcomes = _run_together(BUYERS, ROUNDS, lambda round_, worker: _buy(shop, [(products[round_].pk, 1)]))
    elapsed = time.monotonic() - started
    # Then in every round exactly 5 orders went through, the other 45 were told it is sold out, stock is 0
    for round_, product in enumerate(products):
        results = outcomes[round_]
        assert results.count("ok") == LAST_UNITS, f"round {round_}: {results}"
        assert results.count("short") == BUYERS - LAST_UNITS, f"round {round_}: {results}"
        assert Product.objects.get(pk=product.pk).stock == 0
        assert OrderLine.objects.filter(product=product).count() == LAST_UNITS
    # And the order numbers were handed out once each, without gaps
    numbers = sorted(Order.objects.filter(business=shop).values_list("number", flat=True))
    assert numbers == list(range(1, LAST_UNITS * ROUNDS + 1))
    print(f"\n{ROUNDS} rounds × {BUYERS} buyers for {LAST_UNITS} units: {elapsed:.1f} s")


def test_orders_naming_the_same_products_in_opposite_order_never_deadlock(shop):
    # Given two products; half the buyers list A then B, the other half B then A
    a = make_product(shop, name="Keripik A", stock=1000)
    b = make_product(shop, name="Keripik B", stock=1000)
    workers, rounds = 8, 5

    def attempt(round_, worker):
        lines = [(a.pk, 1), (b.pk, 2)] if worker % 2 else [(b.pk, 2), (a.pk, 1)]
        _buy(shop, lines)

    outcomes = _run_together(workers, rounds, attempt)
    # Then every order went through (a deadlock would have failed one of them) and every unit is accounted for
    assert all(result == "ok" for results in outcomes for result in results), outcomes
    placed = workers * rounds
    assert Order.objects.filter(business=shop).count() == placed
    assert Product.objects.get(pk=a.pk).stock == 1000 - placed
    assert Product.objects.get(pk=b.pk).stock == 1000 - 2 * placed
