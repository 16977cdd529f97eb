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
    placeholders = True
    usage = None

    def __init__(self, max_input_tokens: int = 512):
        self.max_input_tokens = max_input_tokens
        self.calls: list[list[str]] = []

    @property
    def memory_key(self) -> str:
        return f"{type(self).__name__}|{self.name}"

    def count_tokens(self, text: str) -> int:
        return len(text.split()) + 1

    def generate(self, sentences: Sequence[str], src: str, tgt: str, decoding=None, renderings=None) -> list[str]:
        self.calls.append(list(sentences))
        assert all(self.count_tokens(s) <= self.max_input_tokens for s in sentences), "input over the limit"
        return [self.transform(s) for s in sentences]

    def transform(self, sentence: str) -> str:
        return sentence


class DropPlaceholders(CopyBackend):
    """Loses placeholders (every one, or those numbered in ``only``, on the first call
    only) and writes ``rewrites`` into the text, like a model that translates a term its
    own way; ``second_time`` replaces every output after the first call."""

    name = "drop"

    def __init__(self, rewrites: dict[str, str] | None = None, only: set[int] | None = None,
                 second_time: str | None = None, **kw):
        super().__init__(**kw)
        self.rewrites = rewrites or {}
        self.only = only
        self.second_time = second_time

    def transform(self, sentence: str) -> str:
        if self.second_time is not None and len(self.calls) > 1:
            return self.second_time
        if self.only is None:
            sentence = re.sub(r"\s*ZZ\d+", "", sentence)
        elif len(self.calls) == 1:
            sentence = re.sub(r"\s*ZZ(?:" + "|".join(str(n) for n in sorted(self.only)) + r")\b", "", sentence)
        for source, target in self.rewrites.items():
            sentence = sentence.replace(source, target)
        return sentence


class MangleCase(CopyBackend):
    """Copies placeholders with a space inside and in lower case ("zz 0")."""

    name = "mangle"

    def transform(self, sentence: str) -> str:
        return re.sub(r"ZZ(\d+)", r"zz \1", sentence)


class RepeatPlaceholder(CopyBackend):
    """Writes every placeholder twice."""

    name = "repeat"

    def transform(self, sentence: str) -> str:
        return re.sub(r"(ZZ\d+)", r"\1 \1", sentence)


class Looping(CopyBackend):
    """Loops on its first decoding of a sentence ("the the the …"); with the retry
    settings (``decoding`` given) it copies, unless ``always`` loops."""

    name = "looping"

    def __init__(self, always: bool = False, empty: bool = False, **kw):
        super().__init__(**kw)
        self.always, self.empty = always, empty
        self.decodings: list = []

    def generate(self, sentences: Sequence[str], src: str, tgt: str, decoding=None, renderings=None) -> list[str]:
        self.decodings.append(decoding)
        out = super().generate(sentences, src, tgt, decoding)
        if decoding is None or self.always:
            return ["" if self.empty else s + " the the the the the the" for s in out]
        return out


class InventPlaceholder(CopyBackend):
    """Adds a placeholder that was not in the input."""

    name = "invent"

    def transform(self, sentence: str) -> str:
        return sentence + " ZZ9" if "ZZ" in sentence else sentence


class Scoring(CopyBackend):
    """Copies, scoring each output as ``scores`` says (by a word the input holds), and
    leaving out the text ``drops`` maps a word to in every input longer than
    ``longer_than`` characters: the way a small model loses part of a long sentence."""

    name = "scoring"

    def __init__(self, scores: dict[str, float] | None = None, drops: dict[str, str] | None = None,
                 longer_than: int = 100, **kw):
        super().__init__(**kw)
        self.scores = scores or {}
        self.drops = drops or {}
        self.longer_than = longer_than

    def generate(self, sentences: Sequence[str], src: str, tgt: str, decoding=None, renderings=None) -> list[str]:
        from vnsum.backends.base import Scored

        out = []
        for sentence in super().generate(sentences, src, tgt, decoding):
            for word, dropped in self.drops.items():
                if word in sentence and len(sentence) > self.longer_than:
                    sentence = sentence.replace(dropped, "")
            score = next((v for word, v in self.scores.items() if word in sentence), -0.1)
            out.append(Scored(" ".join(sentence.split()), score))
        return out
