"""Deterministic fake backends for testing logic around the model, not the model.

They follow the Backend protocol. ``CopyBackend`` returns its input, which makes
placeholder restoration visible; the others misbehave the ways real models do.
"""

from __future__ import annotations

import re
from collections.abc import Sequence


class CopyBackend:
    """Returns each input unchanged; counts one token per word plus an end token."""

    name = "copy"

    def __init__(self, max_input_tokens: int = 512):
        self.max_input_tokens = max_input_tokens
        self.calls: list[list[str]] = []

    def count_tokens(self, text: str) -> int:
        return len(text.split()) + 1

    def generate(self, sentences: Sequence[str], src: str, tgt: str) -> list[str]:
        self.calls.append(list(sentences))
        assert all(self.count_tokens(s) <= self.max_input_tokens for s in sentences), "input over the limit"
        return [self.transform(s) for s in sentences]

    def transform(self, sentence: str) -> str:
        return sentence


class DropPlaceholders(CopyBackend):
    """Loses every placeholder; without placeholders it writes ``rewrites`` into the text,
    like a model that translates the term its own way."""

    name = "drop"

    def __init__(self, rewrites: dict[str, str] | None = None, **kw):
        super().__init__(**kw)
        self.rewrites = rewrites or {}

    def transform(self, sentence: str) -> str:
        if re.search(r"ZZ\d", sentence):
            return re.sub(r"\s*ZZ\d+", "", sentence)
        for source, target in self.rewrites.items():
            sentence = sentence.replace(source, target)
        return sentence


class MangleCase(CopyBackend):
    """Copies placeholders with a space inside and in lower case ("zz 0")."""

    name = "mangle"

    def transform(self, sentence: str) -> str:
        return re.sub(r"ZZ(\d+)", r"zz \1", sentence)


class InventPlaceholder(CopyBackend):
    """Adds a placeholder that was not in the input."""

    name = "invent"

    def transform(self, sentence: str) -> str:
        return sentence + " ZZ9" if "ZZ" in sentence else sentence
