"""Documents to outcomes, in groups: what every engine shares.

A model decodes a batch in about the time of its longest sentence, whatever the batch
holds: translated one by one, a 24-sentence press release leaves most of its last
batch empty, and sentences served from the translation memory barely shorten the
batch they leave. So documents are translated in groups (about ``GROUP_BYTES`` of
files, at most ``GROUP_DOCS``): one Translator call per group, whose sentences fill
whole batches and are looked up in the memory together.

Groups are cut by file size, before anything is read, so the local engine and each Ray
actor get exactly the same groups; a group whose call fails is split in halves until
the failing document is alone, so one bad document still fails only itself.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

from ..documents import Source, load_bytes, parse_document
from ..errors import DownloadError, ModelLoadError, ModelNotFoundError, UsageError, VnsumError
from ..language import AUTO, direction
from ..translator import Translation

# About 300 to 500 sentences of plain-text news: a dozen full batches per call, so the
# one part-filled batch costs little, while a run killed mid-group redoes at most this.
GROUP_BYTES = 64 * 1024
GROUP_DOCS = 64
# No document gets past a model that cannot load or a wrong command (an LLM server with
# no address): one of these stops the run, named once, instead of failing every
# document with the same message.
RUN_ERRORS = (UsageError, ModelNotFoundError, ModelLoadError, DownloadError)


class Read(Protocol):
    """A document as read: the text to translate and what reading it found (a
    :class:`vnsum.documents.DocumentText`, or a :class:`vnsum.layout.Layout` that also
    writes the translation back into the file)."""

    text: str
    notices: tuple[str, ...]


# (result, document as read, format, label, notices) -> output
Render = Callable[[Translation, Read, str, str, tuple[str, ...]], "str | bytes"]
# Reads a document's bytes: (data, name, label=, lang=) -> Read; parse_document by default.
Reader = Callable[..., Read]
# Turns the documents of a group (with their sources) into (output, sentence count) each.
GroupHandler = Callable[[list[Read], list[Source]], list["Rendered"]]
DocumentHandler = Callable[[str, Source], "Rendered"]


@dataclass(frozen=True)
class JobSpec:
    """What an engine needs to translate and render documents, wherever it runs."""

    options: dict[str, Any]  # Translator keyword arguments
    src: str  # "vi", "en", or "auto": each document's detected language
    tgt: str | None  # None: the other language of each document
    fmt: str
    render: Render
    read: Reader = parse_document  # a module-level function or partial: Ray sends it to its actors


@dataclass
class Outcome:
    """One document's result: its output, or why it failed. ``source`` carries the
    notices reading it produced; ``seconds`` is its share of its group's time;
    ``to_check`` counts the sentences whose level is check or doubtful."""

    source: Source
    sha: str | None = None
    output: str | bytes | None = None
    sentences: int = 0
    error: str | None = None
    seconds: float = 0.0
    to_check: int = 0


@dataclass(frozen=True)
class Rendered:
    """What a handler makes of one document: the output, its sentences, and how many of
    them a reader should check."""

    output: str | bytes  # bytes: a file to write as it is (.docx)
    sentences: int
    to_check: int = 0


def groups(sources: Iterable[Source], max_bytes: int = GROUP_BYTES,
           max_docs: int = GROUP_DOCS) -> Iterator[list[Source]]:
    """Consecutive sources in groups of at most ``max_docs`` and about ``max_bytes``
    (a larger file is a group of its own; standard input is always alone)."""
    group: list[Source] = []
    size = 0
    for source in sources:
        n = _size(source)
        if group and (size + n > max_bytes or len(group) >= max_docs):
            yield group
            group, size = [], 0
        group.append(source)
        size += n
    if group:
        yield group


def outcomes(sources: Iterable[Source], handle: GroupHandler, *, lang: str | None = None,
             max_docs: int = GROUP_DOCS) -> Iterator[Outcome]:
    """Every source's outcome, in order, ``handle`` called once per group."""
    for group in groups(sources, max_docs=max_docs):
        yield from run_group(group, handle, lang=lang)


def each(handle: DocumentHandler) -> GroupHandler:
    """A group handler that calls a one-document ``handle`` per document's text."""
    return lambda documents, sources: [handle(d.text, s) for d, s in zip(documents, sources)]


def run_group(sources: Sequence[Source], handle: GroupHandler, *, lang: str | None = None,
              target: str | None = None, read: Reader = parse_document) -> list[Outcome]:
    """Read each source (with ``read``) and hand the readable ones to ``handle`` in one
    call; an outcome per source, in order. If the call fails, the group is split (see ``_settle``).

    Each source handed on carries its language: ``lang``, or with "auto" the one
    detected in it (see :func:`vnsum.language.direction`, which also refuses a document
    already in ``target``)."""
    outcomes, documents = [], []
    for source in sources:
        started = time.monotonic()
        outcome = Outcome(source)
        try:
            data = load_bytes(source)
            outcome.sha = hashlib.sha256(data).hexdigest()
            document = read(data, source.name, label=source.label, lang=None if lang == AUTO else lang)
            found, notices = lang, document.notices
            if lang is not None:
                found, _, guess = direction(document.text, lang, target)
                notices += (guess,) if guess else ()
            outcome.source = replace(source, notices=notices, lang=found)
            documents.append(document)
        except Exception as exc:  # noqa: BLE001 - an unreadable document fails alone
            outcome.error = _reason(exc)
            documents.append(None)
        outcome.seconds = time.monotonic() - started
        outcomes.append(outcome)
    _settle([(o, d) for o, d in zip(outcomes, documents) if d is not None], handle)
    return outcomes


def _settle(todo: list[tuple[Outcome, Read]], handle: GroupHandler) -> None:
    """Translate ``todo`` in one call; if that fails, each half on its own, down to the
    documents that fail alone (a bad document, or a group too big for the device)."""
    if todo and not _call(todo, handle):
        half = len(todo) // 2
        _settle(todo[:half], handle)
        _settle(todo[half:], handle)


def _call(todo: list[tuple[Outcome, Read]], handle: GroupHandler) -> bool:
    """One ``handle`` call; False when a group of several failed (split it)."""
    started = time.monotonic()
    try:
        results = handle([d for _, d in todo], [o.source for o, _ in todo])
    except RUN_ERRORS:
        raise
    except Exception as exc:  # noqa: BLE001 - one bad document must not stop the batch
        if len(todo) > 1:
            return False
        todo[0][0].error = _reason(exc)
        todo[0][0].seconds += time.monotonic() - started
        return True
    _share(todo, results, time.monotonic() - started)
    return True


def _share(todo: list[tuple[Outcome, Read]], results: list[Rendered], seconds: float) -> None:
    """Store the results and split the call's time by each document's length."""
    total = sum(len(d.text) for _, d in todo) or 1
    for (outcome, document), rendered in zip(todo, results, strict=True):
        outcome.output, outcome.sentences, outcome.to_check = rendered.output, rendered.sentences, rendered.to_check
        outcome.seconds += seconds * len(document.text) / total


def _reason(exc: Exception) -> str:
    return str(exc) if isinstance(exc, VnsumError) else f"{type(exc).__name__}: {exc}"


def _size(source: Source) -> int:
    if source.path is None:
        return GROUP_BYTES * 2  # standard input: unknown, read once, alone
    try:
        return source.path.stat().st_size
    except OSError:
        return 0  # reading it will fail and say why
