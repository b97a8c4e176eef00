"""The dashboard's charts: a line over the months with gaps where a value is missing, and ranked bars, largest
first, with missing values named; every point and bar carries its value in words."""

import re

from hypothesis import given
from hypothesis import strategies as st

from naikkelas.dashboard.charts import LINE_HEIGHT, TOP, BOTTOM, line, ranked_bars


def percent(value: float) -> str:
    return f"{value:.0%}"


def test_a_line_joins_neighbours_with_values_and_leaves_a_gap_for_a_missing_one():
    points = [("Jan", 0.1), ("Feb", 0.2), ("Mar", None), ("Apr", 0.4), ("Mei", 0.5), ("Jun", 0.6)]
    svg = line(points, title="Berjualan online", write=percent, top=1.0)
    assert svg.count("<circle ") == 5 and "<title>Mar:" not in svg
    assert svg.count("<polyline ") == 2  # Jan–Feb and Apr–Jun
    assert "<title>Apr: 40%</title>" in svg and 'aria-label="Berjualan online"' in svg
    ys = [float(y) for y in re.findall(r'cy="([\d.]+)"', svg)]
    assert ys == sorted(ys, reverse=True)  # higher values stand higher
    assert max(ys) <= LINE_HEIGHT - BOTTOM and min(ys) >= TOP


def test_ranked_bars_put_the_largest_first_and_name_what_is_held_back():
    svg = ranked_bars([("Sleman", 0.3), ("Bantul", None), ("Kota Yogyakarta", 0.6), ("Gunungkidul", 0.1)],
                      title="Per kabupaten", write=percent, no_data="disembunyikan")
    names = re.findall(r'text-anchor="end" fill="#1f2328">([^<]+)</text>', svg)
    assert names == ["Kota Yogyakarta", "Sleman", "Gunungkidul", "Bantul"]
    widths = [float(w) for w in re.findall(r'<rect [^>]*width="([\d.]+)"', svg)]
    assert widths == sorted(widths, reverse=True) and len(widths) == 3
    assert "disembunyikan" in svg and "<title>Sleman: 30%</title>" in svg


def test_words_are_escaped():
    svg = ranked_bars([("<Toko & Co>", 1.0)], title='"x"', write=str, no_data="-")
    assert "<Toko" not in svg and "&lt;Toko &amp; Co&gt;" in svg


@given(st.lists(st.one_of(st.none(), st.floats(min_value=0, max_value=1e9, allow_nan=False)), max_size=40))
def test_any_series_draws_one_point_per_value_inside_the_chart(values):
    points = [(f"M{n}", value) for n, value in enumerate(values)]
    svg = line(points, title="t", write=str)
    assert svg.count("<circle ") == sum(value is not None for value in values)
    for y in re.findall(r'cy="([-\d.]+)"', svg):
        assert TOP - 0.1 <= float(y) <= LINE_HEIGHT - BOTTOM + 0.1
