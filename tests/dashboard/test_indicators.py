"""Each indicator worked out from a cell's counts, and held back where fewer than five businesses stand
behind it, together with whatever would give it away."""

from naikkelas.dashboard.indicators import BY_KEY, INDICATORS, disclose, disclose_across
from naikkelas.dashboard.models import COUNTS


def cell(**counts) -> dict:
    return {name: 0 for name in COUNTS} | counts


def test_shares_are_of_the_registered_and_counts_are_as_counted():
    figures = disclose(cell(registered=200, online=30, digital=50, bank=80, level_2=20, level_3=15, level_4=5,
                            level_0=100, level_1=60, active=120, size_micro=190, size_small=10))
    assert figures["online_share"] == 30 / 200 and figures["bank_share"] == 80 / 200
    assert figures["tech_share"] == 40 / 200
    assert (figures["active"], figures["onboarded_only"]) == (120, 80)
    assert (figures["size_micro"], figures["size_small"]) == (190, 10)


def test_a_cell_of_under_five_businesses_shows_nothing():
    assert set(disclose(cell(registered=4, online=4, active=2)).values()) == {None}


def test_a_small_part_is_held_back_with_its_family_so_the_total_gives_it_away_to_no_one():
    figures = disclose(cell(registered=100, online=3, size_micro=96, size_small=3, size_medium=1, active=97))
    assert figures["online_share"] is None  # 3 businesses; the rest (97) is not shown separately
    assert figures["size_small"] is None and figures["size_medium"] is None and figures["size_micro"] is None
    assert figures["active"] is None and figures["onboarded_only"] is None  # 3 only-registered
    assert figures["registered"] == 100


def test_money_is_held_back_when_fewer_than_five_businesses_sold():
    figures = disclose(cell(registered=50, sellers_own=4, orders_own=40, gross_own=9_000_000, sellers_partner=6,
                            orders_partner=12, gross_partner=1_500_000))
    assert (figures["orders_own"], figures["gross_own"]) == (None, None)
    assert (figures["orders_partner"], figures["gross_partner"]) == (12, 1_500_000)


def test_a_share_of_nothing_is_no_figure():
    assert disclose(cell(registered=20))["help_survived_share"] is None


def test_across_siblings_a_small_one_takes_the_next_smallest_with_it():
    siblings = {"34.01": cell(registered=40, online=12), "34.02": cell(registered=50, online=2),
                "34.03": cell(registered=60, online=20)}
    shown = disclose_across(siblings, BY_KEY["online_share"])
    assert shown == {"34.01": None, "34.02": None, "34.03": 20 / 60}


def test_every_indicator_has_a_label_a_definition_and_a_unique_key():
    assert len({indicator.key for indicator in INDICATORS}) == len(INDICATORS)
    assert all(str(indicator.label) and len(str(indicator.definition)) > 30 for indicator in INDICATORS)


def test_money_is_shown_to_three_significant_figures():
    from naikkelas.dashboard.indicators import significant

    assert [significant(n) for n in (0, 7, 999, 1_234, 15_551, 2_564_318_000)] == [
        0, 7, 999, 1_230, 15_600, 2_560_000_000,
    ]
    assert disclose(cell(registered=50, sellers_own=6, orders_own=9, gross_own=1_234_567))["gross_own"] == 1_230_000
