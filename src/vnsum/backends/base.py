"""The backend protocol."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable


@runtime_checkable
class Backend(Protocol):
    """A loaded model that translates (or summarizes) sentences in batches.

    Implementations load their weights once in ``__init__`` and are reused for every
    call; ``generate`` receives plain sentences (no prefixes or language tags: the
    backend's family adapter adds those) and returns one output per input, in order.
    """

    name: str
    max_input_tokens: int

    def count_tokens(self, text: str) -> int:
        """Length of ``text`` in the model's input tokens, special tokens included."""
        ...

    def generate(self, sentences: Sequence[str], src: str, tgt: str) -> list[str]:
        """Outputs for ``sentences``, same length and order."""
        ...
