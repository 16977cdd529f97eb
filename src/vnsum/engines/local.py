"""The local engine: one Translator in this process, fed documents a group at a time."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ..backends.base import Usage
from ..documents import Source
from ..language import fixed_direction, other
from ..translator import Translator
from .jobs import JobSpec, Outcome, Read, Rendered, groups, run_group


class LocalEngine:
    """Translate documents in this process, in groups (see :mod:`vnsum.engines.jobs`)."""

    def __init__(self, spec: JobSpec):
        self.spec = spec
        self.translator = Translator(**spec.options)
        self.stats = self.translator.stats

    def start(self) -> None:
        """Load the model now when the direction is known: a missing model is one clear
        error before any document. With "auto" each direction loads with its first
        document (a Vietnamese folder never fetches the English model), and a model that
        cannot load stops the run there, named once (:data:`jobs.RUN_ERRORS`)."""
        if pair := fixed_direction(self.spec.src, self.spec.tgt):
            self.translator.backend(*pair)

    @property
    def usage(self) -> Usage | None:
        """What a model on an LLM server was asked (requests, retries, tokens); None for a local model."""
        loaded = self.translator.loaded()  # an LLM server's model is one backend for both directions
        return loaded[0].usage if loaded else None

    def results(self, sources: Iterable[Source]) -> Iterator[Outcome]:
        for group in groups(sources):
            yield from self.group(group)

    def group(self, sources: list[Source]) -> list[Outcome]:
        """The outcomes of one group of documents, read (their language found) and translated."""
        return run_group(sources, self.translate, lang=self.spec.src, target=self.spec.tgt, read=self.spec.read)

    def translate(self, documents: list[Read], sources: list[Source]) -> list[Rendered]:
        """One Translator call per language among a group of documents, rendered each."""
        spec = self.spec
        rendered = [Rendered("", 0)] * len(documents)
        for src in dict.fromkeys(s.lang for s in sources):
            picked = [i for i, s in enumerate(sources) if s.lang == src]
            results = self.translator.translate_documents([documents[i].text for i in picked], src,
                                                          spec.tgt or other(src))
            for i, r in zip(picked, results):
                output = spec.render(r, documents[i], spec.fmt, sources[i].label, sources[i].notices)
                rendered[i] = Rendered(output, len(r.segments), r.to_check)
        return rendered

    def close(self) -> None:
        """Nothing to release: the model goes with the process."""
