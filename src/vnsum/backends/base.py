"""The backend protocol."""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, ClassVar, Protocol, runtime_checkable


@runtime_checkable
class Backend(Protocol):
    """A loaded model that translates (or summarizes) sentences in batches.

    Implementations load their weights once in ``__init__`` and are reused for every
    call; ``generate`` receives plain sentences (no prefixes or language tags: the
    backend's family adapter adds those) and returns one output per input, in order.

    ``memory_key`` is everything about the loaded model that can change its outputs
    (the translation memory keys on it). ``placeholders`` says how the Translator
    enforces a glossary with it: True for a model that copies ``ZZ0`` codes (terms are
    masked on the first pass), False for one that is told each term's rendering instead
    (an LLM: terms stay in the text and are masked only on a retry). ``usage`` counts
    what a model on a server was asked (None for a local model).

    A model that can say how sure it is returns each output as :class:`Scored` (a
    ``str`` with the model's length-normalised log-probability of it); a plain ``str``
    means no score (an LLM on a server). Every caller that only wants the text keeps
    using the output as a string.
    """

    name: str
    max_input_tokens: int
    memory_key: str
    placeholders: bool
    usage: Usage | None

    def count_tokens(self, text: str) -> int:
        """Length of ``text`` in the model's input tokens, special tokens included."""
        ...

    def generate(self, sentences: Sequence[str], src: str, tgt: str, decoding: Decoding | None = None,
                 renderings: Sequence[Mapping[str, str]] | None = None) -> list[str]:
        """Outputs for ``sentences``, same length and order; ``decoding`` overrides the
        backend's own settings for this call (a retry of a degenerate output);
        ``renderings[i]`` maps each glossary term left in sentence i to the rendering it
        must get (a model that copies placeholders may ignore it)."""
        ...


class Scored(str):
    """A model output with ``score``: the mean log-probability per output token that the
    model gave it (0 is certain; -1 means each token had about a 37% chance on average).

    A ``str`` subclass, so that the score travels with the text through every caller
    that only reads the text; string methods return plain strings, so read the score
    straight from what ``generate`` returned (:func:`score_of`).
    """

    score: float

    def __new__(cls, text: str, score: float) -> Scored:
        out = super().__new__(cls, text)
        out.score = float(score)
        return out


def score_of(output: str) -> float | None:
    """The model's score of ``output`` (see :class:`Scored`), or None when it gave none."""
    return output.score if isinstance(output, Scored) else None


class LocalModel:
    """What the seq2seq backends on this machine share: a Hugging Face tokenizer that
    counts tokens, placeholders copied, nothing asked of a server."""

    placeholders = True
    usage = None
    tokenizer: Any
    name: str
    device: str

    def count_tokens(self, text: str) -> int:
        # verbose=False: measuring a text over the model's limit is how long ones get cut,
        # not an error to warn a user about
        return len(self.tokenizer(text, verbose=False).input_ids)

    def _memory_key(self, path: Path, precision: str, beam_size: int) -> str:
        """Everything about the loaded model that can change its translations."""
        from .. import __version__
        from ..memory import folder_digest

        return (f"{type(self).__name__}|{self.name}|{self.device}|{precision}|beam={beam_size}|"
                f"weights={folder_digest(path)}|vnsum={__version__}")


@dataclass
class Usage:
    """What a run asked of a model on a server: requests, retries and tokens as the server counted them."""

    requests: int = 0
    retries: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    split: int = 0  # answers that did not keep the line structure: their window was asked again in halves
    COUNTS: ClassVar[tuple[str, ...]] = ()  # the names of the counts above (set below the class)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def add(self, **counts: int) -> None:
        with self._lock:
            for name, n in counts.items():
                setattr(self, name, getattr(self, name) + n)

    def to_dict(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in self.COUNTS}

    def __str__(self) -> str:
        return (f"{self.requests} requests ({self.retries} retried, {self.split} re-asked in halves), "
                f"{self.prompt_tokens} prompt + {self.completion_tokens} completion tokens")


Usage.COUNTS = tuple(f.name for f in fields(Usage) if f.compare)


@dataclass(frozen=True)
class Decoding:
    """Decoding settings for one call: a beam size, and what stops a model repeating itself."""

    beam_size: int | None = None  # at most this many beams (never more than the backend's own); None: its own
    no_repeat_ngram_size: int = 0
    repetition_penalty: float = 1.0

    @staticmethod
    def apply(decoding: Decoding | None, beam_size: int, options: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """The beam size and decoding options of one call: the backend's own unless overridden.

        Only what ``decoding`` sets overrides the model's own settings (a retry at two
        beams keeps a model's ``no_repeat_ngram_size``). transformers' ``generate`` and
        CTranslate2's ``translate_batch`` name the two anti-repetition settings alike, so
        both backends pass the result straight on.
        """
        if decoding is None:
            return beam_size, options
        defaults = Decoding()
        return min(decoding.beam_size or beam_size, beam_size), options | {
            name: getattr(decoding, name) for name in ("no_repeat_ngram_size", "repetition_penalty")
            if getattr(decoding, name) != getattr(defaults, name)}


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
