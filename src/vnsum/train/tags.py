"""Target-language tags: how one model learns both directions, and how it is told which.

A model trained by ``vnsum train`` for both directions reads ``>>en<< `` or ``>>vi<< ``
before its source, naming the language to answer in, the convention of multilingual
OPUS-MT models (and MarianTokenizer keeps such a tag as one token). Training data goes
through the same adapter as inference, so the two cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..backends.adapters import ADAPTERS, PlainAdapter, family_for

TAGS = {"vi": ">>vi<<", "en": ">>en<<"}


@dataclass(frozen=True)
class TargetTagAdapter(PlainAdapter):
    """Marian models with target tags: ``>>en<< Bộ Công an …`` is translated into English."""

    def source_text(self, text: str, src: str, tgt: str) -> str:
        return f"{TAGS[tgt]} {text}"


def has_tags(vocabulary: dict[str, int] | set[str]) -> bool:
    return all(tag in vocabulary for tag in TAGS.values())


def adapter_for(tokenizer: Any, model_type: str) -> PlainAdapter:
    """The adapter a model's inputs need: tags when its vocabulary has them, else its family's."""
    vocabulary = tokenizer.get_vocab()
    if model_type == "marian" and has_tags(vocabulary):
        return TargetTagAdapter()
    return ADAPTERS[family_for(model_type, vocabulary)]
