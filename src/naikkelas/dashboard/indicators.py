"""The indicators the dashboard shows, each defined once: how it is worked out from a cell's counts
(models.Cell), which businesses stand behind it (for holding small cells back), and what it means, in the
words the page shows beside it ("cara hitung") and docs/INDICATORS.md repeats.

`disclose` turns one cell into the figures a page, an export or the API may show: shares worked out, and
every figure held back (None) that fewer than five businesses stand behind, with enough others that none
follows from the rest (dashboard/disclosure.py). `disclose_across` does the same for a figure across sibling
cells (the regencies of a province, the sectors of a region) shown beside their total.
"""

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from naikkelas.dashboard.disclosure import MINIMUM, held_back

COUNT, SHARE, MONEY = "count", "share", "money"
TECH_LEVELS = ("level_2", "level_3", "level_4")


def _field(name: str) -> Callable[[Mapping], int]:
    return lambda cell: cell[name]


def _sum(*names: str) -> Callable[[Mapping], int]:
    return lambda cell: sum(cell[name] for name in names)


def significant(amount: int, digits: int = 3) -> int:
    """Rupiah to three significant figures (Rp 2.564.318.000 → Rp 2.560.000.000). Held-back sales could
    otherwise be worked out to the rupiah by taking one region's total from another's, across pages; rounded,
    the difference drowns a single business's month."""
    if amount == 0:
        return 0
    step = 10 ** max(len(str(abs(amount))) - digits, 0)
    return (abs(amount) + step // 2) // step * step * (1 if amount > 0 else -1)


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    group: str
    kind: str  # COUNT, SHARE (of `base`) or MONEY
    count: Callable[[Mapping], int]  # the figure (for a share, its numerator)
    behind: Callable[[Mapping], int]  # the businesses standing behind the figure
    definition: str
    base: str = ""  # for a share: the count it is a share of
    # Figures that add up to the same total (a share and the rest, the size classes): held back together.
    family: str = ""

    def value(self, cell: Mapping) -> float | int | None:
        if self.kind == MONEY:
            return significant(self.count(cell))
        if self.kind != SHARE:
            return self.count(cell)
        base = cell[self.base]
        return self.count(cell) / base if base else None


HEADLINE, REGISTRY, SALES, RISK, HELP, OWNERS = (
    _("Indikator utama"), _("Pendaftaran"), _("Penjualan bulan ini"), _("Risiko usaha"), _("Bantuan"),
    _("Usia pemilik"),
)
_LAST_30 = _("dalam 30 hari sampai akhir bulan (atau sampai tanggal data, untuk bulan berjalan)")


def _share(key, label, count, definition, family, base="registered"):
    return Indicator(key, label, HEADLINE, SHARE, count, count, definition, base=base, family=family)


INDICATORS: tuple[Indicator, ...] = (
    Indicator("registered", _("Usaha terdaftar"), HEADLINE, COUNT, _field("registered"), _field("registered"),
              _("Usaha yang sudah terdaftar di platform pada akhir bulan, menurut tanggal pendaftarannya.")),
    _share("online_share", _("Berjualan online"), _field("online"),
           _("Bagian usaha terdaftar yang punya pesanan di toko online-nya sendiri atau lewat mitra (tidak "
             "dibatalkan atau dikembalikan), atau laporan penjualan dari mitra, ") + _LAST_30 + ".", "online"),
    _share("digital_share", _("Menerima pembayaran digital"), _field("digital"),
           _("Bagian usaha terdaftar yang menerima uang lewat QRIS, transfer, atau dompet digital, tercatat di "
             "buku kas (termasuk pesanan yang dibayar, laporan penjualan mitra, dan pelunasan piutang), ") + _LAST_30 + ".", "digital"),
    _share("bank_share", _("Punya rekening bank"), _field("bank"),
           _("Bagian usaha terdaftar yang menyatakan punya rekening bank, menurut data registri terkini."), "bank"),
    _share("tech_share", _("Memakai teknologi (level ≥ 2)"), _sum(*TECH_LEVELS),
           _("Bagian usaha terdaftar dengan tingkat kesiapan digital 2 atau lebih: tingkat dari penilaian "
             "terakhir sampai akhir bulan, atau tingkat saat didaftarkan bila belum pernah dinilai."), "tech"),
    Indicator("active", _("Aktif"), HEADLINE, COUNT, _field("active"), _field("active"),
              _("Usaha terdaftar yang mencatat penjualan di buku kas (termasuk pesanan yang sudah dibayar dan "
                "laporan penjualan mitra) ")
              + _LAST_30 + ".", family="active"),
    Indicator("onboarded_only", _("Hanya terdaftar"), HEADLINE, COUNT,
              lambda cell: cell["registered"] - cell["active"], lambda cell: cell["registered"] - cell["active"],
              _("Usaha terdaftar yang tidak mencatat penjualan ") + _LAST_30 + ".", family="active"),
    *(
        Indicator(f"size_{code}", label, REGISTRY, COUNT, _field(f"size_{code}"), _field(f"size_{code}"),
                  _("Usaha terdaftar menurut kelas ukuran PP 7/2021 (modal atau omzet), menurut data registri "
                    "terkini."), family="size")
        for code, label in (("micro", _("Mikro")), ("small", _("Kecil")), ("medium", _("Menengah")),
                            ("large", _("Besar")), ("unknown", _("Ukuran belum diketahui")))
    ),
    *(
        Indicator(f"level_{code}", label, REGISTRY, COUNT, _field(f"level_{code}"), _field(f"level_{code}"),
                  _("Usaha terdaftar menurut tingkat kesiapan digital (0–4) pada akhir bulan."), family="level")
        for code, label in (("0", _("Kesiapan 0")), ("1", _("Kesiapan 1")), ("2", _("Kesiapan 2")),
                            ("3", _("Kesiapan 3")), ("4", _("Kesiapan 4")), ("unknown", _("Belum dinilai")))
    ),
    Indicator("orders_own", _("Pesanan di toko sendiri"), SALES, COUNT, _field("orders_own"), _field("sellers_own"),
              _("Pesanan di toko online usaha sendiri pada bulan itu, tidak dibatalkan atau dikembalikan.")),
    Indicator("gross_own", _("Penjualan kotor toko sendiri"), SALES, MONEY, _field("gross_own"),
              _field("sellers_own"), _("Jumlah yang dibayar pembeli untuk pesanan itu (Rp, termasuk kode unik transfer), "
                "dibulatkan ke tiga angka penting.")),
    Indicator("orders_partner", _("Pesanan lewat mitra"), SALES, COUNT, _field("orders_partner"),
              _field("sellers_partner"),
              _("Pesanan dalam laporan penjualan mitra pada bulan itu, ditambah pesanan yang mitra buat lewat "
                "API pada hari tanpa laporan (laporan sudah memuat pesanan API harinya).")),
    Indicator("gross_partner", _("Penjualan kotor lewat mitra"), SALES, MONEY, _field("gross_partner"),
              _field("sellers_partner"), _("Nilai penjualan itu (Rp), dibulatkan ke tiga angka penting.")),
    *(
        Indicator(f"risk_{tier}", label, RISK, COUNT, _field(f"risk_{tier}"), _field(f"risk_{tier}"),
                  _("Usaha menurut tingkat risiko tutup dalam 90 hari, pada hari penilaian terakhir bulan itu "
                    "(skor model bila ada, selain itu rumus dasar)."), family="risk")
        for tier, label in (("kritis", _("Kritis")), ("rawan", _("Rawan")), ("waspada", _("Waspada")),
                            ("aman", _("Aman")))
    ),
    Indicator("help_given", _("Bantuan diberikan"), HELP, COUNT, _field("help_given"), _field("helped"),
              _("Bantuan yang dicatat sudah dilakukan pada bulan itu.")),
    Indicator("help_fell_share", _("Risikonya turun sesudah bantuan"), HELP, SHARE, _field("help_fell"),
              _field("help_fell"), _("Dari bantuan bulan itu yang usahanya dinilai sebelum dan sesudahnya: bagian "
                                     "yang skor risiko terbarunya lebih rendah daripada saat bantuan direncanakan."),
              base="help_fell_known", family="help_fell"),
    Indicator("help_survived_share", _("Masih buka 6 bulan kemudian"), HELP, SHARE, _field("help_survived"),
              _field("help_survived"), _("Dari bantuan bulan itu yang enam bulannya sudah lewat: bagian yang usahanya "
                                         "masih buka enam bulan sesudah risikonya terlihat."),
              base="help_survived_known", family="help_survived"),
    *(
        Indicator(f"age_{code}", label, OWNERS, COUNT, _field(f"age_{code}"), _field(f"age_{code}"),
                  _("Usaha terdaftar menurut usia pemiliknya pada tahun itu (tahun dikurangi tahun lahir)."),
                  family="age")
        for code, label in (("under_25", _("di bawah 25")), ("25_34", "25–34"), ("35_44", "35–44"),
                            ("45_54", "45–54"), ("55_up", _("55 ke atas")), ("unknown", _("Usia belum diketahui")))
    ),
)
BY_KEY = {indicator.key: indicator for indicator in INDICATORS}
# The rest of a share's family: those not counted, so that a share and its complement are held back together.
_REST = {
    "online": lambda cell: cell["registered"] - cell["online"],
    "digital": lambda cell: cell["registered"] - cell["digital"],
    "bank": lambda cell: cell["registered"] - cell["bank"],
    "tech": lambda cell: cell["registered"] - sum(cell[name] for name in TECH_LEVELS),
    "help_fell": lambda cell: cell["help_fell_known"] - cell["help_fell"],
    "help_survived": lambda cell: cell["help_survived_known"] - cell["help_survived"],
}


def held_in_cell(cell: Mapping) -> set[str]:
    """The keys of the indicators one cell holds back by itself."""
    if 0 < cell["registered"] < 5:
        return {indicator.key for indicator in INDICATORS}
    hidden: set[str] = set()
    families: dict[str, dict[Hashable, int]] = {}
    for indicator in INDICATORS:
        if indicator.family:
            families.setdefault(indicator.family, {})[indicator.key] = indicator.behind(cell)
        elif 0 < indicator.behind(cell) < 5:
            hidden.add(indicator.key)
    for family, counts in families.items():
        if family in _REST:
            counts = {**counts, "rest": _REST[family](cell)}
        hidden |= held_back(counts) - {"rest"}
    # The tech share gives the sum of levels 2–4, and so that of the others: where the levels held back on
    # either side would follow from it (one alone, or fewer than five between them), it is held back too.
    for group in (TECH_LEVELS, ("level_0", "level_1", "level_unknown")):
        inside = hidden & set(group)
        if inside and (len(inside) < 2 or sum(cell[name] for name in inside) < MINIMUM):
            hidden.add("tech_share")
    return hidden


def disclose(cell: Mapping) -> dict[str, float | int | None]:
    """Every indicator's figure for one cell, None where it is held back (or a share of nothing)."""
    hidden = held_in_cell(cell)
    return {indicator.key: None if indicator.key in hidden else indicator.value(cell) for indicator in INDICATORS}


def disclose_across(
    cells: Mapping[Hashable, Mapping], indicator: Indicator, *, held: Mapping[Hashable, set[str]] | None = None
) -> dict[Hashable, float | int | None]:
    """One indicator across sibling cells shown beside their total: held back where the cell itself holds it
    back, and where fewer than five businesses stand behind it, with enough others that none follows from
    the total. `held` may give each cell's own held-back keys (held_in_cell), worked out once for all
    indicators."""
    held = held if held is not None else {key: held_in_cell(cell) for key, cell in cells.items()}
    hidden = {key for key in cells if indicator.key in held[key]}
    hidden |= held_back({key: indicator.behind(cell) for key, cell in cells.items()}, already=hidden)
    return {key: None if key in hidden else indicator.value(cell) for key, cell in cells.items()}
