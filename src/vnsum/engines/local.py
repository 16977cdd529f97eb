"""The local engine: one Translator in this process, fed documents a group at a time."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ..backends import Backend
from ..backends.base import Usage
from ..documents import Source
from ..language import other
from ..translator import Translator
from .jobs import JobSpec, Outcome, groups, run_group


class LocalEngine:
    """Translate documents in this process, in groups (see :mod:`vnsum.engines.jobs`)."""

    def __init__(self, spec: JobSpec):
        self.spec = spec
        self.translator = Translator(**spec.options)
        self.stats = self.translator.stats
        self.backend: Backend | None = None

    def start(self) -> None:
        """Load the model now (each direction an "auto" source may need): a missing model
        is one clear error, not one per document."""
        loaded = [self.translator.backend(src, tgt) for src, tgt in self.spec.directions()]
        self.backend = loaded[0]  # for its usage: a model on an LLM server serves both directions

    @property
    def usage(self) -> Usage | None:
        """What a model on an LLM server was asked (requests, retries, tokens); None for a local model."""
        return self.backend.usage if self.backend is not None else None

    def results(self, sources: Iterable[Source]) -> Iterator[Outcome]:
        for group in groups(sources):
            yield from self.group(group)

    def group(self, sources: list[Source]) -> list[Outcome]:
        """The outcomes of one group of documents, read (their language found) and translated."""
        return run_group(sources, self.translate, lang=self.spec.src, target=self.spec.tgt)

    def translate(self, texts: list[str], sources: list[Source]) -> list[tuple[str, int]]:
        """One Translator call per language among a group of documents, rendered each."""
        spec = self.spec
        rendered: list[tuple[str, int]] = [("", 0)] * len(texts)
        for src in dict.fromkeys(s.lang for s in sources):
            picked = [i for i, s in enumerate(sources) if s.lang == src]
            results = self.translator.translate_documents([texts[i] for i in picked], src, spec.tgt or other(src))
            for i, r in zip(picked, results):
                rendered[i] = (spec.render(r, spec.fmt, sources[i].label, sources[i].notices), len(r.segments))
        return rendered

    def close(self) -> None:
        """Nothing to release: the model goes with the process."""
