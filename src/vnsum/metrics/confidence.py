"""Does the confidence find the sentences to check? AUROC, shares and chrF per level.

Each test line is one document; its confidence is the lowest of its sentences' scores
and its level the worst of their levels. A line is "bad" when its chrF++ against the
reference is below :data:`BAD_CHRF`; the AUROC says how often a random bad line scores
lower than a random good one (0.5 is chance). The levels are in order when the mean
chrF falls from ``ok`` to ``check`` to ``doubtful``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

from ..confidence import CHECK_CHRF, DOUBTFUL_CHRF, LEVELS, Thresholds
from ..errors import UsageError

BAD_CHRF = 35.0
_ORDER = {level: rank for rank, level in enumerate(LEVELS)}


@dataclass
class LevelStats:
    lines: int
    share: float
    mean_chrf: float | None


@dataclass
class ConfidenceReport:
    """How well the model's confidence and the levels find the lines to check."""

    lines: int
    scored: int
    bad: int  # lines with chrF++ below BAD_CHRF
    auroc: float | None
    levels: dict[str, LevelStats]
    in_order: bool
    flagged_share: float  # lines at check or doubtful
    thresholds: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self) | {"bad_chrf": BAD_CHRF}


def line_chrf(hyps: Sequence[str], refs: Sequence[str]) -> list[float]:
    """chrF++ of each line against its reference (sacrebleu's sentence-level CHRF(word_order=2))."""
    from sacrebleu.metrics import CHRF

    chrf = CHRF(word_order=2)
    return [chrf.sentence_score(h, [r]).score for h, r in zip(hyps, refs)]


def line_view(translation, thresholds: Thresholds) -> tuple[float | None, str]:
    """(lowest score, worst level) of one translated line, its levels recomputed with
    ``thresholds`` (so that a fit is judged with the thresholds it found)."""
    scores = [s.confidence for s in translation.segments if s.confidence is not None]
    levels = [thresholds.level(s.confidence, s.flags) for s in translation.segments if s.confidence is not None
              or s.flags]
    worst = max((lv for lv in levels if lv in _ORDER), key=_ORDER.get, default=LEVELS[0])
    return (min(scores) if scores else None), worst


def report(translations: Sequence, refs: Sequence[str], thresholds: Thresholds) -> ConfidenceReport:
    chrf = line_chrf([t.text for t in translations], refs)
    views = [line_view(t, thresholds) for t in translations]
    scored = [(score, c) for (score, _), c in zip(views, chrf) if score is not None]
    by_level = {level: [c for (_, lv), c in zip(views, chrf) if lv == level] for level in LEVELS}
    means = {level: (sum(v) / len(v) if v else None) for level, v in by_level.items()}
    present = [means[level] for level in LEVELS if means[level] is not None]
    return ConfidenceReport(
        lines=len(chrf), scored=len(scored), bad=sum(c < BAD_CHRF for c in chrf),
        auroc=_rounded(auroc([s for s, _ in scored], [c < BAD_CHRF for _, c in scored])),
        levels={level: LevelStats(len(v), round(len(v) / max(len(chrf), 1), 3),
                                  None if means[level] is None else round(means[level], 2))
                for level, v in by_level.items()},
        in_order=all(a > b for a, b in zip(present, present[1:])),
        flagged_share=round(sum(lv != LEVELS[0] for _, lv in views) / max(len(chrf), 1), 3),
        thresholds=asdict(thresholds))


def _rounded(value: float) -> float | None:
    return None if math.isnan(value) else round(value, 4)


def fit(scores: Sequence[float], chrf: Sequence[float], fitted_on: str) -> Thresholds:
    """Thresholds where the isotonic regression of chrF on the score crosses
    :data:`CHECK_CHRF` and :data:`DOUBTFUL_CHRF` (past the highest score seen when it
    never reaches them: every sentence is then below)."""
    if len(scores) != len(chrf) or len(scores) < 10:
        raise UsageError(f"fitting confidence thresholds needs at least 10 scored lines, got {len(scores)}")
    pairs = sorted(zip(scores, chrf))
    xs, fitted = [s for s, _ in pairs], isotonic([c for _, c in pairs])

    def crossing(target: float) -> float:
        return next((x for x, y in zip(xs, fitted) if y >= target), xs[-1] + 1e-3)

    doubtful = crossing(DOUBTFUL_CHRF)
    return Thresholds(check=round(max(crossing(CHECK_CHRF), doubtful), 4), doubtful=round(doubtful, 4),
                      fitted_on=fitted_on)


def isotonic(values: Sequence[float]) -> list[float]:
    """The non-decreasing sequence closest to ``values`` in squared error (pool adjacent violators)."""
    blocks: list[tuple[float, int]] = []  # (mean, count)
    for v in values:
        blocks.append((v, 1))
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            (m2, n2), (m1, n1) = blocks.pop(), blocks.pop()
            blocks.append(((m1 * n1 + m2 * n2) / (n1 + n2), n1 + n2))
    return [m for m, n in blocks for _ in range(n)]


def auroc(scores: Sequence[float], positives: Sequence[bool]) -> float:
    """Area under the ROC curve of a low score finding the positives: the chance that a
    random positive scores lower than a random negative, ties counted half (the
    Mann-Whitney U of the negatives over their count of pairs; NaN without both kinds)."""
    n_pos = sum(bool(p) for p in positives)
    n_neg = len(positives) - n_pos
    if not n_pos or not n_neg:
        return math.nan
    ranked = sorted(zip(scores, positives), key=lambda sp: sp[0])
    neg_rank_sum, i = 0.0, 0
    while i < len(ranked):  # tied scores share their mean rank
        j = i
        while j < len(ranked) and ranked[j][0] == ranked[i][0]:
            j += 1
        neg_rank_sum += sum(1 for _, p in ranked[i:j] if not p) * (i + j + 1) / 2
        i = j
    return (neg_rank_sum - n_neg * (n_neg + 1) / 2) / (n_pos * n_neg)
