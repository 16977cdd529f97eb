"""The sentences a reader should check, as every HTML view shows them (page and brief).

One look for both: a sentence to check is underlined in its level's colour where it
stands in the translation, its flags on hover (``title``), and listed again under the
translation with its number, level and flags, for readers on a phone (no hover) and for
print.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence

from .confidence import CHECK, DOUBTFUL
from .translator import Segment, Translation

LEVEL_COLOURS = {CHECK: "#f59f00", DOUBTFUL: "#e03131"}
LEVEL_WORDS = {CHECK: "check", DOUBTFUL: "doubtful"}
CSS = "\n".join(f".level-{level} {{text-decoration: underline wavy {colour}; text-underline-offset: .25em}}"
                for level, colour in LEVEL_COLOURS.items()) + """
.to-check {margin: .6em 0 0; padding-left: 1.4em}
.to-check li {margin: .2em 0}
.to-check .why {color: #555}
.level-tag {font-weight: 600}
""" + "\n".join(f".level-tag.{level} {{color: {colour}}}" for level, colour in LEVEL_COLOURS.items())


def spans(text: str, segments: Sequence[Segment], side: str = "target") -> list[tuple[str, int | None]]:
    """``text`` cut into (piece, index of its segment in ``segments``, or None between
    them), finding each segment's ``side`` ("target" or "source") in order (a sentence
    the text does not hold, such as one changed after rendering, is skipped, never
    misplaced)."""
    out: list[tuple[str, int | None]] = []
    pos = 0
    for n, segment in enumerate(segments):
        sentence = getattr(segment, side).strip()
        found = text.find(sentence, pos) if sentence else -1
        if found < 0:
            continue
        end = found + len(sentence)
        out += [(text[pos:found], None), (text[found:end], n)]
        pos = end
    out.append((text[pos:], None))
    return [(piece, n) for piece, n in out if piece]


def why(segment: Segment) -> str:
    """The flags of a sentence in words, or why its level is what it is."""
    return "; ".join(segment.flags) if segment.flags else "the model was unsure of this sentence"


def marked_html(text: str, segments: Sequence[Segment],
                inner: Callable[[str, int | None], str] = lambda piece, _n: html.escape(piece),
                first: int = 0) -> str:
    """``text`` as HTML with each sentence to check wrapped in its level's span.

    ``inner`` renders the text of each sentence and of what lies between them (escaping
    it, and marking glossary terms), told the sentence's index in the document
    (``first`` is that of ``segments[0]``; None between sentences), so each sentence's
    terms are marked with their own statuses."""
    def piece_html(piece: str, n: int | None) -> str:
        shown = inner(piece, None if n is None else first + n)
        if n is None or not segments[n].to_check:
            return shown
        seg = segments[n]
        return (f'<span class="level-{seg.level}" title="{html.escape(LEVEL_WORDS[seg.level])}: '
                f'{html.escape(why(seg))}">{shown}</span>')

    return "".join(piece_html(piece, n) for piece, n in spans(text, segments))


def legend(translation: Translation) -> str:
    """One line: how many sentences to check, and what the underlines mean."""
    marks = " ".join(f'<span class="level-{level}">{word}</span>' for level, word in LEVEL_WORDS.items())
    return (f'<p class="legend">{translation.to_check} of {len(translation.segments)} sentences to check '
            f"· underlined: {marks}</p>")


def check_list(translation: Translation) -> str:
    """The sentences to check, numbered as in the document, with their level and flags."""
    items = [f'<li><span class="level-tag {s.level}">{LEVEL_WORDS[s.level]}</span> sentence {n}: '
             f'“{html.escape(s.target[:90] + ("…" if len(s.target) > 90 else ""))}” '
             f'<span class="why">— {html.escape(why(s))}</span></li>'
             for n, s in enumerate(translation.segments, 1) if s.to_check]
    return f'<ol class="to-check">{"".join(items)}</ol>' if items else ""


def model_line(translation: Translation) -> str:
    """Which model translated, and its class when a reader must know it."""
    note = f" — <strong>{html.escape(translation.model_note)}</strong>" if translation.model_note else ""
    return f'<p class="model-line">Translated by {html.escape(translation.model)}{note}.</p>'
