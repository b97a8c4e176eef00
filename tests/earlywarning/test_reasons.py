"""Reasons in words: the business's value beside its peers' median, in the reader's language, and never a
figure that reads as impossible."""

import pytest
from django.utils import translation

from naikkelas.earlywarning.reasons import SENTENCES, sentence


@pytest.fixture(autouse=True)
def indonesian():
    with translation.override("id"):
        yield


def test_a_reason_says_the_value_and_the_peers_median():
    reason = {"feature": "revenue_3m_vs_12m", "value": -0.62, "peer_median": -0.08}
    assert sentence(reason, peers="Kab. Sleman") == (
        "Omzet 3 bulan terakhir turun 62% dibanding setahun terakhir; median usaha sejenis di Kab. Sleman: turun 8%."
    )
    with translation.override("en"):
        assert "62%" in sentence(reason, peers="Kab. Sleman") and "Kab. Sleman" in sentence(reason, peers="Kab. Sleman")


def test_a_trend_falling_faster_than_its_mean_is_said_in_words():
    steep = {"feature": "trend_3m", "value": -1.37, "peer_median": 0.04}
    assert sentence(steep, peers="Kab. Sleman") == (
        "Tren omzet 3 bulan terakhir turun tajam, menuju nol; median usaha sejenis di Kab. Sleman: naik 4%."
    )
    assert sentence({"feature": "trend_3m", "value": -0.4, "peer_median": None}, peers="") == (
        "Tren omzet 3 bulan terakhir turun 40%."
    )


def test_every_feature_has_a_sentence_for_any_value():
    for feature in SENTENCES:
        for value in (-3.0, -1.0, -0.5, 0.0, 0.25, 1.0, 9.5, 365.0):
            said = sentence({"feature": feature, "value": value, "peer_median": 0.0}, peers="Kota Yogyakarta")
            assert said.endswith(".") and "%(" not in said
