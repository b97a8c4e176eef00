"""The province map: all 38 provinces drawn from the shipped boundaries, coloured by quantile classes with a
legend, each with its name and value in words, links to drill down, and provinces without a value hatched."""

import re

from hypothesis import given
from hypothesis import strategies as st

from naikkelas.dashboard.maps import NO_DATA, PALETTE, breaks, choropleth, class_of, load_shapes

SHAPES = load_shapes()


def write(value: float) -> str:
    return f"{value:.0%}"


def test_the_map_has_the_38_provinces_west_to_east():
    assert len(SHAPES) == 38 and len({shape.code for shape in SHAPES}) == 38
    west = {shape.code: min(x for ring in shape.rings for x, _y in ring) for shape in SHAPES}
    assert west["11"] < west["31"] < west["51"] < west["91"]  # Aceh, Jakarta, Bali, Papua


def test_each_province_is_coloured_named_and_linked_and_one_without_a_value_is_hatched():
    values = {shape.code: int(shape.code) / 100 for shape in SHAPES}
    values["34"] = None
    svg = choropleth(SHAPES, values, title="Usaha yang berjualan online", write=write, no_data="tidak ada data",
                     link=lambda code: f"/dasbor/?wilayah={code}")
    assert svg.count("<path ") == 38 and svg.count('<a href="/dasbor/?wilayah=') == 38
    # the provinces are links a screen reader reaches and names, inside a group rather than an image
    assert 'role="group"' in svg and '<a href="/dasbor/?wilayah=11" aria-label="Aceh: 11%">' in svg
    assert "<title>Aceh: 11%</title>" in svg and "<title>Daerah Istimewa Yogyakarta: tidak ada data</title>" in svg
    titles = re.findall(r'<title>([^<]+): ([^<]+)</title></path>', svg)
    assert len(titles) == 38
    # Yogyakarta hatched; Papua Barat Daya (96), the largest, in the darkest class; Aceh (11), the smallest, the lightest
    fills = {name: fill for fill, name in re.findall(r'fill="([^"]+)"[^>]*><title>([^<:]+):', svg)}
    assert fills["Daerah Istimewa Yogyakarta"] == NO_DATA
    assert fills["Aceh"] == PALETTE[0] and fills["Papua Barat Daya"] == PALETTE[-1]
    legend = re.findall(r'<text [^>]*>([^<]+)</text>', svg)
    assert legend[0].startswith("11% – ") and legend[-1] == "tidak ada data" and len(legend) == 6


def test_names_and_words_are_escaped():
    svg = choropleth(SHAPES[:1], {"11": 0.5}, title='A "map" <b>', write=lambda v: "<50%>", no_data="-")
    assert "<b>" not in svg and "&lt;50%&gt;" in svg and 'aria-label="A &quot;map&quot; &lt;b&gt;"' in svg


@given(st.lists(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), min_size=1, max_size=60))
def test_every_value_falls_in_a_class_whose_bounds_hold_it(values):
    bounds = breaks(values)
    assert bounds == sorted(set(bounds)) and bounds[-1] == max(values) and 1 <= len(bounds) <= len(PALETTE)
    for value in values:
        index = class_of(value, bounds)
        assert value <= bounds[index] and (index == 0 or value > bounds[index - 1])
