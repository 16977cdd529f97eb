"""ROUGE-1, ROUGE-2 and ROUGE-L F1 that see Vietnamese words.

rouge-score, the usual Python implementation, keeps only ``[a-z0-9]`` when it
tokenizes: "Bộ Công an" becomes ``b c ng an`` and unrelated syllables start to match
("c" from "công" and "c" from "chức"), which inflates every Vietnamese score. Here a
token is a run of Unicode letters and digits after the same folding glossary matching
uses (NFC, lower case, one tone-mark convention), so "Hòa"/"hoà" are one syllable and
"công"/"công án" stay apart. Otherwise the formulas are rouge-score's: n-gram overlap
with clipped counts, LCS over the whole text for ROUGE-L, and, with several
references, the best-scoring reference per ROUGE type.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from .. import __version__
from ..text import match_key
from .bootstrap import SAMPLES, SEED, Interval, bootstrap_ci
from .signature import signature

_TOKEN = re.compile(r"[^\W_]+")


def tokenize(text: str) -> list[str]:
    """Syllables of ``text``, folded: "Bộ Công an, 2025" -> ["bộ", "công", "an", "2025"]."""
    return _TOKEN.findall(match_key(text))


@dataclass(frozen=True)
class PRF:
    """Precision, recall and F1 as fractions in [0, 1]."""

    precision: float
    recall: float
    f1: float

    @classmethod
    def from_counts(cls, overlap: int, hyp_total: int, ref_total: int) -> PRF:
        precision = overlap / hyp_total if hyp_total else 0.0
        recall = overlap / ref_total if ref_total else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return cls(precision, recall, f1)


def _ngrams(tokens: Sequence[str], n: int) -> Counter:
    return Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))


def rouge_n(hyp: Sequence[str], ref: Sequence[str], n: int) -> PRF:
    """ROUGE-N of token lists: clipped n-gram overlap over each side's n-gram count."""
    h, r = _ngrams(hyp, n), _ngrams(ref, n)
    return PRF.from_counts(sum((h & r).values()), sum(h.values()), sum(r.values()))


def lcs_length(a: Sequence[str], b: Sequence[str]) -> int:
    """Length of the longest common subsequence, bit-parallel (Allison-Dix / Hyyrö).

    Each row of the classic table is one integer, so a 300 x 300 pair costs 300 big-int
    operations instead of 90,000 Python steps.
    """
    masks: dict[str, int] = {}
    for i, token in enumerate(a):
        masks[token] = masks.get(token, 0) | (1 << i)
    full = (1 << len(a)) - 1
    row = full
    for token in b:
        matched = row & masks.get(token, 0)
        row = ((row + matched) | (row - matched)) & full
    return len(a) - row.bit_count()


def rouge_l(hyp: Sequence[str], ref: Sequence[str]) -> PRF:
    """ROUGE-L: longest common subsequence over the whole text (rouge-score's rougeL)."""
    return PRF.from_counts(lcs_length(hyp, ref), len(hyp), len(ref))


ROUGE_TYPES = {
    "rouge1": lambda hyp, ref: rouge_n(hyp, ref, 1),
    "rouge2": lambda hyp, ref: rouge_n(hyp, ref, 2),
    "rougeL": rouge_l,
}
LABELS = {"rouge1": "ROUGE-1", "rouge2": "ROUGE-2", "rougeL": "ROUGE-L"}


@dataclass
class RougeResult:
    """One ROUGE type over a corpus: mean F1 with its interval, all in percent."""

    name: str
    f1: Interval
    precision: float
    recall: float
    signature: str
    per_document: list[float] = field(default_factory=list, repr=False)  # F1 fractions

    def to_dict(self) -> dict:
        return {"name": self.name, "f1": round(self.f1.mean, 2),
                "ci95": [round(self.f1.low, 2), round(self.f1.high, 2)], "precision": round(self.precision, 2),
                "recall": round(self.recall, 2), "signature": self.signature}


class Rouge:
    """ROUGE-1/2/L F1 with the Vietnamese tokenizer, several references and bootstrap CIs."""

    def __init__(self, samples: int = SAMPLES, seed: int = SEED):
        self.samples = samples
        self.seed = seed

    def get_signature(self) -> str:
        return signature("ROUGE", tok="vi-syllable", case="lc", nfc=True, tone="folded", stem=False,
                         multiref="max", agg="mean-doc", bs=self.samples, seed=self.seed, version=__version__)

    def sentence_score(self, hyp: str, refs: Sequence[str]) -> dict[str, PRF]:
        """Scores of one summary against its references: the best reference per type."""
        if not refs:
            raise ValueError("ROUGE needs at least one reference")
        hyp_tokens = tokenize(hyp)
        ref_tokens = [tokenize(r) for r in refs]
        return {name: max((fn(hyp_tokens, r) for r in ref_tokens), key=lambda s: s.f1)
                for name, fn in ROUGE_TYPES.items()}

    def corpus_score(self, hyps: Sequence[str], refs: Sequence[Sequence[str]]) -> dict[str, RougeResult]:
        """Mean over documents; ``refs[i]`` holds every reference of document ``i``."""
        if len(hyps) != len(refs):
            raise ValueError(f"{len(hyps)} summaries but {len(refs)} reference sets")
        if not hyps:
            raise ValueError("ROUGE needs at least one document")
        scores = [self.sentence_score(h, r) for h, r in zip(hyps, refs)]
        sig = self.get_signature()
        out = {}
        for name in ROUGE_TYPES:
            f1 = [s[name].f1 for s in scores]
            ci = bootstrap_ci([100 * v for v in f1], samples=self.samples, seed=self.seed)
            out[name] = RougeResult(LABELS[name], ci, 100 * sum(s[name].precision for s in scores) / len(scores),
                                    100 * sum(s[name].recall for s in scores) / len(scores), sig, f1)
        return out
