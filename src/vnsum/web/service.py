"""What the page and the REST API do, over the Python API, once per server.

Models and glossaries are loaded when the server starts. A request is checked against
the limits the moment it arrives (cheap, no model) and turned into a *job*: a function
that does the model work when :class:`~vnsum.web.gate.Gate` lets it run. So a request
that is too large is refused at once instead of after waiting its turn.
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from ..enforce import TermHit
from ..errors import UsageError, VnsumError
from ..text import is_blank
from ..glossary import LANGS, Glossary, glossary_dir
from ..stacking import stack
from ..hub import AutoDownload, locate, resolve_auto
from ..pipeline import ArticleResult, Pipeline
from ..presets import AUTO, PRESETS
from ..summarize import Summary, get_summarizer
from ..memory import TranslationMemory
from ..translator import Segment, Translator
from .config import ServerConfig
from .errors import RequestTooLarge, public
from .gate import Gate
from .htmltext import translate_html

NO_GLOSSARY = "none"
FORMATS = ("text", "html")
T = TypeVar("T")
Job = Callable[[], T]
log = logging.getLogger(__name__)


@dataclass
class Translated:
    """One translated text of a request: its glossary report, its sentences (each with
    its level and flags), the model's name and what a reader must know of it."""

    text: str
    terms: list[TermHit]
    segments: list[Segment]
    model: str
    model_note: str = ""

    @property
    def to_check(self) -> int:
        return sum(s.to_check for s in self.segments)


def available_models(default: str) -> list[str]:
    """``default`` first, then every translation preset with weights on this machine.

    ``auto`` is resolved here (:func:`~vnsum.hub.resolve_auto`), so the page and
    ``/languages`` name the model that really answers, such as ``vnsum-mini``.
    """
    if default == AUTO:
        default = resolve_auto("vi", "en")
    here = [name for name, p in PRESETS.items() if p.task == "translation" and name != default
            and any(_located(name, src, tgt) for src, tgt in p.repos)]
    return [default, *here]


def model_name(spec: str) -> str:
    """What visitors see for a model: a preset or hub id as given, a folder by its own name."""
    if spec in PRESETS or not (Path(spec).expanduser().exists() or spec.startswith((".", "/", "~"))):
        return spec
    return Path(spec).expanduser().name or spec


def _located(name: str, src: str, tgt: str) -> bool:
    try:
        locate(name, src, tgt, download=False)
    except VnsumError:
        return False
    return True


def bundled_glossaries() -> dict[str, Glossary]:
    """Every glossary in the glossary folder, by name; only these can be asked for by name."""
    return {path.stem: Glossary.load(path) for path in sorted(glossary_dir().glob("*.tsv"))}


class _Cache(OrderedDict):
    """A small least-recently-used map: per-glossary translators, uploaded glossaries."""

    def __init__(self, size: int):
        super().__init__()
        self.size = size
        self.lock = threading.Lock()

    def get_or_make(self, key, make):
        with self.lock:
            if key in self:
                self.move_to_end(key)
                return self[key]
        value = make()
        with self.lock:
            self[key] = value
            while len(self) > self.size:
                self.popitem(last=False)
        return value


class Service:
    """The server's models, glossaries, summarizer and limits, shared by every request.

    ``translators`` maps model names to glossary-less Translators (tests pass ones with
    fake backends); by default there is one per model available on this machine, under
    its :func:`model_name`, so no server path reaches a visitor.
    """

    def __init__(self, config: ServerConfig, translators: dict[str, Translator] | None = None):
        self.config = config
        self.limits = config.limits
        self.gate = Gate(self.limits.workers, self.limits.max_waiting, self.limits.timeout_s)
        self.glossaries = bundled_glossaries()
        self.default_glossary = self._add_default(config.glossary)
        self.translators = translators or {
            model_name(spec): Translator(spec, glossary=None, **config.translator_options)
            for spec in available_models(config.model)}
        default = model_name(config.model)
        self.default_model = default if default in self.translators else next(iter(self.translators))
        self.summarizer = get_summarizer(config.summarizer, llm=config.translator_options.get("llm"))
        self.startup_error: str | None = None
        # auto on a connected machine: the bundled model answers while a better one downloads
        self.download = AutoDownload(self._adopt_download) if translators is None and config.model == AUTO else None
        self._with_glossary = _Cache(32)
        self._uploaded = _Cache(16)
        self._stacked = _Cache(16)

    def _add_default(self, spec: str | Glossary | None) -> str:
        """The name of the server's default glossary, added to the allowed ones if new."""
        if spec is None:
            return NO_GLOSSARY
        if isinstance(spec, str) and spec in self.glossaries:
            return spec
        glossary = spec if isinstance(spec, Glossary) else Glossary.load(spec)
        self.glossaries[glossary.name] = glossary  # the operator's file wins over a bundled namesake
        return glossary.name

    def usage(self) -> dict:
        """What the models on LLM servers were asked since the server started (requests,
        retries, tokens): per translation model, and for the summarizer (None if local)."""
        summarizer = self.summarizer.usage
        return {"translation": {name: backend.usage.to_dict() for name, translator in self.translators.items()
                                for backend in translator.loaded() if backend.usage is not None},
                "summarizer": summarizer.to_dict() if summarizer is not None else None}

    @property
    def glossary_names(self) -> list[str]:
        return [*self.glossaries, NO_GLOSSARY]

    def start(self) -> None:
        """Load the default model for both directions now, so no request waits for it.

        When its weights are missing, or its LLM server does not answer, the server
        still starts; the page and every API call then say why and how to fix it. The
        full message, with the folders searched, goes to the server log; visitors get it
        without server paths.
        """
        self.startup_error = self._load_default()
        if self.startup_error:
            log.warning("model %s cannot translate:\n%s", self.default_model, self.startup_error)
        self.startup_error = public(self.startup_error or "") or None
        if self.download:
            self.download.start()

    def recheck(self) -> None:
        """Try the default model again if it could not translate (an LLM server that was
        still starting, weights installed since): /health then says ok."""
        if self.startup_error and self._load_default() is None:
            log.info("model %s can translate now", self.default_model)
            self.startup_error = None

    def _adopt_download(self) -> None:
        """Serve with the model ``auto`` downloaded, loaded both ways first (runs in the
        download's thread; the dict is replaced, not changed, under readers' feet)."""
        name = resolve_auto("vi", "en")
        translator = Translator(name, glossary=None, **self.config.translator_options)
        for src, tgt in (("vi", "en"), ("en", "vi")):
            translator.backend(src, tgt)
        self.translators = {name: translator, **self.translators}
        self.default_model = name

    def download_status(self) -> dict | None:
        """What /health shows of ``auto``'s first-use download (None when the model is not auto)."""
        if self.download is None:
            return None
        status = self.download.status()
        return status | {"error": public(status["error"]) if status["error"] else None}

    def _load_default(self) -> str | None:
        """Why the default model cannot translate both ways (each problem once), or None."""
        translator = self.translators[self.default_model]
        problems = []
        for src, tgt in (("vi", "en"), ("en", "vi")):
            try:
                translator.backend(src, tgt)
            except VnsumError as exc:
                problems.append(str(exc))
        return "\n\n".join(dict.fromkeys(problems)) or None

    def glossary(self, choice: str | list[str] | Glossary | None) -> Glossary | None:
        """A glossary by name from the allowed list (None: the server's default); a list of
        names is stacked in order, later ones winning per term."""
        if isinstance(choice, Glossary):
            return choice
        if isinstance(choice, list):
            if not choice or NO_GLOSSARY in choice:
                raise UsageError(f"a list of glossaries names at least one, and not {NO_GLOSSARY!r}")
            return self._stack([self.glossary(name) for name in choice])
        name = self.default_glossary if choice is None else choice
        if name == NO_GLOSSARY:
            return None
        if name not in self.glossaries:
            raise UsageError(f"unknown glossary {name!r}; this server has: {', '.join(self.glossary_names)}")
        return self.glossaries[name]

    def uploaded_glossary(self, path: Path, alone: bool = False) -> Glossary:
        """A glossary file uploaded for one session, loaded once per content: on top of the
        server's default glossary (the reader adds terms, the official names stay), or alone."""
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        mine = self._uploaded.get_or_make(digest, lambda: Glossary.load(path))
        base = self.glossary(None)
        return mine if alone or base is None else self._stack([base, mine])

    def _stack(self, glossaries: list[Glossary]) -> Glossary:
        """``glossaries`` stacked in order, built once per content."""
        return self._stacked.get_or_make(tuple(g.sha for g in glossaries), lambda: stack(glossaries).glossary)

    def translation_job(self, texts: list[str], src: str, tgt: str, *, fmt: str = "text",
                        glossary: str | list[str] | Glossary | None = None,
                        model: str | None = None) -> Job[list[Translated]]:
        """Check a /translate request; the job translates every text in one batched call."""
        _check_direction(src, tgt)
        if fmt not in FORMATS:
            raise UsageError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
        if len(texts) > self.limits.max_batch:
            raise RequestTooLarge(f"{len(texts)} texts in one request; this server takes at most "
                                  f"{self.limits.max_batch}")
        self.check_chars(sum(len(t) for t in texts))
        chosen, name = self.glossary(glossary), self._model_name(model)

        def job() -> list[Translated]:
            translator = self._translator(name, chosen, src, tgt)
            if fmt == "text":
                return [Translated(t.text, t.terms, t.segments, name, t.model_note)
                        for t in translator.translate_documents(texts, src, tgt)]
            many = lambda parts: translator.translate_documents(parts, src, tgt)  # noqa: E731
            return [Translated(html, [term for node in nodes for term in node.terms],
                               [s for node in nodes for s in node.segments], name,
                               next((node.model_note for node in nodes), ""))
                    for html, nodes in translate_html(texts, many)]

        return job

    def summary_job(self, text: str, lang: str, *, sentences: int | None = None,
                    words: int | None = None) -> Job[Summary]:
        if lang not in LANGS:
            raise UsageError(f"lang must be one of {', '.join(LANGS)}, not {lang!r}")
        self.check_chars(len(text))
        self._check_length(sentences, words)
        return lambda: self.summarizer.summarize(text, lang, sentences=sentences, words=words)

    def article_job(self, text: str, src: str, *, sentences: int | None = None, words: int | None = None,
                    glossary: str | list[str] | Glossary | None = None,
                    model: str | None = None) -> Job[ArticleResult]:
        """Check a whole-article request; the job translates and summarizes it."""
        tgt = "en" if src == "vi" else "vi"
        _check_direction(src, tgt)
        if is_blank(text):
            raise UsageError("the article is empty: paste a text or upload a file")
        self.check_chars(len(text))
        self._check_length(sentences, words)
        chosen, name = self.glossary(glossary), self._model_name(model)

        def job() -> ArticleResult:
            return self._article(self._translator(name, chosen, src, tgt), text, src, sentences, words)

        return job

    def article_docx_job(self, text: str, src: str, upload: Path, **options) -> Job[tuple[ArticleResult, bytes]]:
        """:meth:`article_job`, and the uploaded .docx ``upload`` (whose text ``text`` is)
        translated into a .docx that keeps its layout (:func:`vnsum.layout.translate_file`).

        The Word file is translated from the same sentences: a memory private to this
        request holds the article's translations, so the file's sentences come from it,
        not from a second run of the model.
        """
        self.article_job(text, src, **options)  # the same checks, before anything runs
        tgt = "en" if src == "vi" else "vi"
        chosen, name = self.glossary(options.get("glossary")), self._model_name(options.get("model"))

        def job() -> tuple[ArticleResult, bytes]:
            from ..layout import translate_file

            with tempfile.TemporaryDirectory(prefix="vnsum-request-") as tmp:
                twin = self._translator(name, chosen, src, tgt).with_glossary(chosen)
                twin.memory = TranslationMemory(Path(tmp) / "memory.sqlite")
                result = self._article(twin, text, src, options.get("sentences"), options.get("words"))
                kept = translate_file(upload.read_bytes(), upload.name, twin, src, tgt, fmt="docx")
            return result, kept.data

        return job

    def _article(self, translator: Translator, text: str, src: str, sentences: int | None,
                 words: int | None) -> ArticleResult:
        result = Pipeline(translator, self.summarizer).process(text, src, sentences=sentences, words=words)
        result.models["translation"] = public(result.models["translation"])
        return result

    def _translator(self, model: str, glossary: Glossary | None, src: str, tgt: str) -> Translator:
        """The model's Translator with ``glossary``, sharing the loaded weights."""
        base = self.translators[model]
        if glossary is None:
            return base
        return self._with_glossary.get_or_make((model, glossary.sha), lambda: base.with_glossary(glossary))

    def _model_name(self, model: str | None) -> str:
        if model is None:
            return self.default_model
        if model not in self.translators:
            raise UsageError(f"unknown model {model!r}; this server has: {', '.join(self.translators)}")
        return model

    def check_chars(self, count: int) -> None:
        if count > self.limits.max_chars:
            raise RequestTooLarge(
                f"{count:,} characters in one request; this server takes at most {self.limits.max_chars:,}. "
                "Split the text, or use the command line (vnsum translate / vnsum process) for long documents.")

    def _check_length(self, sentences: int | None, words: int | None) -> None:
        most = self.limits.max_sentences
        if sentences is not None and not 1 <= sentences <= most:
            raise UsageError(f"sentences must be between 1 and {most}, not {sentences}")
        if words is not None and not 1 <= words <= most * 60:
            raise UsageError(f"words must be between 1 and {most * 60}, not {words}")


def _check_direction(src: str, tgt: str) -> None:
    if src not in LANGS or tgt not in LANGS or src == tgt:
        raise UsageError(f"unsupported direction {src}->{tgt}: this server translates vi->en and en->vi")
