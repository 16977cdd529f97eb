"""A Hugging Face model hub on 127.0.0.1 serving generated models, for offline tests.

It answers the two calls a download makes, as the real hub does:

- ``GET /api/models/{org}/{name}[/revision/{rev}]`` (``?blobs=true``): the commit and its
  files with their sizes, git blob ids and, for weights, LFS sha256;
- ``GET``/``HEAD /{org}/{name}/resolve/{rev}/{file}``: the file, with ``ETag``,
  ``X-Repo-Commit``, ``Content-Length`` and ``Accept-Ranges``, and ``206`` with
  ``Content-Range`` for a ``Range: bytes=N-`` request.

Tests make it misbehave the ways networks do: ``stall`` (send N bytes of a file, then
wait until ``release`` is set), ``drop_once`` (send N bytes, then close the connection,
once), ``corrupt`` (serve a file with one byte changed, under its true hash). Every
request is recorded in ``requests``.
"""

from __future__ import annotations

import hashlib
import json
import re
import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

LFS = (".safetensors", ".bin")


@dataclass(frozen=True)
class Seen:
    method: str
    path: str
    range: str | None


@dataclass
class FakeHub:
    """Serves ``repos`` (hub id -> folder of files) until ``close()``."""

    repos: dict[str, Path]
    stall: dict[str, int] = field(default_factory=dict)
    drop_once: dict[str, int] = field(default_factory=dict)
    corrupt: set[str] = field(default_factory=set)
    requests: list[Seen] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self):
        hub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_HEAD(self):
                hub._answer(self, body=False)

            def do_GET(self):
                hub._answer(self, body=True)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def close(self) -> None:
        self.release.set()
        self._server.shutdown()
        self._server.server_close()

    def commit(self, repo: str) -> str:
        return hashlib.sha1(repo.encode()).hexdigest()

    def gets(self, name: str) -> list[Seen]:
        """The GET requests for file ``name`` of any repository."""
        return [r for r in self.requests if r.method == "GET" and r.path.endswith(f"/{name}")]

    def _answer(self, handler: BaseHTTPRequestHandler, body: bool) -> None:
        self.requests.append(Seen(handler.command, handler.path.split("?")[0], handler.headers.get("Range")))
        path = handler.path.split("?")[0]
        if m := re.fullmatch(r"/api/models/([^/]+/[^/]+)(?:/revision/[^/]+)?", path):
            return self._listing(handler, m.group(1))
        if m := re.fullmatch(r"/([^/]+/[^/]+)/resolve/([^/]+)/(.+)", path):
            return self._file(handler, m.group(1), m.group(3), body)
        self._send(handler, 404, b'{"error": "not found"}', {"Content-Type": "application/json"})

    def _listing(self, handler, repo: str) -> None:
        if repo not in self.repos:
            return self._send(handler, 404, b'{"error": "Repository not found"}', {"X-Error-Code": "RepoNotFound"})
        siblings = []
        for file in sorted(self.repos[repo].iterdir()):
            data = file.read_bytes()
            entry = {"rfilename": file.name, "size": len(data),
                     "blobId": hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()}
            if file.suffix in LFS:
                entry["lfs"] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data), "pointerSize": 134}
            siblings.append(entry)
        info = {"id": repo, "modelId": repo, "sha": self.commit(repo), "private": False, "siblings": siblings}
        self._send(handler, 200, json.dumps(info).encode(), {"Content-Type": "application/json"})

    def _file(self, handler, repo: str, name: str, body: bool) -> None:
        file = self.repos.get(repo, Path("/nonexistent")) / name
        if not file.is_file():
            return self._send(handler, 404, b"Entry not found", {"X-Error-Code": "EntryNotFound"})
        data = file.read_bytes()
        etag = hashlib.sha256(data).hexdigest() if file.suffix in LFS else hashlib.sha1(data).hexdigest()
        if name in self.corrupt:
            data = data[:-1] + bytes([data[-1] ^ 0xFF])
        start = int(m.group(1)) if (m := re.fullmatch(r"bytes=(\d+)-", handler.headers.get("Range") or "")) else 0
        headers = {"ETag": f'"{etag}"', "X-Repo-Commit": self.commit(repo), "Accept-Ranges": "bytes",
                   "Content-Type": "application/octet-stream"}
        if start:
            headers["Content-Range"] = f"bytes {start}-{len(data) - 1}/{len(data)}"
        part = data[start:]
        handler.send_response(206 if start else 200)
        for key, value in (headers | {"Content-Length": str(len(part))}).items():
            handler.send_header(key, value)
        handler.end_headers()
        if not body:
            return
        try:
            self._stream(handler, name, part)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client went away (a test killed it)

    def _stream(self, handler, name: str, part: bytes) -> None:
        cut = self.stall.get(name, self.drop_once.get(name))
        if cut is None:
            handler.wfile.write(part)
            return
        handler.wfile.write(part[:cut])
        handler.wfile.flush()
        if name in self.drop_once:
            del self.drop_once[name]
            handler.close_connection = True
            handler.connection.shutdown(socket.SHUT_RDWR)
            return
        self.release.wait(60)
        handler.wfile.write(part[cut:])

    @staticmethod
    def _send(handler, status: int, body: bytes, headers: dict[str, str]) -> None:
        handler.send_response(status)
        for key, value in (headers | {"Content-Length": str(len(body))}).items():
            handler.send_header(key, value)
        handler.end_headers()
        handler.wfile.write(body)


def connect(monkeypatch, endpoint: str) -> None:
    """Online, with ``endpoint`` as the hub, for this process and the ones it starts
    (the test suite is offline otherwise: tests/conftest.py)."""
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.delenv("VNSUM_OFFLINE", raising=False)
    monkeypatch.setenv("HF_ENDPOINT", endpoint)
    monkeypatch.setattr("huggingface_hub.constants.ENDPOINT", endpoint)
    monkeypatch.setattr("vnsum.fetch._unreachable", {})  # what an earlier test's hub did is forgotten


def silent_endpoint() -> tuple[str, socket.socket]:
    """An address that accepts connections and never answers (a hub behind a firewall
    that drops replies): the caller keeps the socket open while it is used."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    return f"http://127.0.0.1:{sock.getsockname()[1]}", sock


def refused_endpoint() -> str:
    """An address where nothing listens: connections are refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"
