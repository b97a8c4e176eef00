"""The risk sparkline: a business's probability of closing over its recent scores, as a small SVG drawn on the
server (no JavaScript; it prints). The scale is the square root of the probability, fixed from 0 to 1, so the
tiers' bounds (5, 15 and 40 %) sit apart and two businesses' lines can be compared at a glance."""

import datetime as dt
import math
from html import escape

WIDTH = 120
HEIGHT = 28
PAD = 2


def sparkline(points: list[tuple[dt.date, float]], *, title: str) -> str:
    """An SVG line through (day, probability) points in day order; "" for fewer than two."""
    if len(points) < 2:
        return ""
    first, last = points[0][0], points[-1][0]
    span = max((last - first).days, 1)

    def xy(day: dt.date, probability: float) -> str:
        x = PAD + (WIDTH - 2 * PAD) * (day - first).days / span
        y = HEIGHT - PAD - (HEIGHT - 2 * PAD) * math.sqrt(min(max(probability, 0.0), 1.0))
        return f"{x:.1f},{y:.1f}"

    label = escape(title, quote=True)
    end = xy(*points[-1]).split(",")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        f'role="img" aria-label="{label}" class="sparkline"><title>{label}</title>'
        f'<polyline fill="none" stroke="currentColor" stroke-width="1.5" points="{" ".join(xy(*p) for p in points)}"/>'
        f'<circle cx="{end[0]}" cy="{end[1]}" r="2" fill="currentColor"/></svg>'
    )
