"""Where a translated paragraph's text goes among the pieces its source was written in.

A piece is a Word run or an HTML inline element (or bare text); pieces with equal
``keys`` look the same (same bold, font, size, colour; same tag and attributes). A
translation does not keep the source's word order, so formatting is carried over by
a rule, not guessed word by word:

1. Each sentence of the translation takes the format that holds most of its source's
   characters; the space after a sentence goes with it. A bold first sentence stays
   bold and the plain text after it stays plain; a paragraph in one format is one run.
2. Inside a sentence, a piece in another format whose text is wholly a glossary term
   keeps its format on that term's rendering, and one whose text comes back unchanged
   (a number, a name, a code, a link) keeps it on that text, where it is found in the
   sentence's translation: whole words, first occurrence not already taken.
3. Any other piece in another format gives its text to the sentence's format.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

from ..errors import UsageError
from ..segment import Line
from ..translator import Translation


@dataclass(frozen=True)
class Span:
    """Output text and the piece whose format it takes."""

    piece: int
    text: str


def place(pieces: Sequence[str], keys: Sequence[Hashable], line: Line, targets: Sequence[str],
          terms: Sequence[dict[str, str]]) -> list[Span]:
    """The translated ``line`` cut into spans, each given a piece (see the module's rule).

    ``pieces`` are the texts the source line was joined from, ``targets`` the line's
    translated sentences and ``terms`` each sentence's glossary terms (source text
    case-folded -> rendering). A line with no sentences (site chrome, kept as written)
    keeps its pieces as they are. Adjacent spans of one format are merged.
    """
    if not line.sentences:
        return [Span(i, text) for i, text in enumerate(pieces) if text]
    starts = _starts(pieces)
    spans: list[Span] = []
    position = len(line.gaps[0])
    for n, (sentence, target) in enumerate(zip(line.sentences, targets)):
        end = position + len(sentence)
        main = _dominant(pieces, keys, starts, position, end)
        if n == 0:
            spans.append(Span(main, line.gaps[0]))
        kept = [(i, _rendering(pieces[i], terms[n])) for i in _overlapping(pieces, starts, position, end)
                if keys[i] != keys[main]]
        spans += _sentence_spans(target, main, kept)
        spans.append(Span(main, line.gaps[n + 1]))
        position = end + len(line.gaps[n + 1])
    return _merged(spans, keys)


@dataclass(frozen=True)
class TranslatedLine:
    """One line of a translated document: its source split into sentences, each
    sentence's translation and glossary terms (source case-folded -> rendering)."""

    line: Line
    targets: list[str]
    terms: list[dict[str, str]]


def translated_lines(result: Translation, count: int) -> list[TranslatedLine]:
    """The ``count`` lines of ``result`` (a document translated from one unit per line)."""
    lines = result.document.lines if result.document is not None else []
    if len(lines) != count:
        raise UsageError(f"the translation has {len(lines)} lines for {count} paragraphs: a document that keeps "
                         "its layout keeps every paragraph (translate without strip_chrome / --strip-chrome)")
    terms: dict[int, dict[str, str]] = {}
    for term in result.terms:
        if term.status != "missed":
            terms.setdefault(term.sentence, {})[term.source.casefold()] = term.target
    out = [TranslatedLine(line, [], []) for line in lines]
    for index, segment in enumerate(result.segments):
        out[segment.line].targets.append(segment.target)
        out[segment.line].terms.append(terms.get(index, {}))
    return out


def _starts(pieces: Sequence[str]) -> list[int]:
    starts, at = [], 0
    for text in pieces:
        starts.append(at)
        at += len(text)
    return starts


def _overlapping(pieces: Sequence[str], starts: list[int], begin: int, end: int) -> list[int]:
    return [i for i, (text, start) in enumerate(zip(pieces, starts))
            if text and start < end and start + len(text) > begin]


def _dominant(pieces: Sequence[str], keys: Sequence[Hashable], starts: list[int], begin: int, end: int) -> int:
    """The first piece of the format holding most characters of [begin, end) (ties: the earlier format)."""
    held: dict[Hashable, int] = {}
    first: dict[Hashable, int] = {}
    for i in _overlapping(pieces, starts, begin, end):
        overlap = min(end, starts[i] + len(pieces[i])) - max(begin, starts[i])
        held[keys[i]] = held.get(keys[i], 0) + overlap
        first.setdefault(keys[i], i)
    if not held:  # a line whose text no piece holds (cannot happen for a line read from its pieces)
        return 0
    return first[max(held, key=held.__getitem__)]


def _rendering(text: str, terms: dict[str, str]) -> str:
    """What a piece's text becomes in the translation: a glossary rendering, else itself."""
    word = text.strip()
    return terms.get(word.casefold(), word)


def _sentence_spans(target: str, main: int, kept: list[tuple[int, str]]) -> list[Span]:
    """``target`` in the sentence's format, but for the kept pieces' renderings found in it."""
    taken: list[tuple[int, int, int]] = []  # (start, end, piece)
    for piece, rendering in kept:
        if len(rendering) < 2 and not rendering.isdigit():
            continue  # a lone letter or sign would be found anywhere
        pattern = re.compile(r"(?<!\w)" + re.escape(rendering) + r"(?!\w)", re.IGNORECASE)
        for m in pattern.finditer(target):
            if all(m.end() <= a or m.start() >= b for a, b, _ in taken):
                taken.append((m.start(), m.end(), piece))
                break
    spans, at = [], 0
    for start, end, piece in sorted(taken):
        spans += [Span(main, target[at:start]), Span(piece, target[start:end])]
        at = end
    spans.append(Span(main, target[at:]))
    return spans


def _merged(spans: list[Span], keys: Sequence[Hashable]) -> list[Span]:
    """Drop empty spans and join neighbours of one format (the first one's piece carries them)."""
    merged: list[Span] = []
    for span in spans:
        if not span.text:
            continue
        if merged and keys[merged[-1].piece] == keys[span.piece]:
            merged[-1] = Span(merged[-1].piece, merged[-1].text + span.text)
        else:
            merged.append(span)
    return merged
