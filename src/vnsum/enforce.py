"""Glossary enforcement that works with any model: mask, translate, restore, verify.

Each matched term is replaced by a placeholder (``ZZ0``, ``ZZ1``…) that translation
models copy through unchanged, like a code or a product number. After decoding, every
placeholder must come back exactly once; it is then replaced by the glossary rendering.
If one is lost or invented, the sentence is translated again without placeholders and
the output is searched for the rendering or an accepted variant, which is rewritten to
the preferred form ("repaired"); a term found in neither way is reported "missed".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .glossary import TermMatch
from .text import capitalize_first

PLACEHOLDER = "ZZ{}"
# Tolerant on the way back: models sometimes add a space or change the case.
# Public: training data is checked for placeholder survival with the same pattern.
PLACEHOLDER_PATTERN = re.compile(r"(?<![\w])[Zz]\s?[Zz]\s?(\d+)")
_OPENING = re.compile(r"^[\s\"“‘«(\[\-–—]*")

APPLIED, REPAIRED, MISSED = "applied", "repaired", "missed"


@dataclass(frozen=True)
class TermHit:
    """What happened to one occurrence of a glossary term in one sentence."""

    source: str  # as written in the source
    target: str  # the glossary rendering
    kind: str
    status: str  # applied, repaired or missed
    sentence: int  # index of the sentence in the document


def mask(sentence: str, matches: list[TermMatch]) -> str:
    """``sentence`` with each match replaced by its placeholder."""
    out, pos = [], 0
    for i, m in enumerate(matches):
        out.extend((sentence[pos:m.start], PLACEHOLDER.format(i)))
        pos = m.end
    out.append(sentence[pos:])
    return "".join(out)


def restore(output: str, matches: list[TermMatch]) -> str | None:
    """Put renderings back in place of placeholders, or None if any was lost or invented."""
    found = [int(m.group(1)) for m in PLACEHOLDER_PATTERN.finditer(output)]
    if sorted(set(found)) != list(range(len(matches))):
        return None

    def render(m: re.Match) -> str:
        target = matches[int(m.group(1))].target
        at_start = not output[:m.start()].strip(" \"“‘«([-–—")
        return capitalize_first(target) if at_start else target

    return PLACEHOLDER_PATTERN.sub(render, output)


def phrase_pattern(phrase: str) -> re.Pattern:
    words = [re.escape(w) for w in phrase.split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE)


def repair(output: str, matches: list[TermMatch]) -> tuple[str, list[str]]:
    """Find each term's rendering or a variant in a free translation; rewrite variants.

    Returns the rewritten output and a status per match (repaired or missed). Earlier
    occurrences are consumed first, so a term that occurs twice needs two hits.
    """
    statuses, taken = [], []
    for m in matches:
        status = MISSED
        for candidate in sorted(m.accepted, key=len, reverse=True):
            hit = next((h for h in phrase_pattern(candidate).finditer(output)
                        if not any(a < h.end() and h.start() < b for a, b in taken)), None)
            if hit:
                target = capitalize_first(m.target) if not _OPENING.sub("", output[:hit.start()]) else m.target
                output = output[:hit.start()] + target + output[hit.end():]
                shift = len(target) - (hit.end() - hit.start())
                taken = [(a + shift if a >= hit.end() else a, b + shift if b >= hit.end() else b)
                         for a, b in taken]
                taken.append((hit.start(), hit.start() + len(target)))
                status = REPAIRED
                break
        statuses.append(status)
    return output, statuses
