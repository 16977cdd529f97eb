"""The summarizer protocol and its result."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


@dataclass
class Summary:
    """A summary; ``indices`` point into the document's sentence list (extractive only)."""

    sentences: list[str]
    lang: str
    method: str
    indices: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(self.sentences)


class Summarizer(Protocol):
    """Anything that shortens a document to a length target."""

    name: str

    def summarize(self, text: str, lang: str = "vi", *, sentences: int | None = 3,
                  words: int | None = None) -> Summary:
        """Summarize ``text`` to ``sentences`` sentences or about ``words`` words."""
        ...
