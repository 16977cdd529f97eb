"""Teaching the placeholder convention of :mod:`vnsum.enforce`, and measuring it.

The enforcer replaces protected terms with ``ZZ0``, ``ZZ1``… and needs each one back
exactly once. A model only does that reliably if it saw the convention in training:
here a sentence pair gets a masked copy in which the same spans carry the same
placeholder on both sides. Spans are glossary terms whose rendering (or an accepted
variant) is in the target, and tokens both sides share verbatim (numbers, acronyms).
"""

from __future__ import annotations

import random
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from ..backends import Backend
from ..enforce import PLACEHOLDER, PLACEHOLDER_PATTERN, phrase_pattern
from ..glossary import Glossary
from .data import Example

# Copied verbatim by translators: numbers with their separators, all-capital acronyms.
_VERBATIM = re.compile(r"(?<![\w.,/-])(?:\d[\d.,/:-]*\d|\d|[A-Z][A-Z0-9-]*[A-Z0-9])(?![\w/-])")

Span = tuple[int, int]


def _free(span: Span, taken: list[Span]) -> bool:
    return all(span[1] <= a or b <= span[0] for a, b in taken)


def _glossary_spans(ex: Example, glossary: Glossary) -> list[tuple[Span, Span]]:
    """(source span, target span) for each term whose rendering occurs once in the target."""
    found: list[tuple[Span, Span]] = []
    for m in glossary.find(ex.source, ex.src, ex.tgt):
        for candidate in sorted(m.accepted, key=len, reverse=True):
            hits = [(h.start(), h.end()) for h in phrase_pattern(candidate).finditer(ex.target)]
            if len(hits) == 1 and _free(hits[0], [t for _, t in found]):
                found.append(((m.start, m.end), hits[0]))
                break
    return found


def _verbatim_spans(ex: Example, taken: list[tuple[Span, Span]]) -> list[tuple[Span, Span]]:
    """Tokens that occur exactly once on each side, outside spans already taken."""
    src_hits = defaultdict(list)
    tgt_hits = defaultdict(list)
    for m in _VERBATIM.finditer(ex.source):
        src_hits[m.group()].append(m.span())
    for m in _VERBATIM.finditer(ex.target):
        tgt_hits[m.group()].append(m.span())
    found = list(taken)
    for token, spans in src_hits.items():
        if len(spans) == 1 and len(tgt_hits.get(token, ())) == 1:
            pair = (spans[0], tgt_hits[token][0])
            if _free(pair[0], [s for s, _ in found]) and _free(pair[1], [t for _, t in found]):
                found.append(pair)
    return found[len(taken):]


def _substitute(text: str, spans: list[tuple[Span, int]]) -> str:
    out, pos = [], 0
    for (start, end), index in sorted(spans):
        out.extend((text[pos:start], PLACEHOLDER.format(index)))
        pos = end
    out.append(text[pos:])
    return "".join(out)


def masked(ex: Example, glossary: Glossary | None) -> Example | None:
    """``ex`` with its protected spans as placeholders numbered in source order, or None."""
    spans = _glossary_spans(ex, glossary) if glossary else []
    spans += _verbatim_spans(ex, spans)
    if not spans:
        return None
    spans.sort()
    source = _substitute(ex.source, [(s, i) for i, (s, _) in enumerate(spans)])
    target = _substitute(ex.target, [(t, i) for i, (_, t) in enumerate(spans)])
    return Example(source, target, ex.src, ex.tgt)


def with_masked_copies(examples: Sequence[Example], glossary: Glossary | None, share: float,
                       seed: int) -> list[Example]:
    """``examples`` plus a masked copy of about ``share`` of them (those with spans to mask)."""
    rng = random.Random(seed)
    copies = [m for ex in examples if rng.random() < share and (m := masked(ex, glossary))]
    return [*examples, *copies]


@dataclass
class Survival:
    """How well placeholders came through a model on held-out masked sentences."""

    sentences: int = 0
    placeholders: int = 0
    copied_once: int = 0  # placeholders found exactly once in the output
    intact: int = 0  # sentences with every placeholder once and none invented

    @property
    def rate(self) -> float | None:
        """Share of placeholders copied exactly once (None when there were none)."""
        return self.copied_once / self.placeholders if self.placeholders else None

    def to_dict(self) -> dict:
        return {"sentences": self.sentences, "placeholders": self.placeholders, "copied_once": self.copied_once,
                "intact": self.intact, "rate": self.rate}


def placeholder_count(text: str) -> Counter:
    """How many times each placeholder index occurs, read as tolerantly as the enforcer does."""
    return Counter(int(m.group(1)) for m in PLACEHOLDER_PATTERN.finditer(text))


def survival(backend: Backend, examples: Sequence[Example]) -> Survival:
    """Translate masked ``examples`` with ``backend`` and count the placeholders that survived."""
    result = Survival()
    by_direction: dict[tuple[str, str], list[Example]] = defaultdict(list)
    for ex in examples:
        by_direction[(ex.src, ex.tgt)].append(ex)
    for (src, tgt), group in by_direction.items():
        for ex, output in zip(group, backend.generate([e.source for e in group], src, tgt)):
            expected = placeholder_count(ex.source)
            got = placeholder_count(output)
            once = sum(1 for i in expected if got[i] == 1)
            result.sentences += 1
            result.placeholders += len(expected)
            result.copied_once += once
            result.intact += once == len(expected) and set(got) <= set(expected)
    return result
