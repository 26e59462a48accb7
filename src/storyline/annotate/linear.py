"""Multinomial logistic regression, small enough to need no library: what the learned annotation
models (event categories, span types) are fitted with and applied by."""

from __future__ import annotations

import numpy as np

__all__ = ["fit", "softmax"]


def softmax(z: np.ndarray) -> np.ndarray:
    """Each row's scores as probabilities."""
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return np.asarray(e / e.sum(axis=1, keepdims=True))


def fit(
    inputs: np.ndarray, labels: np.ndarray, k: int, l2: float, iterations: int = 800, rate: float = 0.5
) -> tuple[np.ndarray, np.ndarray]:
    """Multinomial logistic regression by full-batch gradient descent: weights (``d`` by ``k``)
    and bias. ``inputs`` may be a SciPy sparse matrix (a few thousand rows of named features)."""
    n, d = inputs.shape
    target = np.zeros((n, k))
    target[np.arange(n), labels] = 1.0
    weights, bias = np.zeros((d, k)), np.zeros(k)
    for _ in range(iterations):
        gradient = (softmax(inputs @ weights + bias) - target) / n
        weights -= rate * (inputs.T @ gradient + l2 * weights / n)
        bias -= rate * gradient.sum(axis=0)
    return weights, bias
