"""Abstractive summaries from any seq2seq summarization model.

Loaded through the same model lookup as translation (presets, ``models/``, the Hugging
Face cache, the hub). Inputs longer than the model's limit are cut into chunks of whole
sentences, each summarized, and the result says so: nothing is silently truncated.
"""

from __future__ import annotations

from ..backends import Backend
from ..hub import check_name, locate
from ..segment import split_document, split_long, split_sentences
from ..text import nfc
from .base import Summary, length_target
from .candidates import candidates

_TOKEN_MARGIN = 8


class AbstractiveSummarizer:
    """A seq2seq summarizer (e.g. the ``vit5`` preset), loaded once per language."""

    usage = None

    def __init__(self, model: str, *, device: str = "auto", dtype: str = "auto", beam_size: int = 4,
                 max_summary_tokens: int = 256, backend: Backend | None = None):
        check_name(model)
        self.name = model
        self.options = {"device": device, "dtype": dtype, "beam_size": beam_size, "batch_size": 4,
                        "max_new_tokens": max_summary_tokens}
        self._backends: dict[str, Backend] = {lang: backend for lang in ("vi", "en")} if backend else {}

    def backend(self, lang: str) -> Backend:
        if lang not in self._backends:
            from ..backends.hf import TransformersBackend

            located, preset = locate(self.name, lang, lang)
            family = preset.family if preset else None
            self._backends[lang] = TransformersBackend(located.path, family=family, name=self.name, **self.options)
        return self._backends[lang]

    def chunks(self, text: str, lang: str, backend: Backend) -> list[str]:
        """Whole content sentences packed into chunks that fit the model's input."""
        limit = backend.max_input_tokens - _TOKEN_MARGIN
        fits = lambda piece: backend.count_tokens(piece) <= limit  # noqa: E731
        pieces = [p.strip() for c in candidates(split_document(nfc(text), lang)) for p in split_long(c.text, fits)]
        out: list[str] = []
        for piece in pieces:
            if out and fits(f"{out[-1]} {piece}"):
                out[-1] = f"{out[-1]} {piece}"
            else:
                out.append(piece)
        return out

    def summarize(self, text: str, lang: str = "vi", *, sentences: int | None = None,
                  words: int | None = None, title: str | None = None) -> Summary:
        """The model reads the article alone: summarization models were trained without titles."""
        sentences, words = length_target(sentences, words)
        backend = self.backend(lang)
        chunks = self.chunks(text, lang, backend)
        if not chunks:
            return Summary([], lang, self.name, notes=["no sentence fit for a summary"])
        notes = []
        if len(chunks) > 1:
            notes.append(f"the article is longer than the model's {backend.max_input_tokens}-token input: "
                         f"it was summarized in {len(chunks)} parts, joined in order")
        produced = split_sentences(" ".join(o.strip() for o in backend.generate(chunks, lang, lang)), lang)
        kept = within(produced, sentences, words)
        if len(kept) < len(produced):
            notes.append(f"kept {len(kept)} of the {len(produced)} sentences the model wrote (length target)")
        return Summary(kept, lang, self.name, notes=notes)


def within(sentences: list[str], count: int | None, words: int | None) -> list[str]:
    """The first sentences a model wrote that meet the length target (at least one)."""
    if words is None:
        return sentences[:count or len(sentences)]
    kept, used = [], 0
    for s in sentences:
        if kept and used + len(s.split()) > words:
            break
        kept.append(s)
        used += len(s.split())
    return kept
