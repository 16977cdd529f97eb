"""The Translator: whole documents in, faithful translations with a term report out."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import overload

from .backends import Backend
from .enforce import APPLIED, TermHit, mask, repair, restore
from .errors import UsageError
from .glossary import LANGS, Glossary, TermMatch
from .hub import locate
from .names import render_name
from .presets import DEFAULT_MODEL
from .segment import split_document, split_long
from .text import nfc

# Room left under the model's input limit for prefixes and special tokens.
_TOKEN_MARGIN = 8


@dataclass
class Segment:
    """One source sentence and its translation; ``line`` is 0-based in the document."""

    source: str
    target: str
    line: int


@dataclass
class Translation:
    """A translated document, its sentences and what happened to each glossary term."""

    text: str
    source: str
    src: str
    tgt: str
    model: str
    glossary: str | None
    segments: list[Segment] = field(default_factory=list)
    terms: list[TermHit] = field(default_factory=list)

    @property
    def term_counts(self) -> dict[str, int]:
        """How many term occurrences were applied, repaired and missed."""
        return dict(Counter(t.status for t in self.terms))

    def to_dict(self) -> dict:
        return asdict(self) | {"term_counts": self.term_counts}


@dataclass
class _Sentence:
    """Work state of one sentence while a batch of documents is translated."""

    doc: int
    line: int
    source: str
    matches: list[TermMatch] = field(default_factory=list)
    pieces: list[str] = field(default_factory=list)  # masked, cut to the input limit
    target: str | None = None
    statuses: list[str] = field(default_factory=list)


class Translator:
    """Translate Vietnamese <-> English documents with a glossary kept exactly.

    The model is loaded on first use of a direction and reused. Calls are serialised
    with a lock, so one Translator may be shared between threads (one at a time runs).
    """

    def __init__(self, model: str = DEFAULT_MODEL, glossary: str | Glossary | None = "vn-gov",
                 device: str = "auto", *, dtype: str = "auto", beam_size: int = 4,
                 batch_size: int = 16, backend: Backend | None = None):
        self.model = model
        self.glossary = glossary if glossary is None or isinstance(glossary, Glossary) else Glossary.load(glossary)
        self.options = {"device": device, "dtype": dtype, "beam_size": beam_size, "batch_size": batch_size}
        self._fixed = backend
        self._by_direction: dict[tuple[str, str], Backend] = {}
        self._by_path: dict[str, Backend] = {}
        self._lock = threading.RLock()

    def backend(self, src: str, tgt: str) -> Backend:
        """The loaded backend for src->tgt, loading it on first use."""
        _check_direction(src, tgt)
        if self._fixed is not None:
            return self._fixed
        with self._lock:
            if (src, tgt) not in self._by_direction:
                from .backends.hf import TransformersBackend

                located, preset = locate(self.model, src, tgt)
                key = str(located.path.resolve())
                if key not in self._by_path:
                    label = f"{preset.name} ({preset.repo(src, tgt)})" if preset else self.model
                    self._by_path[key] = TransformersBackend(
                        located.path, family=preset.family if preset else None, name=label, **self.options)
                self._by_direction[(src, tgt)] = self._by_path[key]
            return self._by_direction[(src, tgt)]

    @overload
    def translate(self, text: str, src: str = "vi", tgt: str = "en") -> str: ...
    @overload
    def translate(self, text: list[str], src: str = "vi", tgt: str = "en") -> list[str]: ...

    def translate(self, text, src="vi", tgt="en"):
        """Translate a text (str out) or a list of texts (list out, same order)."""
        if isinstance(text, str):
            return self.translate_document(text, src, tgt).text
        return [t.text for t in self.translate_documents(list(text), src, tgt)]

    def translate_document(self, text: str, src: str = "vi", tgt: str = "en") -> Translation:
        """Translate one document, keeping its lines, with a per-term report."""
        return self.translate_documents([text], src, tgt)[0]

    def translate_documents(self, texts: Sequence[str], src: str = "vi", tgt: str = "en") -> list[Translation]:
        """Translate several documents with one batched pass over all their sentences."""
        backend = self.backend(src, tgt)
        docs = [split_document(nfc(t), src) for t in texts]
        work: list[_Sentence] = []
        for d, doc in enumerate(docs):
            for ln, line in enumerate(doc.lines):
                for sentence in line.sentences:
                    item = _Sentence(d, ln, sentence)
                    if line.kind == "byline" and tgt == "en":
                        item.target = render_name(sentence)
                    elif not any(ch.isalpha() for ch in sentence):
                        item.target = sentence  # numbers, dates, URLs-free symbols: copy
                    else:
                        item.matches = self.glossary.find(sentence, src, tgt) if self.glossary else []
                        item.pieces = self._cut(backend, mask(sentence, item.matches))
                    work.append(item)
        with self._lock:
            self._run(backend, [w for w in work if w.target is None], src, tgt)
        return [self._assemble(doc, [w for w in work if w.doc == d], nfc(texts[d]), src, tgt, backend)
                for d, doc in enumerate(docs)]

    def _cut(self, backend: Backend, text: str) -> list[str]:
        limit = backend.max_input_tokens - _TOKEN_MARGIN
        pieces = split_long(text, lambda piece: backend.count_tokens(piece) <= limit)
        return [p.strip() for p in pieces if p.strip()]

    def _run(self, backend: Backend, todo: list[_Sentence], src: str, tgt: str) -> None:
        """Translate masked sentences, restore terms, and retry lost ones unmasked."""
        outputs = _generate(backend, [p for w in todo for p in w.pieces], src, tgt)
        retry = []
        for w in todo:
            joined = " ".join(next(outputs).strip() for _ in w.pieces)
            restored = restore(joined, w.matches) if w.matches else joined
            if restored is None:
                retry.append(w)
            else:
                w.target, w.statuses = restored, [APPLIED] * len(w.matches)
        for w in retry:
            w.pieces = self._cut(backend, w.source)
        outputs = _generate(backend, [p for w in retry for p in w.pieces], src, tgt)
        for w in retry:
            w.target, w.statuses = repair(" ".join(next(outputs).strip() for _ in w.pieces), w.matches)

    def _assemble(self, doc, work: list[_Sentence], source: str, src: str, tgt: str,
                  backend: Backend) -> Translation:
        terms = [TermHit(m.text, m.target, m.entry.kind, status, i)
                 for i, w in enumerate(work) for m, status in zip(w.matches, w.statuses)]
        return Translation(
            text=doc.render([w.target for w in work]), source=source, src=src, tgt=tgt,
            model=backend.name, glossary=self.glossary.name if self.glossary else None,
            segments=[Segment(w.source, w.target, w.line) for w in work], terms=terms)


def _generate(backend: Backend, pieces: list[str], src: str, tgt: str):
    """Run the backend once over the distinct pieces and yield outputs in input order."""
    unique = list(dict.fromkeys(pieces))
    if not unique:
        return iter(())
    done = dict(zip(unique, backend.generate(unique, src, tgt)))
    return iter([done[p] for p in pieces])


def _check_direction(src: str, tgt: str) -> None:
    if src not in LANGS or tgt not in LANGS or src == tgt:
        raise UsageError(f"unsupported direction {src}->{tgt}: vnsum translates vi->en and en->vi")
