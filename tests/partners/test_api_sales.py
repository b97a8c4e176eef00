"""Sales reports pushed by partners: replaced per (partner, business, day), all or nothing, read back by the
partner, totalled across partners for the cash book and the early-warning engine."""

import datetime as dt
from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from naikkelas.core.models import AuditLog
from naikkelas.partners import sales
from naikkelas.partners import services as partner_services
from naikkelas.partners.models import ApiKey, SalesReport
from tests.partners.factories import Api, make_key, make_partner_org, share
from tests.registry.factories import make_business, make_owner

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"
DAY = dt.date(2026, 1, 5)


@pytest.fixture
def owner():
    return make_owner()


@pytest.fixture
def shop(owner):
    return make_business(owner=owner, name="Keripik Bu Tini")


@pytest.fixture
def other_shop():
    return make_business(owner=make_owner(), name="Batik Pak Joko")


@pytest.fixture
def partner(shop, other_shop):
    made = make_partner_org("Pasar Nusantara")
    share(shop, made)
    share(other_shop, made)
    return made


@pytest.fixture
def api(partner):
    return Api(make_key(partner, ApiKey.Scope.WRITE))


def row(business, date=DAY, orders=3, units=5, gross=75000) -> dict:
    return {"business_id": business.pk, "date": date.isoformat(), "orders": orders, "units": units, "gross_amount": gross}


def push(api, rows):
    return api.post("/sales-reports", {"reports": rows})


def figures() -> list[tuple]:
    return list(
        SalesReport.objects.order_by("business_id", "date").values_list("business_id", "date", "orders", "units", "gross_amount")
    )


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith(PROBLEM)
    return response.json()


def test_a_pushed_day_is_stored_and_answered_back(api, partner, shop):
    response = push(api, [row(shop)])
    assert response.status_code == 200, response.content
    [report] = response.json()["reports"]
    assert {k: report[k] for k in ("business_id", "date", "orders", "units", "gross_amount", "currency")} == {
        "business_id": shop.pk, "date": "2026-01-05", "orders": 3, "units": 5, "gross_amount": 75000, "currency": "IDR",
    }
    assert figures() == [(shop.pk, DAY, 3, 5, 75000)]
    assert AuditLog.objects.filter(action="sales_report.record", object_id=str(partner.pk)).exists()


def test_pushing_a_day_again_replaces_its_figures_and_pushing_twice_is_harmless(api, shop, other_shop):
    first = push(api, [row(shop), row(other_shop, orders=1, units=1, gross=20000)]).json()["reports"]
    # When the partner corrects the first shop's day
    corrected = push(api, [row(shop, orders=4, units=6, gross=90000)]).json()["reports"][0]
    # Then the figures are replaced, not added, and the first receipt time stays
    assert figures() == [(shop.pk, DAY, 4, 6, 90000), (other_shop.pk, DAY, 1, 1, 20000)]
    assert corrected["received_at"] == first[0]["received_at"] and corrected["updated_at"] >= first[0]["updated_at"]
    # And pushing the same batch again leaves exactly what pushing it once did
    push(api, [row(shop, orders=4, units=6, gross=90000)])
    assert figures() == [(shop.pk, DAY, 4, 6, 90000), (other_shop.pk, DAY, 1, 1, 20000)]


def test_one_bad_row_refuses_the_whole_batch_naming_every_bad_row(api, shop, other_shop):
    stranger = make_business(owner=make_owner(), name="Warung Tidak Berbagi")
    tomorrow = sales.today_in_indonesia() + timedelta(days=1)
    batch = [
        row(shop),
        row(stranger),  # does not share with this partner
        row(other_shop, date=tomorrow),  # a day that has not begun
        row(other_shop, orders=2, units=1),  # fewer units than orders
        row(shop, date=DAY - timedelta(days=1), orders=-1),  # negative
    ]
    problem = assert_problem(push(api, batch), 422)
    # Then nothing at all was stored, and each bad row is named with its field
    assert figures() == []
    assert {tuple(error["loc"]) for error in problem["errors"]} == {
        ("body", "reports", 1, "business_id"),
        ("body", "reports", 2, "date"),
        ("body", "reports", 3, "units"),
        ("body", "reports", 4, "orders"),
    }
    assert "4" in problem["detail"]


def test_a_business_missing_or_not_shared_gets_the_same_words(api, shop):
    stranger = make_business(owner=make_owner(), name="Warung Tidak Berbagi")
    problem = assert_problem(push(api, [row(stranger), {**row(shop), "business_id": 10**12}]), 422)
    assert problem["errors"][0]["msg"] == problem["errors"][1]["msg"]
    assert figures() == []


def test_the_same_business_and_day_twice_in_one_batch_is_refused(api, shop):
    problem = assert_problem(push(api, [row(shop), row(shop, orders=1, units=1)]), 422)
    assert [error["loc"] for error in problem["errors"]] == [["body", "reports", 1, "date"]]
    assert figures() == []


@pytest.mark.parametrize("bad", [
    {"reports": []},
    {"reports": [{"business_id": 1}]},
    {"rows": []},
])
def test_a_batch_of_the_wrong_shape_is_refused(api, bad):
    assert_problem(api.post("/sales-reports", bad), 422)
    assert figures() == []


@pytest.mark.parametrize("field, value", [("orders", "3"), ("units", 2.5), ("gross_amount", True), ("date", "05/01/2026")])
def test_figures_of_the_wrong_type_are_refused(api, shop, field, value):
    assert_problem(push(api, [{**row(shop), field: value}]), 422)
    assert figures() == []


def test_more_than_a_thousand_rows_are_refused(api, shop):
    days = [row(shop, date=DAY - timedelta(days=n)) for n in range(1001)]
    assert_problem(push(api, days), 422)
    assert figures() == []
    assert push(api, days[:1000]).status_code == 200 and len(figures()) == 1000


def test_a_read_only_key_cannot_push(partner, shop):
    reader = Api(make_key(partner, ApiKey.Scope.READ, name="pembaca"))
    assert_problem(push(reader, [row(shop)]), 403)
    assert figures() == []
    assert reader.get("/sales-reports").status_code == 200


def test_a_revoked_key_cannot_push_or_read(partner, shop):
    made = partner_services.api_key_create(actor=None, partner=partner, name="lama", scope=ApiKey.Scope.WRITE)
    partner_services.api_key_revoke(actor=None, key=made.key)
    assert_problem(push(Api(made.secret), [row(shop)]), 401)
    assert_problem(Api(made.secret).get("/sales-reports"), 401)
    assert figures() == []


# ---- reading back ------------------------------------------------------------------------------------------


def test_a_partner_reads_back_its_own_reports_of_businesses_still_sharing(api, partner, owner, shop, other_shop):
    push(api, [row(shop), row(other_shop)])
    rival = make_partner_org("Toko Desa")
    share(shop, rival)
    push(Api(make_key(rival)), [row(shop, orders=9, units=9)])
    # Then each partner reads its own figures only
    items = api.get("/sales-reports").json()["items"]
    assert sorted((i["business_id"], i["orders"]) for i in items) == sorted([(shop.pk, 3), (other_shop.pk, 3)])
    # And once a business withdraws, its reports are hidden from the partner (as the business is)
    partner_services.share_withdraw(actor=owner, business=shop, partner=partner)
    assert [i["business_id"] for i in api.get("/sales-reports").json()["items"]] == [other_shop.pk]


def test_reports_are_filtered_by_business_and_days_and_walked_by_cursor(api, shop, other_shop):
    push(api, [row(b, date=DAY - timedelta(days=n)) for n in range(5) for b in (shop, other_shop)])
    # Filtered: one business, three days, both ends included
    items = api.get("/sales-reports", {
        "business_id": shop.pk, "date_from": (DAY - timedelta(days=3)).isoformat(), "date_to": (DAY - timedelta(days=1)).isoformat(),
    }).json()["items"]
    assert [i["date"] for i in items] == ["2026-01-02", "2026-01-03", "2026-01-04"]
    # Walked three at a time: every report once, by day then business
    seen, cursor = [], None
    while True:
        page = api.get("/sales-reports", {"limit": 3, **({"cursor": cursor} if cursor else {})}).json()
        seen += [(i["date"], i["business_id"]) for i in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == sorted((d, b) for d in [(DAY - timedelta(days=n)).isoformat() for n in range(5)] for b in (shop.pk, other_shop.pk))


@pytest.mark.parametrize("params", [{"cursor": "rusak"}, {"cursor": "eyJkIjoxfQ"}, {"limit": 0}, {"date_from": "kemarin"}])
def test_bad_list_parameters_are_refused(api, params):
    assert_problem(api.get("/sales-reports", params), 422)


# ---- the rules on the numbers --------------------------------------------------------------------------------


def valid(orders: int, units: int, gross: int) -> bool:
    """The rule as docs/API.md states it."""
    in_range = 0 <= orders <= sales.ORDERS_MAX and 0 <= units <= sales.UNITS_MAX and 0 <= gross <= sales.GROSS_MAX
    return in_range and units >= orders and (orders > 0 or (units == 0 and gross == 0))


number = st.one_of(st.integers(-3, 12), st.integers(-(10**13), 10**13), st.sampled_from([0, sales.GROSS_MAX, sales.GROSS_MAX + 1]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batch=st.lists(st.tuples(number, number, number), min_size=1, max_size=6))
def test_a_batch_is_stored_exactly_when_every_row_keeps_the_rules(partner, shop, batch):
    before = figures()
    rows = [
        sales.SalesRow(business_id=shop.pk, date=DAY - timedelta(days=n), orders=o, units=u, gross_amount=g)
        for n, (o, u, g) in enumerate(batch)
    ]
    bad = {n for n, (o, u, g) in enumerate(batch) if not valid(o, u, g)}
    if bad:
        with pytest.raises(sales.SalesReportError) as refused:
            sales.sales_report_record(partner=partner, rows=rows)
        assert {problem.index for problem in refused.value.problems} == bad
        assert figures() == before
    else:
        stored = sales.sales_report_record(partner=partner, rows=rows)
        assert [(r.orders, r.units, r.gross_amount) for r in stored] == [tuple(b) for b in batch]


def test_the_day_begins_first_in_eastern_indonesia():
    # 15:30 UTC is 00:30 the next day in Jayapura (UTC+9), still the same day in Jakarta
    assert sales.today_in_indonesia(dt.datetime(2026, 1, 1, 15, 30, tzinfo=dt.UTC)) == dt.date(2026, 1, 2)
    assert sales.today_in_indonesia(dt.datetime(2026, 1, 1, 14, 30, tzinfo=dt.UTC)) == dt.date(2026, 1, 1)


def test_a_day_before_2000_is_refused(partner, shop):
    with pytest.raises(sales.SalesReportError) as refused:
        sales.sales_report_record(partner=partner, rows=[sales.SalesRow(shop.pk, dt.date(1999, 12, 31), 1, 1, 1)])
    assert [(p.index, p.field) for p in refused.value.problems] == [(0, "date")]


# ---- totals for the cash book --------------------------------------------------------------------------------


def test_channel_sales_totals_each_day_across_partners(partner, shop, other_shop, owner):
    rival = make_partner_org("Toko Desa")
    share(shop, rival)
    sales.sales_report_record(partner=partner, rows=[
        sales.SalesRow(shop.pk, DAY, 3, 5, 75000), sales.SalesRow(shop.pk, DAY - timedelta(days=1), 1, 1, 15000),
        sales.SalesRow(other_shop.pk, DAY, 7, 7, 700000),
    ])
    sales.sales_report_record(partner=rival, rows=[sales.SalesRow(shop.pk, DAY, 2, 4, 60000)])
    # Even after a business stops sharing, the sales it made through the partner still count
    partner_services.share_withdraw(actor=owner, business=shop, partner=rival)
    totals = sales.channel_sales(shop.pk, DAY - timedelta(days=7), DAY)
    assert totals == [
        sales.DailySales(date=DAY - timedelta(days=1), orders=1, units=1, gross_amount=15000, partners=1),
        sales.DailySales(date=DAY, orders=5, units=9, gross_amount=135000, partners=2),
    ]
    assert sales.channel_sales(shop.pk, DAY + timedelta(days=1), DAY + timedelta(days=7)) == []


def test_recording_stamps_times_in_utc(partner, shop):
    now = timezone.now()
    [report] = sales.sales_report_record(partner=partner, rows=[sales.SalesRow(shop.pk, DAY, 1, 1, 1)], now=now)
    assert report.received_at == report.updated_at == now
