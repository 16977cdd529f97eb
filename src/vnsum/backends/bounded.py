"""One HTTP exchange with a server vnsum does not control, bounded in time and in size.

httpx's timeouts bound each read, not the answer: a server that sends a byte every few
seconds, in its headers or its body, holds a request for as long as it likes, and
one that ignores ``max_tokens`` can send gigabytes. Here the whole exchange must end
within ``timeout_s`` (a watchdog shuts the connection's socket down at the deadline,
whatever the request is waiting for: connecting, headers or body), and reading stops
after ``max_bytes``. The watchdog learns the socket from httpx's ``trace`` extension
when the connection is opened, so the client must open one per request (no keep-alive).
"""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass
from typing import Any

import httpx

# The trace events that hand over a connection's stream (plain TCP, then TLS over it).
_STREAM_EVENTS = frozenset({"connection.connect_tcp.complete", "connection.start_tls.complete"})


class NoAnswer(Exception):
    """No whole answer came: the deadline passed, or the connection failed."""


@dataclass(frozen=True)
class Reply:
    """A server's answer: status, headers, and its body, cut at the size limit if over it."""

    status: int
    headers: httpx.Headers
    body: bytes
    complete: bool


class _Watchdog:
    """Shuts down the socket of one request when its time is up."""

    def __init__(self, seconds: float):
        self._socket: socket.socket | None = None
        self._lock = threading.Lock()
        self.expired = False
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Watchdog:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()

    def trace(self, event: str, info: dict[str, Any]) -> None:
        """httpx's trace callback: keep the socket of the connection being opened."""
        if event in _STREAM_EVENTS:
            with self._lock:
                self._socket = info["return_value"].get_extra_info("socket")
                if self.expired:
                    self._shut()

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            self._shut()

    def _shut(self) -> None:
        if self._socket is not None:
            try:
                self._socket.shutdown(socket.SHUT_RDWR)  # wakes the read blocked on it
            except OSError:
                pass  # already closed: the request ended as the time ran out


def fetch(client: httpx.Client, method: str, path: str, *, timeout_s: float, max_bytes: int,
          **kwargs: Any) -> Reply:
    """Send one request with ``client`` and read the answer, all of it within ``timeout_s``
    and at most ``max_bytes`` of its body. Raises NoAnswer with the reason."""
    with _Watchdog(timeout_s) as watchdog:
        try:
            with client.stream(method, path, extensions={"trace": watchdog.trace}, **kwargs) as response:
                body = bytearray()
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > max_bytes:
                        return Reply(response.status_code, response.headers, bytes(body[:max_bytes]), False)
                return Reply(response.status_code, response.headers, bytes(body), True)
        except httpx.HTTPError as exc:
            if watchdog.expired or isinstance(exc, httpx.TimeoutException):
                raise NoAnswer(f"no whole answer within {timeout_s:g} s") from None
            raise NoAnswer(f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__) from None
