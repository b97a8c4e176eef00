"""The officers' dashboard in Debian's Chromium, on a small synthetic DI Yogyakarta (and a few businesses in
Jawa Timur, another officer's province): an officer assigned to DI Yogyakarta finds the provinces' map (all 38
drawn, their own coloured and a link) with its legend, follows the map to their province and its table of
regencies to Sleman, downloads each view as XLSX through the page's link and finds in it every number the page
shows (the registered counts also agree with the registry), and gets a 404 for Jawa Timur and its downloads.

The nation's, the province's and the regency's pages are photographed whole at 1280 and 390 pixels wide into
$SCREENSHOT_DIR (else the test's own temporary folder; the images are never committed). On both widths the
page is no wider than the window, the headline tiles do not overlap, the map's legend lies below the map, the
tables scroll inside their own focusable frames and the charts' labels are not cut off; on a desktop the tables
of months and definitions fit without scrolling and no word in a chart or the map is drawn under 10px."""

import datetime as dt
import os
import re
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from naikkelas.dashboard.indicators import BY_KEY, INDICATORS, MONEY, SHARE
from naikkelas.dashboard.maps import load_shapes
from naikkelas.dashboard.refresh import refresh
from naikkelas.registry.models import Business
from naikkelas.synth.cashbook import MIN_MONTHS
from tests.registry.factories import make_officer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROVINCE, OTHER = "34", "35"  # DI Yogyakarta, the officer's; Jawa Timur, another officer's
DESKTOP, PHONE = 1280, 390
HELD_BACK = "–"


def build_dashboard(snapshot: Path) -> dt.date:
    """A small synthetic DI Yogyakarta with shops, orders and cash books, a few businesses in Jawa Timur, and
    the dashboard's cells counted as of yesterday; returns that day."""
    for province, businesses, products, books in ((PROVINCE, 300, 400, 40), (OTHER, 30, 0, 0)):
        call_command(
            "synth", province=province, businesses=businesses, seed=5, products=products, orders_days=60, photos=0,
            cash_book_months=MIN_MONTHS if books else 0, cash_books=books, stdout=StringIO(),
        )
    as_of = timezone.localdate() - dt.timedelta(days=1)
    refresh(as_of=as_of, directory=snapshot)
    return as_of


def signed_in(browser, live_server, client, user, width: int):
    client.force_login(user)
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="id-ID")
    context.set_default_timeout(15_000)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])
    return context.new_page()


def number(text: str, kind: str):
    """A figure as the page writes it, read back: "19.976" → 19976, "2,7%" → 2.7 (percent), "Rp 1.500" → 1500,
    "–" → None."""
    text = text.strip()
    if text == HELD_BACK:
        return None
    if kind == SHARE:
        assert re.fullmatch(r"\d{1,3},\d%", text), text
        return float(text[:-1].replace(",", "."))
    if kind == MONEY:
        assert re.fullmatch(r"Rp \d{1,3}(\.\d{3})*", text), text
        return int(text[3:].replace(".", ""))
    assert re.fullmatch(r"\d{1,3}(\.\d{3})*", text), text
    return int(text.replace(".", ""))


def same(shown, stored, kind: str) -> bool:
    """Whether a figure the page shows is the figure the spreadsheet holds: shares are fractions there and
    percentages with one decimal on the page."""
    if shown is None or stored is None:
        return shown is None and stored is None
    if kind == SHARE:
        return abs(shown - stored * 100) <= 0.05 + 1e-9
    return shown == stored


def sheet_rows(workbook, name: str) -> tuple[list, list[list]]:
    """A sheet's header (its second row; the first names the view) and the rows below it, up to the first
    empty one (after which comes the note on held-back cells)."""
    rows = [list(row) for row in workbook[name].iter_rows(values_only=True)]
    header, body = rows[1], []
    for row in rows[2:]:
        if not any(cell is not None for cell in row):
            break
        body.append(row + [None] * (len(header) - len(row)))  # an empty cell (held back) may end a row
    return header, body


def page_table(page, selector: str) -> tuple[list[str], list[tuple[str, str, list[str]]]]:
    """A table of numbers on the page: its column labels, and each row's data-code, heading and cells."""
    return page.evaluate(
        """selector => {
            const table = document.querySelector(selector);
            const labels = [...table.querySelectorAll("thead th")].slice(1).map(th => th.textContent.trim());
            const rows = [...table.querySelectorAll("tbody tr")].map(tr => [
                tr.dataset.code || "", tr.querySelector("th").textContent.trim(),
                [...tr.querySelectorAll("td")].map(td => td.textContent.trim()),
            ]);
            return [labels, rows];
        }""",
        selector,
    )


def registered_by(prefix: str, as_of: dt.date) -> tuple[int, int]:
    """Straight from the registry: businesses in the region registered by `as_of` (Jakarta time, DI
    Yogyakarta's), and how many of them have a bank account."""
    rows = [
        bank for created, bank in Business.objects.filter(village__code__startswith=prefix)
        .values_list("created_at", "has_bank_account") if timezone.localtime(created).date() <= as_of
    ]
    return len(rows), sum(bool(bank) for bank in rows)


def compare_with_xlsx(page, filename: str, place: tuple[str, str], folder: Path) -> dict:
    """Download the page's XLSX through its link and compare every figure the page shows with the cell the
    workbook holds for it: the summary (the headline tiles and the tables of the other indicators, found by
    their data-indicator), and the tables of months, of regions below (by data-code) and of sectors, cell by
    cell under the same column labels. Returns how many figures of each kind were compared."""
    from openpyxl import load_workbook

    with page.expect_download() as download:
        page.get_by_role("link", name="XLSX", exact=True).click()
    assert download.value.suggested_filename == filename
    path = folder / filename
    download.value.save_as(path)
    workbook = load_workbook(path, read_only=True)
    assert workbook.sheetnames == ["Ringkasan", "Bulanan", "Wilayah", "Sektor"]
    compared = {"count": 0, SHARE: 0, MONEY: 0, "held back": 0}

    def check(where: str, kind: str, text: str, stored):
        shown = number(text, kind)
        assert same(shown, stored, kind), f"{where}: the page shows {text!r}, the XLSX holds {stored!r}"
        compared["held back" if shown is None else kind if kind in (SHARE, MONEY) else "count"] += 1

    assert next(workbook["Ringkasan"].iter_rows(values_only=True))[:2] == place
    _header, summary = sheet_rows(workbook, "Ringkasan")
    stored = {row[0]: row[2] for row in summary}
    assert set(stored) == set(BY_KEY)
    on_page = page.locator("[data-indicator]").evaluate_all(
        "nodes => nodes.map(node => [node.dataset.indicator, node.textContent.trim()])")
    assert sorted(key for key, _text in on_page) == sorted(BY_KEY)  # each indicator once
    for key, text in on_page:
        check(f"summary {key}", BY_KEY[key].kind, text, stored[key])

    by_label = {str(indicator.label): indicator for indicator in INDICATORS}
    for selector, sheet, key_of in (
        ("#monthly-table", "Bulanan", lambda code, heading: heading),
        ("#children-table", "Wilayah", lambda code, heading: code),
        ("#sector-table", "Sektor", lambda code, heading: heading.split()[0]),
    ):
        labels, rows = page_table(page, selector)
        header, body = sheet_rows(workbook, sheet)
        stored = {row[0]: row for row in body}
        assert [key_of(code, heading) for code, heading, _cells in rows] == list(stored), sheet
        for code, heading, cells in rows:
            row = stored[key_of(code, heading)]
            assert len(cells) == len(labels)
            for label, text in zip(labels, cells):
                check(f"{sheet} {heading} {label}", by_label[label].kind, text, row[header.index(label)])
    workbook.close()
    return compared


def follow_the_map_to_a_regency_and_download_it(page, site: str, as_of: dt.date, folder: Path) -> None:
    from playwright.sync_api import expect

    # The nation: the provinces' map (every one of the 38 drawn, only the officer's a link) and its legend
    page.goto(f"{site}/dasbor/")
    expect(page.locator("h1")).to_have_text("Dasbor Indonesia")
    assert len(load_shapes()) == 38
    provinces = page.locator("svg.map > path, svg.map > a > path")
    expect(provinces).to_have_count(38)
    expect(page.locator("svg.map a")).to_have_count(1)
    legend = page.locator("svg.map g.legend")
    expect(legend).to_be_visible()
    expect(legend).to_contain_text("tanpa angka")
    assert legend.locator("rect").count() >= 2  # a class with a value, and "no figure"
    expect(page.locator(f'#children-table tr[data-code="{OTHER}"]')).to_contain_text("di luar wilayah Anda")
    expect(page.locator(f'#children-table tr[data-code="{OTHER}"] a')).to_have_count(0)
    # only the officer's province is coloured; its figure (the indicator shown, selling online) is the legend's
    expect(page.locator('svg.map path[fill="url(#no-data)"]')).to_have_count(37)
    labels, rows = page_table(page, "#children-table")
    online = dict((code, cells) for code, _name, cells in rows)[PROVINCE][labels.index("Berjualan online")]
    assert number(online, SHARE) is not None
    expect(legend.locator("text").first).to_have_text(online)
    registered, _bank = registered_by("", as_of)
    assert number(page.locator('.tile-value[data-indicator="registered"]').inner_text(), "count") == registered

    # ... clicks their province on the map
    page.locator(f'svg.map a[href^="/dasbor/{PROVINCE}/"] path').click()
    expect(page).to_have_url(re.compile(rf"/dasbor/{PROVINCE}/(\?.*)?$"))
    expect(page.locator("h1")).to_have_text("Dasbor Daerah Istimewa Yogyakarta")
    expect(page.locator(".trail")).to_contain_text("Indonesia")
    codes = page.locator("#children-table tbody tr").evaluate_all("rows => rows.map(row => row.dataset.code)")
    assert codes == ["34.01", "34.02", "34.03", "34.04", "34.71"]
    expect(page.locator("figure.picture svg.chart").first).to_contain_text("Kabupaten Sleman")  # the ranked bars
    shown = number(page.locator('.tile-value[data-indicator="registered"]').inner_text(), "count")
    assert shown == registered_by(PROVINCE + ".", as_of)[0] > 250
    compared = compare_with_xlsx(page, f"dasbor-34-{as_of}.xlsx", ("Daerah Istimewa Yogyakarta", "34"), folder)
    assert all(compared[kind] >= 20 for kind in ("count", SHARE)) and compared[MONEY] >= 2, compared

    # ... and, from the table of regencies, Sleman
    page.locator('#children-table tr[data-code="34.04"] th a').click()
    expect(page).to_have_url(re.compile(r"/dasbor/34\.\d\d/(\?.*)?$"))
    assert re.search(r"/dasbor/34\.04/", page.url)
    expect(page.locator("h1")).to_have_text("Dasbor Kabupaten Sleman")
    expect(page.locator(".trail a")).to_have_text(["Indonesia", "Daerah Istimewa Yogyakarta"])
    registered, bank = registered_by("34.04.", as_of)
    assert number(page.locator('.tile-value[data-indicator="registered"]').inner_text(), "count") == registered > 40
    assert same(number(page.locator('.tile-value[data-indicator="bank_share"]').inner_text(), SHARE),
                bank / registered, SHARE)

    # The regency's XLSX, from the page's link, holds what its page shows
    compared = compare_with_xlsx(page, f"dasbor-3404-{as_of}.xlsx", ("Kabupaten Sleman", "34.04"), folder)
    assert all(compared[kind] >= 5 for kind in ("count", SHARE, "held back")) and compared[MONEY] >= 2, compared

    # Another officer's province, its regencies and its downloads do not exist for this officer
    for path in (f"/dasbor/{OTHER}/", f"/dasbor/{OTHER}.78/", f"/dasbor/{OTHER}/unduh.xlsx",
                 f"/dasbor/{OTHER}/data.json"):
        response = page.goto(site + path)
        assert response.status == 404, path
        expect(page.locator("body")).not_to_contain_text("Jawa Timur")


LAYOUT = """() => {
    const width = window.innerWidth, box = element => element.getBoundingClientRect();
    const overlap = (a, b) =>
        a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
    const tiles = [...document.querySelectorAll(".tile")].map(box);
    const legend = document.querySelector("svg.map g.legend");
    const shapes = [...document.querySelectorAll("svg.map path")].map(box);
    return {
        width, page: document.scrollingElement.scrollWidth,
        tilesOverlap: tiles.some((a, i) => tiles.some((b, j) => i < j && overlap(a, b))),
        legend: legend && {top: box(legend).top, mapBottom: Math.max(...shapes.map(s => s.bottom)),
                           left: box(legend).left, right: box(legend).right},
        frames: [...document.querySelectorAll(".table-scroll")].map(frame => ({
            id: frame.querySelector("table").id || frame.closest("section").querySelector("h2").textContent,
            overflow: getComputedStyle(frame).overflowX, right: box(frame).right, focusable: frame.tabIndex === 0,
            client: frame.clientWidth, table: frame.querySelector("table").scrollWidth,
        })),
        labels: [...document.querySelectorAll("svg.chart text, svg.map text")].map(text => {
            const b = box(text), svg = text.closest("svg"), frame = box(svg);
            const clipped = getComputedStyle(svg).overflow !== "visible"
                && (b.left < frame.left - 0.5 || b.right > frame.right + 0.5);
            const size = parseFloat(getComputedStyle(text).fontSize) * svg.getScreenCTM().a;
            return {text: text.textContent, left: b.left, right: b.right, clipped, size};
        }),
        pictures: [...document.querySelectorAll("svg.chart, svg.map")].map(svg => box(svg).right),
    };
}"""


def layout_problems(page, site: str, width: int, folder: Path) -> list[str]:
    problems = []
    for name, path in (("nation", "/dasbor/"), ("province", f"/dasbor/{PROVINCE}/"), ("regency", "/dasbor/34.04/")):
        response = page.goto(site + path)
        assert response.ok, f"{path} answered {response.status}"
        page.screenshot(path=folder / f"dashboard-{name}-{width}.png", full_page=True)
        seen = page.evaluate(LAYOUT)
        where = f"{name} at {width}px"
        if seen["page"] > seen["width"]:
            problems.append(f"{where}: the page is {seen['page']}px wide")
        if seen["tilesOverlap"]:
            problems.append(f"{where}: headline tiles overlap")
        if name == "nation":
            legend = seen["legend"]
            if not legend or legend["top"] < legend["mapBottom"] or legend["right"] > width:
                problems.append(f"{where}: the legend is not below the map and on the screen: {legend}")
        for frame in seen["frames"]:
            if frame["overflow"] not in ("auto", "scroll") or not frame["focusable"] or frame["right"] > width:
                problems.append(f"{where}: table {frame['id']} does not scroll in its own frame: {frame}")
        if width == DESKTOP:
            # The tables of months and of the indicators with their definitions fit a desktop whole (those
            # beside a picture may scroll), and the pictures' words are no smaller than 10px.
            for frame in seen["frames"]:
                if frame["id"] not in ("children-table", "sector-table") and frame["table"] > frame["client"] + 1:
                    problems.append(f"{where}: table {frame['id']} needs scrolling on a desktop: {frame}")
            small = sorted({round(label["size"], 1) for label in seen["labels"] if label["size"] < 10})
            if small:
                problems.append(f"{where}: words in the charts or the map are drawn {small}px high")
        elif not any(frame["table"] > frame["client"] + 1 for frame in seen["frames"]):
            problems.append(f"{where}: no table is wider than a phone, so scrolling inside frames is untested")
        for label in seen["labels"]:
            if label["left"] < 0 or label["right"] > width or label["clipped"]:
                problems.append(f"{where}: the label {label['text']!r} is cut off: {label}")
        if any(right > width for right in seen["pictures"]):
            problems.append(f"{where}: a chart or the map is wider than the screen")
    return problems


def test_officer_drills_down_to_a_regency_whose_xlsx_holds_the_page_numbers_and_the_pages_fit_desktop_and_phone(
    live_server, regions, client, chromium, tmp_path, settings
):
    # One test rather than two: every browser test empties the database after it, and loading the regions
    # again would cost more than the test itself.
    settings.SNAPSHOT_DIR = tmp_path / "snapshot"
    as_of = build_dashboard(settings.SNAPSHOT_DIR)
    folder = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    officer = make_officer(PROVINCE)

    page = signed_in(chromium, live_server, client, officer, DESKTOP)
    follow_the_map_to_a_regency_and_download_it(page, live_server.url, as_of, tmp_path)
    page.context.close()

    problems = []
    for width in (DESKTOP, PHONE):
        page = signed_in(chromium, live_server, client, officer, width)
        problems += layout_problems(page, live_server.url, width, folder)
        page.context.close()
    print(f"dashboard screenshots in {folder}")
    assert not problems, "\n".join(problems)
