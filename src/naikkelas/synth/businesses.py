"""Synthetic UMKM for one province, calibrated to published figures (see calibration.py and docs/DATA.md).

Pure Python: give it the province's regencies (population and village codes) and the KBLI kelompok codes,
a seed and a count; it yields one plain dict per business with the fields of `registry.Business`. The same
arguments give the same rows, in any year and on any machine (only `random.Random(seed)` draws).

Identifiers are unique by construction, so writing a million rows needs no look-up per row:
- `external_ref` is `SYN-<province>-<seed>-<n>` (n from 1, six digits or more);
- `slug` is `<name>--<province>s<seed>-<n in base 36>`. Django's slugify never produces "--", so these
  slugs cannot collide with the slugs of businesses created by people;
- `phone` is a mobile number whose eight-digit subscriber part is an affine bijection of n, so no two
  businesses of a run share a number (and none falls in the 0812-0000-xxxx range the demo logins use);
- `nib` (for registered businesses) is `9`, the province, the seed's last two digits and an affine
  bijection of n: unique within a run, and between runs unless two seeds of a province end alike.

`readiness_level` is the number of readiness steps done (register, catalogue, payment, marketplace), the
way registry/readiness.py scores the questionnaire, and the NIB, channels and payment methods agree with it.
"""

import math
import random
import re
import unicodedata
from bisect import bisect
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from string import Formatter

from naikkelas.registry.sizeclass import CAPITAL_LIMITS, SALES_LIMITS
from naikkelas.synth import calibration as cal
from naikkelas.synth.archetypes import ARCHETYPES, Archetype
from naikkelas.synth.names import FLOWERS, GOOD_WORDS, PRODUCE, STREET_FOOD, STREETS, SUBJECTS, TASTES, pool_for

MAX_SEED = 10**9
SUBSCRIBER_SPACE = 90_000_000  # eight-digit subscriber numbers 10000000–99999999
NIB_SPACE = 100_000_000  # the last eight of an NIB's thirteen digits
# ASSUMPTION: mobile prefixes by operator (Telkomsel, Indosat, XL, Tri, Smartfren, Axis), roughly by share.
MOBILE_PREFIXES = {
    "811": 4, "812": 9, "813": 7, "821": 7, "822": 7, "823": 4, "851": 3, "852": 6, "853": 5,
    "814": 1, "815": 2, "816": 2, "855": 1, "856": 4, "857": 4, "858": 3,
    "817": 3, "818": 3, "819": 3, "859": 3, "877": 3, "878": 3,
    "895": 2, "896": 3, "897": 2, "898": 2, "899": 2,
    "881": 1, "882": 1, "887": 1, "888": 1, "889": 1,
    "831": 1, "832": 1, "833": 1, "838": 2,
}


@dataclass(frozen=True)
class Regency:
    code: str
    population: int | None
    villages: tuple[str, ...]


class SynthError(ValueError):
    """The inputs cannot give a calibrated province (no villages, no sectors, a bad seed or count). The
    message is in Indonesian: the command shows it as it is, and this package has no gettext."""


@lru_cache(maxsize=65536)
def slug_base(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:50].strip("-") or "usaha"


def base36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if not n:
            return out


def external_ref_prefix(province_code: str, seed: int) -> str:
    """What every `external_ref` of one (province, seed) run starts with; used to replace a run."""
    return f"SYN-{province_code}-{seed}-"


class _Table:
    """Weighted choice in O(log n) with one uniform draw."""

    __slots__ = ("items", "cum", "total")

    def __init__(self, weighted: Iterable[tuple[object, float]]):
        pairs = [(item, weight) for item, weight in weighted if weight > 0]
        if not pairs:
            raise SynthError("tidak ada pilihan dengan bobot lebih dari nol")
        self.items = [item for item, _ in pairs]
        self.cum = list(accumulate(weight for _, weight in pairs))
        self.total = self.cum[-1]

    def pick(self, rng: random.Random):
        # min(): random() * total can round up to total itself.
        return self.items[min(bisect(self.cum, rng.random() * self.total), len(self.items) - 1)]


@dataclass(frozen=True)
class _Kind:
    archetype: Archetype
    kelompok: tuple[str, ...]
    templates: tuple[tuple[str, tuple[str, ...]], ...]  # (template, fields it uses)


def _kinds(kelompok: Mapping[str, str]) -> _Table:
    """Archetypes weighted by kategori share × weight within the kategori, restricted to known codes.

    An archetype whose codes are all unknown falls back to every kelompok of its kategori; a kategori with
    no kelompok at all is dropped and the other shares grow to fill its place."""
    by_kategori: dict[str, list[str]] = {}
    for code, kategori in sorted(kelompok.items()):
        by_kategori.setdefault(kategori, []).append(code)
    weight_in_kategori: dict[str, float] = {}
    for archetype in ARCHETYPES:
        weight_in_kategori[archetype.kategori] = weight_in_kategori.get(archetype.kategori, 0) + archetype.weight
    weighted = []
    for archetype in ARCHETYPES:
        codes = tuple(code for code in archetype.kelompok if kelompok.get(code) == archetype.kategori)
        codes = codes or tuple(by_kategori.get(archetype.kategori, ()))
        if not codes:
            continue
        templates = tuple(
            (template, tuple(field for _, field, _, _ in Formatter().parse(template) if field))
            for template in archetype.templates
        )
        share = cal.SECTOR_SHARES.get(archetype.kategori, 0) * archetype.weight / weight_in_kategori[archetype.kategori]
        weighted.append((_Kind(archetype, codes, templates), share))
    if not weighted:
        raise SynthError("tidak ada kode kelompok KBLI yang dikenal; jalankan dulu: naikkelas load_regions")
    return _Table(weighted)


def _regency_table(regencies: Iterable[Regency]) -> _Table:
    usable = sorted((r for r in regencies if r.villages), key=lambda r: r.code)
    if not usable:
        raise SynthError("provinsi ini tidak punya desa/kelurahan; jalankan dulu: naikkelas load_regions")
    known = sorted(r.population for r in usable if r.population)
    # A regency without a population figure counts as a typical one rather than an empty one.
    fallback = known[len(known) // 2] if known else 1
    return _Table((tuple(sorted(r.villages)), r.population or fallback) for r in usable)


@dataclass(frozen=True)
class _Profile:
    size: str
    steps: frozenset[str]
    digital: bool  # level >= 2
    bank: float  # P(owner has a bank account)


class _Calibration:
    """The joint table of (size class, readiness steps) and the conditional probabilities that make the
    marginal shares come out at the published figures."""

    def __init__(self):
        total = sum(cal.UMKM_2019.values())
        size_share = {size: n / total for size, n in cal.UMKM_2019.items()}
        non_micro = 1 - size_share["micro"]
        # P(level >= 2 | size), so that overall P(level >= 2) = USING_TECHNOLOGY.
        digital = {size: cal.NON_MICRO_USING_TECHNOLOGY for size in size_share}
        digital["micro"] = (cal.USING_TECHNOLOGY - non_micro * cal.NON_MICRO_USING_TECHNOLOGY) / size_share["micro"]
        rows = []
        for size, share in size_share.items():
            for steps, p in cal.DIGITAL_STEPS.items():
                rows.append((size, frozenset(steps), True, share * digital[size] * p / cal.USING_TECHNOLOGY))
            for steps, p in cal.OFFLINE_STEPS.items():
                rows.append((size, frozenset(steps), False, share * (1 - digital[size]) * p))
        # P(bank) for the businesses that neither take digital payments nor are small or medium, so that
        # overall P(bank) = WITH_BANK_ACCOUNT.
        high = sum(p for size, steps, _, p in rows if size != "micro" or "payment" in steps)
        self.bank_low = (cal.WITH_BANK_ACCOUNT - high * cal.BANK_IF_DIGITAL_PAYMENTS) / (1 - high)
        self.profiles = _Table(
            (
                _Profile(
                    size,
                    steps,
                    is_digital,
                    cal.BANK_IF_DIGITAL_PAYMENTS if size != "micro" or "payment" in steps else self.bank_low,
                ),
                p,
            )
            for size, steps, is_digital, p in rows
        )
        self.digital_ages = _Table(cal.INTERNET_USERS_BY_AGE.items())
        self.offline_ages = _Table(cal.OFFLINE_OWNERS_BY_AGE.items())
        self.micro_employees = _Table(cal.MICRO_EMPLOYEES.items())
        small_mean = cal.WORKERS_2019["small"] / cal.UMKM_2019["small"]
        self.employee_small_p = 1 / (1 + small_mean - cal.EMPLOYEE_RANGE["small"][0])
        self.marketplaces = _Table(cal.MARKETPLACES.items())
        self.prefixes = _Table(MOBILE_PREFIXES.items())
        if not (0 <= digital["micro"] <= 1 and 0 <= self.bank_low <= 1):
            raise SynthError("angka kalibrasi saling bertentangan (lihat synth/calibration.py)")


CALIBRATION = _Calibration()
_SALES = dict(SALES_LIMITS)
_CAPITAL = dict(CAPITAL_LIMITS)
_LOWER = {"micro": "", "small": "micro", "medium": "small"}


def _log_uniform(rng: random.Random, low: int, high: int, step: int) -> int:
    """An amount in (low, high], rounded down to `step`."""
    amount = math.exp(rng.uniform(math.log(low), math.log(high)))
    amount = int(amount) // step * step
    return min(max(amount, low + step), high)


def _amounts(rng: random.Random, size: str) -> tuple[int, int]:
    """(capital, annual_sales) inside the PP 7/2021 band of `size` for both figures."""
    if size == "micro":
        sales = rng.lognormvariate(math.log(cal.MICRO_SALES_MEDIAN), cal.MICRO_SALES_SIGMA)
        sales = int(min(max(sales, cal.MICRO_SALES_FLOOR), _SALES["micro"])) // 100_000 * 100_000
        capital = int(sales * rng.uniform(*cal.MICRO_CAPITAL_SHARE)) // 100_000 * 100_000
        return max(min(capital, _CAPITAL["micro"]), 500_000), sales
    lower = _LOWER[size]
    sales = _log_uniform(rng, _SALES[lower], _SALES[size], 1_000_000)
    capital = _log_uniform(rng, _CAPITAL[lower], _CAPITAL[size], 1_000_000)
    return capital, sales


def _employees(rng: random.Random, size: str) -> int:
    low, high = cal.EMPLOYEE_RANGE[size]
    if size == "micro":
        return CALIBRATION.micro_employees.pick(rng)
    if size == "small":
        # Geometric above the floor, with the Kemenkop 2019 mean (7.4 workers).
        p = CALIBRATION.employee_small_p
        extra = int(math.log(1.0 - rng.random()) / math.log(1 - p))
        return min(low + extra, high)
    # Medium: uniform over 20–96 has the Kemenkop 2019 mean (57.9 workers).
    return rng.randint(low, 96)


def _affine(rng: random.Random, space: int) -> tuple[int, int]:
    """(step, offset) of a bijection n -> (step * n + offset) mod space."""
    while True:
        step = rng.randrange(space // 10, space)
        if math.gcd(step, space) == 1:
            return step, rng.randrange(space)


def generate_businesses(
    *,
    province_code: str,
    regencies: Iterable[Regency],
    kelompok: Mapping[str, str],
    seed: int,
    count: int,
) -> Iterator[dict]:
    """Yield `count` businesses. `kelompok` maps each five-digit KBLI kelompok code to its kategori letter."""
    if not (isinstance(seed, int) and 0 <= seed < MAX_SEED):
        raise SynthError(f"seed harus bilangan bulat dari 0 sampai {MAX_SEED - 1}")
    if not (isinstance(count, int) and 0 <= count < SUBSCRIBER_SPACE):
        raise SynthError(f"jumlah usaha harus bilangan bulat dari 0 sampai {SUBSCRIBER_SPACE - 1}")
    if not re.fullmatch(r"\d\d", province_code or ""):
        raise SynthError("kode provinsi harus dua angka Kemendagri, mis. 34")
    rng = random.Random(seed * 100 + int(province_code))
    kinds = _kinds(kelompok)
    villages_of = _regency_table(regencies)
    names = pool_for(province_code)
    c = CALIBRATION
    phone_step, phone_offset = _affine(rng, SUBSCRIBER_SPACE)
    nib_step, nib_offset = _affine(rng, NIB_SPACE)
    nib_prefix = f"9{province_code}{seed % 100:02d}"
    ref_prefix = external_ref_prefix(province_code, seed)
    slug_suffix = f"--{province_code}s{seed}-"
    random_ = rng.random

    # random.choice and randint spend most of their time on exact integer sampling that a shop name does
    # not need; one float draw each is three times faster over a million rows.
    def choice(items):
        return items[int(random_() * len(items))]

    def randint(low: int, high: int) -> int:
        return low + int(random_() * (high - low + 1))

    for n in range(1, count + 1):
        profile = c.profiles.pick(rng)
        size, steps = profile.size, profile.steps
        low, high = (c.digital_ages if profile.digital else c.offline_ages).pick(rng)
        age = randint(low, high)

        kind = kinds.pick(rng)
        female = random_() < kind.archetype.female_share
        first = choice(names.female if female else names.male)
        second = choice(names.second_female if female else names.second_male)
        owner_name = f"{first} {second}" if second else first
        titles = names.female_titles if female else names.male_titles
        template, fields = choice(kind.templates)
        values = {}
        for field in fields:
            if field == "title":
                values[field] = titles[0] if age < 35 else titles[1]
            elif field == "first":
                values[field] = first.rsplit(" ", 1)[-1]
            elif field == "word":
                values[field] = choice(GOOD_WORDS)
            elif field == "flower":
                values[field] = choice(FLOWERS)
            elif field == "produce":
                values[field] = choice(PRODUCE)
            elif field == "taste":
                values[field] = choice(TASTES)
            elif field == "food":
                values[field] = choice(STREET_FOOD)
            elif field == "subject":
                values[field] = choice(SUBJECTS)
        name = template.format_map(values)
        has_bank = random_() < profile.bank

        channels = ["offline"]
        if "catalogue" in steps:
            whatsapp = random_() < cal.WHATSAPP_IF_CATALOGUE
            social = random_() < cal.SOCIAL_IF_CATALOGUE
            if whatsapp or not social:
                channels.append("whatsapp")
            if social:
                channels.append("social")
        elif random_() < cal.WHATSAPP_OTHERWISE:
            channels.append("whatsapp")
        marketplaces = []
        if "marketplace" in steps:
            channels.append("marketplace")
            wanted = 1 if random_() < 0.6 else 2 if random_() < 0.75 else 3
            while len(marketplaces) < wanted:
                market = c.marketplaces.pick(rng)
                if market not in marketplaces:
                    marketplaces.append(market)
        payments = ["cash"]
        if "payment" in steps:
            if random_() < 0.75:
                payments.append("qris")
            if has_bank and random_() < 0.7:
                payments.append("transfer")
            if random_() < 0.5:
                payments.append("ewallet")
            if len(payments) == 1:
                payments.append("qris")

        capital, sales = _amounts(rng, size)
        employees = _employees(rng, size)
        years = int(math.log(1.0 - random_()) / math.log(1 - 1 / (1 + cal.MEAN_BUSINESS_AGE)))
        founded = cal.REFERENCE_YEAR - min(years, age - 17)
        subscriber = 10_000_000 + (phone_step * n + phone_offset) % SUBSCRIBER_SPACE
        nib = f"{nib_prefix}{(nib_step * n + nib_offset) % NIB_SPACE:08d}" if "register" in steps else ""
        if random_() < 0.7:
            address = f"Jl. {choice(STREETS)} No. {randint(1, 150)}"
        else:
            address = f"RT {randint(1, 12):02d}/RW {randint(1, 9):02d}"

        yield {
            "name": name,
            "slug": slug_base(name) + slug_suffix + base36(n),
            "external_ref": f"{ref_prefix}{n:06d}",
            "owner_name": owner_name,
            "phone": f"+62{c.prefixes.pick(rng)}{subscriber}",
            "address": address,
            "village_code": choice(villages_of.pick(rng)),
            "sector_code": choice(kind.kelompok),
            "size_class": size,
            "capital": capital,
            "annual_sales": sales,
            "employees": employees,
            "founded_year": founded,
            "owner_birth_year": cal.REFERENCE_YEAR - age,
            "channels": channels,
            "marketplaces": marketplaces,
            "payment_methods": payments,
            "nib": nib,
            "has_bank_account": has_bank,
            "readiness_level": len(steps),
        }
