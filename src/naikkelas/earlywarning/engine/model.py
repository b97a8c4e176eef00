"""The learned model: gradient-boosted trees (LightGBM) over the features and their peer percentiles.

`Model.train(rows, labels)` fits it; `model.predict(rows)` gives each row's probability of closing within 90
days (`model.probabilities(rows)`, that alone) and each feature's contribution to it (the trees' exact SHAP values, in log-odds, a feature's peer
percentile counted with the feature). `model.text` is the whole model as text, to be stored and loaded
again with `Model.from_text`.
"""

import math

import lightgbm
import numpy as np

from naikkelas.earlywarning.engine.features import FEATURES
from naikkelas.earlywarning.engine.scores import MODEL_COLUMNS

PARAMETERS = {
    "objective": "binary",
    "learning_rate": 0.05,
    "num_leaves": 15,
    "min_data_in_leaf": 50,
    "feature_fraction": 0.9,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "deterministic": True,
    "num_threads": 1,  # the same model from the same rows, on any machine
    "verbose": -1,
}
ROUNDS = 300


def matrix(rows) -> np.ndarray:
    return np.array([[math.nan if row.get(c) is None else row[c] for c in MODEL_COLUMNS] for row in rows], dtype=float)


class Model:
    def __init__(self, booster: lightgbm.Booster):
        self.booster = booster

    @classmethod
    def train(cls, rows, labels, *, seed: int = 1) -> "Model":
        data = lightgbm.Dataset(matrix(rows), np.asarray(labels, dtype=float), feature_name=list(MODEL_COLUMNS))
        return cls(lightgbm.train({**PARAMETERS, "seed": seed}, data, num_boost_round=ROUNDS))

    @classmethod
    def from_text(cls, text: str) -> "Model":
        return cls(lightgbm.Booster(model_str=text))

    @property
    def text(self) -> str:
        return self.booster.model_to_string()

    def probabilities(self, rows) -> list[float]:
        """Each row's probability alone: what measuring needs, without the contributions, which take most
        of the time of `predict`."""
        return self.booster.predict(matrix(rows)).tolist() if rows else []

    def predict(self, rows) -> tuple[list[float], list[dict[str, float]]]:
        if not rows:
            return [], []
        x = matrix(rows)
        probabilities = self.booster.predict(x).tolist()
        raw = self.booster.predict(x, pred_contrib=True)  # one column per feature, then the bias
        width = len(FEATURES)
        contributions = [
            {name: float(line[i] + line[width + i]) for i, name in enumerate(FEATURES)} for line in raw
        ]
        return probabilities, contributions
