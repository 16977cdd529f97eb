"""``vnsum serve``: the web page and the HTTP API on this machine."""

from __future__ import annotations

import argparse

from ..web.config import Limits, ServerConfig
from .options import add_glossary_options, add_model_options, translator_options


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="start the web page and the HTTP API (LibreTranslate-compatible)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=7860)
    p.add_argument("--summarizer", default="extractive", help="extractive (default), lead, or a model")
    add_glossary_options(p)
    add_model_options(p)
    limits = p.add_argument_group("limits")
    defaults = Limits()
    limits.add_argument("--max-chars", type=int, default=defaults.max_chars, help="characters per request")
    limits.add_argument("--max-batch", type=int, default=defaults.max_batch, help="texts per /translate request")
    limits.add_argument("--timeout", type=float, default=defaults.timeout_s, help="seconds per request")
    limits.add_argument("--workers", type=int, default=defaults.workers, help="model calls at once")
    limits.add_argument("--queue", type=int, default=defaults.max_waiting,
                        help="requests that may wait for the model; more are refused with 429")
    p.set_defaults(run=run_serve)


def run_serve(args: argparse.Namespace) -> int:
    from ..web.server import serve  # FastAPI and Gradio load only for this command

    options = translator_options(args)
    model, glossary = options.pop("model"), options.pop("glossary")
    limits = Limits(max_chars=args.max_chars, max_batch=args.max_batch, timeout_s=args.timeout,
                    workers=args.workers, max_waiting=args.queue)
    serve(ServerConfig(model=model, glossary=glossary, summarizer=args.summarizer, translator_options=options,
                       limits=limits), host=args.host, port=args.port)
    return 0
