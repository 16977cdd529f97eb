"""Options shared by the commands that load a model."""

from __future__ import annotations

import argparse

from ..presets import DEFAULT_MODEL, PRESETS


def add_model_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--model", "-m", default=DEFAULT_MODEL,
                   help=f"preset ({', '.join(PRESETS)}), Hugging Face id or local folder (default {DEFAULT_MODEL})")
    p.add_argument("--device", default="auto", help="auto, cpu or cuda (default auto)")
    p.add_argument("--dtype", default="auto", choices=["auto", "float32", "float16", "bfloat16"],
                   help="auto = float32 on CPU, bfloat16/float16 on GPU")
    p.add_argument("--beam-size", type=int, default=4)
    p.add_argument("--batch-size", type=int, default=16, help="sentences per model call")


def add_glossary_options(p: argparse.ArgumentParser) -> None:
    g = p.add_mutually_exclusive_group()
    g.add_argument("-g", "--glossary", default="vn-gov", help="bundled name or TSV file (default vn-gov)")
    g.add_argument("--no-glossary", action="store_true")


def translator_from(args: argparse.Namespace):
    """The Translator the options describe (weights load on first use)."""
    from ..translator import Translator

    return Translator(args.model, glossary=None if args.no_glossary else args.glossary, device=args.device,
                      dtype=args.dtype, beam_size=args.beam_size, batch_size=args.batch_size)
