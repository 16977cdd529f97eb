"""``vnsum translate``: documents, folders or stdin, one translation per document."""

from __future__ import annotations

import argparse
import json
import sys

from ..documents import Source, collect
from ..errors import UsageError
from ..translator import Translation, Translator
from .batch import add_batch_options, run_batch
from .options import add_glossary_options, add_model_options, translator_options

# Output extension per format; None keeps the input's own extension.
FORMATS = {"text": None, "json": ".json", "jsonl": ".jsonl"}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("translate", help="translate documents (files, folders or stdin)")
    add_batch_options(p, FORMATS, "text")
    p.add_argument("-s", "--source", default="vi", choices=["vi", "en"])
    p.add_argument("-t", "--target", default="en", choices=["vi", "en"])
    add_glossary_options(p)
    add_model_options(p)
    p.add_argument("--engine", default="local", choices=list(ENGINES),
                   help="local (default): in this process; ray: a Ray Data job over a pool of actors")
    p.add_argument("--address", help="--engine ray: an existing Ray cluster (default: start a local Ray)")
    p.add_argument("--concurrency", type=int,
                   help="--engine ray: actors, one model each (default: one per GPU, else one per 2 CPUs)")
    p.set_defaults(run=run)


def render(result: Translation, fmt: str, label: str, notices: tuple[str, ...] = ()) -> str:
    """One document's output in ``fmt`` (the same on every engine); JSON carries the
    reading notices (converted encoding, wrong-language warning) with the result."""
    if fmt == "text":
        return result.text
    data = result.to_dict() | {"file": label, "notices": list(notices)}
    return json.dumps(data, ensure_ascii=False, indent=2 if fmt == "json" else None) + "\n"


class LocalEngine:
    """Translate each document in this process, one after the other."""

    def __init__(self, args: argparse.Namespace, options: dict):
        self.args = args
        self.translator = Translator(**options)
        self.stats = self.translator.stats

    def start(self, sources: list[Source]) -> None:
        self.translator.backend(self.args.source, self.args.target)

    def result(self, text: str, source: Source) -> tuple[str, int]:
        result = self.translator.translate_document(text, self.args.source, self.args.target)
        return render(result, self.args.format, source.label, tuple(source.notices)), len(result.segments)

    def close(self) -> None:
        """Nothing to release: the model goes with the process."""


class RayEngineAdapter:
    """``--engine ray``: the documents go to a Ray job; results come back in order."""

    def __init__(self, args: argparse.Namespace, options: dict):
        from ..engines.ray import JobSpec, RayEngine

        spec = JobSpec(options, args.source, args.target, args.format, render)
        self.engine = RayEngine(spec, address=args.address, concurrency=args.concurrency)
        self.stats = self.engine.stats

    def start(self, sources: list[Source]) -> None:
        self.engine.start(sources)

    def result(self, text: str, source: Source) -> tuple[str, int]:
        return self.engine.result(source)  # the worker read the file itself

    def close(self) -> None:
        self.engine.close()


ENGINES = {"local": LocalEngine, "ray": RayEngineAdapter}


def run(args: argparse.Namespace) -> int:
    if args.source == args.target:
        raise UsageError(f"source and target are both {args.source!r}")
    if args.engine != "ray" and (args.address or args.concurrency):
        raise UsageError("--address and --concurrency need --engine ray")
    options = translator_options(args)
    engine = ENGINES[args.engine](args, options)
    try:
        code = run_batch(args, engine.result, formats=FORMATS, streamable="jsonl", tgt=args.target,
                         prepare=lambda: engine.start(collect(args.inputs)))
    finally:
        engine.close()
    if options["memory"] is not None and not args.quiet:
        print(f"vnsum: translation memory {options['memory']}: {engine.stats}", file=sys.stderr)
    return code
