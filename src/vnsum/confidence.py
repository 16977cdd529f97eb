"""How far to trust each translated sentence: ``ok``, ``check`` or ``doubtful``.

The model's own score of its output (mean log-probability per token, see
:class:`vnsum.backends.base.Scored`) is mapped to a level by two thresholds fitted per
model and direction on vlsp20-news-dev (``vnsum eval confidence --fit``), so that the
levels mean the same for every model: ``doubtful`` where its sentences are expected to
score chrF++ below :data:`DOUBTFUL_CHRF` against a human translation (mostly unusable),
``check`` below :data:`CHECK_CHRF` (needs an edit), ``ok`` above. The fit is an isotonic
(monotone) regression of chrF on the score; the thresholds are where it crosses the two
values. They are stored beside the weights in ``confidence.json``; a model without one
gets :data:`DEFAULT` (vnsum-mini's own fit, the only calibration a new model has until it
is fitted).

Omission flags (:mod:`vnsum.omissions`) and lost glossary terms raise the level to at
least ``check``; an empty output is ``doubtful``. A model that gives no scores (an LLM
on a server) gets levels from the flags alone, and ``unscored`` where none fired: it
never claims an ``ok`` it cannot back.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from .errors import UsageError

OK, CHECK, DOUBTFUL, UNSCORED = "ok", "check", "doubtful", "unscored"
LEVELS = (OK, CHECK, DOUBTFUL)
CHECK_CHRF, DOUBTFUL_CHRF = 50.0, 35.0
FILE = "confidence.json"


@dataclass(frozen=True)
class Thresholds:
    """Scores below ``check`` are to check, below ``doubtful`` doubtful; ``fitted_on``
    says where they come from (a test set and sentence count, or ``default``)."""

    check: float
    doubtful: float
    fitted_on: str = "default"

    def level(self, score: float | None, flags: Sequence[str] = ()) -> str:
        """The level of a sentence with this model score (None: none) and these flags."""
        if any(f == EMPTY for f in flags):
            return DOUBTFUL
        if score is None:
            return CHECK if flags else UNSCORED
        by_score = DOUBTFUL if score < self.doubtful else CHECK if score < self.check else OK
        return CHECK if flags and by_score == OK else by_score


EMPTY = "missing: everything"
# vnsum-mini's fit on vlsp20-news-dev, vi->en (ct2 int8, beam 4): the default for a model
# not fitted yet.
DEFAULT = Thresholds(check=-0.75, doubtful=-1.05)


def load(folder: Path | None) -> dict[str, Thresholds]:
    """The thresholds stored with the model in ``folder``, by direction ("vi-en"); empty
    when it has none. A damaged file is an error that names it: levels from a wrong
    calibration would mislead every reader."""
    path = folder / FILE if folder is not None else None
    if path is None or not path.is_file():
        return {}
    try:
        table = json.loads(path.read_text(encoding="utf-8"))
        return {direction: Thresholds(float(t["check"]), float(t["doubtful"]), str(t.get("fitted_on", "")))
                for direction, t in table.items()}
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise UsageError(f"{path}: not a confidence calibration ({type(exc).__name__}: {exc}); "
                         f"fit it again with `vnsum eval confidence --fit` or delete it") from None


def save(folder: Path, thresholds: dict[str, Thresholds]) -> Path:
    """Write (or update) ``confidence.json`` in the model folder; return its path."""
    path = folder / FILE
    table = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    table.update({direction: asdict(t) for direction, t in thresholds.items()})
    path.write_text(json.dumps(table, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path


def fit(scores: Sequence[float], chrf: Sequence[float], fitted_on: str) -> Thresholds:
    """Thresholds where the isotonic regression of chrF on the score crosses
    :data:`CHECK_CHRF` and :data:`DOUBTFUL_CHRF` (the lowest or highest score seen when
    it never does)."""
    if len(scores) != len(chrf) or len(scores) < 10:
        raise UsageError(f"fitting confidence thresholds needs at least 10 scored sentences, got {len(scores)}")
    pairs = sorted(zip(scores, chrf))
    fitted = isotonic([c for _, c in pairs])
    xs = [s for s, _ in pairs]

    def crossing(target: float) -> float:
        above = [x for x, y in zip(xs, fitted) if y >= target]
        return above[0] if above else xs[-1] + 1e-6

    doubtful = crossing(DOUBTFUL_CHRF)
    return Thresholds(check=round(max(crossing(CHECK_CHRF), doubtful), 4), doubtful=round(doubtful, 4),
                      fitted_on=fitted_on)


def isotonic(values: Sequence[float]) -> list[float]:
    """The non-decreasing sequence closest to ``values`` in squared error (pool adjacent violators)."""
    blocks: list[list[float]] = []  # [mean, weight]
    for v in values:
        blocks.append([v, 1.0])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            (m2, w2), (m1, w1) = blocks.pop(), blocks.pop()
            blocks.append([(m1 * w1 + m2 * w2) / (w1 + w2), w1 + w2])
    return [m for m, w in blocks for _ in range(int(w))]


def auroc(scores: Sequence[float], positives: Sequence[bool]) -> float:
    """Area under the ROC curve of low scores finding the positives (ties count half):
    the chance that a random positive scores lower than a random negative."""
    pos = [s for s, p in zip(scores, positives) if p]
    neg = [s for s, p in zip(scores, positives) if not p]
    if not pos or not neg:
        return math.nan
    ranked = sorted((s, p) for s, p in zip(scores, positives))
    rank_sum, i = 0.0, 0
    while i < len(ranked):  # average ranks over ties
        j = i
        while j < len(ranked) and ranked[j][0] == ranked[i][0]:
            j += 1
        rank_sum += sum(1 for _, p in ranked[i:j] if not p) * (i + j + 1) / 2
        i = j
    # Mann-Whitney U of the negatives (they should rank high)
    u = rank_sum - len(neg) * (len(neg) + 1) / 2
    return u / (len(pos) * len(neg))
