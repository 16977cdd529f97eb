"""Errors only the server raises, and the HTTP status of every vnsum error."""

from __future__ import annotations

from ..errors import GlossaryError, InputError, ModelLoadError, ModelNotFoundError, UsageError, VnsumError


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
    VnsumError: 400,
}

RETRY_AFTER_S = 5


def status_for(exc: VnsumError) -> int:
    """The HTTP status for ``exc``: that of its nearest class in :data:`HTTP_STATUS`."""
    return next(HTTP_STATUS[cls] for cls in type(exc).__mro__ if cls in HTTP_STATUS)
