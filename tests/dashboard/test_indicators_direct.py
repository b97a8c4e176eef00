"""On the demo province (DI Yogyakarta, 34), every indicator equals a direct computation from the underlying
records, for several regions and sectors, including the small-cell suppression.

The records are the synthetic generator's (`naikkelas synth`, at a small size) with what it does not make added
by hand: readiness assessments on either side of a month's end, partners' sales reports and orders, cancelled
and refunded orders, risk scores of both methods, help given with its outcomes, a few businesses in another
time zone and a deliberately tiny kategori. The nightly refresh counts them (dashboard/refresh.py, in DuckDB);
here they are counted again with plain loops over the ORM's rows, following docs/INDICATORS.md, and held back
with indicators.disclose / disclose_across on those direct counts. What the dashboard's selector returns must
be exactly that.
"""

import datetime as dt
import io
import random
from collections import defaultdict
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from naikkelas.dashboard.access import access_place
from naikkelas.dashboard.disclosure import MINIMUM
from naikkelas.dashboard.indicators import INDICATORS, TECH_LEVELS, disclose, disclose_across
from naikkelas.dashboard.models import COUNTS, Cell
from naikkelas.dashboard.refresh import refresh
from naikkelas.dashboard.selectors import figures
from naikkelas.earlywarning.models import Closure, Intervention, RiskScore
from naikkelas.ledger.models import Category, Direction, Entry, Method
from naikkelas.orders.models import Order, Status
from naikkelas.partners.models import SalesReport
from naikkelas.partners.sales import SalesRow, sales_report_record
from naikkelas.regions.models import Region
from naikkelas.registry.models import Business, ReadinessAssessment
from tests.orders.factories import make_order
from tests.partners.factories import make_partner_org, share
from tests.registry.factories import make_admin, make_business

pytestmark = pytest.mark.django_db

SEED = 7
PROVINCE = "34"
SLEMAN, BANTUL, KOTA = "34.04", "34.02", "34.71"
DEPOK = "34.04.07"  # a district of Sleman
TINY = "B"  # a kategori synth never draws in the province: only the businesses made here have it
TINY_KELOMPOK = "05100"
BALI_VILLAGE = "51.71.01.1001"  # Denpasar, WITA (UTC+8)
WIB, WITA = ZoneInfo("Asia/Jakarta"), ZoneInfo("Asia/Makassar")
MONTHS, WINDOW, SURVIVAL_DAYS = 24, 30, 183
DIGITAL = {Method.QRIS, Method.TRANSFER, Method.EWALLET}
REGIONS = ("", PROVINCE, SLEMAN, BANTUL, DEPOK)
SECTORS = ("", "G", "C", TINY)


def day_(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


def month_start(day: dt.date, back: int = 0) -> dt.date:
    start = day.replace(day=1)
    for _ in range(back):
        start = (start - day_(1)).replace(day=1)
    return start


def month_end(first: dt.date) -> dt.date:
    return (first + day_(32)).replace(day=1) - day_(1)


def at(day: dt.date, hour: int, minute: int = 0, zone=WIB) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zone)


# -- the records ----------------------------------------------------------------------------------------------


def build(as_of: dt.date) -> None:
    call_command(
        "synth", province=PROVINCE, businesses=800, seed=SEED, products=400, orders_days=75, photos=0,
        cash_book_months=14, cash_books=100, keep_existing=False, stdout=io.StringIO(),
    )
    rng = random.Random(SEED)
    m0 = month_start(as_of)  # the month the refresh runs in
    m1, m2, m3 = (month_start(as_of, n) for n in (1, 2, 3))
    e1, e2 = month_end(m1), month_end(m2)
    synthetic = list(Business.objects.order_by("pk"))
    with_books = set(Entry.objects.values_list("business_id", flat=True).distinct())
    booked = [b for b in synthetic if b.pk in with_books]
    bookless = [b for b in synthetic if b.pk not in with_books and b.created_at.astimezone(WIB).date() < m3]
    rng.shuffle(bookless)

    # Readiness assessed on either side of a month's end: 23:30 on its last day counts for it, 00:30 on the
    # next month's first day (17:30 UTC the day before) does not; never assessed keeps the registered level.
    assessed = bookless[:30]
    for n, business in enumerate(assessed):
        times = {
            0: [(at(m2 + day_(14), 10), 1), (at(e1, 23, 30), 3)],
            1: [(at(m0, 0, 30), 4)],
            2: [(at(m1 + day_(4), 9), 2), (at(m1 + day_(4), 15), 0), (at(m1 + day_(4), 12), 4)],
        }[n % 3]
        for moment, level in times:
            ReadinessAssessment.objects.create(business=business, answers={}, level=level, at=moment)
        Business.objects.filter(pk=business.pk).update(readiness_level=max(times)[1])

    # A partner: its orders through the API (channel "partner:<slug>") and its daily sales reports, which the
    # cash book receives as transfers.
    partner = make_partner_org("Pasar Nusantara (uji)")
    sellers = bookless[30:50]
    for business in sellers:
        share(business, partner)
    rows = []
    for n, business in enumerate(sellers):
        days = {0: [as_of - day_(29)], 1: [as_of - day_(30)], 2: [m1 + day_(3), e1], 3: [m2 + day_(10)]}[n % 4]
        for day in days:
            orders = rng.randint(1, 9)
            rows.append(SalesRow(business.pk, day, orders, orders + rng.randint(0, 5), rng.randint(1, 900) * 1000))
    rows.append(SalesRow(sellers[0].pk, as_of - day_(2), 0, 0, 0))  # a day reported with nothing sold
    rows.append(SalesRow(sellers[1].pk, as_of - day_(3), 2, 2, 0))  # orders, given away for nothing
    sales_report_record(partner=partner, rows=rows, now=timezone.now())
    # An order the partner placed through the API on a day it also reported: the report holds it already.
    make_order(sellers[2], channel="partner:pasar-nusantara-uji", external_ref="PN-in-report", status=Status.PAID,
               subtotal=50_000, total=50_000, created_at=at(m1 + day_(3), 10))
    for n, business in enumerate(bookless[50:62]):
        moment = {0: at(e1, 23, 30), 1: at(m0, 0, 30), 2: at(as_of - day_(10), 13)}[n % 3]
        status = (Status.COMPLETED, Status.CANCELLED, Status.REFUNDED, Status.PAID)[n % 4]
        amount = rng.randint(20, 400) * 1000
        make_order(business, channel="partner:pasar-nusantara-uji", external_ref=f"PN-{n}", status=status,
                   subtotal=amount, total=amount, created_at=moment)
    # Own-storefront orders that do not count (cancelled, refunded) next to ones that do, near month ends.
    for n, business in enumerate(bookless[62:74]):
        moment = {0: at(e2, 23, 59), 1: at(m1, 0, 1), 2: at(as_of, 23, 59)}[n % 3]
        status = (Status.CANCELLED, Status.REFUNDED, Status.COMPLETED, Status.NEW)[n % 4]
        make_order(business, status=status, subtotal=15_000, unique_code=123, total=15_123, created_at=moment)
    make_order(bookless[74], status=Status.COMPLETED, subtotal=9_000, total=9_000, created_at=at(as_of + day_(1), 1))

    # Cash-book edges: money received digitally but not a sale; a refund (money out) is not a sale; a sale
    # on the window's first day and one a day before it.
    edge = bookless[75:79]
    Entry.objects.create(business=edge[0], direction=Direction.IN, amount=50_000, date=e1 - day_(29),
                         category=Category.OTHER, method=Method.EWALLET)
    Entry.objects.create(business=edge[1], direction=Direction.OUT, amount=50_000, date=as_of - day_(3),
                         category=Category.SALES, method=Method.QRIS)
    Entry.objects.create(business=edge[2], direction=Direction.IN, amount=70_000, date=e1 - day_(29),
                         category=Category.SALES, method=Method.CASH)
    Entry.objects.create(business=edge[3], direction=Direction.IN, amount=70_000, date=e1 - day_(30),
                         category=Category.SALES, method=Method.QRIS)

    # Risk: two scoring days a month (only the later counts), the model and the baseline both on some
    # businesses, disagreeing; some scored only on the earlier day.
    tiers = ("aman", "waspada", "rawan", "kritis")
    scored = synthetic[:260]
    scores = []
    for first in (m3, m2, m1, m0):
        early, late = first + day_(2), first + day_(11)
        for n, business in enumerate(scored):
            if early <= as_of and n % 5 != 4:
                scores.append(RiskScore(business=business, as_of=early, method="baseline",
                                        probability=rng.random() * 0.5, tier=rng.choice(tiers)))
            if late <= as_of and n % 5 != 3:
                scores.append(RiskScore(business=business, as_of=late, method="baseline",
                                        probability=rng.random() * 0.5, tier=rng.choice(tiers)))
                if n % 3 == 0:
                    scores.append(RiskScore(business=business, as_of=late, method="model",
                                            probability=rng.random() * 0.5, tier=rng.choice(tiers)))
    RiskScore.objects.bulk_create(scores)

    # Help given (and some only planned or cancelled), long enough ago for six months to have passed and
    # recently; closures are synth's (its cash-book businesses that closed) and one recorded here.
    closed = set(Closure.objects.values_list("business_id", flat=True))
    open_booked = [b for b in booked if b.pk not in closed]
    Closure.objects.create(business=open_booked[-1], closed_on=as_of - day_(20), source=Closure.Source.OFFICER)
    helped = [b for b in booked if b.pk in closed][:6] + open_booked[:14] + open_booked[-1:] + scored[:12]
    long_ago = as_of - day_(220)
    for n, business in enumerate(helped):
        done = {0: long_ago, 1: m1 + day_(12), 2: m3 + day_(12), 3: as_of - day_(1)}[n % 4]
        status = "done" if n % 7 != 6 else ("planned", "cancelled")[n % 2]
        scored_on = done - day_(9) if n % 5 != 0 else None
        Intervention.objects.create(
            business=business, kind="training", status=status, done_on=done if status == "done" else None,
            scored_on=scored_on, risk_before=0.3 if scored_on else None, tier_before="rawan" if scored_on else "",
        )
        if n % 4 == 1:  # a second piece of help in the same month
            Intervention.objects.create(business=business, kind="market", status="done", done_on=done + day_(1),
                                        scored_on=scored_on, risk_before=0.3 if scored_on else None)

    # The tiny kategori: three businesses in Depok (Sleman), six in Bantul, made two months ago; the nine
    # are all micro but one (so in the province the lone small one is held back, and the micro with it).
    for n in range(9):
        business = make_business(
            name=f"Tambang Pasir {n}", village=f"{DEPOK}.2001" if n < 3 else "34.02.01.2001",
            sector_code=TINY_KELOMPOK, readiness_level=n % 5, has_bank_account=n % 2 == 0,
            owner_birth_year=1960 + 5 * n, capital=10_000_000 if n else 2_000_000_000,
        )
        Business.objects.filter(pk=business.pk).update(created_at=at(m2 + day_(n), 9))
    # Another province, another time zone: 00:30 WITA on the first of the month is still the month before
    # in WIB; and one business registered long before the series begin.
    for n in range(6):
        business = make_business(name=f"Warung Bali {n}", village=BALI_VILLAGE, sector_code="47111",
                                 annual_sales=100_000_000, owner_birth_year=1990)
        moment = at(m0, 0, 30, WITA) if n < 3 else at(m2 + day_(5), 8, 0, WITA)
        Business.objects.filter(pk=business.pk).update(created_at=moment)
    old = make_business(name="Batik Lama", village="34.71.01.1001", sector_code="14111", readiness_level=1)
    Business.objects.filter(pk=old.pk).update(created_at=at(month_start(as_of, 30), 10))


# -- the direct computation (docs/INDICATORS.md) ---------------------------------------------------------------


def month_list(as_of: dt.date, first_registered: dt.date) -> list[tuple[dt.date, dt.date]]:
    """(first day, last counted day) of the months from the first registration's (at most 24 back) to as_of's."""
    months, first = [], month_start(as_of)
    while len(months) < MONTHS and first >= month_start(first_registered):
        months.append((first, min(month_end(first), as_of)))
        first = month_start(first, 1)
    return months[::-1]


def within_window(days, e: dt.date) -> bool:
    """Whether any of `days` is one of the 30 days up to `e`, `e` included."""
    return any(e - day_(k) in days for k in range(WINDOW))


def outcome(intervention, scores_by_business, closed_on, today):
    """(risk fell, survived): each True, False or None, as the help pages judge it."""
    later = sorted((day, method == "model", probability)
                   for day, method, probability in scores_by_business.get(intervention.business_id, ())
                   if day > intervention.done_on)
    fell = None
    if later and intervention.risk_before is not None:
        fell = later[-1][2] < intervention.risk_before
    start = intervention.scored_on or intervention.done_on
    ends = start + day_(SURVIVAL_DAYS)
    closed = closed_on.get(intervention.business_id)
    survived = False if closed and closed <= ends else True if ends <= today else None
    return fell, survived


def direct_cells(as_of: dt.date) -> dict:
    """{(month, region, sector): {count: value}} for every cell with at least one business, from the records."""
    zones = {
        code: zone or "Asia/Jakarta" for code, zone in Region.objects.filter(level=1).values_list("code", "timezone")
    }
    businesses = list(Business.objects.values(
        "pk", "village_id", "sector__kategori", "size_class", "readiness_level", "has_bank_account",
        "owner_birth_year", "created_at",
    ))
    zone_of = {b["pk"]: ZoneInfo(zones.get(b["village_id"][:2], "Asia/Jakarta")) for b in businesses}

    assessments = defaultdict(list)
    for business_id, moment, level in ReadinessAssessment.objects.values_list("business_id", "at", "level"):
        assessments[business_id].append((moment, level))
    orders = defaultdict(list)  # business -> [(local day, partner?, total)] of the orders that count
    for business_id, moment, status, channel, total in Order.objects.values_list(
        "business_id", "created_at", "status", "channel", "total"
    ):
        if status not in (Status.CANCELLED, Status.REFUNDED):
            orders[business_id].append((moment.astimezone(zone_of[business_id]).date(), channel, total))
    reports = defaultdict(list)
    reported_days = set()  # (business, day, channel) a partner reported: its API orders that day are in the report
    for business_id, day, slug, count, gross in SalesReport.objects.values_list(
        "business_id", "date", "partner__slug", "orders", "gross_amount"
    ):
        if count > 0 or gross > 0:
            reports[business_id].append((day, count, gross))
            reported_days.add((business_id, day, f"partner:{slug}"))
    sale_days, digital_days = defaultdict(set), defaultdict(set)
    for business_id, day, category, method in Entry.objects.filter(direction=Direction.IN).values_list(
        "business_id", "date", "category", "method"
    ):
        if category == Category.SALES:
            sale_days[business_id].add(day)
        if method in DIGITAL:
            digital_days[business_id].add(day)
    scores = defaultdict(dict)  # day -> business -> {method: tier}
    scores_by_business = defaultdict(list)
    for business_id, day, method, tier, probability in RiskScore.objects.values_list(
        "business_id", "as_of", "method", "tier", "probability"
    ):
        scores[day].setdefault(business_id, {})[method] = tier
        scores_by_business[business_id].append((day, method, probability))
    closed_on = dict(Closure.objects.values_list("business_id", "closed_on"))
    help_given = defaultdict(list)  # business -> [(day done, fell, survived)]
    for intervention in Intervention.objects.filter(status=Intervention.Status.DONE):
        help_given[intervention.business_id].append(
            (intervention.done_on, *outcome(intervention, scores_by_business, closed_on, as_of))
        )

    registered_on = {b["pk"]: b["created_at"].astimezone(zone_of[b["pk"]]).date() for b in businesses}
    months = month_list(as_of, min(registered_on.values()))
    cells: dict = {}
    for first, e in months:
        scoring_days = [day for day in scores if first <= day <= e]
        scored_then = scores[max(scoring_days)] if scoring_days else {}
        for b in businesses:
            pk = b["pk"]
            if registered_on[pk] > e:
                continue
            counts = dict.fromkeys(COUNTS, 0)
            counts["registered"] = 1
            size = b["size_class"] if b["size_class"] in ("micro", "small", "medium", "large") else "unknown"
            counts[f"size_{size}"] = 1
            if assessments[pk]:
                by_then = [(moment, level) for moment, level in assessments[pk]
                           if moment.astimezone(zone_of[pk]).date() <= e]
                level = max(by_then)[1] if by_then else None
            else:
                level = b["readiness_level"]
            counts[f"level_{'unknown' if level is None else level}"] = 1
            online_days = {day for day, _partner, _total in orders[pk]} | {day for day, _o, _g in reports[pk]}
            counts["online"] = int(within_window(online_days, e))
            counts["digital"] = int(within_window(digital_days[pk], e))
            counts["active"] = int(within_window(sale_days[pk], e))
            counts["bank"] = int(b["has_bank_account"] is True)
            born = b["owner_birth_year"]
            if born is None:
                counts["age_unknown"] = 1
            else:
                age = e.year - born
                band = ("under_25" if age < 25 else "25_34" if age < 35 else "35_44" if age < 45
                        else "45_54" if age < 55 else "55_up")
                counts[f"age_{band}"] = 1
            in_month = [(day, channel, total) for day, channel, total in orders[pk] if first <= day <= e]
            own = [total for _day, channel, total in in_month if not channel]
            via = [total for day, channel, total in in_month if channel and (pk, day, channel) not in reported_days]
            reported = [(count, gross) for day, count, gross in reports[pk] if first <= day <= e]
            counts["sellers_own"], counts["orders_own"], counts["gross_own"] = int(bool(own)), len(own), sum(own)
            counts["sellers_partner"] = int(bool(via or reported))
            counts["orders_partner"] = len(via) + sum(count for count, _ in reported)
            counts["gross_partner"] = sum(via) + sum(gross for _, gross in reported)
            methods = scored_then.get(pk, {})
            tier = methods.get("model", methods.get("baseline"))
            if tier:
                counts[f"risk_{tier}"] = 1
            given = [(fell, survived) for day, fell, survived in help_given[pk] if first <= day <= e]
            counts["helped"] = int(bool(given))
            counts["help_given"] = len(given)
            counts["help_fell"] = sum(fell is True for fell, _ in given)
            counts["help_fell_known"] = sum(fell is not None for fell, _ in given)
            counts["help_survived"] = sum(survived is True for _, survived in given)
            counts["help_survived_known"] = sum(survived is not None for _, survived in given)

            district = b["village_id"][:8]
            kategori = b["sector__kategori"] or ""
            for region in ("", district[:2], district[:5], district):
                for sector in ("", kategori) if kategori else ("",):
                    cell = cells.setdefault((first, region, sector), dict.fromkeys(COUNTS, 0))
                    for name, value in counts.items():
                        cell[name] += value
    return cells


# -- the fixture: built once for the module, rolled back after it ---------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    as_of = timezone.localdate() - day_(1)
    with django_db_blocker.unblock(), transaction.atomic():
        build(as_of)
        run = refresh(as_of=as_of, directory=tmp_path_factory.mktemp("snapshot"))
        world = {"as_of": as_of, "run": run, "admin": make_admin(), "direct": direct_cells(as_of)}
        yield world
        transaction.set_rollback(True)


def level_of(code: str) -> int:
    return {0: 0, 2: 1, 5: 2, 8: 3}[len(code)]


def parent_of(code: str) -> str:
    return {0: "", 2: "", 5: code[:2], 8: code[:5]}[len(code)]


# -- the tests ------------------------------------------------------------------------------------------------


def test_the_records_exercise_every_count(world):
    """The data reaches every corner the indicators have, so the equalities below mean something."""
    direct, as_of = world["direct"], world["as_of"]
    totals = defaultdict(int)
    for (month, region, sector), counts in direct.items():
        if region == "" and sector == "":
            for name, value in counts.items():
                totals[name] += value
    assert all(totals[name] > 0 for name in COUNTS if name not in ("size_large", "level_unknown")), totals
    assert totals["level_unknown"] > 0  # assessed only after the month
    assert totals["help_given"] > totals["helped"] > 0
    assert totals["help_fell_known"] > totals["help_fell"] > 0
    assert totals["help_survived_known"] > totals["help_survived"] > 0
    months = sorted({month for month, _, _ in direct})
    assert len(months) == MONTHS and months[-1] == month_start(as_of)  # capped at 24 by the old business


def test_every_cell_counts_what_the_records_say(world):
    """Raw counts: every cell of the refresh, at every level and sector, equals the direct count, and no cell
    is missing or extra."""
    cells = {
        (cell.month, cell.region, cell.sector): cell for cell in Cell.objects.filter(refresh=world["run"])
    }
    direct = world["direct"]
    assert set(cells) == set(direct)
    wrong = {}
    for key, counts in direct.items():
        cell = cells[key]
        assert (cell.level, cell.parent) == (level_of(key[1]), parent_of(key[1])), key
        got = {name: getattr(cell, name) for name in COUNTS}
        if got != counts:
            wrong[key] = {name: (got[name], counts[name]) for name in COUNTS if got[name] != counts[name]}
    assert not wrong, dict(list(wrong.items())[:5])


def expected_across(cells: dict) -> dict:
    """{code: {indicator: figure}} for sibling cells shown beside their total."""
    rows = {code: {} for code in cells}
    for indicator in INDICATORS:
        for code, value in disclose_across(cells, indicator).items():
            rows[code][indicator.key] = value
    return rows


@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize("sector", SECTORS)
def test_the_figures_a_region_shows_are_the_direct_counts_disclosed(world, region, sector):
    admin, direct = world["admin"], world["direct"]
    result = figures(actor=admin, place=access_place(admin, region), sector=sector)

    months = sorted(month for month, code, kind in direct if code == region and kind == sector)
    assert result.months == months
    if not months:
        assert result.latest == {} and result.children == [] and result.by_sector == []
        return
    disclosed = [disclose(direct[(month, region, sector)]) for month in months]
    assert result.series == {indicator.key: [figures_[indicator.key] for figures_ in disclosed]
                             for indicator in INDICATORS}
    assert result.latest == disclosed[-1]
    latest = months[-1]
    if len(region) < 8:
        below = {code: counts for (month, code, kind), counts in direct.items()
                 if month == latest and kind == sector and len(code) > len(region) and parent_of(code) == region
                 and level_of(code) == level_of(region) + 1}
        assert {row.code: row.figures for row in result.children} == expected_across(below)
    if sector == "":
        kinds = {kind: counts for (month, code, kind), counts in direct.items()
                 if month == latest and code == region and kind != ""}
        assert {row.code: row.figures for row in result.by_sector} == expected_across(kinds)
    else:
        assert result.by_sector == []


def test_a_tiny_cell_is_held_back_and_a_sibling_with_it(world):
    admin = world["admin"]
    month = month_start(world["as_of"])
    depok = Cell.objects.get(refresh=world["run"], region=DEPOK, sector=TINY, month=month)
    assert depok.registered == 3

    # The cell itself: three businesses, every figure held back, in every month.
    result = figures(actor=admin, place=access_place(admin, DEPOK), sector=TINY)
    assert set(result.latest.values()) == {None}
    assert all(set(values) == {None} for values in result.series.values())

    # Beside its sibling: Sleman's three are held back, and Bantul's six with them, or the province's nine
    # would give Sleman's away.
    province = figures(actor=admin, place=access_place(admin, PROVINCE), sector=TINY)
    assert province.latest["registered"] == 9
    rows = {row.code: row.figures for row in province.children}
    assert set(rows) == {SLEMAN, BANTUL}
    assert rows[SLEMAN]["registered"] is None and rows[BANTUL]["registered"] is None
    assert Cell.objects.get(refresh=world["run"], region=BANTUL, sector=TINY, month=month).registered == 6

    # Within a family: the lone small business of the nine is held back, and the eight micro with it.
    assert (province.latest["size_small"], province.latest["size_micro"]) == (None, None)
    assert province.latest["size_medium"] == province.latest["size_large"] == 0

    # Among the province's sectors, the tiny kategori shows (nine), and the small ones are held back.
    by_sector = figures(actor=admin, place=access_place(admin, PROVINCE)).by_sector
    sectors = {row.code: row.figures["registered"] for row in by_sector}
    assert sectors[TINY] == 9
    assert None in sectors.values()


def test_no_held_back_level_follows_from_the_tech_share(world):
    """The tech share gives the sum of levels 2–4 (and of 0, 1 and unknown with the registered): wherever it
    is shown, the levels held back on either side are two or more holding five or more businesses."""
    non_tech = ("level_0", "level_1", "level_unknown")
    checked = 0
    for counts in world["direct"].values():
        figures_ = disclose(counts)
        if figures_["registered"] is None:
            continue
        for group in (TECH_LEVELS, non_tech):
            hidden = [name for name in group if figures_[name] is None]
            if figures_["tech_share"] is not None:
                checked += bool(hidden)
                assert not hidden or (len(hidden) >= 2 and sum(counts[name] for name in hidden) >= MINIMUM), counts
            elif counts["registered"] > sum(counts[name] for name in group) > 0:
                assert hidden, counts  # a held-back share does not follow from the levels either
    assert checked
