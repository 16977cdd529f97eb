"""``vnsum train``: train or fine-tune a translation model on your own bilingual files."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ..errors import UsageError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("train", help="train or fine-tune a model on parallel files (see models/*.toml)",
                       description="Train a Marian model from scratch (both directions, one model) or "
                                   "fine-tune a Hugging Face seq2seq folder, as a TOML config says. "
                                   "Files given here replace the config's data paths.")
    p.add_argument("--config", "-c", required=True, type=Path, help="training config, e.g. models/vnsum-mini.toml")
    data = p.add_mutually_exclusive_group()
    data.add_argument("--train-tsv", type=Path, help="training pairs, source<TAB>target per line")
    data.add_argument("--train-src", type=Path, help="training sources, one sentence per line")
    p.add_argument("--train-tgt", type=Path, help="training targets, line-aligned with --train-src")
    p.add_argument("--valid-src", type=Path, help="validation sources")
    p.add_argument("--valid-tgt", type=Path, help="validation targets, line-aligned with --valid-src")
    p.add_argument("--output", "-o", type=Path,
                   help="model folder to write (default: models/<config name>/ next to the config)")
    p.add_argument("--resume", action="store_true", help="continue the run saved in --output")
    p.add_argument("--time-budget", type=float, metavar="SECONDS",
                   help="stop training after this many seconds (evaluations included)")
    p.add_argument("--max-steps", type=int, help="stop after this many optimizer steps")
    p.add_argument("--device", default="auto", help="auto, cpu or cuda (default auto)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.set_defaults(run=run)


def config_from(args: argparse.Namespace):
    """The config file with the command line's files and limits applied over it."""
    from ..train import Corpus, TrainConfig

    config = TrainConfig.load(args.config)
    if (args.train_src is None) != (args.train_tgt is None):
        raise UsageError("--train-src and --train-tgt go together")
    if (args.valid_src is None) != (args.valid_tgt is None):
        raise UsageError("--valid-src and --valid-tgt go together")
    if args.train_tsv or args.train_src:
        config = config.replace("data", train=(Corpus(src=args.train_src, tgt=args.train_tgt, tsv=args.train_tsv),))
    if args.valid_src:
        config = config.replace("data", valid=Corpus(src=args.valid_src, tgt=args.valid_tgt))
    if args.time_budget is not None:
        config = config.replace("run", time_budget=args.time_budget)
    if args.max_steps is not None:
        config = config.replace("run", max_steps=args.max_steps)
    return config


def run(args: argparse.Namespace) -> int:
    from ..train import train

    config = config_from(args)
    output = args.output or args.config.with_suffix("")
    result = train(config, output, device=args.device, resume=args.resume, progress=not args.quiet)
    summary = {k: v for k, v in result.to_dict().items() if k != "history"}
    print(json.dumps(summary, ensure_ascii=False, indent=2))
    return 0
