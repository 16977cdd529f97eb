"""``vnsum serve``: the web page and the HTTP API on this machine.

The address and port come from --host and --port, else from Gradio's own
GRADIO_SERVER_NAME and GRADIO_SERVER_PORT, which containers and Spaces set.
Exit code 2 when the port is taken or cannot be used, before any model loads.
"""

from __future__ import annotations

import argparse
import os

from ..web.config import Limits, ServerConfig
from .options import add_glossary_options, add_model_options, translator_options


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="start the web page and the HTTP API (LibreTranslate-compatible)",
                       description=__doc__.split("\n\n", 1)[1], formatter_class=argparse.RawDescriptionHelpFormatter)
    host = os.environ.get("GRADIO_SERVER_NAME", "127.0.0.1")
    p.add_argument("--host", default=host, help=f"address to listen on (default {host}, from $GRADIO_SERVER_NAME "
                                                "if set; 127.0.0.1 is this machine only, 0.0.0.0 every address)")
    p.add_argument("--port", type=_port, default=os.environ.get("GRADIO_SERVER_PORT", "7860"),
                   help="port (default %(default)s, from $GRADIO_SERVER_PORT if set)")
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


def _port(value: str) -> int:
    if not value.isdigit() or not 0 <= int(value) < 65536:
        raise argparse.ArgumentTypeError(f"a port is a number from 0 (any free one) to 65535, not {value!r}")
    return int(value)


def run_serve(args: argparse.Namespace) -> int:
    from ..web.server import serve  # FastAPI and Gradio load only for this command

    options = translator_options(args)
    model, glossary = options.pop("model"), options.pop("glossary")
    limits = Limits(max_chars=args.max_chars, max_batch=args.max_batch, timeout_s=args.timeout,
                    workers=args.workers, max_waiting=args.queue)
    serve(ServerConfig(model=model, glossary=glossary, summarizer=args.summarizer, translator_options=options,
                       limits=limits), host=args.host, port=args.port)
    return 0
