"""Glossary terms marked where they stand, each occurrence in the colour of its own status.

A term met fifteen times may be applied fourteen times and repaired once: each
occurrence is marked with what happened to it (the :class:`~vnsum.enforce.TermHit` of
its own sentence), never with the worst status the term had anywhere, so the marks
agree with the term table (issue #23). Every HTML view marks terms this way: the web
page's translation and side-by-side views and the HTML brief.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence

from .enforce import APPLIED, MISSED, REPAIRED, TermHit

SOURCE, TARGET = "source", "target"
TERM = "term"  # a glossary phrase whose status is not known (a summary sentence made anew)
STATUS_COLOURS = {APPLIED: "#b7e4c7", REPAIRED: "#ffd58a", MISSED: "#ffc9c9", TERM: "#fff1a8"}
CSS = "mark {color: inherit; border-radius: 3px; padding: 0 .15em}\n" + "\n".join(
    f"mark.{status} {{background: {colour}}}" for status, colour in STATUS_COLOURS.items())


def by_sentence(hits: Iterable[TermHit]) -> dict[int, list[TermHit]]:
    """The hits of each sentence, by the sentence's index in its document."""
    out: dict[int, list[TermHit]] = {}
    for hit in hits:
        out.setdefault(hit.sentence, []).append(hit)
    return out


def _pattern(phrases: Iterable[str]) -> re.Pattern | None:
    """Whole-word matches of ``phrases``, longest first, in any case (None: no phrase)."""
    unique = sorted({p for p in phrases if p.strip()}, key=len, reverse=True)
    return re.compile("|".join(rf"(?<!\w){re.escape(p)}(?!\w)" for p in unique), re.IGNORECASE) if unique else None


def spans(text: str, hits: Sequence[TermHit], side: str = TARGET) -> list[tuple[str, str | None]]:
    """``text`` (one sentence, or a title) cut into (piece, status) spans.

    Each occurrence of a hit's rendering (``side`` "target") or source words ("source")
    takes the status of the next hit of that phrase, in order, so a term applied in one
    place and repaired in another is marked each way. A missed term's rendering is not
    in the target, so missed hits mark only the source side; a phrase found more often
    than it has hits (the model wrote it unasked) keeps the status of its last hit.
    """
    statuses: dict[str, list[str]] = {}
    for hit in hits:
        if side == SOURCE or hit.status != MISSED:
            statuses.setdefault(getattr(hit, side).lower(), []).append(hit.status)
    used: dict[str, int] = {}

    def status(phrase: str) -> str:
        queue = statuses.get(phrase.lower(), [APPLIED])
        n = used[phrase.lower()] = used.get(phrase.lower(), -1) + 1
        return queue[min(n, len(queue) - 1)]

    return _cut(text, _pattern(statuses), status)


def phrase_spans(text: str, phrases: Iterable[str]) -> list[tuple[str, str | None]]:
    """``text`` cut into (piece, "term" or None) spans: a text made anew from the article
    (a summary), where an occurrence has no status of its own."""
    return _cut(text, _pattern(phrases), lambda _phrase: TERM)


def _cut(text: str, pattern: re.Pattern | None, status) -> list[tuple[str, str | None]]:
    if pattern is None:
        return [(text, None)] if text else []
    out, pos = [], 0
    for m in pattern.finditer(text):
        out += [(text[pos:m.start()], None), (m.group(), status(m.group()))]
        pos = m.end()
    return [s for s in [*out, (text[pos:], None)] if s[0]]


def to_html(pieces: Iterable[tuple[str, str | None]]) -> str:
    """Spans as HTML: marks inline (a term stays on its line with the punctuation after it)."""
    return "".join(html.escape(text) if status is None else
                   f'<mark class="{status}" title="glossary term{": " + status if status != TERM else ""}">'
                   f"{html.escape(text)}</mark>" for text, status in pieces)


def marked(text: str, hits: Sequence[TermHit], side: str = TARGET) -> str:
    """``text`` as HTML with each term occurrence marked in its own status's colour."""
    return to_html(spans(text, hits, side))


def legend(statuses: Sequence[str] = (APPLIED, REPAIRED)) -> str:
    """The statuses' marks, as a key to the colours."""
    return " ".join(f'<mark class="{status}">{status}</mark>' for status in statuses)
