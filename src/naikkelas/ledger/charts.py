"""Charts of the cash book as SVG drawn on the server: they show on any phone, without JavaScript, and print.

Pure functions: numbers and words in, an SVG string out. Every text is escaped; each chart carries a <title>,
role="img" and an aria-label saying what it shows, and each bar a <title> of its own with its exact amount.
"""

from html import escape

from naikkelas.core.money import rupiah

WIDTH = 360
HEIGHT = 200
TOP = 16  # room above the tallest bar for its axis label
BOTTOM = 24  # room below the bars for the labels of the days or months
LEFT = 4
RIGHT = 4
PLOT = HEIGHT - TOP - BOTTOM
IN_COLOUR = "#0b6e4f"
OUT_COLOUR = "#a4262c"


def _text(value) -> str:
    return escape(str(value), quote=True)


def _height(value: int, top: int) -> float:
    """How tall a bar of `value` is when the tallest, `top`, fills the plot; never negative."""
    if top <= 0 or value <= 0:
        return 0.0
    return round(PLOT * value / top, 2)


def _svg(title: str, body: list[str], *, legend: list[tuple[str, str]] = ()) -> str:
    label = _text(title)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" '
        f'role="img" aria-label="{label}" class="chart">',
        f"<title>{label}</title>",
        f'<line x1="{LEFT}" y1="{TOP + PLOT}" x2="{WIDTH - RIGHT}" y2="{TOP + PLOT}" stroke="#d5d9dc"/>',
    ]
    x = LEFT
    for colour, name in legend:
        parts.append(f'<rect x="{x}" y="2" width="10" height="10" fill="{colour}"/>')
        parts.append(f'<text x="{x + 14}" y="11" font-size="10" fill="#5b646b">{_text(name)}</text>')
        x += 14 + 7 * len(name) + 12
    return "".join(parts + body + ["</svg>"])


def _top_label(top: int) -> str:
    return f'<text x="{WIDTH - RIGHT}" y="{TOP - 4}" font-size="10" text-anchor="end" fill="#5b646b">{_text(rupiah(top))}</text>'


def bars(values: list[tuple[str, int]], *, title: str, label_every: int = 1, colour: str = IN_COLOUR) -> str:
    """One bar per (label, amount), heights proportional to the amounts; every `label_every`-th label shown
    under its bar (all of them still in each bar's own <title>)."""
    top = max((value for _, value in values), default=0)
    slot = (WIDTH - LEFT - RIGHT) / max(len(values), 1)
    width = max(slot * 0.7, 1)
    body = [_top_label(top)] if top > 0 else []
    for i, (label, value) in enumerate(values):
        height = _height(value, top)
        x = round(LEFT + i * slot + (slot - width) / 2, 2)
        body.append(
            f'<rect class="bar" x="{x}" y="{round(TOP + PLOT - height, 2)}" width="{round(width, 2)}" '
            f'height="{height}" fill="{colour}" data-value="{int(value)}">'
            f"<title>{_text(label)}: {_text(rupiah(value))}</title></rect>"
        )
        if i % max(label_every, 1) == 0:
            body.append(
                f'<text x="{round(LEFT + i * slot + slot / 2, 2)}" y="{HEIGHT - 8}" font-size="10" '
                f'text-anchor="middle" fill="#5b646b">{_text(label)}</text>'
            )
    return _svg(title, body)


def paired_bars(
    rows: list[tuple[str, int, int]], *, title: str, first: str, second: str
) -> str:
    """Two bars side by side per (label, first amount, second amount), e.g. income against expenses per
    month; all bars on one scale, so the pairs compare across the chart."""
    top = max((max(a, b) for _, a, b in rows), default=0)
    slot = (WIDTH - LEFT - RIGHT) / max(len(rows), 1)
    width = max(slot * 0.36, 1)
    body = [_top_label(top)] if top > 0 else []
    for i, (label, a, b) in enumerate(rows):
        start = LEFT + i * slot + (slot - 2 * width) / 2
        for j, (value, colour, kind) in enumerate(((a, IN_COLOUR, first), (b, OUT_COLOUR, second))):
            height = _height(value, top)
            body.append(
                f'<rect class="bar {"first" if j == 0 else "second"}" x="{round(start + j * width, 2)}" '
                f'y="{round(TOP + PLOT - height, 2)}" width="{round(width, 2)}" height="{height}" '
                f'fill="{colour}" data-value="{int(value)}">'
                f"<title>{_text(label)}, {_text(kind)}: {_text(rupiah(value))}</title></rect>"
            )
        body.append(
            f'<text x="{round(LEFT + i * slot + slot / 2, 2)}" y="{HEIGHT - 8}" font-size="10" '
            f'text-anchor="middle" fill="#5b646b">{_text(label)}</text>'
        )
    return _svg(title, body, legend=[(IN_COLOUR, first), (OUT_COLOUR, second)])
