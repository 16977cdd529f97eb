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
    c.add_argument("-v", "--verbose", action="store_true",
                   help="also list notes (nested entries and other things that are intended, usually)")
    c.set_defaults(run=run_check)


def run_check(args: argparse.Namespace) -> int:
    """Errors and warnings; notes (a bundled glossary has dozens of nested entries) only with -v."""
    problems = check(args.file)
    for p in problems:
        if args.verbose or p.level in ("error", "warning"):
            print(f"{args.file}:{p}")
    errors = sum(p.level == "error" for p in problems)
    warnings = sum(p.level == "warning" for p in problems)
    notes = len(problems) - errors - warnings
    hidden = " (listed with -v)" if notes and not args.verbose else ""
    print(f"{errors} error(s), {warnings} warning(s), {notes} note(s){hidden}", file=sys.stderr)
    return 1 if errors else 0


