"""What a server runs (model, glossary, summarizer) and the limits that keep it up."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import UsageError
from ..glossary import Glossary
from ..presets import DEFAULT_MODEL

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Bounds on every request, so no client can exhaust memory, disk or the model.

    ``workers`` model calls run at once and ``max_waiting`` more may wait for one;
    beyond that a request is refused at once (429). A request that has not finished
    ``timeout_s`` after it arrived is answered 503. A connection must send its request
    headers within ``header_timeout_s``; at most ``max_connections`` are open at once,
    ``max_connections_per_client`` from one address (see :mod:`vnsum.web.connections`).
    """

    max_chars: int = 50_000  # characters per request, all texts together
    max_batch: int = 100  # texts per /translate request
    max_body_bytes: int = 2 * MB  # a REST request body
    max_upload_bytes: int = 10 * MB  # a file uploaded on the page
    max_upload_bytes_per_client: int = 50 * MB  # uploads kept on disk for one address…
    max_upload_bytes_total: int = 500 * MB  # …and for everyone (see vnsum.web.guards)
    upload_keep_s: float = 3600.0  # how long uploaded files are kept
    max_sentences: int = 20  # summary length
    timeout_s: float = 120.0
    workers: int = 1
    max_waiting: int = 16
    header_timeout_s: float = 10.0
    max_connections: int = 512
    max_connections_per_client: int = 64

    def __post_init__(self):
        low = [f"{name}={value}" for name, value in vars(self).items() if value < (0 if name == "max_waiting" else 1)]
        if low:
            raise UsageError(f"server limits must be positive (max_waiting may be 0): {', '.join(low)}")


@dataclass
class ServerConfig:
    """The default model and glossary of the page and the API, and how to load models.

    ``translator_options`` are the keyword arguments of every :class:`~vnsum.Translator`
    the server builds (device, dtype, backend, memory…), model and glossary aside.
    """

    model: str = DEFAULT_MODEL
    glossary: str | Glossary | None = "vn-gov"
    summarizer: str = "extractive"
    translator_options: dict = field(default_factory=dict)
    limits: Limits = field(default_factory=Limits)
