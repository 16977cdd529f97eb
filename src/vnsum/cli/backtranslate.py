"""``vnsum backtranslate``: machine-translate monolingual sentences into training sources.

The raw model output is what back-translation wants (no glossary, no retries of lost
placeholders), so this talks to the backend directly, not through the Translator's
document pipeline; outputs that the degenerate-output check rejects become empty lines.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ..glossary import LANGS
from ..presets import DEFAULT_MODEL
from ..translator import LOADERS
from .arguments import NON_NEGATIVE, POSITIVE


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "backtranslate", help="translate monolingual sentences into synthetic training sources (resumable)",
        description="Translate a file of sentences (one a line) into a TSV of each sentence beside its "
                    "translation (first line: the two languages), for tagged back-translation in `vnsum train` "
                    "([[data.train]] tsv = OUTPUT, synthetic = TARGET_LANG). A stopped run continues where it "
                    "stopped when called again with the same arguments.")
    p.add_argument("input", type=Path, help="monolingual sentences, one a line (UTF-8)")
    p.add_argument("--output", "-o", type=Path, required=True,
                   help="TSV to write: SOURCE<TAB>TRANSLATION rows (appended to when it exists: the run continues)")
    p.add_argument("--source-lang", "-s", default="vi", choices=LANGS, help="language of INPUT (default vi)")
    p.add_argument("--target-lang", "-t", choices=LANGS, help="language to write (default: the other one)")
    p.add_argument("--limit", type=NON_NEGATIVE, metavar="N", help="only the first N lines of INPUT")
    p.add_argument("--model", "-m", default=DEFAULT_MODEL,
                   help=f"preset, Hugging Face id or local folder (default {DEFAULT_MODEL}: the best on this machine)")
    p.add_argument("--backend", default="auto", choices=list(LOADERS),
                   help="auto (default: ct2 when installed), ct2 or hf")
    p.add_argument("--device", default="auto", help="auto, cpu or cuda (default auto)")
    p.add_argument("--beam-size", type=POSITIVE, default=4, metavar="N", help="beams (default 4)")
    p.add_argument("--batch-size", type=POSITIVE, default=32, metavar="N", help="sentences per model call (default 32)")
    p.add_argument("--threads", type=NON_NEGATIVE, default=0, metavar="N", help="CPU threads of the model (default: the engine's)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..errors import UsageError
    from ..train.backtranslate import backtranslate
    from ..translator import Translator

    src = args.source_lang
    tgt = args.target_lang or next(lang for lang in LANGS if lang != src)
    if tgt == src:
        raise UsageError(f"--source-lang and --target-lang are both {src!r}")
    translator = Translator(model=args.model, glossary=None, device=args.device, beam_size=args.beam_size,
                            batch_size=args.batch_size, backend=args.backend, threads=args.threads)
    backend = translator.backend(src, tgt)
    result = backtranslate(lambda batch: backend.generate(batch, src, tgt), backend.memory_key, args.input,
                           args.output, src, tgt, limit=args.limit, progress=not args.quiet)
    print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    return 0
