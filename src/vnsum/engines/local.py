"""The local engine: one Translator in this process, fed documents a group at a time."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ..backends import Backend
from ..backends.base import Usage
from ..documents import Source
from ..translator import Translator
from .jobs import JobSpec, Outcome, outcomes


class LocalEngine:
    """Translate documents in this process, in groups (see :mod:`vnsum.engines.jobs`)."""

    def __init__(self, spec: JobSpec):
        self.spec = spec
        self.translator = Translator(**spec.options)
        self.stats = self.translator.stats
        self.backend: Backend | None = None

    def start(self) -> None:
        """Load the model now: a missing model is one clear error, not one per document."""
        self.backend = self.translator.backend(self.spec.src, self.spec.tgt)

    @property
    def usage(self) -> Usage | None:
        """What a model on an LLM server was asked (requests, retries, tokens); None for a local model."""
        return self.backend.usage if self.backend is not None else None

    def results(self, sources: Iterable[Source]) -> Iterator[Outcome]:
        return outcomes(sources, self.translate, lang=self.spec.src)

    def translate(self, texts: list[str], sources: list[Source]) -> list[tuple[str, int]]:
        """One Translator call for a group of documents, rendered each."""
        spec = self.spec
        results = self.translator.translate_documents(texts, spec.src, spec.tgt)
        return [(spec.render(r, spec.fmt, s.label, s.notices), len(r.segments)) for r, s in zip(results, sources)]

    def close(self) -> None:
        """Nothing to release: the model goes with the process."""
