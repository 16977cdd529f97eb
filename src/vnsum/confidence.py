"""How far to trust each translated sentence: ``ok``, ``check`` or ``doubtful``.

The model's own score of its output (mean log-probability per token, see
:class:`vnsum.backends.base.Scored`) is mapped to a level by two thresholds fitted per
model and direction on vlsp20-news-dev (``vnsum eval confidence --fit``), so that the
levels mean the same for every model: ``doubtful`` where its sentences are expected to
score chrF++ below :data:`DOUBTFUL_CHRF` against a human translation (mostly unusable),
``check`` below :data:`CHECK_CHRF` (needs an edit), ``ok`` above. The fit
(:func:`vnsum.metrics.confidence.fit`) is an isotonic (monotone) regression of chrF on
the score; the thresholds are where it crosses the two values. They are stored beside the weights in ``confidence.json``; a model without one
gets :data:`DEFAULT` (vnsum-mini's own fit, the only calibration a new model has until it
is fitted).

Omission flags (:mod:`vnsum.omissions`) and lost glossary terms raise the level to at
least ``check``; an empty output is ``doubtful``. A model that gives no scores (an LLM
on a server) gets levels from the flags alone, and ``unscored`` where none fired: it
never claims an ``ok`` it cannot back.
"""

from __future__ import annotations

import json
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
NO_SCORES = "gives no confidence scores: its sentences are checked for omissions only"
# vnsum-mini's fit on vlsp20-news-dev, vi->en (ct2 int8, beam 4; models/vnsum-mini/confidence.json):
# the default for a model not fitted yet.
DEFAULT = Thresholds(check=-0.65, doubtful=-1.12)


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
