"""One FastAPI application: the REST API, its OpenAPI schema, and the page at ``/``."""

from __future__ import annotations

import asyncio
import errno
import json
import socket
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import gradio as gr
from fastapi import FastAPI
from fastapi_offline import FastAPIOffline
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import __version__
from ..errors import UsageError
from ..translator import Translator
from . import api, ui
from .config import Limits, ServerConfig
from .connections import raise_open_files_limit, uvicorn_config
from .notfound import JsonNotFound
from .service import Service

# Room for the multipart framing around an uploaded file.
_UPLOAD_MARGIN = 64 * 1024
# The most of a refused body read (and dropped) so that its client can read the 413.
_DRAIN_BYTES, _DRAIN_S = 16 * 1024 * 1024, 10.0


class _BodyTooLarge(Exception):
    pass


class BodyLimit:
    """Refuse request bodies over a size limit (413) before they are read into memory.

    The REST routes get ``limits.max_body_bytes``; the page's routes, which carry
    uploads, get ``limits.max_upload_bytes``. A declared Content-Length is checked at
    once; a body without one is counted as it streams in. Before the 413 the rest of the
    body is read and dropped (up to 16 MB, for 10 s): a server that closes a connection
    with unread bytes resets it, and most clients then report the reset, not the answer.
    A client waiting for ``100 Continue`` has sent nothing, and is answered at once.
    """

    def __init__(self, app: ASGIApp, limits: Limits):
        self.app = app
        self.limits = limits

    def limit(self, path: str) -> int:
        if path in api.REST_PATHS:
            return self.limits.max_body_bytes
        return self.limits.max_upload_bytes + _UPLOAD_MARGIN

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = self.limit(scope["path"])
        headers = dict(scope["headers"])
        declared = headers.get(b"content-length")
        waits = headers.get(b"expect", b"").lower() == b"100-continue"
        if declared is not None and declared.isdigit() and int(declared) > limit:
            if not waits and int(declared) <= _DRAIN_BYTES:
                await _drain(receive, 0)
            return await self._refuse(send, limit)
        received, started = 0, False

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
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
                if not waits:
                    await _drain(receive, received)
                await self._refuse(send, limit)

    @staticmethod
    async def _refuse(send: Send, limit: int) -> None:
        body = json.dumps({"error": f"The request body is larger than this server's limit of {limit:,} bytes."})
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body.encode()})


async def _drain(receive: Receive, received: int) -> None:
    """Read and drop the rest of a request body, ``received`` bytes of it already read,
    up to ``_DRAIN_BYTES`` in all and for at most ``_DRAIN_S`` seconds."""
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


def create_app(config: ServerConfig | None = None, translators: dict[str, Translator] | None = None) -> FastAPI:
    """The server's ASGI app; the default model is loaded before this returns."""
    config = config or ServerConfig()
    service = Service(config, translators)
    service.start()
    # Swagger UI and ReDoc from files in the fastapi-offline package, not a CDN: /docs
    # works on a machine without internet access.
    app = FastAPIOffline(title="vnsum", version=__version__, description=api.__doc__)
    app.state.service = service
    app.add_middleware(JsonNotFound)
    app.add_middleware(BodyLimit, limits=config.limits)
    api.install(app, service)
    page = ui.build(service)
    # show_error=False: Gradio's own errors name server paths ("Cannot move /srv/… to the
    # cache"); the page's handlers raise gr.Error, which is shown, for every error of theirs.
    gr.mount_gradio_app(app, page, path="/", max_file_size=config.limits.max_upload_bytes, ssr_mode=False,
                        theme=ui.theme(), css=ui.CSS, footer_links=["api"], mcp_server=False, show_error=False)
    # Gradio checks that a file named in a request was uploaded by a user only once the
    # page "has launched", which mount_gradio_app never sets: without this, a request
    # could name any file on the server and get it copied to the cache and read.
    page.has_launched = True
    return app


def listen(host: str, port: int) -> socket.socket:
    """The server's socket, bound before any model loads, so a busy port is said at once."""
    try:
        return socket.create_server((host, port), family=socket.AF_INET6 if ":" in host else socket.AF_INET)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise UsageError(f"port {port} on {host} is already in use (another vnsum serve?); stop that "
                             "server or choose another port with --port or GRADIO_SERVER_PORT") from None
        raise UsageError(f"cannot listen on {host} port {port}: {exc.strerror or exc}") from None


def addresses(host: str, port: int) -> list[str]:
    """URLs a user can open: a wildcard host is not one, so name this machine instead."""
    if host in ("0.0.0.0", "::", ""):
        return [f"http://127.0.0.1:{port}/", f"http://{socket.gethostname()}:{port}/"]
    return [f"http://{f'[{host}]' if ':' in host else host}:{port}/"]


def serve(config: ServerConfig, host: str = "127.0.0.1", port: int = 7860) -> None:
    """Start the server and block until it is stopped (Ctrl-C).

    The port is taken first (a busy one is a UsageError before the model loads); a
    server whose default model cannot translate still starts, for its page to say
    why, but says so on stderr and its /health answers 503.
    """
    import uvicorn

    sock = listen(host, port)
    app = create_app(config)
    service: Service = app.state.service
    if service.startup_error:
        print(f"vnsum: warning: model {service.default_model} cannot translate (why: above); the page and "
              "the API say so, and /health answers 503, until it can", file=sys.stderr, flush=True)
    urls = addresses(host, sock.getsockname()[1])  # the port itself when 0 asked for any free one
    print(f"vnsum: page on {' or '.join(urls)} · REST API on {urls[0]}translate (schema: {urls[0]}docs)",
          flush=True)
    raise_open_files_limit()
    server = uvicorn.Server(uvicorn_config(app, config.limits, timeout_graceful_shutdown=5))
    server.run(sockets=[sock])


@contextmanager
def background(app: FastAPI, host: str = "127.0.0.1", start_timeout_s: float = 60.0) -> Iterator[str]:
    """Serve ``app`` on a free port from a thread (for tests and scripts); yields its URL."""
    import uvicorn

    server = uvicorn.Server(uvicorn_config(app, app.state.service.limits, host=host, port=0))
    thread = threading.Thread(target=server.run, name="vnsum-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + start_timeout_s
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the server did not start")
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
