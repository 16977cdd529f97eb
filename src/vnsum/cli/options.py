"""Options shared by the commands that load a model."""

from __future__ import annotations

import argparse
import sys

from ..backends.openai import API_BASE_ENV, API_KEY_ENV, LLMOptions
from ..memory import default_path
from ..presets import DEFAULT_MODEL, PRESETS
from ..translator import LOADERS
from .arguments import NON_NEGATIVE, POSITIVE, seconds

DTYPES = ["auto", "float32", "float16", "bfloat16", "int8", "int8_float16"]


def add_model_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--model", "-m", default=DEFAULT_MODEL,
                   help=f"preset ({', '.join(PRESETS)}), Hugging Face id, local folder, or openai:NAME (a model on an "
                        f"OpenAI-compatible server, see --api-base) (default {DEFAULT_MODEL})")
    p.add_argument("--backend", default="auto", choices=list(LOADERS),
                   help="auto (default): ct2 when the ctranslate2 package is installed and the model converts, "
                        "else hf; ct2: CTranslate2, converted once into models/<name>-ct2-<compute type>/; "
                        "hf: transformers")
    p.add_argument("--device", default="auto", help="auto, cpu or cuda (default auto)")
    p.add_argument("--dtype", default="auto", choices=DTYPES,
                   help="auto = hf: float32 on CPU, bfloat16/float16 on GPU; ct2: int8 on CPU, int8_float16 on "
                        "GPU. int8 types are ct2 only")
    decoding = p.add_mutually_exclusive_group()
    decoding.add_argument("--beam-size", type=POSITIVE, default=4, metavar="N", help="beams (default 4)")
    decoding.add_argument("--greedy", action="store_true", help="fast mode: greedy search (beam size 1)")
    p.add_argument("--batch-size", type=POSITIVE, default=16, metavar="N",
                   help="sentences per model call (ct2: 64 tokens per sentence, batched by tokens)")
    tm = p.add_mutually_exclusive_group()
    tm.add_argument("--tm", metavar="PATH", type=str,
                    help=f"translation memory file (SQLite), on by default: {default_path()} "
                         "($VNSUM_CACHE/tm.sqlite or $XDG_CACHE_HOME/vnsum/tm.sqlite)")
    tm.add_argument("--no-tm", action="store_true", help="no translation memory: every sentence goes to the model")
    p.add_argument("--strip-chrome", action="store_true",
                   help="drop site chrome (view counters, menus, share buttons, related-article lists) from the "
                        "translation; by default it is kept as written, never translated as prose")
    add_llm_options(p, translation=True)


def add_llm_options(p: argparse.ArgumentParser, translation: bool) -> None:
    """Options of a model on an OpenAI-compatible server (``openai:NAME``); the API key
    is read from the environment only, never from the command line."""
    defaults = LLMOptions()
    g = p.add_argument_group("LLM server (--model/--summarizer openai:NAME)")
    g.add_argument("--api-base", metavar="URL",
                   help=f"the server's OpenAI-compatible API, e.g. http://127.0.0.1:8000/v1 (default ${API_BASE_ENV}); "
                        f"a key, if it needs one, is read from ${API_KEY_ENV}")
    g.add_argument("--llm-concurrency", type=POSITIVE, default=defaults.concurrency, metavar="N",
                   help="requests in flight (default %(default)s)")
    g.add_argument("--llm-timeout", type=seconds, default=defaults.timeout, metavar="S",
                   help="seconds to wait for one answer (default %(default)s)")
    g.add_argument("--llm-retries", type=NON_NEGATIVE, default=defaults.retries, metavar="N",
                   help="tries after a 429, a 5xx, a timeout or a lost connection, with backoff (default %(default)s)")
    if translation:
        g.add_argument("--llm-window", type=POSITIVE, default=defaults.window, metavar="N",
                       help="sentences per request (default %(default)s), the two before shown as context")
        g.add_argument("--llm-placeholders", action="store_true",
                       help="mask glossary terms as ZZ0, ZZ1… on the first pass, as for translation models "
                            "(default: the terms stay and the prompt lists their required renderings)")


def llm_options(args: argparse.Namespace) -> LLMOptions:
    """The LLM server options the arguments describe."""
    defaults = LLMOptions()
    return LLMOptions(api_base=args.api_base, timeout=args.llm_timeout, concurrency=args.llm_concurrency,
                      retries=args.llm_retries, window=getattr(args, "llm_window", defaults.window),
                      placeholders=getattr(args, "llm_placeholders", defaults.placeholders))


DEFAULT_GLOSSARY = "vn-gov"


def add_glossary_options(p: argparse.ArgumentParser) -> None:
    g = p.add_mutually_exclusive_group()
    g.add_argument("-g", "--glossary", action="append", metavar="GLOSSARY",
                   help=f"bundled name, TSV file, two-column vi<TAB>en file or CSV (default {DEFAULT_GLOSSARY}); "
                        f"repeat to stack: -g {DEFAULT_GLOSSARY} -g mine.tsv keeps both, the later file winning "
                        "where both render a term (each such term is reported)")
    g.add_argument("--no-glossary", action="store_true")


def glossary_from(args: argparse.Namespace):
    """The glossary the options name, stacked in order; terms a later file overrides are
    reported on stderr, so a reader sees which rendering they get."""
    from ..stacking import load_stack

    if args.no_glossary:
        return None
    stacked = load_stack(args.glossary or [DEFAULT_GLOSSARY])
    for override in stacked.overrides:
        print(f"vnsum: glossary {override.kept_from} overrides {override.replaced_from}: {override}", file=sys.stderr)
    return stacked.glossary


def translator_options(args: argparse.Namespace) -> dict:
    """Keyword arguments of the Translator the options describe (also sent to Ray workers)."""
    return {
        "model": args.model, "glossary": glossary_from(args),
        "device": args.device, "dtype": args.dtype, "beam_size": 1 if args.greedy else args.beam_size,
        "batch_size": args.batch_size, "backend": args.backend,
        "memory": None if args.no_tm else (args.tm or default_path()), "llm": llm_options(args),
        "strip_chrome": args.strip_chrome,
    }


def translator_from(args: argparse.Namespace):
    """The Translator the options describe (weights load on first use)."""
    from ..translator import Translator

    return Translator(**translator_options(args))
