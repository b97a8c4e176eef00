"""The dashboard's charts as SVG drawn on the server, beside their tables of numbers: an indicator over the
months (`line`) and regions or sectors ranked by an indicator (`ranked_bars`, horizontal so long names fit on
a phone).

Pure: numbers and words in, an SVG string out; every text escaped; each chart has a <title>, role="img" and an
aria-label, and each point or bar a <title> of its own with its value as the caller writes it. A value of None
(no data, or held back because too few businesses stand behind it) leaves a gap in a line and is named in a
bar's place, never drawn as zero.
"""

from html import escape
from typing import Callable

COLOUR = "#2c7fb8"  # the map's darker blue, so the charts and the map read as one
MUTED = "#5b646b"
# Drawn narrow so that the words stay readable where a phone shrinks the chart to its width (about 360 px);
# pages cap the width on a desktop so they do not grow either.
WIDTH = 420
LINE_HEIGHT = 220
TOP, BOTTOM, LEFT, RIGHT = 20, 28, 8, 8
BAR = 24  # height of one row of ranked bars
LABEL = 180  # room for the names left of the bars


def _text(value) -> str:
    return escape(str(value), quote=True)


def _open(title: str, height: int) -> str:
    label = _text(title)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
        f'aria-label="{label}" class="chart"><title>{label}</title>'
    )


def line(points: list[tuple[str, float | None]], *, title: str, write: Callable[[float], str],
         top: float | None = None) -> str:
    """An indicator over time: one point per (label, value) in order, joined where neighbours both have a
    value. The scale runs from 0 to `top` (shares: 1) or to the largest value; every label is shown when they
    fit, otherwise every few."""
    values = [value for _label, value in points if value is not None]
    high = top if top is not None else max(values, default=0)
    plot = LINE_HEIGHT - TOP - BOTTOM
    step = (WIDTH - LEFT - RIGHT) / max(len(points) - 1, 1)
    every = max(1, -(-len(points) * 56 // (WIDTH - LEFT - RIGHT)))  # labels about 56 px apart at the least

    def xy(index: int, value: float) -> tuple[float, float]:
        y = TOP + plot - (plot * value / high if high > 0 else 0)
        return round(LEFT + index * step, 1), round(y, 1)

    parts = [
        _open(title, LINE_HEIGHT),
        f'<line x1="{LEFT}" y1="{TOP + plot}" x2="{WIDTH - RIGHT}" y2="{TOP + plot}" stroke="#d5d9dc"/>',
        f'<text x="{WIDTH - RIGHT}" y="{TOP - 6}" font-size="12" text-anchor="end" fill="{MUTED}">{_text(write(high))}</text>',
    ]
    run: list[str] = []
    for index, (label, value) in enumerate(points + [("", None)]):
        if value is None:
            if len(run) > 1:
                parts.append(f'<polyline fill="none" stroke="{COLOUR}" stroke-width="2" points="{" ".join(run)}"/>')
            run = []
        else:
            x, y = xy(index, value)
            run.append(f"{x},{y}")
            parts.append(
                f'<circle cx="{x}" cy="{y}" r="3" fill="{COLOUR}"><title>{_text(label)}: {_text(write(value))}</title></circle>'
            )
        if index < len(points) and index % every == 0:
            x = round(LEFT + index * step, 1)
            anchor = "start" if index == 0 else ("end" if index == len(points) - 1 else "middle")
            parts.append(
                f'<text x="{x}" y="{LINE_HEIGHT - 8}" font-size="12" text-anchor="{anchor}" fill="{MUTED}">{_text(label)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def ranked_bars(rows: list[tuple[str, float | None]], *, title: str, write: Callable[[float], str], no_data: str,
                top: float | None = None) -> str:
    """One horizontal bar per (name, value), largest first, rows without a value last and named as such."""
    ranked = sorted((row for row in rows if row[1] is not None), key=lambda row: -row[1])
    ranked += [row for row in rows if row[1] is None]
    high = top if top is not None else max((value for _name, value in ranked if value is not None), default=0)
    height = BAR * len(ranked) + 8
    room = WIDTH - LABEL - 110  # and 110 for the value after the bar
    parts = [_open(title, height)]
    for n, (name, value) in enumerate(ranked):
        y = 4 + n * BAR
        parts.append(
            f'<text x="{LABEL - 6}" y="{y + 15}" font-size="13" text-anchor="end" fill="#1f2328">{_text(name)}</text>'
        )
        if value is None:
            parts.append(f'<text x="{LABEL}" y="{y + 15}" font-size="13" fill="{MUTED}">{_text(no_data)}</text>')
            continue
        width = round(room * value / high, 1) if high > 0 else 0
        parts.append(
            f'<rect x="{LABEL}" y="{y + 3}" width="{max(width, 0)}" height="{BAR - 6}" fill="{COLOUR}">'
            f"<title>{_text(name)}: {_text(write(value))}</title></rect>"
            f'<text x="{LABEL + max(width, 0) + 6}" y="{y + 15}" font-size="13" fill="#1f2328">{_text(write(value))}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
