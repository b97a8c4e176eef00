"""Digital readiness: six plain questions, a level from 0 to 4, and the one next step to take.

The ladder has five steps, in the order an owner usually climbs it:

    1. register     the business has an NIB (Nomor Induk Berusaha) from OSS
    2. catalogue    its products are online with photos and prices (WhatsApp catalogue, Instagram, a shop page)
    3. payment      it accepts at least one digital payment: QRIS, bank transfer or an e-wallet
    4. marketplace  it sells through a marketplace (Shopee, Tokopedia, ...)
    5. books        it keeps its books in an app or a spreadsheet

Scoring:
- level = how many of steps 1–4 are done, in any order (0–4). Steps are counted, not required in order,
  because many owners sell on a marketplace long before they register: a strict ladder would call them
  level 0 and hide how digital they already are. Level ≥ 2 is the programme's "uses technology" indicator.
- next step = the first step of 1–5 not yet done (so a level-4 business is pointed at its books, and one
  that sells online without an NIB is pointed at registering first). None when all five are done.
- "Tidak tahu" about the NIB counts as not registered: the step is then worth looking into.
- Two answers are not scored but kept on the business, since the programme reports them: whether the owner
  has a bank account, and the payment methods and sales channels they use.

Everything here is pure: no database, so the scoring is tested on its own.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

YES, NO, UNSURE = "yes", "no", "unsure"
DIGITAL_PAYMENTS = {"qris", "transfer", "ewallet"}
MAX_LEVEL = 4


@dataclass(frozen=True)
class Question:
    key: str
    text: str
    choices: tuple[tuple[str, str], ...]
    multiple: bool = False
    help: str = ""


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    guide: str
    link: str = ""  # an official place to do it, when there is one


@dataclass(frozen=True)
class Assessment:
    level: int
    done: tuple[str, ...]
    next_step: str | None


QUESTIONS: tuple[Question, ...] = (
    Question(
        "nib",
        _("Apakah usaha Anda sudah punya NIB (Nomor Induk Berusaha)?"),
        ((YES, _("Sudah")), (NO, _("Belum")), (UNSURE, _("Tidak tahu"))),
        help=_("NIB didapat gratis lewat OSS (oss.go.id)."),
    ),
    Question(
        "catalogue",
        _("Apakah produk Anda sudah ada di internet, lengkap dengan foto dan harga?"),
        ((YES, _("Sudah")), (NO, _("Belum"))),
        help=_("Misalnya katalog WhatsApp Business, Instagram, Facebook, atau halaman toko online."),
    ),
    Question(
        "payments",
        _("Pembeli bisa membayar dengan apa?"),
        (
            ("cash", _("Tunai")),
            ("qris", _("QRIS")),
            ("transfer", _("Transfer bank")),
            ("ewallet", _("Dompet digital (GoPay, OVO, DANA, ShopeePay)")),
        ),
        multiple=True,
        help=_("Boleh pilih lebih dari satu."),
    ),
    Question(
        "channels",
        _("Di mana Anda berjualan?"),
        (
            ("offline", _("Toko, warung, atau lapak")),
            ("whatsapp", _("WhatsApp")),
            ("social", _("Media sosial (Instagram, Facebook, TikTok)")),
            ("marketplace", _("Marketplace (Shopee, Tokopedia, Lazada, dll.)")),
        ),
        multiple=True,
        help=_("Boleh pilih lebih dari satu."),
    ),
    Question(
        "books",
        _("Bagaimana Anda mencatat uang masuk dan keluar?"),
        (
            ("none", _("Tidak dicatat")),
            ("paper", _("Di buku tulis")),
            ("digital", _("Di aplikasi HP atau komputer (termasuk Excel)")),
        ),
    ),
    Question(
        "bank",
        _("Apakah Anda punya rekening bank (atas nama sendiri atau usaha)?"),
        ((YES, _("Punya")), (NO, _("Belum punya"))),
    ),
)
QUESTIONS_BY_KEY = {question.key: question for question in QUESTIONS}

STEPS: tuple[Step, ...] = (
    Step(
        "register",
        _("Daftarkan usaha untuk mendapat NIB"),
        _(
            "NIB adalah identitas resmi usaha. "
            "Daftar gratis di OSS dengan KTP dan nomor HP; untuk usaha mikro cukup beberapa menit."
        ),
        "https://oss.go.id/",
    ),
    Step(
        "catalogue",
        _("Pasang produk di internet dengan foto dan harga"),
        _(
            "Foto setiap produk di tempat terang, tulis harga dan ukurannya, lalu pasang di katalog "
            "WhatsApp Business atau toko online Anda."
        ),
    ),
    Step(
        "payment",
        _("Terima pembayaran digital"),
        _(
            "Minta QRIS gratis di bank atau penyedia dompet digital. Pembeli cukup memindai kode; uang "
            "masuk ke rekening Anda."
        ),
    ),
    Step(
        "marketplace",
        _("Berjualan di marketplace"),
        _(
            "Buka toko di marketplace agar pembeli dari kota lain menemukan produk Anda. Mulai dengan "
            "produk yang paling laku."
        ),
    ),
    Step(
        "books",
        _("Catat keuangan secara digital"),
        _(
            "Catat setiap uang masuk dan keluar di aplikasi. Catatan rapi membantu saat mengajukan "
            "pinjaman KUR ke bank."
        ),
    ),
)
STEPS_BY_KEY = {step.key: step for step in STEPS}
STEP_ORDER = tuple(step.key for step in STEPS)


class InvalidAnswers(ValueError):
    """Raised with the key of the first question whose answer is missing or not one of its choices."""

    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


def clean_answers(raw: Mapping) -> dict:
    """The answers in their stored form: each single-choice answer a string, each multiple a sorted list.

    Every question must be answered (a multiple-choice one may be an empty list); unknown keys are dropped.
    """
    cleaned: dict = {}
    for question in QUESTIONS:
        allowed = {value for value, _label in question.choices}
        value = raw.get(question.key)
        if question.multiple:
            if value is None or isinstance(value, str) or not all(isinstance(v, str) for v in value):
                raise InvalidAnswers(question.key)
            if not set(value) <= allowed:
                raise InvalidAnswers(question.key)
            cleaned[question.key] = sorted(set(value))
        else:
            if not isinstance(value, str) or value not in allowed:
                raise InvalidAnswers(question.key)
            cleaned[question.key] = value
    return cleaned


def steps_done(answers: Mapping) -> tuple[str, ...]:
    """The steps of the ladder the (cleaned) answers show as done, in ladder order."""
    answers = clean_answers(answers)
    done = {
        "register": answers["nib"] == YES,
        "catalogue": answers["catalogue"] == YES,
        "payment": bool(DIGITAL_PAYMENTS & set(answers["payments"])),
        "marketplace": "marketplace" in answers["channels"],
        "books": answers["books"] == "digital",
    }
    return tuple(key for key in STEP_ORDER if done[key])


def assess(answers: Mapping) -> Assessment:
    done = steps_done(answers)
    level = sum(1 for key in STEP_ORDER[:MAX_LEVEL] if key in done)
    next_step = next((key for key in STEP_ORDER if key not in done), None)
    return Assessment(level=level, done=done, next_step=next_step)


def business_facts(answers: Mapping) -> dict:
    """What the answers say about the business itself, to keep its record current."""
    answers = clean_answers(answers)
    return {
        "payment_methods": answers["payments"],
        "channels": answers["channels"],
        "has_bank_account": answers["bank"] == YES,
    }


def prefill_answers(*, nib: str, channels, payment_methods, has_bank_account) -> dict:
    """Answers pre-filled from what the registry already knows (e.g. from an officer's import), so the owner
    only corrects them."""
    return {
        "nib": YES if nib else "",
        "payments": [m for m in (payment_methods or []) if m in {"cash", *DIGITAL_PAYMENTS}],
        "channels": [c for c in (channels or []) if c in {"offline", "whatsapp", "social", "marketplace"}],
        "bank": {True: YES, False: NO}.get(has_bank_account, ""),
    }
