"""``vnsum glossary check``: problems in a glossary file, with line numbers."""

from __future__ import annotations

import argparse
import sys

from ..glossary import check


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("glossary", help="glossary tools")
    gsub = p.add_subparsers(dest="glossary_command", required=True)
    c = gsub.add_parser("check", help="report duplicates, conflicts, nesting, non-NFC text, bad columns")
    c.add_argument("file")
    c.set_defaults(run=run_check)


def run_check(args: argparse.Namespace) -> int:
    problems = check(args.file)
    for p in problems:
        print(f"{args.file}:{p}")
    errors = sum(p.level == "error" for p in problems)
    warnings = sum(p.level == "warning" for p in problems)
    print(f"{errors} error(s), {warnings} warning(s), {len(problems) - errors - warnings} note(s)", file=sys.stderr)
    return 1 if errors else 0


