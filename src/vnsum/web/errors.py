"""Errors only the server raises, and the HTTP status of every vnsum error."""

from __future__ import annotations

import re

from ..backends.openai import ServerError
from ..errors import GlossaryError, InputError, ModelLoadError, ModelNotFoundError, UsageError, VnsumError
from ..redact import redact


class RequestTooLarge(VnsumError):
    """A request over a size limit (characters, texts in a batch, bytes, upload size)."""


class ServerBusy(VnsumError):
    """Every model worker is busy and the waiting line is full; the client should retry."""


class RequestTimeout(VnsumError):
    """A request waited or ran longer than the server's per-request limit."""


HTTP_STATUS: dict[type[VnsumError], int] = {
    UsageError: 400,
    GlossaryError: 400,
    InputError: 400,
    RequestTooLarge: 413,
    ServerBusy: 429,
    ModelLoadError: 500,
    ModelNotFoundError: 503,
    RequestTimeout: 503,
    ServerError: 502,  # the LLM server behind this one is down or failing
    VnsumError: 400,
}

RETRY_AFTER_S = 5


def status_for(exc: VnsumError) -> int:
    """The HTTP status for ``exc``: that of its nearest class in :data:`HTTP_STATUS`."""
    return next(HTTP_STATUS[cls] for cls in type(exc).__mro__ if cls in HTTP_STATUS)


# An absolute path on this server: /…, ~/… or C:\…, up to the next space or quote.
_SERVER_PATH = re.compile(r"""(?<![\w.:/~-])(?:~|[A-Za-z]:)?[/\\][^\s'"`()]*[^\s'"`().,:;]""")


def public(text: str) -> str:
    """``text`` with every absolute server path cut to its last part and every secret
    hidden (:func:`vnsum.redact.redact`), for visitors.

    Messages about models name the folders vnsum looked in; the operator needs them
    (they go to the server log), a visitor of the page or the API must not see how the
    server's disks are laid out. ``/srv/models/opus-mt/vi-en`` becomes ``…/vi-en``.
    """
    return _SERVER_PATH.sub(lambda m: "…/" + re.split(r"[/\\]", m.group().rstrip("/\\"))[-1], redact(text))
