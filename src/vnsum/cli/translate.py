"""``vnsum translate``: documents, folders or stdin, one translation per document."""

from __future__ import annotations

import argparse
import functools
import json
import sys

from .. import layout
from ..documents import parse_document
from ..engines.jobs import JobSpec, Read
from ..engines.local import LocalEngine
from ..errors import UsageError
from ..language import AUTO, NAMES, other
from ..translator import Translation
from .arguments import POSITIVE
from .batch import add_batch_options, run_batch
from .options import add_glossary_options, add_model_options, translator_options

# Output extension per format; None keeps the input's own extension.
FORMATS = {"text": None, "json": ".json", "jsonl": ".jsonl", **layout.FORMATS}
MARKED = "marked"  # text with markers (--mark): the render format of "text" then


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("translate", help="translate documents (files, folders or stdin)")
    add_batch_options(p, FORMATS, None,
                      "text (default), json, jsonl, or a file in the layout of its input: docx (a .docx keeps its "
                      "formatting, tables, headers and images; other documents become a plain Word file) or html; "
                      "default: docx or html when -o FILE ends in .docx or .html/.htm")
    p.add_argument("-s", "--source", choices=[AUTO, *NAMES],
                   help="the documents' language (default auto: each document's own, detected, unless -t names "
                        "the target: then the other language)")
    p.add_argument("-t", "--target", choices=list(NAMES),
                   help="the language to translate into (default: the other one than each document's)")
    add_glossary_options(p)
    add_model_options(p)
    p.add_argument("--mark", action="store_true",
                   help="text output: a marker after each sentence to check ([CHECK: why] or [DOUBTFUL]); "
                        "JSON always carries each sentence's level and flags")
    p.add_argument("--engine", default="local", choices=["local", "ray"],
                   help="local (default): in this process; ray: a Ray Data job over a pool of actors")
    p.add_argument("--address", help="--engine ray: an existing Ray cluster (default: start a local Ray)")
    p.add_argument("--concurrency", type=POSITIVE, metavar="N",
                   help="--engine ray: actors, one model each (default: one per GPU, else one per 2 CPUs)")
    p.set_defaults(run=run)


def render(result: Translation, document: Read, fmt: str, label: str, notices: tuple[str, ...] = ()) -> str | bytes:
    """One document's output in ``fmt`` (the same on every engine: ``text``, ``marked``
    text, ``json``, ``jsonl``, or a ``docx`` or ``html`` file written by the document as
    read, a :class:`vnsum.layout.Layout`); JSON carries the reading notices (converted
    encoding, wrong-language warning) with the result."""
    if fmt in layout.FORMATS:
        return document.write(result)
    if fmt == "text":
        return result.text
    if fmt == MARKED:
        return result.marked()
    data = result.to_dict() | {"file": label, "notices": list(notices)}
    return json.dumps(data, ensure_ascii=False, indent=2 if fmt == "json" else None) + "\n"


def direction(source: str | None, target: str | None) -> tuple[str, str | None]:
    """The source ("auto" when detected per document) and target (None: the other
    language of each document) that ``-s`` and ``-t`` ask for; either one implies the other."""
    if source is None:
        source = other(target) if target else AUTO
    if source == target:
        raise UsageError(f"source and target are both {source!r}")
    return source, target if target or source == AUTO else other(source)


def output_format(args: argparse.Namespace) -> str:
    """``--format``, else the layout format ``-o FILE``'s extension names, else text; a
    layout format is checked here (its package installed, its output a file)."""
    fmt = args.format or layout.format_of(args.output) or "text"
    if fmt in layout.FORMATS:
        layout.require(fmt)
        if args.strip_chrome:
            raise UsageError(f"--format {fmt} keeps every paragraph where it stands: it takes no --strip-chrome")
    if fmt == "docx" and args.output is None and sys.stdout.isatty():
        raise UsageError("a Word file is not written to the terminal: give -o FILE.docx (or -o FOLDER)")
    return fmt


def run(args: argparse.Namespace) -> int:
    args.source, args.target = direction(args.source, args.target)  # read by run_batch when naming outputs
    if args.engine != "ray" and (args.address or args.concurrency):
        raise UsageError("--address and --concurrency need --engine ray")
    args.format = output_format(args)
    options = translator_options(args)
    if args.mark and args.format != "text":
        raise UsageError(f"--mark marks text output; --format {args.format} carries each sentence's level and "
                         "flags already")
    read = functools.partial(layout.read_layout, fmt=args.format) if args.format in layout.FORMATS else parse_document
    spec = JobSpec(options, args.source, args.target, MARKED if args.mark else args.format, render, read)
    if args.engine == "ray":
        from ..engines.ray import RayEngine

        engine = RayEngine(spec, address=args.address, concurrency=args.concurrency)
    else:
        engine = LocalEngine(spec)
    try:
        code = run_batch(args, engine.results, formats=FORMATS, streamable="jsonl", tgt=args.target,
                         prepare=engine.start)
    finally:
        engine.close()
    if options["memory"] is not None and not args.quiet:
        print(f"vnsum: translation memory {options['memory']}: {engine.stats}", file=sys.stderr)
    if engine.usage is not None and not args.quiet:
        print(f"vnsum: LLM server {args.model}: {engine.usage}", file=sys.stderr)
    return code
