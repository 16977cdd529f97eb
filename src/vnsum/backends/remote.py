"""Models served over the network, named ``<scheme>:<model>`` (``openai:qwen2.5-7b-instruct``).

This table is the one place that knows the schemes: the Translator and the summarizer
registry ask it whether a model name is remote and for a client to it, so no other code
tests model names.
"""

from __future__ import annotations

from collections.abc import Callable

from ..errors import UsageError
from .openai import ChatClient, LLMOptions

SCHEMES: dict[str, Callable[[str, LLMOptions], ChatClient]] = {"openai": ChatClient}


def is_remote(spec: str) -> bool:
    scheme, sep, _ = spec.partition(":")
    return bool(sep) and scheme in SCHEMES


def client_for(spec: str, options: LLMOptions | None = None) -> ChatClient:
    """A client to the model a remote name names (``options`` default: the environment's server)."""
    scheme, _, model = spec.partition(":")
    if scheme not in SCHEMES:
        raise UsageError(f"{spec!r} is not a served model: name one as {' or '.join(f'{s}:NAME' for s in SCHEMES)}")
    return SCHEMES[scheme](model, options or LLMOptions())
