"""``vnsum models list|info|pull``: what presets exist and where their weights are."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import UsageError, VnsumError
from ..hub import locate, pull
from ..presets import PRESETS
from .table import table


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("models", help="list, inspect and download models")
    msub = p.add_subparsers(dest="models_command", required=True)
    msub.add_parser("list", help="presets and whether their weights are here").set_defaults(run=run_list)
    info = msub.add_parser("info", help="details of one model and where its weights are")
    info.add_argument("name")
    info.set_defaults(run=run_info)
    pl = msub.add_parser("pull", help="download a model into models/ (needs internet)")
    pl.add_argument("name")
    pl.add_argument("--dir", type=Path, help="folder to download into (default: models/)")
    pl.set_defaults(run=run_pull)


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


def run_list(args: argparse.Namespace) -> int:
    rows = [[name, p.family, p.size, p.licence + ("" if p.commercial_use else " (non-commercial)"),
             "; ".join(_availability(name))] for name, p in PRESETS.items()]
    print(table(["name", "family", "size", "licence", "here"], rows))
    return 0


def run_info(args: argparse.Namespace) -> int:
    preset = PRESETS.get(args.name)
    if preset is None:
        raise UsageError(f"unknown model preset {args.name!r}; known: {', '.join(PRESETS)}")
    print(f"name:        {preset.name}\nfamily:      {preset.family}\nsize:        {preset.size}")
    print(f"licence:     {preset.licence}{'' if preset.commercial_use else ' — non-commercial use only'}")
    for (src, tgt), repo in preset.repos.items():
        print(f"{src}->{tgt}:       {f'bundled (models/{repo}/)' if preset.bundled else repo}")
    for line in _availability(args.name):
        print(f"weights:     {line}")
    return 0


def run_pull(args: argparse.Namespace) -> int:
    for path in pull(args.name, args.dir):
        print(f"downloaded {path}")
    return 0


