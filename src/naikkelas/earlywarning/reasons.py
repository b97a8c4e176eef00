"""Reasons as sentences an officer and an owner understand: the business's value and its peers' median.

A stored reason is {"feature", "value", "peer_median"} (RiskScore.reasons); the sentence is made when it is
shown, in the reader's language: "Omzet 3 bulan terakhir turun 62% dibanding setahun terakhir; median usaha
sejenis di Kab. Sleman turun 8%."
"""

from django.utils.translation import gettext as _


def _change(value: float) -> str:
    percent = round(abs(value) * 100)
    return (_("turun %(n)s%%") if value < 0 else _("naik %(n)s%%")) % {"n": percent}


def _share(value: float) -> str:
    return f"{round(value * 100)}%"


def _times(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


# feature: (what the business's value says, how a value is written)
SENTENCES = {
    "revenue_1m_vs_3m": (lambda: _("Omzet 30 hari terakhir %(value)s dibanding rata-rata 3 bulan"), _change),
    "revenue_3m_vs_12m": (lambda: _("Omzet 3 bulan terakhir %(value)s dibanding setahun terakhir"), _change),
    "revenue_3m_vs_last_year": (lambda: _("Omzet 3 bulan terakhir %(value)s dibanding bulan yang sama tahun lalu"), _change),
    "trend_3m": (lambda: _("Tren omzet 3 bulan terakhir %(value)s"), _change),
    "days_since_sale": (lambda: _("%(value)s hari sejak penjualan terakhir"), lambda v: str(round(v))),
    "zero_sale_share": (lambda: _("%(value)s hari tanpa penjualan dalam 3 bulan"), _share),
    "zero_sale_share_1m": (lambda: _("%(value)s hari tanpa penjualan dalam 30 hari"), _share),
    "volatility": (lambda: _("Omzet harian naik-turun %(value)s kali rata-ratanya"), _times),
    "cash_out_ratio": (lambda: _("Uang keluar %(value)s kali uang masuk dalam 3 bulan"), _times),
    "receivables_growth": (lambda: _("Piutang bertambah %(value)s kali omzet sebulan dalam 3 bulan"), _times),
    "channel_share": (lambda: _("%(value)s penjualan lewat mitra"), _share),
}


def sentence(reason: dict, *, peers: str) -> str:
    """One reason in words; `peers` names where the peers are ("Kab. Sleman")."""
    text, write = SENTENCES[reason["feature"]]
    said = text() % {"value": write(reason["value"])}
    if reason.get("peer_median") is None:
        return said + "."
    return _("%(said)s; median usaha sejenis di %(peers)s: %(median)s.") % {
        "said": said, "peers": peers, "median": write(reason["peer_median"]),
    }
