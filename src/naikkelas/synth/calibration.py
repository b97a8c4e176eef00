"""The published figures the synthetic businesses are calibrated to, and the assumptions that fill the gaps.

Every figure here is listed with its source in docs/DATA.md; change them together. Figures marked
ASSUMPTION have no published source behind them and only shape the data inside the calibrated totals.
"""

import datetime as dt


# Kemenkop UKM, "Perkembangan Data UMKM dan Usaha Besar 2018–2019": of 65.47 M UMKM in 2019,
# 64.6 M micro, 798.7 k small and 65.5 k medium.
UMKM_2019 = {"micro": 64_601_352, "small": 798_679, "medium": 65_465}
# Same table: workers per size class (109.8 M, 5.93 M, 3.79 M), so the mean workers per business.
WORKERS_2019 = {"micro": 109_842_384, "small": 5_930_317, "medium": 3_790_142}
# BPS employment bands (Sensus Ekonomi): micro 1–4 workers, small 5–19, medium 20–99.
EMPLOYEE_RANGE = {"micro": (1, 4), "small": (5, 19), "medium": (20, 99)}
# ASSUMPTION: how a micro business's 1–4 workers are spread; chosen so the mean is 1.70 (Kemenkop 2019).
MICRO_EMPLOYEES = {1: 0.55, 2: 0.27, 3: 0.11, 4: 0.07}

# BPS, Sensus Ekonomi 2016 (listing results, May 2017), non-agricultural businesses: trade (G) 46.17 %,
# accommodation and food (I) 16.72 %, manufacturing (C) 16.53 %. The census leaves agriculture out; it gets
# an ASSUMED 2 % here and the census shares are scaled by 0.98. The split of the remaining 20.17 % between
# the other kategori is an ASSUMPTION.
SECTOR_SHARES = {
    "G": 46.17 * 0.98,
    "I": 16.72 * 0.98,
    "C": 16.53 * 0.98,
    "A": 2.0,
    "S": 7.0,
    "H": 5.0,
    "N": 2.2,
    "P": 1.8,
    "M": 1.0,
    "Q": 0.9,
    "R": 0.8,
    "J": 0.6,
    "F": 0.5,
    "L": 0.37,
}

# Digital readiness, scored the way registry/readiness.py scores the questionnaire: four steps — register
# (has an NIB), catalogue (products online with photos and prices), payment (accepts a digital payment),
# marketplace (sells on one) — and the level is how many are done, in any order. Level >= 2 is the
# programme's "uses technology" indicator.
# "16.3 % of UMKM use technology" (programme figure, see DATA.md) -> share at level >= 2.
USING_TECHNOLOGY = 0.163
# "5 % of retail happens in e-commerce" (programme figure), taken as the share of businesses that sell on a
# marketplace.
SELLING_ONLINE = 0.05
# ASSUMPTION: which steps the businesses at level >= 2 have done, as shares of ALL businesses. They add up
# to USING_TECHNOLOGY, and the ones with "marketplace" add up to SELLING_ONLINE (checked at import).
DIGITAL_STEPS = {
    ("register", "catalogue", "payment", "marketplace"): 0.025,
    ("register", "catalogue", "payment"): 0.033,
    ("catalogue", "payment", "marketplace"): 0.020,
    ("catalogue", "payment"): 0.050,
    ("register", "catalogue"): 0.020,
    ("register", "payment"): 0.010,
    ("catalogue", "marketplace"): 0.005,
}
# ASSUMPTION: the steps of the businesses below level 2, as shares of those businesses.
OFFLINE_STEPS = {(): 0.70, ("register",): 0.15, ("catalogue",): 0.09, ("payment",): 0.06}
# ASSUMPTION: small and medium businesses use technology far more often than micro ones.
NON_MICRO_USING_TECHNOLOGY = 0.9
# ASSUMPTION: sales channels besides the steps. A catalogue is shown on WhatsApp and/or social media.
WHATSAPP_IF_CATALOGUE = 0.9
SOCIAL_IF_CATALOGUE = 0.7
WHATSAPP_OTHERWISE = 0.3

assert abs(sum(DIGITAL_STEPS.values()) - USING_TECHNOLOGY) < 1e-9
assert abs(sum(v for k, v in DIGITAL_STEPS.items() if "marketplace" in k) - SELLING_ONLINE) < 1e-9
assert all(len(steps) >= 2 for steps in DIGITAL_STEPS) and all(len(steps) < 2 for steps in OFFLINE_STEPS)

# "66 % of people have no bank account" (programme figure) -> about a third of owners have one.
WITH_BANK_ACCOUNT = 0.34
# ASSUMPTION: who has one. Accepting QRIS or transfers mostly needs a settlement account, and so does a
# small or medium business. The share for everyone else is solved so the overall share is WITH_BANK_ACCOUNT.
BANK_IF_DIGITAL_PAYMENTS = 0.9

# APJII, "Penetrasi & Perilaku Pengguna Internet Indonesia, Survei 2017" (published Feb 2018): internet users
# by age, 13–18: 16.68 %, 19–34: 49.52 %, 35–54: 29.55 %, over 54: 4.24 %. Owners are adults, so owners who
# use technology take the adult part of that mix (19–34 is then 59.4 %).
INTERNET_USERS_BY_AGE = {(19, 34): 49.52, (35, 54): 29.55, (55, 70): 4.24}
# ASSUMPTION: the ages of owners who do not use technology.
OFFLINE_OWNERS_BY_AGE = {(19, 34): 22.0, (35, 54): 55.0, (55, 72): 23.0}

# ASSUMPTION: share of women among owners, per kind of business (see synth/archetypes.py); overall about half.

# ASSUMPTION: annual sales inside each PP 7/2021 class. Micro: log-normal, median Rp 60 juta, sigma 1.0,
# kept between Rp 3 juta and the micro ceiling; small and medium: log-uniform over the class's band.
MICRO_SALES_MEDIAN = 60_000_000
MICRO_SALES_SIGMA = 1.0
MICRO_SALES_FLOOR = 3_000_000
# ASSUMPTION: capital (modal usaha) as a share of annual sales for micro businesses, kept under the micro
# capital ceiling; small and medium capital is log-uniform over the class's capital band.
MICRO_CAPITAL_SHARE = (0.1, 0.6)

# ASSUMPTION: business age in years, geometric with this mean, never before the owner turned 17.
MEAN_BUSINESS_AGE = 8.0

# ASSUMPTION: marketplaces a level-4 business sells on, by how often they are named.
MARKETPLACES = {"Shopee": 40, "Tokopedia": 30, "TikTok Shop": 12, "Lazada": 8, "Bukalapak": 6, "Blibli": 4}

# The year the data describe: ages and founding years are counted back from it, so a seed gives the same
# rows in any year.
REFERENCE_YEAR = 2025

# -- the cash book's history (synth/cashbook.py) --------------------------------------------------------------

# The shock comes this many months into the history (the first COVID-19 cases in Indonesia were reported on
# 2 March 2020 and large-scale social restrictions began in April). Placed relative to the history, not on
# its 2020 date, so that the demo's history ends today.
SHOCK_AFTER_MONTHS = 8
# BPS, "Analisis Hasil Survei Dampak COVID-19 terhadap Pelaku Usaha" (survey of 34,559 businesses, 10–26 July
# 2020, published 15 September 2020): share of businesses whose revenue fell, in %, by KBLI kategori.
# Overall 82.85 % (micro and small 84.20 %). Sectors the release names: accommodation and food 92.47, other
# services 90.90, transport and storage 90.34, construction 87.00, manufacturing 85.98, trade 84.60, water
# and waste 68.00, real estate 59.15.
REVENUE_FELL = {"I": 92.47, "S": 90.90, "H": 90.34, "F": 87.00, "C": 85.98, "G": 84.60, "E": 68.00, "L": 59.15}
# ASSUMPTION: the kategori the release does not name; it puts the rest between 70.67 % and the figures above.
REVENUE_FELL_OTHER = 78.0
# Same survey: 2 % of micro and small businesses saw revenue rise; the rest kept it level.
REVENUE_ROSE = 0.02
# Same survey: 10.1 % of micro and small businesses had stopped operating by July 2020, four months after the
# shock began (medium and large: 5 %).
STOPPED_AFTER_SHOCK = 0.10
STOPPED_WITHIN_DAYS = (20, 120)
# ASSUMPTION: how far revenue fell for those it fell for: Beta(2, 2.4), mean 45 %.
FALL_DEPTH_BETA = (2.0, 2.4)
# The chance of stopping grows with the square of the fall; its scale is solved so that STOPPED_AFTER_SHOCK of
# micro and small businesses stop (kategori mix of SECTOR_SHARES, E[depth^2] of the Beta distribution).
_a, _b = FALL_DEPTH_BETA
_MEAN_SQUARED_DEPTH = _a * (_a + 1) / ((_a + _b) * (_a + _b + 1))
_FELL_SHARE = sum(share * REVENUE_FELL.get(k, REVENUE_FELL_OTHER) / 100 for k, share in SECTOR_SHARES.items()) / sum(
    SECTOR_SHARES.values()
)
STOPPED_AFTER_SHOCK_SCALE = STOPPED_AFTER_SHOCK / (_FELL_SHARE * _MEAN_SQUARED_DEPTH)
# ASSUMPTION: of the businesses that fell and did not stop, this share wins back 80–100 % of the loss within
# 5–15 months of the shock; the others win back 30 % of it over a year, and some of them close later (the
# chance is LATE_CLOSURE_SCALE times the depth of the fall).
RECOVERY_SHARE = 0.6
LATE_CLOSURE_SCALE = 0.35
# ASSUMPTION: businesses also close for reasons of their own, 3 % a year.
YEARLY_CLOSURE = 0.03
# ASSUMPTION: the months before closing in which sales sink, the shop opens less and buys less stock. Card
# and point-of-sale data of closed small businesses elsewhere show the decline months, often a year or
# more, before the end; three to nine months is taken here.
DECLINE_BEFORE_CLOSING_DAYS = (90, 270)
# ASSUMPTION: share of businesses with a dip of 30–60 % for one to three months that they come back from.
TEMPORARY_DIP_SHARE = 0.12
# ASSUMPTION: the yearly trend of sales before and apart from the shock, normal with this spread.
YEARLY_TREND_SIGMA = 0.08

# Idul Fitri (1 Syawal) in Indonesia, from the government's joint decrees on public holidays; 2027 and 2028
# are the astronomical dates, to be confirmed by the sidang isbat.
IDUL_FITRI = tuple(
    dt.date.fromisoformat(day)
    for day in (
        "2019-06-05", "2020-05-24", "2021-05-13", "2022-05-02", "2023-04-22", "2024-04-10", "2025-03-31",
        "2026-03-20", "2027-03-10", "2028-02-27",
    )
)

# ASSUMPTION from here on: the everyday shape of each kind of business.
SECTOR_PROFILE = {"I": "food", "G": "trade", "C": "making", "A": "farm", "H": "transport"}  # others: "service"
# Sales by day of the week, Monday first.
WEEKDAY_SALES = {
    "food": (0.9, 0.9, 0.9, 0.95, 1.05, 1.2, 1.2),
    "trade": (1.0, 0.95, 0.95, 0.95, 1.05, 1.1, 1.0),
    "making": (1.05, 1.05, 1.05, 1.05, 1.0, 0.9, 0.6),
    "farm": (1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.8),
    "transport": (1.0, 1.0, 1.0, 1.0, 1.05, 1.05, 0.9),
    "service": (1.05, 1.0, 1.0, 1.0, 1.05, 1.0, 0.7),
}
# Share of days with sales (farms sell when there is a harvest or a batch ready).
OPEN_DAYS = {"food": 0.93, "trade": 0.95, "making": 0.88, "farm": 0.6, "transport": 0.85, "service": 0.85}
# Stock (for transport: fuel) bought, as a share of sales, and how often.
STOCK_COST_RATIO = {"food": 0.45, "trade": 0.72, "making": 0.5, "farm": 0.35, "transport": 0.3, "service": 0.15}
STOCK_EVERY_DAYS = {"food": 2, "trade": 3, "making": 4, "farm": 7, "transport": 2, "service": 7}
# Share of sales paid by QRIS, transfer or e-wallet at a business that takes them.
DIGITAL_SALES_SHARE = (0.1, 0.35)
# Monthly wage of a worker other than the owner (DI Yogyakarta's provincial minimum wage for 2024 was
# Rp 2,125,897; micro businesses often pay less), and at most this share of the monthly gross margin (sales
# less stock) goes to wages.
MONTHLY_WAGE = {"micro": 1_500_000, "small": 2_100_000, "medium": 2_500_000}
WAGES_AT_MOST = 0.4
# Share of businesses renting their premises, and rent and bills (electricity, water, phone credit) as a
# share of monthly sales before the shock; both stay when sales fall.
RENTS_PREMISES = {"food": 0.5, "trade": 0.45, "making": 0.25, "farm": 0.1, "transport": 0.05, "service": 0.45}
RENT_SHARE = (0.04, 0.09)
BILLS_SHARE = (0.02, 0.05)
# Chance on a working day of another expense (a repair, a fee).
OTHER_EXPENSE_PER_DAY = 0.03
