"""Choropleth maps of Indonesia's provinces as SVG drawn on the server: they show on any phone without
JavaScript, print, and carry their numbers in each province's <title> for screen readers.

Pure: shapes and numbers in, an SVG string out; the words (title, legend, how a value is written) come from
the caller, in the reader's language. The shapes are regions/data/provinces.geojson (cahyadsn/wilayah_boundaries,
MIT; regions/data/SOURCE.md), in longitude and latitude, drawn in an equirectangular projection: Indonesia
lies across the equator (11° S to 6° N), where it distorts areas by under 2 %.

Classes are quantiles of the values shown, coloured with ColorBrewer's YlGnBu, a sequential scheme that stays
distinct for the common kinds of colour blindness; a province without a value (or whose value is held back
because too few businesses stand behind it) is drawn hatched grey and named so in the legend.
"""

import json
import math
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Callable

PROVINCES = Path(__file__).resolve().parent.parent / "regions" / "data" / "provinces.geojson"
PALETTE = ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494")  # ColorBrewer YlGnBu, 5 classes
NO_DATA = "url(#no-data)"
WIDTH = 960
MAP_HEIGHT = 340
# The legend is drawn large, since the map is shrunk to a third on a phone; one row per class shown and one
# for the provinces without a value.
LEGEND_ROW, LEGEND_FONT = 40, 26
STEP = 1.5  # pixels of the 960-wide drawing between the points kept


@dataclass(frozen=True)
class Shape:
    code: str
    name: str
    rings: tuple[tuple[tuple[float, float], ...], ...]  # (longitude, latitude) points, each ring closed


def load_shapes(path: Path = PROVINCES) -> list[Shape]:
    """Every province of the GeoJSON file, in code order."""
    shapes = []
    for feature in json.loads(path.read_text(encoding="utf-8"))["features"]:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        rings = tuple(tuple((float(x), float(y)) for x, y in ring) for polygon in polygons for ring in polygon)
        shapes.append(Shape(code=feature["properties"]["code"], name=feature["properties"]["name"], rings=rings))
    return sorted(shapes, key=lambda shape: shape.code)


def breaks(values: list[float], count: int = len(PALETTE)) -> list[float]:
    """The upper bounds of `count` quantile classes of `values`, ascending (fewer where values repeat); the
    last is the largest value."""
    ordered = sorted(values)
    size = len(ordered)
    return sorted({ordered[max(0, math.ceil(size * k / count) - 1)] for k in range(1, count + 1)}) if ordered else []


def class_of(value: float, bounds: list[float]) -> int:
    """The index of the first class whose upper bound holds `value`."""
    return next((index for index, bound in enumerate(bounds) if value <= bound), len(bounds) - 1)


def _projector(shapes: list[Shape]) -> Callable[[float, float], tuple[float, float]]:
    xs = [x for shape in shapes for ring in shape.rings for x, _y in ring]
    ys = [y for shape in shapes for ring in shape.rings for _x, y in ring]
    west, east, south, north = min(xs), max(xs), min(ys), max(ys)
    scale = min(WIDTH / (east - west), MAP_HEIGHT / (north - south))
    return lambda x, y: (round((x - west) * scale, 1), round((north - y) * scale, 1))


def _path(shape: Shape, project) -> str:
    """The shape's rings as path data, leaving out points under STEP pixels from the last one kept: the
    coastline's detail finer than the screen shows would triple the page's weight. Rings that shrink to
    under three points (islets smaller than a pixel or two) are left out."""
    parts = []
    for ring in shape.rings:
        kept: list[tuple[float, float]] = []
        for x, y in (project(x, y) for x, y in ring):
            if not kept or abs(x - kept[-1][0]) + abs(y - kept[-1][1]) >= STEP:
                kept.append((x, y))
        if len(kept) >= 3:
            parts.append("M" + " L".join(f"{x:g},{y:g}" for x, y in kept) + "Z")
    return "".join(parts)


_drawn: dict[int, tuple[list[Shape], dict[str, str]]] = {}


def _paths(shapes: list[Shape]) -> dict[str, str]:
    """Each shape's path data, drawn once per list of shapes: projecting the coastlines takes a tenth of a
    second, and the shapes do not change between pages."""
    drawn = _drawn.get(id(shapes))
    if drawn is None or drawn[0] is not shapes:
        project = _projector(shapes)
        drawn = _drawn[id(shapes)] = (shapes, {shape.code: _path(shape, project) for shape in shapes})
    return drawn[1]


def choropleth(
    shapes: list[Shape],
    values: dict[str, float | None],
    *,
    title: str,
    write: Callable[[float], str],
    no_data: str,
    link: Callable[[str], str | None] = lambda code: None,
) -> str:
    """An SVG map of `shapes` coloured by `values` (code -> value; None or absent: no data), with a legend of
    the classes as `write` writes their bounds, and each province a link where `link` gives one."""
    paths = _paths(shapes)
    shown = [value for value in values.values() if value is not None]
    bounds = breaks(shown)
    label = escape(title, quote=True)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {MAP_HEIGHT + 16 + LEGEND_ROW * (len(bounds) + 1)}" '
        'width="100%" '
        # A group, not an image: an image's contents are hidden from screen readers, and the provinces are
        # links to follow.
        f'role="group" aria-label="{label}" class="map"><title>{label}</title>',
        '<defs><pattern id="no-data" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#eeeeee"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#9a9a9a" stroke-width="2"/></pattern></defs>',
    ]
    for shape in shapes:
        value = values.get(shape.code)
        fill = NO_DATA if value is None else PALETTE[class_of(value, bounds)]
        said = escape(f"{shape.name}: {no_data if value is None else write(value)}", quote=True)
        body = f'<path d="{paths[shape.code]}" fill="{fill}" stroke="#6b7580" stroke-width="0.5"><title>{said}</title></path>'
        href = link(shape.code)
        out.append(f'<a href="{escape(href, quote=True)}" aria-label="{said}">{body}</a>' if href else body)
    out.append(_legend(bounds, min(shown) if shown else None, write, no_data))
    out.append("</svg>")
    return "".join(out)


def _legend(bounds: list[float], lowest: float | None, write, no_data: str) -> str:
    rows = []
    top = MAP_HEIGHT + 16
    start = lowest
    for index, bound in enumerate(bounds):
        text = write(bound) if start == bound else f"{write(start)} – {write(bound)}"
        rows.append((PALETTE[index], text))
        start = bound
    rows.append((NO_DATA, no_data))
    parts = []
    for n, (fill, text) in enumerate(rows):
        y = top + LEGEND_ROW * n
        parts.append(
            f'<rect x="8" y="{y}" width="36" height="{LEGEND_ROW - 12}" fill="{fill}" stroke="#5a6470" stroke-width="0.5"/>'
            f'<text x="56" y="{y + LEGEND_FONT - 4}" font-size="{LEGEND_FONT}" fill="#1f2328">{escape(text)}</text>'
        )
    return '<g class="legend">' + "".join(parts) + "</g>"
