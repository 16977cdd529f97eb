"""``vnsum translate``: documents, folders or stdin, one translation per document."""

from __future__ import annotations

import argparse
import json

from ..errors import UsageError
from .batch import add_batch_options, run_batch
from .options import add_glossary_options, add_model_options, translator_from

# Output extension per format; None keeps the input's own extension.
FORMATS = {"text": None, "json": ".json", "jsonl": ".jsonl"}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("translate", help="translate documents (files, folders or stdin)")
    add_batch_options(p, FORMATS, "text")
    p.add_argument("-s", "--source", default="vi", choices=["vi", "en"])
    p.add_argument("-t", "--target", default="en", choices=["vi", "en"])
    add_glossary_options(p)
    add_model_options(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.source == args.target:
        raise UsageError(f"source and target are both {args.source!r}")
    translator = translator_from(args)

    def handle(text, source):
        result = translator.translate_document(text, args.source, args.target)
        if args.format == "text":
            return result.text, len(result.segments)
        data = result.to_dict() | {"file": source.label}
        indent = 2 if args.format == "json" else None
        return json.dumps(data, ensure_ascii=False, indent=indent) + "\n", len(result.segments)

    return run_batch(args, handle, formats=FORMATS, streamable="jsonl", tgt=args.target,
                     prepare=lambda: translator.backend(args.source, args.target))
