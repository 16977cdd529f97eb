"""ASGI guards in front of the app: request body size, and disk quotas for uploads.

Both answer ``{"error": …}`` before the request reaches the app, and read the rest of a
refused body first (up to 16 MB, for 10 s): a server that closes a connection with
unread bytes resets it, and most clients then report the reset, not the answer. A
client waiting for ``100 Continue`` has sent nothing, and is answered at once.
"""

from __future__ import annotations

import asyncio
import json
import math
import time
from collections import Counter, deque
from dataclasses import dataclass, field

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import api
from .config import MB, Limits

# Room for the multipart framing around an uploaded file; also the least an upload costs.
UPLOAD_MARGIN = 64 * 1024
# The page's upload route, where Gradio stores files on the server's disk.
UPLOAD_PATH = "/gradio_api/upload"
# The most of a refused body read (and dropped) so that its client can read the answer.
_DRAIN_BYTES, _DRAIN_S = 16 * 1024 * 1024, 10.0


class _BodyTooLarge(Exception):
    pass


class BodyLimit:
    """Refuse request bodies over a size limit (413) before they are read into memory.

    The REST routes get ``limits.max_body_bytes``; the page's routes, which carry
    uploads, get ``limits.max_upload_bytes``. A declared Content-Length is checked at
    once; a body without one is counted as it streams in.
    """

    def __init__(self, app: ASGIApp, limits: Limits):
        self.app = app
        self.limits = limits

    def limit(self, path: str) -> int:
        if path in api.REST_PATHS:
            return self.limits.max_body_bytes
        return self.limits.max_upload_bytes + UPLOAD_MARGIN

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = self.limit(scope["path"])
        message = f"The request body is larger than this server's limit of {limit:,} bytes."
        declared = _declared(scope)
        if declared is not None and declared > limit:
            return await refuse(scope, receive, send, 413, message)
        received, more, started = 0, True, False

        async def counted() -> Message:
            nonlocal received, more
            message = await receive()
            received += len(message.get("body", b""))
            more = message.get("more_body", False)
            if received > limit:
                raise _BodyTooLarge
            return message

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, tracked)
        except _BodyTooLarge:
            if not started:
                await refuse(scope, receive, send, 413, message, received=received if more else None)


@dataclass
class UploadLedger:
    """The bytes uploaded in the last ``window_s`` seconds, per client address and in all.

    A charge is refused when it would take the client past ``per_client`` or everyone
    past ``total``; refused charges are not recorded, so the ledger holds at most
    ``total / UPLOAD_MARGIN`` entries whatever the clients do.
    """

    per_client: int
    total: int
    window_s: float
    _charges: deque[tuple[float, str, int]] = field(default_factory=deque)
    _by_client: Counter[str] = field(default_factory=Counter)
    _sum: int = 0

    def charge(self, client: str, size: int, now: float) -> float | None:
        """Record ``size`` bytes for ``client``; None when accepted, else the seconds until
        the oldest charge in the way expires."""
        while self._charges and self._charges[0][0] <= now - self.window_s:
            _, old_client, old_size = self._charges.popleft()
            self._sum -= old_size
            self._by_client[old_client] -= old_size
            if not self._by_client[old_client]:
                del self._by_client[old_client]
        if self._by_client[client] + size > self.per_client:
            oldest = next(t for t, c, _ in self._charges if c == client) if self._by_client[client] else now
            return oldest + self.window_s - now
        if self._sum + size > self.total:
            return self._charges[0][0] + self.window_s - now if self._charges else self.window_s
        self._charges.append((now, client, size))
        self._by_client[client] += size
        self._sum += size
        return None


class UploadQuota:
    """Bound the disk that anonymous uploads take: each upload is charged its declared
    size (or the upload limit, if it declares none) against the client's address and
    the server's total, over the time Gradio keeps uploaded files; past either quota it
    is answered 429 with Retry-After."""

    def __init__(self, app: ASGIApp, limits: Limits):
        self.app = app
        self.most = limits.max_upload_bytes + UPLOAD_MARGIN
        # Gradio deletes files older than upload_keep_s every upload_keep_s / 2.
        self.ledger = UploadLedger(limits.max_upload_bytes_per_client, limits.max_upload_bytes_total,
                                   limits.upload_keep_s * 1.5)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST" and scope["path"] == UPLOAD_PATH:
            client = scope["client"][0] if scope.get("client") else ""
            declared = _declared(scope)
            size = max(UPLOAD_MARGIN, declared if declared is not None else self.most)
            wait = self.ledger.charge(client, size, time.monotonic())
            if wait is not None:
                return await refuse(
                    scope, receive, send, 429,
                    f"Uploads are limited to {self.ledger.per_client / MB:.3g} MB per address and "
                    f"{self.ledger.total / MB:.3g} MB in all over {self.ledger.window_s / 60:.0f} minutes, and "
                    f"this one would go past that. Retry in {math.ceil(wait / 60)} minute(s), or use the command "
                    "line (vnsum translate / vnsum process).", retry_after=wait)
        await self.app(scope, receive, send)


def _declared(scope: Scope) -> int | None:
    value = dict(scope["headers"]).get(b"content-length")
    return int(value) if value is not None and value.isdigit() else None


async def refuse(scope: Scope, receive: Receive, send: Send, status: int, message: str, *,
                 received: int | None = 0, retry_after: float | None = None) -> None:
    """Answer ``{"error": message}`` and close, the rest of the body read and dropped first
    (``received`` bytes of it were read already; None: all of it), unless it is too big
    to wait for."""
    waits = dict(scope["headers"]).get(b"expect", b"").lower() == b"100-continue"
    if received is not None and not waits and (_declared(scope) or 0) <= _DRAIN_BYTES:
        await _drain(receive, received)
    extra = [(b"retry-after", str(max(1, round(retry_after))).encode())] if retry_after is not None else []
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"connection", b"close"), *extra]})
    await send({"type": "http.response.body", "body": json.dumps({"error": message}).encode()})


async def _drain(receive: Receive, received: int) -> None:
    """Read and drop the rest of a request body, up to ``_DRAIN_BYTES`` in all, for at
    most ``_DRAIN_S`` seconds."""
    async def drop() -> None:
        nonlocal received
        while received <= _DRAIN_BYTES:
            message = await receive()
            if message["type"] != "http.request" or not message.get("more_body"):
                return
            received += len(message.get("body", b""))

    try:
        await asyncio.wait_for(drop(), _DRAIN_S)
    except asyncio.TimeoutError:
        pass
