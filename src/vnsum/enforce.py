"""Glossary enforcement that works with any model: mask, translate, restore, verify.

Each matched term is replaced by a placeholder (``ZZ0``, ``ZZ1``…) that translation
models copy through unchanged, like a code or a product number. After decoding, each
placeholder that came back is replaced by the glossary rendering ("applied"). Terms
whose placeholder was lost are not allowed to spoil the others: the sentence is
translated again with only those terms left unmasked, and that output is searched for
their rendering or an accepted variant, which is rewritten to the preferred form
("repaired"); a term found in neither way is reported "missed".

A source may already contain text that looks like a placeholder (a shipment code
"ZZ0", "zz 0"). Such literal codes are masked too, and put back exactly as written,
so that no placeholder in a model's output is ambiguous.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .glossary import TermMatch
from .text import capitalize_first

PLACEHOLDER = "ZZ{}"
# Tolerant on the way back: models sometimes add a space or change the case.
# Public: training data is checked for placeholder survival with the same pattern.
PLACEHOLDER_PATTERN = re.compile(r"(?<![\w])[Zz]\s?[Zz]\s?(\d{1,9})(?!\d)")
_OPENING = re.compile(r"^[\s\"“‘«(\[\-–—]*")
# Spaces before a stop, from the start of their run only (linear in a run of tabs).
_SPACE_BEFORE_STOP = re.compile(r"(?<!\s)\s+([,.;:!?])")

APPLIED, REPAIRED, MISSED = "applied", "repaired", "missed"


@dataclass(frozen=True)
class TermHit:
    """What happened to one occurrence of a glossary term in one sentence."""

    source: str  # as written in the source
    target: str  # the glossary rendering
    kind: str
    status: str  # applied, repaired or missed
    sentence: int  # index of the sentence in the document


@dataclass(frozen=True)
class Masked:
    """A sentence with placeholders, and what each placeholder number stands for.

    ``renderings[n]`` is the text put back for ``ZZn``; ``terms[n]`` the index of the
    glossary match it replaced (absent for a literal code of the source). Placeholders
    are numbered in order of appearance, as in the masked copies a model trains on.
    """

    text: str
    renderings: tuple[str, ...]
    terms: dict[int, int]


def mask(sentence: str, matches: list[TermMatch], unmasked: frozenset[int] = frozenset()) -> Masked:
    """``sentence`` with each match (but those in ``unmasked``) and each literal code
    replaced by a placeholder."""
    spans = [(m.start, m.end, m.target, i) for i, m in enumerate(matches) if i not in unmasked]
    spans += [(c.start(), c.end(), c.group(), None) for c in PLACEHOLDER_PATTERN.finditer(sentence)
              if not any(start < c.end() and c.start() < end for start, end, *_ in spans)]
    out, pos, renderings, terms = [], 0, [], {}
    for n, (start, end, rendering, term) in enumerate(sorted(spans)):
        out.extend((sentence[pos:start], PLACEHOLDER.format(n)))
        renderings.append(rendering)
        if term is not None:
            terms[n] = term
        pos = end
    out.append(sentence[pos:])
    return Masked("".join(out), tuple(renderings), terms)


def restore(output: str, masked: Masked) -> tuple[str, set[int]]:
    """Put renderings back in place of placeholders; return the text and the indices of
    the matches that were restored.

    A placeholder the model repeated is put back once (its copies are dropped); one it
    invented is dropped: neither may leave a code in the text. Where nothing was masked,
    the output is left as the model wrote it. A term whose placeholder
    is missing is not in the returned set.
    """
    if not masked.renderings:  # nothing was masked: the output is the model's own
        return output, set()
    seen: set[int] = set()
    dropped = False

    def render(m: re.Match) -> str:
        nonlocal dropped
        n = int(m.group(1))
        if n >= len(masked.renderings) or n in seen:
            dropped = True
            return ""
        seen.add(n)
        target = masked.renderings[n]
        at_start = not output[:m.start()].strip(" \"“‘«([-–—")
        return capitalize_first(target) if at_start and n in masked.terms else target

    text = PLACEHOLDER_PATTERN.sub(render, output)
    if dropped:  # no double space or space before punctuation where a code was dropped
        text = _SPACE_BEFORE_STOP.sub(r"\1", re.sub(r"  +", " ", text)).strip()
    return text, {masked.terms[n] for n in seen if n in masked.terms}


def phrase_pattern(phrase: str) -> re.Pattern:
    words = [re.escape(w) for w in phrase.split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE)


def repair(output: str, matches: list[TermMatch], exact: list[str] | None = None) -> tuple[str, list[str]]:
    """Find each term's rendering or a variant in a free translation; rewrite variants.

    Returns the rewritten output and a status per match (repaired or missed). Earlier
    occurrences are consumed first, so a term that occurs twice needs two hits.
    ``exact[k]`` is match k's status when its rendering is found exactly as the
    glossary writes it (a model told the rendering used it: applied), not rewritten.
    """
    statuses, taken = [], []
    for k, m in enumerate(matches):
        status = MISSED
        for candidate in sorted(m.accepted, key=len, reverse=True):
            hit = next((h for h in phrase_pattern(candidate).finditer(output)
                        if not any(a < h.end() and h.start() < b for a, b in taken)), None)
            if hit:
                target = capitalize_first(m.target) if not _OPENING.sub("", output[:hit.start()]) else m.target
                status = exact[k] if exact and hit.group() == target else REPAIRED
                output = output[:hit.start()] + target + output[hit.end():]
                shift = len(target) - (hit.end() - hit.start())
                taken = [(a + shift if a >= hit.end() else a, b + shift if b >= hit.end() else b)
                         for a, b in taken]
                taken.append((hit.start(), hit.start() + len(target)))
                break
        statuses.append(status)
    return output, statuses
