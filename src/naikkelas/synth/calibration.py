"""The published figures the synthetic businesses are calibrated to, and the assumptions that fill the gaps.

Every figure here is listed with its source in docs/DATA.md; change them together. Figures marked
ASSUMPTION have no published source behind them and only shape the data inside the calibrated totals.
"""

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
