"""Connections that cannot hold the server: a deadline for request headers, and caps on
how many connections are open, in all and per client address.

uvicorn closes an idle keep-alive connection after a few seconds, but waits forever
for the headers of a request that never finishes: about a thousand half-open
connections hold a thousand file descriptors, and then nobody, not even ``/health``,
can connect. Here a connection must finish its request headers within
``header_timeout_s`` of opening (or of its previous response). At most
``max_connections`` are open, and at most ``max_connections_per_client`` from one
address. A new connection over a cap takes the place of the oldest one still waiting
for its request headers (from the same address, for the per-client cap): one client
holding every place with half-open connections only replaces its own, and a real
request, whose headers come at once, gets in, ``/health`` included. Only when every
connection in the way is busy with a request is the new one closed.
"""

from __future__ import annotations

import asyncio
import functools
import resource
from collections import defaultdict
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from .config import Limits


class ConnectionTable:
    """The open connections of one server, by client address, and which of them wait
    for request headers (oldest first: dicts keep insertion order)."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.count = 0
        self._by_client: dict[str, int] = defaultdict(int)
        self._waiting: dict[BoundedH11Protocol, None] = {}
        self._waiting_by_client: dict[str, dict[BoundedH11Protocol, None]] = defaultdict(dict)

    def admit(self, connection: BoundedH11Protocol) -> bool:
        """Count ``connection`` in, closing an older waiting one to make room if a cap is
        reached; False (and nothing counted) when no room can be made."""
        client = connection.address
        if self._by_client.get(client, 0) >= self.limits.max_connections_per_client:
            if not self._evict(self._waiting_by_client.get(client, {})):
                return False
        elif self.count >= self.limits.max_connections and not self._evict(self._waiting):
            return False
        connection.counted = True
        self.count += 1
        self._by_client[client] += 1
        self.waiting(connection)
        return True

    def waiting(self, connection: BoundedH11Protocol) -> None:
        """``connection`` waits for request headers (new, or idle after a response)."""
        self._waiting[connection] = None
        self._waiting_by_client[connection.address][connection] = None

    def busy(self, connection: BoundedH11Protocol) -> None:
        """``connection`` has sent its request headers: it is not closed to make room."""
        self._waiting.pop(connection, None)
        waiting = self._waiting_by_client.get(connection.address)
        if waiting is not None:
            waiting.pop(connection, None)
            if not waiting:
                del self._waiting_by_client[connection.address]

    def remove(self, connection: BoundedH11Protocol) -> None:
        """``connection`` is closed (safe to call again)."""
        if not connection.counted:
            return
        connection.counted = False
        self.busy(connection)
        self.count -= 1
        self._by_client[connection.address] -= 1
        if not self._by_client[connection.address]:
            del self._by_client[connection.address]

    def _evict(self, candidates: dict[BoundedH11Protocol, None]) -> bool:
        """Close the oldest of ``candidates``; False if there is none."""
        if not candidates:
            return False
        oldest = next(iter(candidates))
        self.remove(oldest)
        oldest.transport.close()
        return True


class BoundedH11Protocol(H11Protocol):
    """uvicorn's HTTP/1.1 protocol with a header deadline and the caps of a ConnectionTable."""

    def __init__(self, *args: Any, limits: Limits, table: ConnectionTable, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.limits = limits
        self.table = table
        self.address = ""
        self.counted = False
        self._header_deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self.address = self.client[0] if self.client else ""
        if not self.table.admit(self):
            transport.close()  # no answer: writing one could block on a client that does not read
            return
        self._arm()

    def handle_events(self) -> None:
        super().handle_events()
        if self.counted and self.conn.their_state is not h11.IDLE:  # the headers are in
            self._disarm()
            self.table.busy(self)

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if self.counted and not self.transport.is_closing():
            self.table.waiting(self)
            self._arm()  # the next request on this connection gets the same deadline

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        self.table.remove(self)
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
    """A uvicorn Config for ``app`` with the connection limits of ``limits`` (uvicorn's
    own ``limit_concurrency`` is not set: the table keeps the count under the cap)."""
    import uvicorn

    protocol = functools.partial(BoundedH11Protocol, limits=limits, table=ConnectionTable(limits))
    return uvicorn.Config(app, http=protocol, timeout_keep_alive=5, log_level="warning", **options)


def raise_open_files_limit() -> None:
    """Let the process open as many files as the system allows it (the soft limit is
    often 1,024, which ``max_connections`` plus the model's files could reach)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = hard if hard != resource.RLIM_INFINITY else max(soft, 65_536)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
