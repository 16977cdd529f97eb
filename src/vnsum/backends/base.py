"""The backend protocol."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable


@runtime_checkable
class Backend(Protocol):
    """A loaded model that translates (or summarizes) sentences in batches.

    Implementations load their weights once in ``__init__`` and are reused for every
    call; ``generate`` receives plain sentences (no prefixes or language tags: the
    backend's family adapter adds those) and returns one output per input, in order.

    Two optional attributes change how the Translator enforces a glossary with it: a
    backend with ``placeholders = False`` gets glossary terms left in the text on the
    first pass (masked only on a retry), and one with ``takes_renderings = True`` gets a
    ``renderings`` keyword in ``generate``: per sentence, each term left in it and the
    rendering it must get (an LLM's prompt lists them). Both are off by default.
    """

    name: str
    max_input_tokens: int

    def count_tokens(self, text: str) -> int:
        """Length of ``text`` in the model's input tokens, special tokens included."""
        ...

    def generate(self, sentences: Sequence[str], src: str, tgt: str,
                 decoding: Decoding | None = None) -> list[str]:
        """Outputs for ``sentences``, same length and order; ``decoding`` overrides the
        backend's own settings for this call (a retry of a degenerate output)."""
        ...


@dataclass(frozen=True)
class Decoding:
    """Decoding settings for one call: a beam size, and what stops a model repeating itself."""

    beam_size: int | None = None  # None: the backend's own
    no_repeat_ngram_size: int = 0
    repetition_penalty: float = 1.0

    @staticmethod
    def apply(decoding: Decoding | None, beam_size: int, options: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """The beam size and decoding options of one call: the backend's own unless overridden.

        transformers' ``generate`` and CTranslate2's ``translate_batch`` name the two
        anti-repetition settings alike, so both backends pass the result straight on.
        """
        if decoding is None:
            return beam_size, options
        return decoding.beam_size or beam_size, options | {
            "no_repeat_ngram_size": decoding.no_repeat_ngram_size,
            "repetition_penalty": decoding.repetition_penalty}


@dataclass(frozen=True)
class Limits:
    """How long a model's inputs and outputs may be, as every backend applies them.

    Learned position tables (Marian, NLLB) bound both input and output; T5 has none.
    A translation gets twice its batch's longest input plus 16 tokens (room to run
    longer than the source, and a stop for a model that repeats itself); a summary gets
    the fixed ``max_new_tokens`` it asked for.
    """

    input_tokens: int
    output_tokens: int
    fixed_output: bool

    @classmethod
    def of(cls, config: Any, max_input_tokens: int, max_new_tokens: int | None) -> Limits:
        positions = getattr(config, "max_position_embeddings", None)
        return cls(min(max_input_tokens, positions or max_input_tokens),
                   min((positions or 1024) - 2, max_new_tokens or 1024), max_new_tokens is not None)

    def output_budget(self, longest_input: int) -> int:
        """Output tokens allowed for a batch whose longest input has ``longest_input`` tokens."""
        return self.output_tokens if self.fixed_output else min(2 * longest_input + 16, self.output_tokens)
