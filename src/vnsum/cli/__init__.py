"""The ``vnsum`` command line: a thin layer over the Python API.

Each command group lives in its own module with a ``register(subparsers)`` function.
Exit codes (:data:`arguments.EXIT_CODES`, also in ``--help``): 0 everything worked, 1
some documents (or the model) failed, each named while the others were still written,
2 the command itself was wrong.
"""

from __future__ import annotations

import argparse
import os
import sys

from .. import __version__
from ..errors import UsageError, VnsumError
from ..redact import redact
from . import backtranslate, eval, glossary, models, process, serve, train, translate
from .arguments import EXIT_CODES, Parser

COMMANDS = (translate, process, models, glossary, eval, serve, train, backtranslate)


def parser() -> argparse.ArgumentParser:
    p = Parser(prog="vnsum", description=__doc__.splitlines()[0], epilog=EXIT_CODES)
    p.add_argument("--version", action="version", version=f"vnsum {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        command.register(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``vnsum`` console script."""
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except UsageError as exc:
        print(f"vnsum: error: {redact(str(exc))}", file=sys.stderr)
        return 2
    except VnsumError as exc:
        print(f"vnsum: error: {redact(str(exc))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("vnsum: interrupted", file=sys.stderr)
        return 130
