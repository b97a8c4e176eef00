"""The lifecycle rules, checked for every (from, to) pair of statuses under every payment method, paid or not.

The expected table is written out here by hand, apart from orders/lifecycle.py, so a change to the rules has
to be made twice on purpose.
"""

import itertools

import pytest

from naikkelas.orders import lifecycle
from naikkelas.orders.models import PaymentMethod, Status

NEW, CONFIRMED, PAID, SHIPPED, COMPLETED, CANCELLED, REFUNDED = (
    "new", "confirmed", "paid", "shipped", "completed", "cancelled", "refunded",
)
ALL_STATES = [NEW, CONFIRMED, PAID, SHIPPED, COMPLETED, CANCELLED, REFUNDED]
METHODS = ["qris", "cod", "transfer"]


def expected_allowed(status: str, to: str, method: str, paid: bool) -> bool:
    """The lifecycle as the issue and docs state it (see the table in orders/lifecycle.py)."""
    cod = method == "cod"
    table = {
        (NEW, CONFIRMED): True,
        (NEW, PAID): True,
        (NEW, CANCELLED): True,
        (CONFIRMED, PAID): True,
        (CONFIRMED, CANCELLED): True,
        (CONFIRMED, SHIPPED): cod,
        (PAID, SHIPPED): True,
        (PAID, REFUNDED): True,
        (SHIPPED, COMPLETED): True,
        (SHIPPED, REFUNDED): paid,
        (SHIPPED, CANCELLED): cod and not paid,
        (COMPLETED, REFUNDED): True,
    }
    return table.get((status, to), False)


CASES = list(itertools.product(ALL_STATES, ALL_STATES, METHODS, [False, True]))


def test_the_test_table_covers_every_status_and_method_the_models_know():
    assert sorted(ALL_STATES) == sorted(Status.values)
    assert sorted(METHODS) == sorted(PaymentMethod.values)


@pytest.mark.parametrize(("status", "to", "method", "paid"), CASES)
def test_can_transition_follows_the_table_for_every_pair(status, to, method, paid):
    got = lifecycle.can_transition(status, to, payment_method=method, paid=paid)
    assert got is expected_allowed(status, to, method, paid)


@pytest.mark.parametrize(("status", "method", "paid"), list(itertools.product(ALL_STATES, METHODS, [False, True])))
def test_owner_buttons_are_the_allowed_steps_except_paying_forward_first(status, method, paid):
    actions = lifecycle.owner_actions(status, payment_method=method, paid=paid)
    allowed = {to for to in ALL_STATES if expected_allowed(status, to, method, paid)}
    assert set(actions) == allowed - {PAID}
    assert len(actions) == len(set(actions))
    # The ways out (cancel, refund) come after the step forward.
    ways_out = [i for i, to in enumerate(actions) if to in (CANCELLED, REFUNDED)]
    forward = [i for i, to in enumerate(actions) if to not in (CANCELLED, REFUNDED)]
    assert not ways_out or not forward or max(forward) < min(ways_out)


@pytest.mark.parametrize("status", [CANCELLED, REFUNDED])
@pytest.mark.parametrize("method", METHODS)
def test_cancelled_and_refunded_are_final(status, method):
    for paid in (False, True):
        assert lifecycle.allowed_targets(status, payment_method=method, paid=paid) == frozenset()
        assert lifecycle.owner_actions(status, payment_method=method, paid=paid) == []
        assert not lifecycle.can_mark_paid(status, payment_method=method, paid=paid)
    assert lifecycle.TERMINAL == {CANCELLED, REFUNDED}


@pytest.mark.parametrize(("status", "method", "paid"), list(itertools.product(ALL_STATES, METHODS, [False, True])))
def test_an_order_can_be_marked_paid_before_it_is_paid_and_sent_or_on_delivery_for_cod(status, method, paid):
    expected = status in (NEW, CONFIRMED) or (status == SHIPPED and method == "cod" and not paid)
    assert lifecycle.can_mark_paid(status, payment_method=method, paid=paid) is expected


@pytest.mark.parametrize(("status", "to"), list(itertools.product(ALL_STATES, ALL_STATES)))
def test_stock_goes_back_on_cancelling_and_on_refunding_before_the_goods_left(status, to):
    expected = to == CANCELLED or (status == PAID and to == REFUNDED)
    assert lifecycle.returns_stock(status, to) is expected


@pytest.mark.parametrize(("status", "to", "method", "paid"), CASES)
def test_only_completing_an_unpaid_cod_order_records_its_payment(status, to, method, paid):
    expected = status == SHIPPED and to == COMPLETED and method == "cod" and not paid
    assert lifecycle.pays_on_completion(status, to, payment_method=method, paid=paid) is expected


def test_every_status_but_new_has_a_timestamp_column():
    assert set(lifecycle.TIMESTAMP) == set(ALL_STATES) - {NEW}
    assert lifecycle.TIMESTAMP[SHIPPED] == "shipped_at"


def test_every_path_from_new_ends_in_a_final_status_or_completed_and_never_loops():
    """Walk every path the owner could take: none revisits a status, so the order cannot go round in
    circles (e.g. shipped back to paid)."""
    for method in METHODS:
        stack = [(NEW, False, (NEW,))]
        while stack:
            status, paid, path = stack.pop()
            for to in lifecycle.allowed_targets(status, payment_method=method, paid=paid):
                assert to not in path, f"{method}: {' → '.join(path + (to,))} loops"
                now_paid = paid or to == PAID or lifecycle.pays_on_completion(
                    status, to, payment_method=method, paid=paid
                )
                stack.append((to, now_paid, path + (to,)))
