"""The happening model: a logistic regression over :data:`storyline.cluster.features.FEATURES` that
gives the probability that an article reports the same happening as a group of others.

It is shipped as ``cluster/data/happening.json`` (feature names, standardisation, weights, the
thresholds and the data they were fit on, and the figures measured on data the fit never saw) and
trained by :mod:`storyline.cluster.train`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from storyline.cluster.features import FEATURES

__all__ = ["MODEL_PATH", "HappeningModel", "fit_logistic"]

MODEL_PATH = "data/happening.json"


@dataclass(frozen=True)
class HappeningModel:
    """Weights of the logistic regression on standardised features, and the thresholds of
    placement: an article joins the best happening whose probability reaches ``join``; any other
    candidate that also reaches ``merge`` is merged into it (the article shows the two are one)."""

    name: str
    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    bias: float
    join: float
    merge: float
    info: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.features != FEATURES:
            raise ValueError(f"happening model reads features {self.features}, the code computes {FEATURES}")
        if not 0.0 < self.join <= self.merge <= 1.0:
            raise ValueError(f"happening model thresholds must satisfy 0 < join <= merge <= 1, got {self.join}, "
                             f"{self.merge}")  # fmt: skip

    def probability(self, rows: np.ndarray) -> np.ndarray:
        z = (np.asarray(rows, dtype=np.float64).reshape(-1, len(self.features)) - self.mean) / self.scale
        return np.asarray(1.0 / (1.0 + np.exp(-(z @ self.weights + self.bias))))

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "features": list(self.features),
            "mean": [round(float(v), 6) for v in self.mean],
            "scale": [round(float(v), 6) for v in self.scale],
            "weights": [round(float(v), 6) for v in self.weights],
            "bias": round(self.bias, 6),
            "join": self.join,
            "merge": self.merge,
            "info": self.info,
        }

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.as_json(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> HappeningModel:
        return cls(
            str(data["name"]), tuple(data["features"]), np.asarray(data["mean"], dtype=np.float64),
            np.asarray(data["scale"], dtype=np.float64), np.asarray(data["weights"], dtype=np.float64),
            float(data["bias"]), float(data["join"]), float(data["merge"]), dict(data.get("info") or {}),
        )  # fmt: skip

    @classmethod
    def load(cls, path: Path | None = None) -> HappeningModel:
        """The shipped model, or the one at ``path``."""
        if path is None:
            text = resources.files("storyline.cluster").joinpath(MODEL_PATH).read_text(encoding="utf-8")
        else:
            text = Path(path).read_text(encoding="utf-8")
        return cls.from_json(json.loads(text))


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1.0, steps: int = 50) -> tuple[np.ndarray, float]:
    """Weights and intercept of an L2-penalised logistic regression (Newton's method) on ``x``, which
    should be standardised. The intercept is not penalised."""
    n, d = x.shape
    xb = np.hstack([x, np.ones((n, 1))])
    w = np.zeros(d + 1)
    penalty = np.full(d + 1, l2)
    penalty[-1] = 0.0
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(xb @ w)))
        grad = xb.T @ (p - y) + penalty * w
        hess = (xb * (p * (1 - p))[:, None]).T @ xb + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hess, grad)
        w -= step
        if float(np.abs(step).max()) < 1e-8:
            break
    return w[:-1], float(w[-1])
