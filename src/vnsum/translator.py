"""The Translator: whole documents in, faithful translations with a term report out."""

from __future__ import annotations

import copy
import hashlib
import importlib.util
import logging
import os
import threading
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import overload

from .backends import Backend
from .backends.ct2 import ConversionError
from .backends.openai import LLMOptions
from .backends.remote import is_remote
from .chrome import drop_chrome
from .confidence import CHECK, DEFAULT, DOUBTFUL, NO_SCORES, OK, Thresholds
from .confidence import load as load_thresholds
from .degenerate import DEGENERATE, RETRIED
from .enforce import TermHit, mask
from .errors import UsageError
from .glossary import LANGS, Glossary
from .hub import check_name, locate, models_dir
from .literals import find_literals, merged, rewrite
from .memory import MemoryStats, Remembered, TranslationMemory, normalize
from .names import render_name
from . import passes
from .passes import PassReport, Sentence, told
from .paths import cache_dir
from .presets import DEFAULT_MODEL, Preset
from .segment import Document, is_verbatim, split_document
from .text import nfc

log = logging.getLogger(__name__)


@dataclass
class Segment:
    """One source sentence and its translation; ``line`` is 0-based in the document.

    ``confidence`` is the model's mean log-probability per token of its output (None:
    copied by rule, or a model without scores); ``level`` says how far to trust the
    sentence (:mod:`vnsum.confidence`: ``ok``, ``check``, ``doubtful``, or ``unscored``).
    ``flags`` say why to check it: what is missing (:mod:`vnsum.omissions`: ``missing:
    "1.200"``, ``missing: clause 2``, ``missing: term "Bộ Công an"``), and ``retried``
    when the first output was degenerate (a loop, runaway length, empty) and a second
    decoding fixed it, ``degenerate`` when neither was good (the lesser one is kept,
    loops cut to one copy).
    """

    source: str
    target: str
    line: int
    confidence: float | None = None
    level: str = OK
    flags: list[str] = field(default_factory=list)

    @property
    def to_check(self) -> bool:
        return self.level in (CHECK, DOUBTFUL)


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
    model_note: str = ""  # the model's class, for the reader ("demonstration model: check every sentence")
    document: Document | None = field(default=None, repr=False, compare=False)  # the source's layout

    @property
    def term_counts(self) -> dict[str, int]:
        """How many term occurrences were applied, repaired and missed."""
        return dict(Counter(t.status for t in self.terms))

    @property
    def output_counts(self) -> dict[str, int]:
        """How many sentences needed a second decoding (``retried``) or stayed ``degenerate``."""
        return dict(Counter(f for s in self.segments for f in s.flags if f in (RETRIED, DEGENERATE)))

    @property
    def level_counts(self) -> dict[str, int]:
        """How many sentences are ``ok``, to ``check``, ``doubtful`` (or ``unscored``)."""
        return dict(Counter(s.level for s in self.segments))

    @property
    def to_check(self) -> int:
        """How many sentences a reader should check (level ``check`` or ``doubtful``)."""
        return sum(s.to_check for s in self.segments)

    def marked(self) -> str:
        """The text with a visible marker after each sentence to check ("[CHECK: missing
        "1.200"]"), for readers of plain text (``vnsum translate --mark``)."""
        if self.document is None:
            return self.text
        return self.document.render([s.target + mark(s) for s in self.segments])

    def to_dict(self) -> dict:
        data = asdict(replace(self, document=None))
        del data["document"]
        return data | {"term_counts": self.term_counts, "output_counts": self.output_counts,
                       "level_counts": self.level_counts, "to_check": self.to_check}


def mark(segment: Segment) -> str:
    """What ``--mark`` puts after a sentence to check: " [CHECK: missing "1.200"]" (the
    level, and why when a flag says), nothing after the others."""
    if not segment.to_check:
        return ""
    why = "; ".join(f for f in segment.flags if f != RETRIED)
    return f" [{segment.level.upper()}{': ' + why if why else ''}]"


class Translator:
    """Translate Vietnamese <-> English documents with a glossary kept exactly.

    The model is loaded on first use of a direction and reused. Calls are serialised
    with a lock, so one Translator may be shared between threads (one at a time runs).

    ``backend`` is ``"hf"`` (transformers), ``"ct2"`` (CTranslate2, converted once into
    ``models/<name>-ct2-<compute_type>/``), ``"auto"`` (ct2 when the ctranslate2 package
    is installed and the conversion works, else hf; the choice is logged) or a loaded
    :class:`Backend`. ``memory`` (a path or a :class:`TranslationMemory`) serves
    sentences translated before with the same model and glossary; ``stats`` counts
    its hits and misses. ``threads`` caps the CPU threads of the model (0: engine default).

    A ``model`` named ``openai:NAME`` is a model on an OpenAI-compatible server
    (:mod:`vnsum.backends.llm`), reached as ``llm`` says (default: ``$VNSUM_API_BASE``);
    one such backend serves both directions, told each call's required renderings.

    Site chrome (:mod:`vnsum.chrome`: view counters, menus, share buttons) is kept as
    written, never sent to the model; ``strip_chrome`` drops it from source and result.
    """

    def __init__(self, model: str = DEFAULT_MODEL, glossary: str | Glossary | None = "vn-gov",
                 device: str = "auto", *, dtype: str = "auto", beam_size: int = 4,
                 batch_size: int = 16, backend: str | Backend = "auto",
                 memory: str | os.PathLike | TranslationMemory | None = None, threads: int = 0,
                 llm: LLMOptions | None = None, strip_chrome: bool = False):
        if isinstance(backend, str) and backend not in LOADERS:
            raise UsageError(f"unknown backend {backend!r}: use one of {', '.join(LOADERS)}")
        if not is_remote(model):
            check_name(model)  # a typo is a wrong command, before any model loads (models load lazily)
        self.model = model
        self.glossary = glossary if glossary is None or isinstance(glossary, Glossary) else Glossary.load(glossary)
        self.options = {"device": device, "dtype": dtype, "beam_size": beam_size, "batch_size": batch_size}
        self.engine = backend if isinstance(backend, str) else None
        self.threads = threads
        self.llm = llm
        self.strip_chrome = strip_chrome
        self.memory = memory if memory is None or isinstance(memory, TranslationMemory) else TranslationMemory(memory)
        self.stats = MemoryStats()
        self._fixed = None if isinstance(backend, str) else backend
        self._by_direction: dict[tuple[str, str], Backend] = {}
        self._by_path: dict[str, Backend] = {}
        self._thresholds: dict[tuple[str, str], Thresholds] = {}
        self._notes: dict[tuple[str, str], str] = {}
        # What each pass of the latest call did and cost (:mod:`vnsum.passes`): for profiles.
        self.last_passes: list[PassReport] = []
        self._lock = threading.RLock()

    def backend(self, src: str, tgt: str) -> Backend:
        """The loaded backend for src->tgt, loading it on first use."""
        _check_direction(src, tgt)
        if self._fixed is not None:
            return self._fixed
        with self._lock:
            if (src, tgt) not in self._by_direction and is_remote(self.model):
                if self.model not in self._by_path:
                    self._by_path[self.model] = self._load_remote()
                self._by_direction[(src, tgt)] = self._by_path[self.model]
                self._notes[(src, tgt)] = NO_SCORES
            if (src, tgt) not in self._by_direction:
                located, preset = locate(self.model, src, tgt)
                key = str(located.path.resolve())
                if key not in self._by_path:
                    label = f"{preset.name} ({preset.repo(src, tgt)})" if preset else self.model
                    backend = LOADERS[self.engine](
                        located.path, family=preset.family if preset else None, name=label,
                        store=_conversion_store(located.path, located.origin, preset, self.model, src, tgt),
                        threads=self.threads, options=self.options)
                    self._by_path[key] = backend
                self._by_direction[(src, tgt)] = self._by_path[key]
                self._thresholds[(src, tgt)] = load_thresholds(located.path).get(f"{src}-{tgt}", DEFAULT)
                self._notes[(src, tgt)] = preset.note if preset else ""
            return self._by_direction[(src, tgt)]

    def with_glossary(self, glossary: Glossary | None) -> Translator:
        """A Translator with ``glossary`` that shares this one's models, loaded or not, and
        what was read with them (confidence thresholds, model notes), its memory and its lock."""
        twin = copy.copy(self)
        twin.glossary, twin.stats = glossary, MemoryStats()
        return twin

    def loaded(self) -> list[Backend]:
        """The backends loaded so far, each once (none before the first translation)."""
        if self._fixed is not None:
            return [self._fixed]
        with self._lock:
            return list({id(b): b for b in self._by_direction.values()}.values())

    def _load_remote(self) -> Backend:
        from .backends.llm import LLMBackend
        from .backends.remote import client_for

        return LLMBackend(client_for(self.model, self.llm))

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
        sources = [drop_chrome(nfc(t)) if self.strip_chrome else nfc(t) for t in texts]
        docs = [split_document(t, src) for t in sources]
        work: list[Sentence] = []
        for d, doc in enumerate(docs):
            for ln, line in enumerate(doc.lines):
                for sentence in line.sentences:
                    item = Sentence(d, ln, sentence)
                    if line.kind == "byline" and tgt == "en":
                        item.target, item.by_rule = render_name(sentence), True
                    elif is_verbatim(sentence):
                        # numbers, dates, links: never sent to a model; dates and numbers written
                        # as the glossary writes them in the body (none rewritten without one)
                        item.target = rewrite(sentence, src, tgt) if self.glossary else sentence
                        item.by_rule = True
                    work.append(item)
        todo = [w for w in work if w.target is None]
        for w in todo:  # before the memory, so a remembered sentence keeps its by-rule level
            w.matches = (merged(self.glossary.find(w.source, src, tgt), find_literals(w.source, src, tgt))
                         if self.glossary else [])  # no glossary: the model's own output, dates included
            w.masked = mask(w.source, w.matches, unmasked=told(backend, w.matches))
            # every word a glossary name or a literal: written by rule, as trusted as a date line
            w.by_rule = passes.nothing_to_translate(w.masked.text)
        key = self._key(backend, src, tgt) if self.memory is not None else None
        if key:
            todo = self._recall(key, todo)
        with self._lock:
            self.last_passes = passes.run(backend, todo, src, tgt)
        if key:
            self.memory.store(*key, {w.source: Remembered(w.target, tuple(w.terms), tuple(w.flags), w.confidence)
                                     for w in todo}.items())
        return [self._assemble(doc, [w for w in work if w.doc == d], sources[d], src, tgt, backend)
                for d, doc in enumerate(docs)]

    def _key(self, backend: Backend, src: str, tgt: str) -> tuple[str, str, str]:
        """(model, direction, glossary) of the memory key; the sentence completes it."""
        return backend.memory_key, f"{src}-{tgt}", self.glossary.sha if self.glossary else "no-glossary"

    def _recall(self, key: tuple[str, str, str], todo: list[Sentence]) -> list[Sentence]:
        """Fill the sentences the memory knows; return the others (still to translate).

        A sentence repeated in this call is translated once (see :func:`vnsum.passes.decode`), so
        only the first of its copies counts as a miss: the others are hits.
        """
        found = self.memory.lookup(*key, [w.source for w in todo])
        misses = []
        for w in todo:
            hit = found.get(w.source)
            if hit is None:
                misses.append(w)
            else:
                w.target, w.terms, w.flags, w.confidence = hit.target, list(hit.terms), list(hit.flags), hit.confidence
        distinct = len({normalize(w.source) for w in misses})
        with self._lock:
            self.stats.hits += len(todo) - distinct
            self.stats.misses += distinct
        return misses

    def _assemble(self, doc, work: list[Sentence], source: str, src: str, tgt: str,
                  backend: Backend) -> Translation:
        terms = [TermHit(*term, i) for i, w in enumerate(work) for term in w.terms]
        return Translation(
            text=doc.render([w.target for w in work]), source=source, src=src, tgt=tgt,
            model=backend.name, glossary=self.glossary.name if self.glossary else None, document=doc,
            model_note=self._notes.get((src, tgt), ""),
            segments=[Segment(w.source, w.target, w.line, w.confidence,
                              self._level(backend, src, tgt, w), w.flags) for w in work], terms=terms)

    def _level(self, backend: Backend, src: str, tgt: str, w: Sentence) -> str:
        """The sentence's level; one copied or rendered by rule (no model) is ``ok``."""
        return OK if w.by_rule else self.thresholds(src, tgt).level(w.confidence, w.flags)

    def thresholds(self, src: str, tgt: str) -> Thresholds:
        """The confidence thresholds fitted for this model and direction (stored with its
        weights, :mod:`vnsum.confidence`), else the documented default."""
        return self._thresholds.get((src, tgt), DEFAULT)


def _load_hf(path: Path, *, family: str | None, name: str, store: Path, threads: int,
             options: dict) -> Backend:
    from .backends.hf import TransformersBackend

    if threads:
        import torch

        torch.set_num_threads(threads)
    return TransformersBackend(path, family=family, name=name, **options)


def _load_ct2(path: Path, *, family: str | None, name: str, store: Path, threads: int,
              options: dict) -> Backend:
    from .backends.ct2 import CTranslate2Backend

    return CTranslate2Backend(path, family=family, name=name, store=store, threads=threads, **options)


def _load_auto(path: Path, **kw) -> Backend:
    """ct2 when the ctranslate2 package is installed and the model converts; else hf."""
    if importlib.util.find_spec("ctranslate2") is None:
        log.info("backend auto -> hf: the ctranslate2 package is not installed (pip install 'vnsum[fast]')")
        return _load_hf(path, **kw)
    try:
        backend = _load_ct2(path, **kw)
    except ConversionError as exc:
        log.warning("backend auto -> hf: %s", exc)
        return _load_hf(path, **kw)
    log.info("backend auto -> ct2: ctranslate2 is installed and %s is converted", path)
    return backend


LOADERS: dict[str, Callable[..., Backend]] = {"auto": _load_auto, "hf": _load_hf, "ct2": _load_ct2}


def _conversion_store(path: Path, origin: str, preset: Preset | None, spec: str, src: str, tgt: str) -> Path:
    """Path prefix of a CTranslate2 conversion: ``models/opus-mt-vi-en`` for a preset,
    ``models/org--name`` for a hub id; for a folder given by path, a name in the cache
    (``~/.cache/vnsum/ct2/mine-1a2b3c4d``), never a new folder beside the user's own."""
    if origin == "folder":
        digest = hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:8]
        return cache_dir() / "ct2" / f"{path.resolve().name}-{digest}"
    name = preset.local_subdir(src, tgt).replace("/", "-") if preset else spec.replace("/", "--")
    return models_dir() / name


def _check_direction(src: str, tgt: str) -> None:
    if src not in LANGS or tgt not in LANGS or src == tgt:
        raise UsageError(f"unsupported direction {src}->{tgt}: vnsum translates vi->en and en->vi")
