"""``vnsum glossary check``: problems in glossary files, with line numbers, and the terms
that stacked files render differently."""

from __future__ import annotations

import argparse

from ..stacking import check_stack


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("glossary", help="glossary tools")
    gsub = p.add_subparsers(dest="glossary_command", required=True)
    c = gsub.add_parser("check", help="report duplicates, conflicts, nesting, non-NFC text, bad columns; with "
                                      "several files, the terms a later file overrides when stacked (-g A -g B)")
    c.add_argument("file", nargs="+", help="bundled name or file; several: checked as stacked in this order")
    c.add_argument("-v", "--verbose", action="store_true",
                   help="also list notes (nested entries and other things that are intended, usually)")
    c.set_defaults(run=run_check)


def run_check(args: argparse.Namespace) -> int:
    """Errors and warnings; notes (a bundled glossary has dozens of nested entries) only with -v."""
    found = check_stack(args.file)
    for path, p in found:
        if args.verbose or p.level in ("error", "warning"):
            print(f"{path if len(args.file) > 1 else args.file[0]}:{p}")
    errors = sum(p.level == "error" for _, p in found)
    warnings = sum(p.level == "warning" for _, p in found)
    notes = len(found) - errors - warnings
    hidden = " (listed with -v)" if notes and not args.verbose else ""
    print(f"{errors} error(s), {warnings} warning(s), {notes} note(s){hidden}")  # the report's last line
    return 1 if errors else 0
