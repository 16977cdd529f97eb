"""Which sentences of a news article may appear in a summary.

Articles from ministry and newspaper sites carry lines that are not content: the date,
a view counter ("Lượt xem: 3518"), photo captions, the byline and leftover site
navigation. A summary made of those is useless, so they are filtered before scoring.
Site chrome is found by :mod:`vnsum.chrome`, the detector translation uses too (the
segmenter marks its lines), so what one skips the other keeps as it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..chrome import is_chrome
from ..segment import Document

_DATE_LIKE = re.compile(r"^[\d\s/.:,\-–—()|]+$")
_TERMINAL = tuple(".!?…”\"»)")
_MIN_WORDS = 6


@dataclass(frozen=True)
class Candidate:
    index: int  # position in Document.sentences
    text: str


def headline(text: str) -> str:
    """The first line of an article file when it reads as a headline (no terminal
    punctuation), else "": vnsum's article files start with their title, perhaps
    after a saved page's menus."""
    first = next((line.strip() for line in text.splitlines() if line.strip() and not is_chrome(line)), "")
    return "" if first.endswith(_TERMINAL) else first


def candidates(doc: Document) -> list[Candidate]:
    """Sentences fit for a summary, with their index in the document's sentence list."""
    out, index = [], 0
    for line in doc.lines:
        body = line.raw.strip()
        # A caption is a line holding one short sentence; real paragraphs are longer.
        caption = len(line.sentences) == 1 and len(body.split()) < 15
        junk = line.kind != "text" or caption or not body.endswith(_TERMINAL) or _DATE_LIKE.match(body)
        for sentence in line.sentences:
            if not junk and len(sentence.split()) >= _MIN_WORDS:
                out.append(Candidate(index, sentence))
            index += 1
    return out
