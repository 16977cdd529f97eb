"""Marian folders read with sentencepiece and json alone: the CTranslate2 backend's fast start.

Loading transformers to tokenize imports torch and sacremoses, about two seconds on two
cores before the first token: most of the wait for a one-line ``vnsum translate``.
A Marian folder (``source.spm``, ``target.spm``, ``vocab.json``; the bundled models and
OPUS-MT) needs none of it. :class:`MarianPieces` does what transformers'
MarianTokenizer does for translation (a leading ``>>xx<<`` tag kept whole, the
sentencepiece pieces of the rest, ids from ``vocab.json``, unknown pieces as
``<unk>``, ``</s>`` appended; decoding with the source model, as transformers does for
a shared vocabulary), so both give the same tokens; tests compare them. Any other
folder (T5, NLLB, Marian with separate vocabularies) is read with transformers.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

MARIAN_FILES = ("source.spm", "target.spm", "vocab.json", "config.json", "generation_config.json",
                "tokenizer_config.json")
_SPIECE_UNDERLINE = "▁"
_SPECIAL_SPLIT = re.compile(r"(</s>|<unk>|<pad>)")


@dataclass
class Encoded:
    input_ids: Any  # list[int] for one text, list[list[int]] for several


class MarianPieces:
    """The parts of MarianTokenizer that translation uses, without transformers."""

    def __init__(self, folder: Path):
        import sentencepiece

        settings = json.loads((folder / "tokenizer_config.json").read_text(encoding="utf-8"))
        self.eos_token = settings.get("eos_token", "</s>")
        self.unk_token = settings.get("unk_token", "<unk>")
        self.pad_token = settings.get("pad_token", "<pad>")
        self.encoder: dict[str, int] = json.loads((folder / "vocab.json").read_text(encoding="utf-8"))
        self.decoder = {i: piece for piece, i in self.encoder.items()}
        self.spm_source = sentencepiece.SentencePieceProcessor(model_file=str(folder / "source.spm"))
        self.spm_target = sentencepiece.SentencePieceProcessor(model_file=str(folder / "target.spm"))
        self.special = {self.eos_token, self.unk_token, self.pad_token}
        self.eos_token_id = self.encoder[self.eos_token]
        self.unk_token_id = self.encoder[self.unk_token]

    def get_vocab(self) -> dict[str, int]:
        return dict(self.encoder)

    def tokenize(self, text: str, target: bool = False) -> list[str]:
        """A special token written in the text is that token, as transformers splits it;
        ``target``: with the target language's model (a reference, an output)."""
        if any(token in text for token in self.special):
            pieces: list[str] = []
            for part in _SPECIAL_SPLIT.split(text):
                pieces += [part] if part in self.special else self._pieces(part, target) if part else []
            return pieces
        return self._pieces(text, target)

    def _pieces(self, text: str, target: bool) -> list[str]:
        code = []
        if text.startswith(">>") and (end := text.find("<<")) != -1:
            code, text = [text[:end + 2]], text[end + 2:]
        return code + (self.spm_target if target else self.spm_source).encode(text, out_type=str)

    def __call__(self, text: str | list[str] | None = None, verbose: bool = True,
                 text_target: str | list[str] | None = None) -> Encoded:
        """Ids of a text or texts, as ``tokenizer(text)`` (or ``tokenizer(text_target=…)``) gives them."""
        texts, target = (text, False) if text is not None else (text_target, True)
        if isinstance(texts, str):
            return Encoded(self._ids(texts, target))
        return Encoded([self._ids(t, target) for t in texts])

    def _ids(self, text: str, target: bool) -> list[int]:
        return [self.encoder.get(piece, self.unk_token_id)
                for piece in self.tokenize(text, target)] + [self.eos_token_id]

    def convert_ids_to_tokens(self, ids: int | list[int]) -> str | list[str]:
        if isinstance(ids, int):
            return self.decoder.get(ids, self.unk_token)
        return [self.decoder.get(i, self.unk_token) for i in ids]

    def convert_tokens_to_ids(self, tokens: str | list[str]) -> int | list[int]:
        if isinstance(tokens, str):
            return self.encoder.get(tokens, self.unk_token_id)
        return [self.encoder.get(t, self.unk_token_id) for t in tokens]

    def decode(self, ids: list[int], skip_special_tokens: bool = False) -> str:
        tokens = [t for t in self.convert_ids_to_tokens(list(ids)) if not (skip_special_tokens and t in self.special)]
        model = self.spm_source  # transformers decodes with it when the vocabulary is shared
        out, run = "", []
        for token in tokens:
            if token in self.special:
                out += model.decode_pieces(run) + token + " "
                run = []
            else:
                run.append(token)
        out += model.decode_pieces(run)
        return out.replace(_SPIECE_UNDERLINE, " ").strip()


def read_marian(folder: Path) -> tuple[Any, MarianPieces, Any] | None:
    """(config, tokenizer, generation config) of a Marian-tokenized folder, read without
    transformers; None when the folder is of another kind (or lacks one of the files)."""
    if not all((folder / name).is_file() for name in MARIAN_FILES):
        return None
    settings = json.loads((folder / "tokenizer_config.json").read_text(encoding="utf-8"))
    if settings.get("tokenizer_class") != "MarianTokenizer" or settings.get("separate_vocabs"):
        return None
    config = SimpleNamespace(**json.loads((folder / "config.json").read_text(encoding="utf-8")))
    generation = json.loads((folder / "generation_config.json").read_text(encoding="utf-8"))
    fields = ("length_penalty", "repetition_penalty", "no_repeat_ngram_size", "bad_words_ids", "forced_eos_token_id")
    return config, MarianPieces(folder), SimpleNamespace(**{f: generation.get(f) for f in fields})
