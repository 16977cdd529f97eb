"""How each model family wants its input and gives its output.

Families differ in three small ways only: a text prefix (T5 models such as EnViT5),
language codes given to the tokenizer and forced as the first decoder token (NLLB,
M2M100), and a target tag at the start of the output (EnViT5's "en: "). An adapter
holds exactly those differences; :data:`ADAPTERS` maps family names to adapters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class PlainAdapter:
    """Models trained for one direction on plain text (Marian / OPUS-MT, BART)."""

    def source_text(self, text: str, src: str, tgt: str) -> str:
        return text

    def prepare(self, tokenizer: Any, src: str, tgt: str) -> dict[str, Any]:
        """Set up the tokenizer for ``src`` and return extra ``generate`` arguments."""
        return {}

    def target_text(self, text: str, tgt: str) -> str:
        return text.strip()


@dataclass(frozen=True)
class PrefixTagAdapter(PlainAdapter):
    """T5 models that read "vi: …"/"en: …" (the SOURCE language) and answer "en: …"."""

    prefixes: dict[str, str] = field(default_factory=lambda: {"vi": "vi: ", "en": "en: "})

    def source_text(self, text: str, src: str, tgt: str) -> str:
        return self.prefixes[src] + text

    def target_text(self, text: str, tgt: str) -> str:
        tag = re.escape(self.prefixes[tgt].strip())
        return re.sub(rf"^\s*{tag}\s*", "", text).strip()


@dataclass(frozen=True)
class LangCodeAdapter(PlainAdapter):
    """Many-to-many models that take language codes (NLLB-200, M2M100)."""

    codes: dict[str, str] = field(default_factory=dict)

    def prepare(self, tokenizer: Any, src: str, tgt: str) -> dict[str, Any]:
        tokenizer.src_lang = self.codes[src]
        target_id = tokenizer.convert_tokens_to_ids(self.codes[tgt])
        if target_id is None or target_id == tokenizer.unk_token_id:
            raise ValueError(f"the tokenizer has no language token {self.codes[tgt]!r}")
        return {"forced_bos_token_id": target_id}


@dataclass(frozen=True)
class TargetTagAdapter(PlainAdapter):
    """Marian models that serve both directions, told the TARGET by a tag (``>>en<< …``).

    The convention of multilingual OPUS-MT models, and of the models ``vnsum train``
    makes; MarianTokenizer keeps such a tag as one token.
    """

    tags: dict[str, str] = field(default_factory=lambda: dict(TARGET_TAGS))

    def source_text(self, text: str, src: str, tgt: str) -> str:
        return f"{self.tags[tgt]} {text}"

    def prepare(self, tokenizer: Any, src: str, tgt: str) -> dict[str, Any]:
        """Into English, never a piece with Vietnamese letters.

        One vocabulary serves both languages, and a small model unsure of a word copies
        it ("Prime Minister yêu cầu …"). English text in this genre writes even names
        without diacritics ("Luong Tam Quang", "Quang Ninh"), so such pieces are
        suppressed; into Vietnamese every piece stays allowed.
        """
        return {"suppress_tokens": vietnamese_pieces(tokenizer)} if tgt == "en" else {}


def vietnamese_pieces(tokenizer: Any) -> list[int]:
    """Ids of the vocabulary pieces with a Vietnamese letter (a diacritic, or đ)."""
    cached = getattr(tokenizer, "_vnsum_vietnamese_pieces", None)
    if cached is None:
        cached = sorted(i for piece, i in tokenizer.get_vocab().items() if _VIETNAMESE.search(piece))
        tokenizer._vnsum_vietnamese_pieces = cached
    return cached


# Latin letters with diacritics (Vietnamese uses them all across this range) and đ/Đ.
_VIETNAMESE = re.compile(r"[À-ÿĀ-ſƠ-ưḀ-ỿ]")


TARGET_TAGS = {"vi": ">>vi<<", "en": ">>en<<"}

ADAPTERS: dict[str, PlainAdapter] = {
    "marian": PlainAdapter(),
    "marian-tags": TargetTagAdapter(),
    "bart": PlainAdapter(),
    "t5": PlainAdapter(),
    "t5-prefix": PrefixTagAdapter(),
    "nllb": LangCodeAdapter(codes={"vi": "vie_Latn", "en": "eng_Latn"}),
    "m2m100": LangCodeAdapter(codes={"vi": "__vi__", "en": "__en__"}),
}

# For a model that is not a preset: its config's model_type picks the family. NLLB and
# M2M100 share model_type "m2m_100" and differ in their language tokens.
_MODEL_TYPE_FAMILY = {"marian": "marian", "bart": "bart", "t5": "t5", "mt5": "t5", "m2m_100": "m2m100"}


def family_for(model_type: str, vocabulary: set[str] | dict[str, int]) -> str:
    """Guess the family of an arbitrary Hugging Face model from its config and vocabulary."""
    family = _MODEL_TYPE_FAMILY.get(model_type, "marian")
    if family == "m2m100" and "vie_Latn" in vocabulary:
        return "nllb"
    if family == "marian" and all(tag in vocabulary for tag in TARGET_TAGS.values()):
        return "marian-tags"
    return family
