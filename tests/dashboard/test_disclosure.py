"""Small cells are held back, and so are enough others that no held-back figure can be worked out from the
total and the cells shown."""

from hypothesis import given
from hypothesis import strategies as st

from naikkelas.dashboard.disclosure import MINIMUM, held_back


def test_a_small_cell_is_held_back_with_the_next_smallest_so_the_total_gives_neither_away():
    counts = {"Sleman": 120, "Bantul": 3, "Kota Yogyakarta": 40, "Kulon Progo": 9, "Gunungkidul": 0}
    assert held_back(counts) == {"Bantul", "Kulon Progo"}


def test_two_small_cells_whose_sum_is_small_take_a_third_with_them():
    assert held_back({"a": 1, "b": 2, "c": 30, "d": 50}) == {"a", "b", "c"}


def test_nothing_is_held_back_when_every_cell_is_large_or_empty():
    assert held_back({"a": 5, "b": 0, "c": 12}) == set()


@given(st.dictionaries(st.text(max_size=3), st.integers(0, 40), max_size=12))
def test_no_held_back_figure_can_be_worked_out(counts):
    hidden = held_back(counts)
    # every small cell is held back, and no empty one is needed for it
    assert {key for key, count in counts.items() if 0 < count < MINIMUM} <= hidden
    if hidden and len(hidden) < sum(count > 0 for count in counts.values()):
        # what the total less the shown cells gives is the sum of two or more cells, and not a small one
        assert len(hidden) >= 2 and sum(counts[key] for key in hidden) >= MINIMUM
    assert all(counts[key] > 0 for key in hidden)


def test_a_cell_held_back_for_another_reason_takes_a_sibling_with_it():
    # Sleman's share was held back on its own page (its complement was small): beside the province's total
    # it would follow from the others, so the smallest other goes with it.
    assert held_back({"Sleman": 60, "Bantul": 30, "Kota Yogyakarta": 40}, already={"Sleman"}) == {"Sleman", "Bantul"}


@given(st.dictionaries(st.text(max_size=3), st.integers(1, 40), min_size=1, max_size=12), st.data())
def test_cells_held_back_already_are_never_given_away_by_the_total(counts, data):
    already = data.draw(st.sets(st.sampled_from(sorted(counts))))
    hidden = held_back(counts, already=already)
    assert already <= hidden
    if hidden and len(hidden) < len(counts):
        assert len(hidden) >= 2 and sum(counts[key] for key in hidden) >= MINIMUM
