"""Bootstrap confidence intervals over per-item scores (documents or sentences).

A corpus score that is a mean of per-item scores (ROUGE F1 per document, term hits per
sentence) gets its 95% interval by resampling the items with replacement. The seed is
fixed and part of every signature, so the same inputs always give the same interval.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

SAMPLES = 1000
SEED = 12345  # sacrebleu's default seed, so our intervals are made the same way


@dataclass(frozen=True)
class Interval:
    """A confidence interval around ``mean``, in the same unit as the scores."""

    mean: float
    low: float
    high: float
    level: float = 0.95

    def __str__(self) -> str:
        return f"{self.mean:.2f} [{self.low:.2f}, {self.high:.2f}]"


def bootstrap_ci(values: Sequence[float], weights: Sequence[float] | None = None, *, samples: int = SAMPLES,
                 seed: int = SEED, level: float = 0.95) -> Interval:
    """Weighted mean of ``values`` with a percentile bootstrap interval over resampled items.

    With ``weights`` the statistic is ``sum(v*w) / sum(w)``: a sentence's term hit rate
    weighted by its number of terms resamples sentences while the mean stays the
    corpus-level success rate. Weights must be positive.
    """
    data = np.asarray(values, dtype=float)
    w = np.ones_like(data) if weights is None else np.asarray(weights, dtype=float)
    if data.size == 0:
        raise ValueError("bootstrap_ci needs at least one value")
    if w.shape != data.shape or (w <= 0).any():
        raise ValueError("bootstrap_ci needs one positive weight per value")
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, data.size, size=(samples, data.size))
    means = (data[idx] * w[idx]).sum(axis=1) / w[idx].sum(axis=1)
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(means, [tail, 100 - tail])
    return Interval(float((data * w).sum() / w.sum()), float(low), float(high), level)
