"""The cash book's SVG charts: well-formed XML, bars in proportion to the amounts, text escaped, and a
description for screen readers."""

import xml.etree.ElementTree as ET

from hypothesis import given, strategies as st

from naikkelas.ledger import charts

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def bars_of(root: ET.Element) -> list[ET.Element]:
    return [rect for rect in root.iter(f"{SVG}rect") if "bar" in rect.get("class", "").split()]


def test_bars_are_valid_svg_described_for_screen_readers():
    root = parse(charts.bars([("1/5", 10000), ("2/5", 0)], title="Penjualan per hari"))
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img" and root.get("aria-label") == "Penjualan per hari"
    assert root.find(f"{SVG}title").text == "Penjualan per hari"
    # Each bar tells its exact amount
    assert [bar.find(f"{SVG}title").text for bar in bars_of(root)] == ["1/5: Rp 10.000", "2/5: Rp 0"]


def test_bar_heights_are_proportional_and_share_one_baseline():
    root = parse(charts.bars([("a", 50), ("b", 100), ("c", 25), ("d", 0)], title="t"))
    heights = [float(bar.get("height")) for bar in bars_of(root)]
    assert heights[1] == charts.PLOT  # the tallest fills the plot
    assert heights == [charts.PLOT / 2, charts.PLOT, charts.PLOT / 4, 0]
    bottoms = {round(float(bar.get("y")) + float(bar.get("height")), 2) for bar in bars_of(root)}
    assert bottoms == {charts.TOP + charts.PLOT}


@given(st.lists(st.integers(min_value=0, max_value=10**12), min_size=1, max_size=40))
def test_any_amounts_give_bars_in_proportion_inside_the_picture(amounts):
    root = parse(charts.bars([(str(i), a) for i, a in enumerate(amounts)], title="t"))
    heights = [float(bar.get("height")) for bar in bars_of(root)]
    top = max(amounts)
    for height, amount in zip(heights, amounts):
        assert 0 <= height <= charts.PLOT
        expected = charts.PLOT * amount / top if top else 0
        assert abs(height - expected) <= 0.01
    for bar in bars_of(root):
        assert 0 <= float(bar.get("x")) and float(bar.get("x")) + float(bar.get("width")) <= charts.WIDTH + 0.01


def test_a_chart_of_nothing_draws_flat_bars_without_failing():
    root = parse(charts.bars([("1/5", 0), ("2/5", 0)], title="Kosong"))
    assert [float(bar.get("height")) for bar in bars_of(root)] == [0, 0]
    assert parse(charts.bars([], title="Kosong")).get("aria-label") == "Kosong"
    assert parse(charts.paired_bars([], title="Kosong", first="Masuk", second="Keluar")) is not None


def test_paired_bars_share_one_scale_across_months():
    rows = [("Jan", 200, 100), ("Feb", 50, 400)]
    root = parse(charts.paired_bars(rows, title="Masuk dan keluar", first="Masuk", second="Keluar"))
    found = bars_of(root)
    assert [bar.get("class") for bar in found] == ["bar first", "bar second"] * 2
    heights = [float(bar.get("height")) for bar in found]
    assert heights == [charts.PLOT / 2, charts.PLOT / 4, charts.PLOT / 8, charts.PLOT]
    assert found[0].find(f"{SVG}title").text == "Jan, Masuk: Rp 200"
    assert found[3].find(f"{SVG}title").text == "Feb, Keluar: Rp 400"
    # The pair sits side by side: money in, then money out just to its right
    assert float(found[1].get("x")) > float(found[0].get("x"))
    legend = [text.text for text in root.iter(f"{SVG}text")]
    assert "Masuk" in legend and "Keluar" in legend


def test_text_is_escaped():
    nasty = 'Toko "A" <script>alert(1)</script> & Co'
    svg = charts.paired_bars([(nasty, 1, 2)], title=nasty, first=nasty, second="<b>")
    assert "<script>" not in svg and "<b>" not in svg
    root = parse(svg)  # still well-formed
    assert root.get("aria-label") == nasty and root.find(f"{SVG}title").text == nasty
    assert nasty in [text.text for text in root.iter(f"{SVG}text")]
    assert "<script>" not in charts.bars([(nasty, 5)], title=nasty)
