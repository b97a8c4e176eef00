"""The owner's summaries: today, this week and this month with their profit, cash on hand, and two charts drawn
on the server (sales per day over 30 days; income against expenses per month over 12 months)."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET

from naikkelas.ledger import charts, selectors, services
from naikkelas.ledger.access import access_books
from naikkelas.ledger.views import periods
from naikkelas.ledger.views.book import period_labels
from naikkelas.orders.selectors import best_sellers
from naikkelas.regions.selectors import village_zone


@login_required
@require_GET
def summary(request, business_id):
    business = access_books(request.user, business_id)
    today = services.business_today(business)
    days = periods.daily_sales(business, today)
    months = periods.monthly(business, today)
    # Charts are built from escaped text only (charts.py), so they can go into the page as they are.
    daily_chart = charts.bars(
        [(f"{day.day}/{day.month}", amount) for day, amount in days],
        title=_("Penjualan per hari, %(n)s hari terakhir") % {"n": periods.DAILY_DAYS},
        label_every=7,
    )
    monthly_chart = charts.paired_bars(
        [(periods.month_label(first, short=True), money_in, money_out) for first, money_in, money_out in months],
        title=_("Uang masuk dan uang keluar per bulan, %(n)s bulan terakhir") % {"n": periods.MONTHS_BACK},
        first=pgettext("uang", "Masuk"),
        second=pgettext("uang", "Keluar"),
    )
    zone = village_zone(business.village_id)
    month_begins = dt.datetime.combine(periods.month_start(today), dt.time.min, tzinfo=zone)
    month_ends = dt.datetime.combine(periods.month_start(today, -1), dt.time.min, tzinfo=zone)
    context = {
        "business": business,
        "today": today,
        "best_sellers": best_sellers(actor=request.user, business=business, start=month_begins, end=month_ends),
        "cash": selectors.totals(business),
        "periods": periods.current(business, today, period_labels()),
        "daily_chart": mark_safe(daily_chart),  # noqa: S308 (escaped in charts.py)
        "daily_total": sum(amount for day, amount in days),
        "monthly_chart": mark_safe(monthly_chart),  # noqa: S308 (escaped in charts.py)
        "months": [(periods.month_label(first), money_in, money_out, money_in - money_out) for first, money_in, money_out in months],
    }
    return render(request, "ledger/summary.html", context)
