"""The Translator: whole documents in, faithful translations with a term report out."""

from __future__ import annotations

import copy
import hashlib
import importlib.util
import logging
import os
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import overload

from .backends import Backend
from .backends.ct2 import ConversionError
from .backends.openai import LLMOptions
from .backends.remote import is_remote
from .backends.base import score_of
from .chrome import drop_chrome
from .confidence import CHECK, DEFAULT, DOUBTFUL, NO_SCORES, OK, Thresholds
from .confidence import load as load_thresholds
from .degenerate import DEGENERATE, RETRIED, RETRY, choose, problem
from .enforce import (APPLIED, MISSED, PLACEHOLDER, PLACEHOLDER_PATTERN, REPAIRED, Masked, TermHit, mask, repair,
                      restore)
from .errors import UsageError
from .glossary import LANGS, Glossary, TermMatch
from .hub import check_name, locate, models_dir
from .literals import NUMERIC_KINDS, find_literals, merged, tidy
from .memory import MemoryStats, Remembered, TermRecord, TranslationMemory, normalize
from .names import render_name
from .omissions import left_out, omissions
from .paths import cache_dir
from .presets import DEFAULT_MODEL, Preset
from .segment import Document, is_verbatim, split_clauses, split_document, split_long
from .text import nfc

log = logging.getLogger(__name__)

# Room left under the model's input limit for prefixes and special tokens.
_TOKEN_MARGIN = 8
# Placeholders per piece when a sentence that lost terms is translated in clauses: two
# first, then 0: cut after every code, so that each title of a list of officials ends a
# piece or is one (see _at_codes).
CLAUSE_TERMS = (2, 0)
# A placeholder and the punctuation and space after it: the end of a piece at level 0.
_CODE_PIECE = re.compile(PLACEHOLDER_PATTERN.pattern + r"[,;:.!?]?\s*")
# Words a model capitalises at the start of a piece that is not the start of a sentence.
_FUNCTION_WORDS = frozenset("The A An And Or But In On At Of With About Between For To From By As "
                            "Các Những Và Của Với Tại Trong Về Cho Theo Là".split())
# Where a piece's own ending meets the source's: "Hoai,," and ";," read as one stop.
_DOUBLED_STOP = re.compile(r"([,;:])(?:\s*[,;:])+")


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


@dataclass
class _Sentence:
    """Work state of one sentence while a batch of documents is translated."""

    doc: int
    line: int
    source: str
    matches: list[TermMatch] = field(default_factory=list)
    masked: Masked | None = None
    pieces: list[str] = field(default_factory=list)  # masked, cut to the input limit
    target: str | None = None
    terms: list[TermRecord] = field(default_factory=list)
    by_rule: bool = False  # copied or rendered by rule, never sent to the model
    flag: str = ""  # retried / degenerate: how the decoding went
    confidence: float | None = None
    lost: list[str] = field(default_factory=list)  # "missing: clause 2": pieces that came back empty
    flags: list[str] = field(default_factory=list)  # everything to check, set once the passes are done

    def enforced(self, candidate: _Candidate) -> None:
        self.target, self.flag = candidate.text, candidate.flag
        self.confidence, self.lost = candidate.confidence, candidate.lost
        self.terms = [(m.text, m.target, m.entry.kind, s) for m, s in zip(self.matches, candidate.statuses)]

    def missed(self) -> frozenset[int]:
        """The matches whose rendering is not in the current target."""
        return frozenset(i for i, (*_, status) in enumerate(self.terms) if status == MISSED)

    def omitted(self, src: str, tgt: str) -> list[str]:
        """What the current target lacks: empty pieces, then the checks of :mod:`vnsum.omissions`."""
        return _missing(self.source, self.target or "", self.lost, src, tgt)

    def check(self, src: str, tgt: str) -> None:
        """Set ``flags``: the decoding's flag, lost terms, and what else is missing."""
        lost_terms = [f'missing: term "{source}"' for source, _, kind, status in self.terms
                      if status == MISSED and kind not in NUMERIC_KINDS]
        self.flags = [*([self.flag] if self.flag else []), *lost_terms, *self.omitted(src, tgt)]


@dataclass
class _Candidate:
    """One decoding of a sentence, joined, restored and checked: what a pass may keep."""

    text: str
    statuses: list[str]
    flag: str
    confidence: float | None
    lost: list[str]

    @property
    def kept(self) -> int:
        return sum(s != MISSED for s in self.statuses)


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
        work: list[_Sentence] = []
        for d, doc in enumerate(docs):
            for ln, line in enumerate(doc.lines):
                for sentence in line.sentences:
                    item = _Sentence(d, ln, sentence)
                    if line.kind == "byline" and tgt == "en":
                        item.target, item.by_rule = render_name(sentence), True
                    elif is_verbatim(sentence):
                        item.target, item.by_rule = sentence, True  # numbers, dates, links: copied, never rewritten
                    work.append(item)
        todo = [w for w in work if w.target is None]
        key = self._key(backend, src, tgt) if self.memory is not None else None
        if key:
            todo = self._recall(key, todo)
        for w in todo:
            w.matches = (merged(self.glossary.find(w.source, src, tgt), find_literals(w.source, src, tgt))
                         if self.glossary else [])  # no glossary: the model's own output, dates included
            w.masked = mask(w.source, w.matches, unmasked=_told(backend, w.matches))
            w.pieces = self._cut(backend, w.masked.text)
        with self._lock:
            self._run(backend, todo, src, tgt)
        if key:
            self.memory.store(*key, {w.source: Remembered(w.target, tuple(w.terms), tuple(w.flags), w.confidence)
                                     for w in todo}.items())
        return [self._assemble(doc, [w for w in work if w.doc == d], sources[d], src, tgt, backend)
                for d, doc in enumerate(docs)]

    def _key(self, backend: Backend, src: str, tgt: str) -> tuple[str, str, str]:
        """(model, direction, glossary) of the memory key; the sentence completes it."""
        return backend.memory_key, f"{src}-{tgt}", self.glossary.sha if self.glossary else "no-glossary"

    def _recall(self, key: tuple[str, str, str], todo: list[_Sentence]) -> list[_Sentence]:
        """Fill the sentences the memory knows; return the others (still to translate).

        A sentence repeated in this call is translated once (see ``_generate``), so
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

    def _cut(self, backend: Backend, text: str, codes: int | None = None) -> list[str]:
        """``text`` cut at clause boundaries into pieces within the model's input limit and,
        if ``codes`` is given, holding at most that many placeholders each (0: cut after
        every placeholder)."""
        limit = backend.max_input_tokens - _TOKEN_MARGIN
        pieces = split_long(text, lambda piece: backend.count_tokens(piece) <= limit and (
            not codes or len(PLACEHOLDER_PATTERN.findall(piece)) <= codes))
        if codes == 0:
            pieces = [part for piece in pieces for part in _at_codes(piece)]
        return [p.strip() for p in pieces if p.strip()]

    def _run(self, backend: Backend, todo: list[_Sentence], src: str, tgt: str) -> None:
        """Translate, restore and check every term, then try again the sentences that lost some
        or left something out.

        The first retry switches only the lost terms' treatment (unmasked for a model that
        dropped their placeholders, masked for one that was told their renderings and
        missed them) and is kept when it is no worse. A sentence still missing terms is
        then translated in clauses of at most two placeholders each, then cut after every
        placeholder (a small model drops the last codes of a long list of officials and
        titles), each kept only when it gets more terms right: piece by piece reads less
        well. Last, a sentence that left out a number, a name, a quote or a clause
        (:mod:`vnsum.omissions`) is translated clause by clause, once, and that is kept
        when it leaves out less and loses no term.
        """
        self._attempt(backend, [(w, w.masked, w.pieces, frozenset()) for w in todo], src, tgt, _gains(0))
        retry = [w for w in todo if w.missed()]
        lost = {id(w): w.missed() for w in retry}  # a term lost now and found by a later pass is repaired
        masks = [mask(w.source, w.matches, unmasked=_told(backend, w.matches) ^ lost[id(w)]) for w in retry]
        self._attempt(backend, [(w, m, self._cut(backend, m.text), lost[id(w)]) for w, m in zip(retry, masks)],
                      src, tgt, _gains(0))
        for codes in CLAUSE_TERMS if backend.placeholders else ():
            clauses = [(w, w.masked, pieces, lost.get(id(w), frozenset())) for w in todo
                       if w.missed() and len(pieces := self._cut(backend, w.masked.text, codes)) > 1]
            self._attempt(backend, clauses, src, tgt, _gains(1))
        omitted = [(w, w.masked, pieces, lost.get(id(w), frozenset())) for w in todo if left_out(w.omitted(src, tgt))
                   and len(pieces := [c for p in w.pieces for c in split_clauses(p) if c.strip()]) > len(w.pieces)]
        self._attempt(backend, omitted, src, tgt, lambda w, new: new.kept >= _kept(w) and len(
            left_out(_missing(w.source, new.text, new.lost, src, tgt))) < len(left_out(w.omitted(src, tgt))))
        for w in todo:
            w.check(src, tgt)

    def _attempt(self, backend: Backend, tries: list[tuple[_Sentence, Masked, list[str], frozenset[int]]],
                 src: str, tgt: str, better: Callable[[_Sentence, _Candidate], bool]) -> None:
        """Translate each (sentence, masking, pieces, terms lost so far) in one batch; keep
        a result that is ``better`` than what the sentence has now."""
        outputs = _generate(backend, [p for _, _, pieces, _ in tries for p in pieces], src, tgt,
                            _renderings((pieces, masked, w.matches) for w, masked, pieces, _ in tries))
        for w, masked, pieces, lost in tries:
            joined = _joined(outputs, pieces)
            text, statuses = _verify(joined.text, masked, w.matches, lost)
            candidate = replace(joined, text=tidy(text, tgt), statuses=statuses,
                                flag=joined.flag or (w.flag if lost else ""))
            if w.target is None or better(w, candidate):
                w.enforced(candidate)

    def _assemble(self, doc, work: list[_Sentence], source: str, src: str, tgt: str,
                  backend: Backend) -> Translation:
        terms = [TermHit(*term, i) for i, w in enumerate(work) for term in w.terms]
        return Translation(
            text=doc.render([w.target for w in work]), source=source, src=src, tgt=tgt,
            model=backend.name, glossary=self.glossary.name if self.glossary else None, document=doc,
            model_note=self._notes.get((src, tgt), ""),
            segments=[Segment(w.source, w.target, w.line, w.confidence,
                              self._level(backend, src, tgt, w), w.flags) for w in work], terms=terms)

    def _level(self, backend: Backend, src: str, tgt: str, w: _Sentence) -> str:
        """The sentence's level; one copied or rendered by rule (no model) is ``ok``."""
        return OK if w.by_rule else self.thresholds(src, tgt).level(w.confidence, w.flags)

    def thresholds(self, src: str, tgt: str) -> Thresholds:
        """The confidence thresholds fitted for this model and direction (stored with its
        weights, :mod:`vnsum.confidence`), else the documented default."""
        return self._thresholds.get((src, tgt), DEFAULT)


def _told(backend: Backend, matches: list[TermMatch]) -> frozenset[int]:
    """The matches left in the text on the first pass: none for a model that copies
    placeholders; all for one told the renderings instead (``placeholders = False``)."""
    return frozenset() if backend.placeholders else frozenset(range(len(matches)))


def _verify(output: str, masked: Masked, matches: list[TermMatch],
            lost: frozenset[int] = frozenset()) -> tuple[str, list[str]]:
    """The output with placeholders restored and renderings checked, and a status per match.

    A restored placeholder is applied. A term left in the text is searched for: applied
    when its rendering is there as the glossary writes it and the model was told it,
    repaired when a variant was rewritten. On the first pass a masked term whose
    placeholder is gone is missed (the retry deals with it); on the retry (``lost``: the
    terms missed the first time) every term not restored is searched for, and a lost
    term found now counts as repaired.
    """
    _, restored = restore(output, masked)
    told = frozenset(range(len(matches))) - frozenset(masked.terms.values())
    statuses = [(REPAIRED if i in lost else APPLIED) if i in restored else MISSED for i in range(len(matches))]
    searched = [i for i in range(len(matches)) if i not in restored and (lost or i in told)]
    # Searched before the placeholders are put back, so that a restored rendering is
    # never taken for another occurrence of the same term.
    output, found = repair(output, [matches[i] for i in searched],
                           exact=[APPLIED if i in told - lost else REPAIRED for i in searched])
    for i, status in zip(searched, found):
        statuses[i] = status
    return restore(output, masked)[0], statuses


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


def _renderings(sentences: Iterable[tuple[list[str], Masked, list[TermMatch]]]) -> dict[str, dict[str, str]]:
    """Per piece of text, the glossary terms left in it (not masked) and their renderings:
    what a backend that takes renderings (an LLM) is told to write."""
    out: dict[str, dict[str, str]] = {}
    for pieces, masked, matches in sentences:
        told = [m for i, m in enumerate(matches) if i not in masked.terms.values()]
        for piece in pieces:
            out.setdefault(piece, {}).update({m.text: m.target for m in told if m.text in piece})
    return out


def _generate(backend: Backend, pieces: list[str], src: str, tgt: str,
              renderings: dict[str, dict[str, str]]) -> Iterator[tuple[str, str, float | None]]:
    """Run the backend once over the distinct pieces and yield (output, flag, score) in
    input order (score: the model's, None when it gives none or nothing was decoded).

    The backend is also told each piece's ``renderings`` (an LLM's prompt lists them).
    Degenerate outputs (see :mod:`vnsum.degenerate`) are decoded again, in one call,
    with settings against repeats; the better candidate is kept and flagged.
    """
    done = {p: (p, "", None) for p in pieces if _nothing_to_translate(p)}  # "ZZ6, " cut from a list
    unique = [p for p in dict.fromkeys(pieces) if p not in done]
    if not unique:
        return iter([done[p] for p in pieces])

    def generate(texts: list[str], decoding=None) -> list[tuple[str, float | None]]:
        sent = [_from_zero(t) for t in texts]
        outputs = backend.generate([text for text, _ in sent], src, tgt, decoding,
                                   renderings=[renderings.get(t, {}) for t in texts])
        return [(_numbered_back(output, codes), score_of(output)) for output, (_, codes) in zip(outputs, sent)]

    first = generate(unique)
    outputs, scores = [o for o, _ in first], [sc for _, sc in first]
    flags = [""] * len(unique)
    bad = [i for i, (piece, output) in enumerate(zip(unique, outputs)) if problem(piece, output)]
    if bad:
        again = generate([unique[i] for i in bad], RETRY)
        for i, (output, score) in zip(bad, again):
            outputs[i], flags[i] = choose(unique[i], outputs[i], output)
            if outputs[i] == output:
                scores[i] = score
        log.info("%d of %d outputs were degenerate: %d fixed by a second decoding", len(bad), len(unique),
                 sum(flags[i] == RETRIED for i in bad))
    done.update(zip(unique, zip(outputs, flags, scores)))
    return iter([done[p] for p in pieces])


def _from_zero(piece: str) -> tuple[str, list[str]]:
    """``piece`` with its placeholders numbered ZZ0, ZZ1… in order, and the numbers they
    had: a clause "giữa ZZ6 và ZZ7" is sent as "giữa ZZ0 và ZZ1", the numbering the model
    trained on (it drops the rarely seen high numbers even in a short piece)."""
    codes: list[str] = []

    def renumber(m: re.Match) -> str:
        codes.append(m.group(1))
        return PLACEHOLDER.format(len(codes) - 1)

    return PLACEHOLDER_PATTERN.sub(renumber, piece), codes


def _numbered_back(output: str, codes: list[str]) -> str:
    """The output with the numbers of :func:`_from_zero` put back; a placeholder the model
    invented gets a number no rendering has, so that restoring drops it (a run of
    thousands of digits too, which ``int`` would refuse). A piece sent without
    placeholders comes back as the model wrote it."""
    if not codes:
        return output

    def back(m: re.Match) -> str:
        digits = m.group(1)
        return PLACEHOLDER.format(codes[int(digits)] if len(digits) < 7 and int(digits) < len(codes) else 10**6)

    return PLACEHOLDER_PATTERN.sub(back, output)


def _at_codes(piece: str) -> list[str]:
    """``piece`` cut after each placeholder: "đồng chí ZZ5, ZZ6 đồng chủ trì." gives
    "đồng chí ZZ5, ", "ZZ6 " and "đồng chủ trì.": a code the model keeps dropping before
    a verb is copied, and the words before a code stay with it (a lone "đồng chí" is
    no sentence a small model can translate)."""
    cuts = sorted({0, len(piece), *(m.end() for m in _CODE_PIECE.finditer(piece))})
    return [piece[a:b] for a, b in zip(cuts, cuts[1:])]


def _nothing_to_translate(piece: str) -> bool:
    """True for a piece of placeholders, numbers and punctuation only: it is its own
    translation (a lone title cut out of a list of officials)."""
    return not any(ch.isalpha() for ch in PLACEHOLDER_PATTERN.sub("", piece))


def _joined(outputs: Iterator[tuple[str, str, float | None]], pieces: list[str]) -> _Candidate:
    """The next ``len(pieces)`` outputs joined into one sentence, with the worst flag and the
    lowest score among them (a sentence is as doubtful as its weakest piece), and
    ``missing: clause k`` for each piece with words that came back without any."""
    parts = [next(outputs) for _ in pieces]
    flags = {flag for _, flag, _ in parts}
    flag = DEGENERATE if DEGENERATE in flags else RETRIED if RETRIED in flags else ""
    texts = [_inside(text.strip(), piece.strip(), first=k == 0, last=k == len(pieces) - 1)
             for k, ((text, _, _), piece) in enumerate(zip(parts, pieces))]
    scores = [score for _, _, score in parts if score is not None]
    lost = [f"missing: clause {k}" for k, ((text, _, _), piece) in enumerate(zip(parts, pieces), 1)
            if len(pieces) > 1 and not _nothing_to_translate(piece) and not any(c.isalpha() for c in text)]
    return _Candidate(_DOUBLED_STOP.sub(r"\1", " ".join(t for t in texts if t)), [], flag,
                      min(scores) if scores else None, lost)


def _gains(gain: int) -> Callable[[_Sentence, _Candidate], bool]:
    """Keep a candidate that gets at least ``gain`` more terms right than the sentence has now."""
    return lambda w, new: new.kept >= _kept(w) + gain


def _kept(w: _Sentence) -> int:
    return sum(s != MISSED for *_, s in w.terms)


def _missing(source: str, text: str, lost: list[str], src: str, tgt: str) -> list[str]:
    """Pieces that came back empty (``lost``), then what :func:`vnsum.omissions.omissions` finds."""
    return [*lost, *omissions(source, text, src, tgt)]


def _inside(output: str, piece: str, first: bool, last: bool) -> str:
    """A piece's output fitted to its place in the sentence: a model writes each piece as
    a sentence of its own ("On ZZ0, at ZZ1." for "Ngày ZZ0, tại ZZ1,"). Unless the piece
    ends the sentence, a closing full stop becomes the piece's own ending (a comma, or
    nothing); unless it starts it, a capitalised function word goes lower case."""
    if not last and output.endswith(".") and not piece.endswith((".", "!", "?", "…")):
        output = output[:-1] + (piece[-1] if piece[-1:] in ",;:" else "")
    head = output.split(maxsplit=1)[0] if output else ""
    if not first and head in _FUNCTION_WORDS and piece[:1].islower():
        output = head.lower() + output[len(head):]
    return output


def _check_direction(src: str, tgt: str) -> None:
    if src not in LANGS or tgt not in LANGS or src == tgt:
        raise UsageError(f"unsupported direction {src}->{tgt}: vnsum translates vi->en and en->vi")
