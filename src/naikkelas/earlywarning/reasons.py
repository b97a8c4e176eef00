"""Reasons as sentences an officer and an owner understand: the business's value and its peers' median.

A stored reason is {"feature", "value", "peer_median"} (RiskScore.reasons); the sentence is made when it is
shown, in the reader's language: "Omzet 3 bulan terakhir turun 62% dibanding setahun terakhir; median usaha
sejenis di Kab. Sleman turun 8%."
"""

from django.utils.translation import gettext as _


def _change(value: float) -> str:
    percent = round(abs(value) * 100)
    return (_("turun %(n)s%%") if value < 0 else _("naik %(n)s%%")) % {"n": percent}


def _trend(value: float) -> str:
    # The trend is the fitted line's change over the 90 days against their mean; a fall of more than the mean
    # ("turun 137%") reads as impossible, so it is said in words.
    return _("turun tajam, menuju nol") if value <= -1 else _change(value)


def _share(value: float) -> str:
    return f"{round(value * 100)}%"


def _times(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


# feature: (what the business's value says, how a value is written)
SENTENCES = {
    "revenue_1m_vs_3m": (lambda: _("Omzet 30 hari terakhir %(value)s dibanding rata-rata 3 bulan"), _change),
    "revenue_3m_vs_12m": (lambda: _("Omzet 3 bulan terakhir %(value)s dibanding setahun terakhir"), _change),
    "revenue_3m_vs_last_year": (lambda: _("Omzet 3 bulan terakhir %(value)s dibanding bulan yang sama tahun lalu"), _change),
    "trend_3m": (lambda: _("Tren omzet 3 bulan terakhir %(value)s"), _trend),
    "days_since_sale": (lambda: _("%(value)s hari sejak penjualan terakhir"), lambda v: str(round(v))),
    "zero_sale_share": (lambda: _("%(value)s hari tanpa penjualan dalam 3 bulan"), _share),
    "zero_sale_share_1m": (lambda: _("%(value)s hari tanpa penjualan dalam 30 hari"), _share),
    "volatility": (lambda: _("Omzet harian naik-turun %(value)s kali rata-ratanya"), _times),
    "cash_out_ratio": (lambda: _("Uang keluar %(value)s kali uang masuk dalam 3 bulan"), _times),
    "receivables_growth": (lambda: _("Piutang bertambah %(value)s kali omzet sebulan dalam 3 bulan"), _times),
    "channel_share": (lambda: _("%(value)s penjualan lewat mitra"), _share),
}


def peers_place(region) -> str:
    """How the reasons name where a business's peers are: "Kab. Sleman", "Kota Yogyakarta"."""
    return region.name.replace("Kabupaten ", "Kab. ") if region else ""


def sentence(reason: dict, *, peers: str) -> str:
    """One reason in words; `peers` names where the peers are ("Kab. Sleman")."""
    text, write = SENTENCES[reason["feature"]]
    said = text() % {"value": write(reason["value"])}
    if reason.get("peer_median") is None:
        return said + "."
    return _("%(said)s; median usaha sejenis di %(peers)s: %(median)s.") % {
        "said": said, "peers": peers, "median": write(reason["peer_median"]),
    }


# What to do next, by the reason that weighs most: for the owner in their words, for the officer as the kind
# of help to offer (market access, training, financing, debts).
NEXT_STEPS = {
    "revenue_1m_vs_3m": "market",
    "revenue_3m_vs_12m": "market",
    "revenue_3m_vs_last_year": "market",
    "trend_3m": "market",
    "days_since_sale": "market",
    "zero_sale_share": "market",
    "zero_sale_share_1m": "market",
    "volatility": "training",
    "cash_out_ratio": "financing",
    "receivables_growth": "debts",
    "channel_share": "market",
}


def next_step(reasons: list[dict]) -> str:
    """The owner's suggested next step for the weightiest reason ("" when there is none)."""
    if not reasons:
        return ""
    kind = NEXT_STEPS[reasons[0]["feature"]]
    return {
        "market": lambda: _(
            "Cari pembeli baru: tampilkan toko Anda di marketplace mitra dan bagikan tautan toko di WhatsApp. "
            "Petugas dinas bisa membantu mendaftarkan."
        ),
        "training": lambda: _(
            "Periksa pengeluaran di buku kas: mana yang bisa dikurangi atau ditunda. Tanyakan pelatihan "
            "pengelolaan keuangan kepada petugas dinas."
        ),
        "debts": lambda: _(
            "Tagih piutang yang sudah jatuh tempo: kirim pengingat WhatsApp dari halaman Utang & Piutang."
        ),
        "financing": lambda: _(
            "Pengeluaran lebih besar dari pemasukan. Bicarakan pembiayaan usaha (KUR) dengan petugas dinas; "
            "laporan keuangan dari buku kas bisa dibawa ke bank."
        ),
    }[kind]()


def suggested_help(reasons: list[dict]) -> str:
    """The kind of help an officer could offer, for the weightiest reason ("" when there is none)."""
    if not reasons:
        return ""
    return {
        "market": lambda: _("Akses pasar: daftarkan ke marketplace atau katalog mitra"),
        "training": lambda: _("Pelatihan pengelolaan keuangan dan usaha"),
        "debts": lambda: _("Penagihan piutang atau restrukturisasi utang"),
        "financing": lambda: _("Rujukan pembiayaan (KUR)"),
    }[NEXT_STEPS[reasons[0]["feature"]]]()
