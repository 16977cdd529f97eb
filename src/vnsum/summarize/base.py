"""The summarizer protocol and its result."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from ..backends.base import Usage
from .compress import Cut

# A press officer wants a few lines to paste, like a newspaper's lead paragraph (median
# 32 words on VietNews): about 60 words, whatever the sentence lengths, unless the
# caller asks for a number of sentences or words.
DEFAULT_WORDS = 60


def length_target(sentences: int | None, words: int | None) -> tuple[int | None, int | None]:
    """The (sentences, words) to aim for: a word budget wins, then a sentence count, then
    :data:`DEFAULT_WORDS`."""
    if words is not None:
        return None, words
    if sentences is not None:
        return sentences, None
    return None, DEFAULT_WORDS


@dataclass
class Summary:
    """A summary; ``indices`` point into the document's sentence list (extractive only).

    ``cuts`` holds, per sentence, the spans deleted to shorten it (offsets into the
    document's sentence), so a reader can check what the summary left out.
    ``unsupported`` lists the names, numbers and dates of an abstractive summary that
    the article does not contain (:mod:`vnsum.summarize.facts`).
    """

    sentences: list[str]
    lang: str
    method: str
    indices: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    cuts: list[list[Cut]] = field(default_factory=list)
    unsupported: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(self.sentences)


class Summarizer(Protocol):
    """Anything that shortens a document to a length target; ``usage`` counts what a
    model on a server was asked (None for the others)."""

    name: str
    usage: Usage | None

    def summarize(self, text: str, lang: str = "vi", *, sentences: int | None = None,
                  words: int | None = None, title: str | None = None) -> Summary:
        """Summarize ``text`` to ``sentences`` sentences or about ``words`` words
        (:func:`length_target`: by default :data:`DEFAULT_WORDS`). ``title`` is the
        article's headline, which a summarizer may use."""
        ...
