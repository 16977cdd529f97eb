"""One FastAPI application: the REST API, its OpenAPI schema, and the page at ``/``."""

from __future__ import annotations

import errno
import socket
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import gradio as gr
from fastapi import FastAPI
from fastapi_offline import FastAPIOffline

from .. import __version__
from ..errors import UsageError
from ..translator import Translator
from . import api, ui
from .config import ServerConfig
from .connections import raise_open_files_limit, uvicorn_config
from .guards import BodyLimit, UploadQuota
from .notfound import JsonNotFound
from .service import Service

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
    app.add_middleware(UploadQuota, limits=config.limits)  # inside BodyLimit: a refused body costs no quota
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
