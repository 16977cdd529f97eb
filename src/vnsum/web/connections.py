"""Connections that cannot hold the server: a deadline for request headers and a cap on
how many connections are open.

uvicorn closes an idle keep-alive connection after a few seconds, but waits forever
for the headers of a request that never finishes: about a thousand half-open
connections hold a thousand file descriptors, and then nobody, not even ``/health``,
can connect. Here a connection must finish its request headers within
``header_timeout_s`` of opening (or of its previous response), a connection over
``max_connections`` is closed at once, and requests beyond that many in flight are
answered 503 by uvicorn itself.
"""

from __future__ import annotations

import asyncio
import functools
import resource
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from .config import Limits


class BoundedH11Protocol(H11Protocol):
    """uvicorn's HTTP/1.1 protocol with a header deadline and a connection cap."""

    def __init__(self, *args: Any, limits: Limits, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.limits = limits
        self._header_deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        if len(self.connections) > self.limits.max_connections:
            transport.close()  # no answer: writing one could block on a client that does not read
            return
        self._arm()

    def handle_events(self) -> None:
        super().handle_events()
        if self.conn.their_state is not h11.IDLE:  # the headers are in
            self._disarm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm()  # the next request on this connection gets the same deadline

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        self._disarm()
        self._header_deadline = self.loop.call_later(self.limits.header_timeout_s, self._headers_late)

    def _disarm(self) -> None:
        if self._header_deadline is not None:
            self._header_deadline.cancel()
            self._header_deadline = None

    def _headers_late(self) -> None:
        self._header_deadline = None
        if not self.transport.is_closing():
            self.transport.close()


def uvicorn_config(app: Any, limits: Limits, **options: Any):
    """A uvicorn Config for ``app`` with the connection limits of ``limits``."""
    import uvicorn

    return uvicorn.Config(app, http=functools.partial(BoundedH11Protocol, limits=limits),
                          timeout_keep_alive=5, limit_concurrency=limits.max_connections,
                          log_level="warning", **options)


def raise_open_files_limit() -> None:
    """Let the process open as many files as the system allows it (the soft limit is
    often 1,024, which ``max_connections`` plus the model's files could reach)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = hard if hard != resource.RLIM_INFINITY else max(soft, 65_536)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
