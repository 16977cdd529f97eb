"""Running one command over many documents: destinations, progress, failures, exit code.

Shared by ``translate`` and ``process`` so both behave the same: stdin to stdout by
default, a folder into ``-o OUT`` with the same relative names, a progress bar on
stderr, one failing document reported while the others are still written.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path

from ..documents import Source, collect, output_name, read_text, write_atomic
from ..errors import UsageError, VnsumError

# A handler turns one document's text into (rendered output, sentence count).
Handler = Callable[[str, Source], tuple[str, int]]


def add_batch_options(p: argparse.ArgumentParser, formats: dict[str, str], default: str) -> None:
    p.add_argument("inputs", nargs="*", metavar="FILE|DIR|-", help="default: standard input")
    p.add_argument("-o", "--output", help="output file, or folder for several documents")
    p.add_argument("--format", "-f", default=default, choices=list(formats))
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")


def _destination(args: argparse.Namespace, sources: list[Source], formats: dict[str, str],
                 streamable: str | None, tgt: str) -> Callable[[Source], Path | None]:
    """Where each document's result goes: None for stdout."""
    if args.output is None:
        if len(sources) > 1 and args.format != streamable:
            hint = f" (or --format {streamable} to stream to stdout)" if streamable else ""
            raise UsageError(f"several documents need -o FOLDER{hint}")
        return lambda source: None
    out = Path(args.output)
    from_folder = any(Path(i).is_dir() for i in args.inputs)
    if args.format == streamable or (len(sources) == 1 and not from_folder and not out.is_dir()
                                     and not args.output.endswith(os.sep)):
        return lambda source: out
    return lambda source: out / output_name(source.relative, args.source, tgt, formats[args.format])


def run_batch(args: argparse.Namespace, handle: Handler, *, formats: dict[str, str],
              streamable: str | None, tgt: str, prepare: Callable[[], object] = lambda: None) -> int:
    """Apply ``handle`` to every input document; return the exit code.

    ``prepare`` runs once after the arguments are checked and before the first document
    (loading the model there makes a missing model one clear error, not one per file).
    """
    from tqdm import tqdm

    sources = collect(args.inputs)
    if not sources:
        raise UsageError("no .txt or .md documents found in " + ", ".join(args.inputs))
    destination = _destination(args, sources, formats, streamable, tgt)
    prepare()
    failures: list[tuple[str, str]] = []
    streamed: list[str] = []
    sentences = 0
    bar = tqdm(total=len(sources), unit="doc", file=sys.stderr, disable=args.quiet, dynamic_ncols=True)
    for source in sources:
        try:
            rendered, n = handle(read_text(source), source)
            target = destination(source)
            if args.format == streamable and target is not None:
                streamed.append(rendered)
            elif target is None:
                sys.stdout.write(rendered)
                sys.stdout.flush()
            else:
                write_atomic(target, rendered)
            sentences += n
        except VnsumError as exc:
            failures.append((source.label, str(exc)))
        except Exception as exc:  # noqa: BLE001 - one bad document must not stop the batch
            failures.append((source.label, f"{type(exc).__name__}: {exc}"))
        bar.update(1)
        bar.set_postfix(sentences=sentences, failed=len(failures))
    bar.close()
    if streamed:
        write_atomic(destination(sources[0]), "".join(streamed))
    for label, message in failures:
        print(f"vnsum: failed: {label}: {message}", file=sys.stderr)
    if failures or (len(sources) > 1 and not args.quiet):
        print(f"vnsum: {len(sources) - len(failures)} of {len(sources)} documents done, "
              f"{len(failures)} failed", file=sys.stderr)
    return 1 if failures else 0
