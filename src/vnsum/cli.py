"""The ``vnsum`` command line: a thin layer over the Python API.

Exit codes: 0 everything worked, 1 some documents (or the model) failed, each named on
stderr while the others were still written, 2 the command itself was wrong.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

from . import __version__
from .documents import Source, collect, output_name, read_text, write_atomic
from .errors import UsageError, VnsumError
from .glossary import check as check_glossary
from .hub import locate, pull
from .presets import DEFAULT_MODEL, PRESETS
from .translator import Translation, Translator

FORMATS = {"text": ".txt", "json": ".json", "jsonl": ".jsonl"}


def _add_model_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--model", "-m", default=DEFAULT_MODEL,
                   help=f"preset ({', '.join(PRESETS)}), Hugging Face id or local folder (default {DEFAULT_MODEL})")
    p.add_argument("--device", default="auto", help="auto, cpu or cuda (default auto)")
    p.add_argument("--dtype", default="auto", choices=["auto", "float32", "float16", "bfloat16"],
                   help="auto = float32 on CPU, bfloat16/float16 on GPU")
    p.add_argument("--beam-size", type=int, default=4)
    p.add_argument("--batch-size", type=int, default=16, help="sentences per model call")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="vnsum", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"vnsum {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    tr = sub.add_parser("translate", help="translate documents (files, folders or stdin)")
    tr.add_argument("inputs", nargs="*", metavar="FILE|DIR|-", help="default: standard input")
    tr.add_argument("-s", "--source", default="vi", choices=["vi", "en"])
    tr.add_argument("-t", "--target", default="en", choices=["vi", "en"])
    g = tr.add_mutually_exclusive_group()
    g.add_argument("-g", "--glossary", default="vn-gov", help="bundled name or TSV file (default vn-gov)")
    g.add_argument("--no-glossary", action="store_true")
    tr.add_argument("-o", "--output", help="output file, or folder for several documents")
    tr.add_argument("--format", "-f", default="text", choices=list(FORMATS))
    tr.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    _add_model_options(tr)
    tr.set_defaults(run=cmd_translate)

    models = sub.add_parser("models", help="list, inspect and download models")
    msub = models.add_subparsers(dest="models_command", required=True)
    msub.add_parser("list", help="presets and whether their weights are here").set_defaults(run=cmd_models_list)
    info = msub.add_parser("info", help="details of one model and where its weights are")
    info.add_argument("name")
    info.set_defaults(run=cmd_models_info)
    pl = msub.add_parser("pull", help="download a model into models/ (needs internet)")
    pl.add_argument("name")
    pl.add_argument("--dir", type=Path, help="folder to download into (default: models/)")
    pl.set_defaults(run=cmd_models_pull)

    gl = sub.add_parser("glossary", help="glossary tools")
    gsub = gl.add_subparsers(dest="glossary_command", required=True)
    gc = gsub.add_parser("check", help="report duplicates, conflicts, nesting, non-NFC text, bad columns")
    gc.add_argument("file")
    gc.set_defaults(run=cmd_glossary_check)
    return parser


def _destination(args: argparse.Namespace, sources: list[Source]) -> Callable[[Source], Path | None]:
    """Where each document's result goes: None for stdout."""
    fmt = args.format
    if args.output is None:
        if len(sources) > 1 and fmt != "jsonl":
            raise UsageError("several documents need -o FOLDER (or --format jsonl to stream to stdout)")
        return lambda source: None
    out = Path(args.output)
    single_file = fmt == "jsonl" or (len(sources) == 1 and not out.is_dir() and not args.output.endswith(os.sep)
                                     and not Path(args.inputs[0] if args.inputs else "-").is_dir())
    if single_file:
        return lambda source: out
    return lambda source: out / output_name(source.relative, args.source, args.target,
                                            None if fmt == "text" else FORMATS[fmt])


def _render(result: Translation, source: Source, fmt: str) -> str:
    if fmt == "text":
        return result.text
    data = result.to_dict() | {"file": source.label}
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return json.dumps(data, ensure_ascii=False) + "\n"


def cmd_translate(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    if args.source == args.target:
        raise UsageError(f"source and target are both {args.source!r}")
    sources = collect(args.inputs)
    if not sources:
        raise UsageError("no .txt or .md documents found in " + ", ".join(args.inputs))
    destination = _destination(args, sources)
    translator = Translator(args.model, glossary=None if args.no_glossary else args.glossary,
                            device=args.device, dtype=args.dtype, beam_size=args.beam_size,
                            batch_size=args.batch_size)
    translator.backend(args.source, args.target)  # load once, fail early and clearly
    failures: list[tuple[str, str]] = []
    jsonl_chunks: list[str] = []
    sentences = 0
    bar = tqdm(total=len(sources), unit="doc", file=sys.stderr, disable=args.quiet, dynamic_ncols=True)
    for source in sources:
        try:
            result = translator.translate_document(read_text(source), args.source, args.target)
            rendered = _render(result, source, args.format)
            target = destination(source)
            if args.format == "jsonl" and target is not None:
                jsonl_chunks.append(rendered)
            elif target is None:
                sys.stdout.write(rendered)
                sys.stdout.flush()
            else:
                write_atomic(target, rendered)
            sentences += len(result.segments)
        except VnsumError as exc:
            failures.append((source.label, str(exc)))
        except Exception as exc:  # noqa: BLE001 - one bad document must not stop the batch
            failures.append((source.label, f"{type(exc).__name__}: {exc}"))
        bar.update(1)
        bar.set_postfix(sentences=sentences, failed=len(failures))
    bar.close()
    if jsonl_chunks:
        write_atomic(destination(sources[0]), "".join(jsonl_chunks))
    return _summary(len(sources), failures, quiet=args.quiet)


def _summary(total: int, failures: list[tuple[str, str]], *, quiet: bool) -> int:
    for label, message in failures:
        print(f"vnsum: failed: {label}: {message}", file=sys.stderr)
    if failures or (total > 1 and not quiet):
        print(f"vnsum: {total - len(failures)} of {total} documents done, {len(failures)} failed",
              file=sys.stderr)
    return 1 if failures else 0


def _availability(name: str) -> list[str]:
    preset = PRESETS[name]
    found = []
    for src, tgt in preset.repos:
        try:
            located, _ = locate(name, src, tgt, download=False)
            found.append(f"{src}-{tgt}: {located.origin} ({located.path})")
        except VnsumError:
            found.append(f"{src}-{tgt}: not on this machine")
    return found


def cmd_models_list(args: argparse.Namespace) -> int:
    print(f"{'name':<11} {'family':<10} {'size':<14} {'licence':<28} here")
    for name, p in PRESETS.items():
        here = "; ".join(_availability(name))
        licence = p.licence + ("" if p.commercial_use else " (non-commercial)")
        print(f"{name:<11} {p.family:<10} {p.size:<14} {licence:<28} {here}")
    return 0


def cmd_models_info(args: argparse.Namespace) -> int:
    preset = PRESETS.get(args.name)
    if preset is None:
        raise UsageError(f"unknown model preset {args.name!r}; known: {', '.join(PRESETS)}")
    print(f"name:        {preset.name}\nfamily:      {preset.family}\nsize:        {preset.size}")
    print(f"licence:     {preset.licence}{'' if preset.commercial_use else ' — non-commercial use only'}")
    for (src, tgt), repo in preset.repos.items():
        print(f"{src}->{tgt}:       {repo}")
    for line in _availability(args.name):
        print(f"weights:     {line}")
    return 0


def cmd_models_pull(args: argparse.Namespace) -> int:
    for path in pull(args.name, args.dir):
        print(f"downloaded {path}")
    return 0


def cmd_glossary_check(args: argparse.Namespace) -> int:
    problems = check_glossary(args.file)
    for p in problems:
        print(f"{args.file}:{p}")
    errors = sum(p.level == "error" for p in problems)
    warnings = sum(p.level == "warning" for p in problems)
    print(f"{errors} error(s), {warnings} warning(s), {len(problems) - errors - warnings} note(s)", file=sys.stderr)
    return 1 if errors else 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``vnsum`` console script."""
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    args = _parser().parse_args(argv)
    try:
        return args.run(args)
    except UsageError as exc:
        print(f"vnsum: error: {exc}", file=sys.stderr)
        return 2
    except VnsumError as exc:
        print(f"vnsum: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("vnsum: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
