"""One client cannot take every connection (issue 27): caps in all and per client address,
where a new connection over a cap takes the place of the oldest one still waiting for
its request headers. Before, a global cap closed every new connection once one client
held it with half-open ones, /health included."""

from __future__ import annotations

import socket
from urllib.parse import urlparse

import httpx
import pytest

from fakes import CopyBackend
from test_web_hostile import closed_by_server
from vnsum import Translator
from vnsum.web import Limits, ServerConfig
from vnsum.web.server import background, create_app

ATTACKER = "127.0.0.2"  # the loopback network answers any 127.x address: a second client


@pytest.fixture(scope="module")
def capped():
    """Sixteen connections in all, eight per address, and time enough to hold them half-open."""
    limits = Limits(header_timeout_s=60, max_connections=16, max_connections_per_client=8)
    app = create_app(ServerConfig(model="m", glossary=None, limits=limits),
                     {"m": Translator(backend=CopyBackend(), glossary=None)})
    with background(app) as url:
        yield url
    app.state.service.gate.close()


def opened(url: str, source: str, start: bytes = b"GET /health HTTP/1.1\r\nHost: x\r\n") -> socket.socket:
    """A connection from ``source`` that sends ``start`` (by default, headers never finished)."""
    address = urlparse(url)
    sock = socket.create_connection((address.hostname, address.port), timeout=30, source_address=(source, 0))
    sock.sendall(start)
    return sock


def health(url: str) -> int:
    return httpx.get(url + "/health", timeout=30).status_code


def test_one_address_only_replaces_its_own_half_open_connections(capped):
    held = [opened(capped, ATTACKER) for _ in range(20)]
    try:
        assert all(closed_by_server(sock, 30) for sock in held[:12])  # the oldest, replaced at once
        assert not any(closed_by_server(sock, 0.5) for sock in held[12:])  # eight kept: its own cap
        assert health(capped) == 200
    finally:
        for sock in held:
            sock.close()


def test_health_answers_while_its_own_address_holds_every_place(capped):
    """A proxy or a health checker on the attacker's address still gets in: its request
    takes the place of the oldest half-open connection."""
    held = [opened(capped, "127.0.0.1") for _ in range(8)] + [opened(capped, ATTACKER) for _ in range(8)]
    try:
        assert [health(capped) for _ in range(5)] == [200] * 5
    finally:
        for sock in held:
            sock.close()


def test_connections_busy_with_a_request_are_not_closed_to_make_room(capped):
    """Headers sent, body still to come: that request is under way (the server has said
    "100 Continue"), so a ninth connection from the address is the one closed."""
    busy = (b"POST /translate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n"
            b"Expect: 100-continue\r\n\r\n")
    held = [opened(capped, ATTACKER, busy) for _ in range(8)]
    try:
        assert all(sock.recv(100).startswith(b"HTTP/1.1 100 ") for sock in held)
        extra = opened(capped, ATTACKER)
        assert closed_by_server(extra, 30)
        assert not any(closed_by_server(sock, 0.5) for sock in held)
        extra.close()
    finally:
        for sock in held:
            sock.close()
