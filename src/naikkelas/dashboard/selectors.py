"""Reads for the dashboard: a region's figures from the latest refresh, always given the actor and the place
its access gate returned. Every figure leaves here already disclosed (indicators.disclose), so pages,
exports and the API show the same numbers and hold back the same cells."""

import datetime as dt
from dataclasses import dataclass, field

from naikkelas.dashboard.access import NATION, Place, scope, within
from naikkelas.dashboard.indicators import BY_KEY, INDICATORS, disclose, disclose_across, held_in_cell
from naikkelas.dashboard.models import COUNTS, Cell, Refresh
from naikkelas.regions.models import Region, Sector

ALL_SECTORS = ""


def current_refresh() -> Refresh | None:
    return Refresh.objects.filter(finished_at__isnull=False).order_by("-pk").first()


def sectors() -> list[tuple[str, str]]:
    """The KBLI 2020 kategori letters and names, for the sector picker and the sector bars."""
    return list(Sector.objects.filter(level=Sector.Level.KATEGORI).order_by("code").values_list("code", "title"))


@dataclass
class Row:
    """One region or sector beside its siblings: its figures, or `reachable` False where the actor may see
    only that it exists (another officer's province on the national map)."""

    code: str
    name: str
    figures: dict = field(default_factory=dict)
    reachable: bool = True


@dataclass
class Figures:
    place: Place
    sector: str
    refresh: Refresh | None
    months: list[dt.date] = field(default_factory=list)
    latest: dict = field(default_factory=dict)  # indicator key → figure for the latest month (None: held back)
    series: dict = field(default_factory=dict)  # indicator key → [figure per month]
    children: list[Row] = field(default_factory=list)  # the regions one level down, latest month
    by_sector: list[Row] = field(default_factory=list)  # each kategori, latest month (all sectors only)
    trail: list[Place] = field(default_factory=list)  # the regions above, the nation first

    @property
    def month(self) -> dt.date | None:
        return self.months[-1] if self.months else None


def _counts(cell: Cell) -> dict:
    return {name: getattr(cell, name) for name in COUNTS}


def _across(cells: dict, names: dict, reachable=lambda code: True) -> list[Row]:
    rows = {code: Row(code, names.get(code, code), reachable=reachable(code)) for code in cells}
    seen = {code: counts for code, counts in cells.items() if rows[code].reachable}
    held = {code: held_in_cell(counts) for code, counts in seen.items()}
    for indicator in INDICATORS:
        for code, value in disclose_across(seen, indicator, held=held).items():
            rows[code].figures[indicator.key] = value
    return sorted(rows.values(), key=lambda row: row.code)


def figures(*, actor, place: Place, sector: str = ALL_SECTORS) -> Figures:
    """What the dashboard shows for `place` (from dashboard.access.access_place) and a kategori or all."""
    refresh = current_refresh()
    result = Figures(place=place, sector=sector, refresh=refresh, trail=_trail(place))
    if refresh is None:
        return result
    cells = Cell.objects.filter(refresh=refresh)
    own = list(cells.filter(region=place.code, sector=sector).order_by("month"))
    result.months = [cell.month for cell in own]
    disclosed = [disclose(_counts(cell)) for cell in own]
    result.series = {indicator.key: [figures[indicator.key] for figures in disclosed] for indicator in INDICATORS}
    if not own:
        return result
    result.latest = disclosed[-1]
    month = result.month
    if place.level < 3:
        below = {cell.region: _counts(cell) for cell in cells.filter(parent=place.code, level=place.level + 1,
                                                                       sector=sector, month=month)}
        names = dict(Region.objects.filter(code__in=below).values_list("code", "name"))
        codes = scope(actor)
        result.children = _across(below, names, reachable=lambda code: within(code, codes))
    if sector == ALL_SECTORS:
        kinds = {cell.sector: _counts(cell) for cell in cells.filter(region=place.code, month=month)
                 .exclude(sector=ALL_SECTORS)}
        result.by_sector = _across(kinds, dict(sectors()))
    return result


def _trail(place: Place) -> list[Place]:
    if place.level == 0:
        return []
    codes = [place.code[:length] for length in (2, 5) if length < len(place.code)]
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    return [Place(NATION, "Indonesia", 0)] + [Place(code, names.get(code, code), i + 1) for i, code in enumerate(codes)]


def places_of(actor) -> list[Place]:
    """The regions an officer is assigned, for the links on the national page (admins: none needed)."""
    codes = scope(actor)
    if codes is None:
        return []
    rows = Region.objects.filter(code__in=codes, level__lte=3).order_by("code").values_list("code", "name", "level")
    return [Place(*row) for row in rows]


def compare(*, indicator_key: str, level: int = 1, lowest: bool = True, count: int = 5, sector: str = ALL_SECTORS):
    """For programme heads (admins): the `count` regions of a level with the lowest (or highest) value of an
    indicator in the latest month, each with all its figures, side by side. Held-back values are not ranked."""
    refresh = current_refresh()
    indicator = BY_KEY[indicator_key]
    if refresh is None:
        return []
    month = Cell.objects.filter(refresh=refresh).order_by("-month").values_list("month", flat=True).first()
    cells = {cell.region: _counts(cell) for cell in Cell.objects.filter(refresh=refresh, level=level, sector=sector,
                                                                        month=month)}
    names = dict(Region.objects.filter(code__in=cells).values_list("code", "name"))
    rows = [row for row in _across(cells, names) if row.figures.get(indicator.key) is not None]
    rows.sort(key=lambda row: (row.figures[indicator.key], row.code), reverse=not lowest)
    return rows[:count]

