"""One cell's text into one field's value, the way agency spreadsheets write it.

Each parser takes the cell's text (already stripped and known not to be empty) and returns the value, or
raises `Invalid` with the reason in Indonesian. The common shapes take a fast path first ("1500000",
"081234567890") because a million-row file calls these millions of times; anything unusual falls back to
the careful path (phonenumbers for phones). A NIK is checked against python-stdnum's own table of places,
one look-up per place; the tests hold both fast paths to the careful answers.
"""

import datetime
import functools
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.id import nik as stdnum_nik

from naikkelas.accounts.phones import normalize_phone


class Invalid(ValueError):
    """A cell that cannot become its field's value; the message says why, in Indonesian."""


# What people type for "nothing here". Identity numbers add "no NIB yet" and the like.
EMPTY = frozenset({"", "-", "--", "---", "—", "–", ".", "..", "n/a", "na", "null", "none", "nil", "#n/a", "?", "x"})
NO_NUMBER = EMPTY | {"0", "00", "tidak ada", "tdk ada", "belum ada", "blm ada", "belum punya", "tidak punya", "belum"}


def formula_like_text(text: str) -> bool:
    """Text that a spreadsheet could run as a formula when exported again (`+cmd|' /C calc'!A0`, `@SUM(...)`).
    Exports escape such cells anyway (core/spreadsheets.py); an import refuses them so none is stored."""
    if not text:
        return False
    if text[0] == "=":
        return True
    return text[0] in "+-@" and ("(" in text or "|" in text or "!" in text)


def clean_text(text: str, *, max_length: int, label: str) -> str:
    value = " ".join(text.split())
    if len(value) > max_length:
        raise Invalid(_("%(label)s terlalu panjang (paling banyak %(n)s huruf).") % {"label": label, "n": max_length})
    return value


# -- money -------------------------------------------------------------------------------------------------

MAX_RUPIAH = 10**15  # a thousand trillion: past any UMKM, still far inside a 64-bit column
_UNITS = {
    "": 1, "rb": 10**3, "ribu": 10**3, "k": 10**3, "jt": 10**6, "juta": 10**6,
    "m": 10**9, "miliar": 10**9, "milyar": 10**9, "t": 10**12, "triliun": 10**12,
}
_MONEY = re.compile(r"(\d[\d.,]*)([a-z]*)")
_THOUSANDS_DOT = re.compile(r"\d{1,3}(?:\.\d{3})+")
_THOUSANDS_COMMA = re.compile(r"\d{1,3}(?:,\d{3})+")
# "Rp 1.500.000", "Rp1.500.000,00", "1.500.000,-": the most common shape, read without the general parser.
_RUPIAH_GROUPED = re.compile(r"(?:[Rr][Pp]\.? ?)?(\d{1,3}(?:\.\d{3})+)(?:,00?|,-)?")
_MONEY_NOISE = re.compile(r"(?:^(?:rp\.?|idr)|rupiah|/(?:th|thn|tahun|bln|bulan)$|per(?:tahun|bulan)$|[,.]-+$)")


def _money_error(text: str) -> Invalid:
    return Invalid(
        _("Nilai uang '%(text)s' tidak dikenali. Contoh: 1500000, Rp 1.500.000 atau 1,5 juta.") % {"text": text}
    )


def parse_money(text: str) -> int:
    """Whole rupiah from "1500000", "Rp 1.500.000", "Rp1.500.000,00", "1,5 juta", "2 M" (miliar), "750rb"."""
    grouped = None if text.isdigit() else _RUPIAH_GROUPED.fullmatch(text)
    if grouped is not None:
        value = int(grouped.group(1).replace(".", ""))
    elif text.isdigit():
        value = int(text)
    else:
        compact = _MONEY_NOISE.sub("", "".join(text.lower().split()))
        match = _MONEY.fullmatch(compact)
        if not match or match.group(2) not in _UNITS:
            raise _money_error(text)
        number, unit = match.groups()
        if "," in number and "." in number:
            decimal_mark = "," if number.rfind(",") > number.rfind(".") else "."
            grouping = "." if decimal_mark == "," else ","
            number = number.replace(grouping, "").replace(decimal_mark, ".")
        elif "." in number:
            number = number.replace(".", "") if _THOUSANDS_DOT.fullmatch(number) else number
        elif "," in number:
            number = number.replace(",", "") if _THOUSANDS_COMMA.fullmatch(number) else number.replace(",", ".")
        try:
            amount = Decimal(number) * _UNITS[unit]
        except InvalidOperation:
            raise _money_error(text) from None
        value = int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if value > MAX_RUPIAH:
        raise Invalid(_("Nilai uang '%(text)s' terlalu besar.") % {"text": text})
    return value


_PER_MONTH = re.compile(r"(?:/|per\s*)(?:bln|bulan)\b")
_PER_YEAR = re.compile(r"(?:/|per\s*)(?:th|thn|tahun)\b")


def parse_annual_sales(text: str, *, monthly_column: bool = False) -> int:
    """Sales over a year. "3 jt/bulan", or any figure in a column headed "omzet per bulan", counts twelve
    times; "/tahun" in the cell wins over the column."""
    value = parse_money(text)
    if text.isdigit():
        return value * 12 if monthly_column else value
    lowered = text.lower()
    if _PER_MONTH.search(lowered) or (monthly_column and not _PER_YEAR.search(lowered)):
        value *= 12
    if value > MAX_RUPIAH:
        raise Invalid(_("Nilai uang '%(text)s' terlalu besar.") % {"text": text})
    return value


# -- whole numbers and years -------------------------------------------------------------------------------

_COUNT = re.compile(r"(\d{1,9})(?:[.,]0+)?\s*(?:orang|org|pekerja|karyawan)?", re.IGNORECASE)
_YEAR_IN_TEXT = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")


def parse_count(text: str, *, label: str, maximum: int = 1_000_000) -> int:
    if text.isdigit():
        value = int(text)
    else:
        match = _COUNT.fullmatch(text)
        if not match:
            raise Invalid(_("%(label)s '%(text)s' harus berupa bilangan bulat.") % {"label": label, "text": text})
        value = int(match.group(1))
    if value > maximum:
        raise Invalid(_("%(label)s '%(text)s' terlalu besar.") % {"label": label, "text": text})
    return value


def parse_year(text: str, *, label: str, latest: int, earliest: int = 1900) -> int:
    """A four-digit year; a date ("17-08-1985", "1985-08-17") gives its year."""
    if len(text) == 4 and text.isdigit():
        year = int(text)
    else:
        found = _YEAR_IN_TEXT.findall(text.removesuffix(".0"))
        if len(found) != 1:
            raise Invalid(_("%(label)s '%(text)s' bukan tahun (contoh: 2015).") % {"label": label, "text": text})
        year = int(found[0])
    if not earliest <= year <= latest:
        raise Invalid(
            _("%(label)s %(year)s di luar rentang %(earliest)s–%(latest)s.")
            % {"label": label, "year": year, "earliest": earliest, "latest": latest}
        )
    return year


# -- yes / no ------------------------------------------------------------------------------------------------

_YES = frozenset(
    {"ya", "y", "yes", "iya", "ada", "punya", "sudah", "sdh", "1", "true", "benar", "memiliki", "v", "✓", "√"}
)
_NO = frozenset(
    {"tidak", "tdk", "t", "no", "n", "0", "false", "belum", "blm", "tidak ada", "tdk ada", "tidak punya",
     "belum punya", "belum ada", "salah", "tidak memiliki", "enggak", "nggak", "gak"}
)


def parse_yes_no(text: str) -> bool:
    key = " ".join(text.lower().split())
    if key in _YES:
        return True
    if key in _NO:
        return False
    raise Invalid(_("Isian '%(text)s' harus ya atau tidak.") % {"text": text})


# -- identity numbers ----------------------------------------------------------------------------------------

_SEPARATORS = str.maketrans("", "", " .-/'\u00a0")
_PHONE_NOISE = str.maketrans("", "", " .-()'\u00a0")
# Indonesian mobile numbers as phonenumbers itself defines them; anything else takes the careful path.
_MOBILE = re.compile(phonenumbers.PhoneMetadata.metadata_for_region("ID").mobile.national_number_pattern)
_SEVERAL_PHONES = re.compile(r"\s*(?:/|,|;|\bdan\b|\batau\b|&)\s*")


def parse_phone(text: str) -> str:
    """E.164, exactly as accounts.phones.normalize_phone gives it; a cell with two numbers gives the first."""
    digits = text.translate(_PHONE_NOISE)
    if digits.startswith("+62"):
        national = digits[3:]
    elif digits.startswith("62"):
        national = digits[2:]
    elif digits.startswith("0"):
        national = digits[1:]
    else:
        national = digits
    if _MOBILE.fullmatch(national):
        return "+62" + national
    first = _SEVERAL_PHONES.split(text, maxsplit=1)[0]
    for candidate in dict.fromkeys((text, first)):
        try:
            return normalize_phone(candidate)
        except ValidationError:
            continue
    raise Invalid(_("Nomor HP '%(text)s' tidak dikenali. Contoh: 0812-3456-7890.") % {"text": text})


def parse_nib(text: str) -> str:
    nib = text.translate(_SEPARATORS)
    if len(nib) != 13 or not nib.isdigit():
        raise Invalid(_("NIB '%(text)s' harus 13 angka.") % {"text": text})
    return nib


@functools.lru_cache(maxsize=4096)
def _nik_place_known(place: str) -> bool:
    # python-stdnum checks a NIK's first four digits (province and regency of registration) against its
    # table, and digits 7-12 as a birth date. The table search is the slow part, so it runs once per place
    # (with a fixed valid date) and is remembered.
    return stdnum_nik.is_valid(place + "01" + "010190" + "0001")


def _nik_date_valid(nik: str) -> bool:
    # stdnum.id.nik.get_birth_date: day (plus 40 for women), month, two-digit year, valid in 19xx or 20xx.
    # 19yy and 20yy are leap years alike except 1900/2000, so "valid in 20yy" is the same test.
    day = int(nik[6:8]) % 40
    month = int(nik[8:10])
    if not (1 <= month <= 12 and day >= 1):
        return False
    if day <= 28:
        return True
    try:
        datetime.date(2000 + int(nik[10:12]), month, day)
    except ValueError:
        return False
    return True


def nik_is_valid(nik: str) -> bool:
    """The same answer as stdnum.id.nik.is_valid for a string of digits, several times faster."""
    return len(nik) == 16 and nik.isdigit() and _nik_place_known(nik[:4]) and _nik_date_valid(nik)


def parse_nik(text: str) -> str:
    nik = text.translate(_SEPARATORS)
    if len(nik) != 16 or not nik.isdigit():
        raise Invalid(_("NIK '%(text)s' harus 16 angka.") % {"text": text})
    if not nik_is_valid(nik):
        raise Invalid(
            _("NIK '%(text)s' tidak sah: kode wilayah atau tanggal lahir di dalamnya salah.") % {"text": text}
        )
    return nik


# -- lists of choices ----------------------------------------------------------------------------------------

_LIST_SPLIT = re.compile(r"\s*(?:[,;/|+&]|\bdan\b)\s*")
MARKETPLACES = {
    "tokopedia": "Tokopedia", "shopee": "Shopee", "bukalapak": "Bukalapak", "lazada": "Lazada", "blibli": "Blibli",
    "tiktok shop": "TikTok Shop", "tiktokshop": "TikTok Shop", "grabfood": "GrabFood", "gofood": "GoFood",
    "shopeefood": "ShopeeFood", "bukalapak.com": "Bukalapak", "zalora": "Zalora", "jd.id": "JD.ID",
}
_CHANNEL_WORDS = {
    "offline": "offline", "toko": "offline", "lapak": "offline", "kios": "offline", "pasar": "offline",
    "langsung": "offline", "whatsapp": "whatsapp", "wa": "whatsapp", "whatsapp business": "whatsapp",
    "instagram": "social", "ig": "social", "facebook": "social", "fb": "social", "tiktok": "social",
    "media sosial": "social", "medsos": "social", "sosmed": "social", "marketplace": "marketplace",
    "lokapasar": "marketplace", "e-commerce": "marketplace", "ecommerce": "marketplace", "online": "marketplace",
}
_PAYMENT_WORDS = {
    "tunai": "cash", "cash": "cash", "kontan": "cash", "qris": "qris", "qr": "qris", "transfer": "transfer",
    "tf": "transfer", "transfer bank": "transfer", "bank": "transfer", "debit": "transfer", "ovo": "ewallet",
    "gopay": "ewallet", "dana": "ewallet", "shopeepay": "ewallet", "linkaja": "ewallet", "e-wallet": "ewallet",
    "ewallet": "ewallet", "dompet digital": "ewallet", "uang elektronik": "ewallet",
}


def _items(text: str) -> list[str]:
    return [" ".join(item.split()) for item in _LIST_SPLIT.split(text.lower()) if item.strip()]


def parse_channels(text: str) -> tuple[list[str], list[str]]:
    """(channels, marketplace names) from "WA, Instagram, Shopee". Words not recognised are left out: these
    columns are free text in most agency files, and an unknown word is no reason to refuse the business."""
    channels, marketplaces = [], []
    for item in _items(text):
        if item in MARKETPLACES:
            marketplaces.append(MARKETPLACES[item])
            channels.append("marketplace")
        elif item in _CHANNEL_WORDS:
            channels.append(_CHANNEL_WORDS[item])
    return list(dict.fromkeys(channels)), list(dict.fromkeys(marketplaces))


def parse_marketplaces(text: str) -> list[str]:
    names = []
    for item in _items(text):
        names.append(MARKETPLACES.get(item) or item.title()[:40])
    return list(dict.fromkeys(names))[:10]


def parse_payment_methods(text: str) -> list[str]:
    return list(dict.fromkeys(_PAYMENT_WORDS[item] for item in _items(text) if item in _PAYMENT_WORDS))
