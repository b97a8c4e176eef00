"""The dashboard's pages: a region's indicators (the nation, a province, a regency or a district; all sectors
or one kategori) with a map or ranked bars of the regions below, lines over the months and bars by sector,
each picture with its table; the same figures as XLSX, CSV, JSON and a page to print; and, for programme
heads, regions side by side."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from naikkelas.core.access import not_found
from naikkelas.core.money import rupiah
from naikkelas.dashboard import charts, exports, maps, selectors
from naikkelas.dashboard.access import NATION, access_place
from naikkelas.dashboard.indicators import BY_KEY, HEADLINE, INDICATORS, MONEY, SHARE, Indicator

DEFAULT_INDICATOR = "online_share"
LINES = ("registered", "online_share", "digital_share", "bank_share", "tech_share", "active")
_SHAPES = []


def _shapes():
    if not _SHAPES:
        _SHAPES.extend(maps.load_shapes())
    return _SHAPES


def write(indicator: Indicator, value) -> str:
    """A figure as the page shows it: a share as a percentage, money in rupiah, a count with thousands."""
    if value is None:
        return "–"
    if indicator.kind == SHARE:
        # number_format cuts the digits it does not show; a share is rounded (1.67 % is "1,7%").
        return number_format(round(value * 100, 1), decimal_pos=1, use_l10n=True) + "%"
    if indicator.kind == MONEY:
        return rupiah(value)
    return number_format(value, use_l10n=True, force_grouping=True)


def _link(code: str, sector: str, indicator: str) -> str:
    url = reverse("dashboard:region", args=[code]) if code else reverse("dashboard:nation")
    query = "&".join(f"{name}={value}" for name, value in (("sektor", sector), ("indikator", indicator)) if value)
    return f"{url}?{query}" if query else url


def _choices(request) -> tuple[str, str]:
    sector = request.GET.get("sektor", "").strip().upper()[:1]
    if sector and sector not in dict(selectors.sectors()):
        sector = ""
    indicator = request.GET.get("indikator", DEFAULT_INDICATOR)
    return sector, indicator if indicator in BY_KEY else DEFAULT_INDICATOR


def _figures(request, code: str):
    place = access_place(request.user, code)
    sector, indicator = _choices(request)
    return selectors.figures(actor=request.user, place=place, sector=sector), indicator


@login_required
@require_GET
def region_page(request, code: str = NATION):
    figures, chosen = _figures(request, code)
    indicator = BY_KEY[chosen]
    held = _("disembunyikan atau tidak ada data")
    children_picture = ""
    if figures.children and figures.place.level == 0:
        reachable = {row.code for row in figures.children if row.reachable}
        values = {row.code: row.figures.get(chosen) if row.reachable else None for row in figures.children}
        children_picture = maps.choropleth(
            _shapes(), values, title=_("%(indicator)s menurut provinsi") % {"indicator": indicator.label},
            write=lambda value: write(indicator, value),
            no_data=_("tanpa angka"),
            link=lambda code: _link(code, figures.sector, chosen) if code in reachable else None,
        )
    elif figures.children:
        children_picture = charts.ranked_bars(
            [(row.name, row.figures.get(chosen)) for row in figures.children if row.reachable],
            title=_("%(indicator)s menurut wilayah") % {"indicator": indicator.label},
            write=lambda value: write(indicator, value), no_data=held,
        )
    sector_picture = charts.ranked_bars(
        [(f"{row.code} {Truncator(row.name).chars(18)}", row.figures.get(chosen)) for row in figures.by_sector],
        title=_("%(indicator)s menurut sektor") % {"indicator": indicator.label},
        write=lambda value: write(indicator, value), no_data=held,
    ) if figures.by_sector else ""
    months = [month.strftime("%Y-%m") for month in figures.months]
    lines = [
        (BY_KEY[key], charts.line(list(zip(months, figures.series.get(key, []))), title=str(BY_KEY[key].label),
                                  write=lambda value, i=BY_KEY[key]: write(i, value),
                                  top=1 if BY_KEY[key].kind == SHARE else None))
        for key in LINES
    ] if figures.months else []
    groups = {}
    for item in INDICATORS:
        groups.setdefault(item.group, []).append((item, write(item, figures.latest.get(item.key))))
    context = {
        "figures": figures,
        "chosen": indicator,
        "indicators": INDICATORS,
        "headline": groups.pop(HEADLINE, []),
        "groups": groups,
        "children_picture": children_picture,
        "sector_picture": sector_picture,
        "lines": lines,
        "monthly": [(month, [write(BY_KEY[key], figures.series[key][n]) for key in LINES])
                    for n, month in enumerate(months)],
        "line_indicators": [BY_KEY[key] for key in LINES],
        "children": [(row, _link(row.code, figures.sector, chosen) if row.reachable else None,
                      [write(BY_KEY[key], row.figures.get(key)) for key in LINES]) for row in figures.children],
        "by_sector": [(row, [write(BY_KEY[key], row.figures.get(key)) for key in LINES]) for row in figures.by_sector],
        "sectors": selectors.sectors(),
        "places": selectors.places_of(request.user) if figures.place.level == 0 else [],
        "printing": request.GET.get("cetak") == "1",
        "query": _link("", figures.sector, chosen).partition("?")[2],
    }
    return render(request, "dashboard/region.html", context)


@login_required
@require_GET
def region_data(request, code: str = NATION):
    figures, _chosen = _figures(request, code)
    return JsonResponse(exports.as_json(figures), json_dumps_params={"ensure_ascii": False})


def _filename(figures, extension: str) -> str:
    place = figures.place.code.replace(".", "") or "ID"
    return f"dasbor-{place}{'-' + figures.sector if figures.sector else ''}-{figures.refresh.as_of if figures.refresh else 'kosong'}.{extension}"


@login_required
@require_GET
def region_download(request, code: str = NATION, extension: str = "xlsx"):
    figures, _chosen = _figures(request, code)
    if extension == "csv":
        response = HttpResponse(exports.csv_text(figures), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{_filename(figures, "csv")}"'
        return response
    return FileResponse(
        exports.xlsx_file(figures), as_attachment=True, filename=_filename(figures, "xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@login_required
@require_GET
def compare_page(request):
    """For programme heads (admins): regions side by side, e.g. the five provinces least online."""
    if not request.user.is_admin:
        raise not_found()
    sector, chosen = _choices(request)
    level = request.GET.get("tingkat", "1")
    level = int(level) if level in ("1", "2", "3") else 1
    lowest = request.GET.get("urut", "rendah") != "tinggi"
    try:
        count = min(max(int(request.GET.get("jumlah", 5)), 1), 50)
    except ValueError:
        count = 5
    rows = selectors.compare(indicator_key=chosen, level=level, lowest=lowest, count=count, sector=sector)
    context = {
        "rows": rows,
        "chosen": BY_KEY[chosen],
        "indicators": INDICATORS,
        "table": [(item, [write(item, row.figures.get(item.key)) for row in rows]) for item in INDICATORS],
        "level": level,
        "lowest": lowest,
        "count": count,
        "sector": sector,
        "sectors": selectors.sectors(),
        "refresh": selectors.current_refresh(),
    }
    return render(request, "dashboard/compare.html", context)
