"""The web page and the HTTP API: a thin layer over the Python API.

``vnsum.web.server.create_app`` builds one FastAPI application that serves the REST API
(LibreTranslate's shape, plus ``/summarize`` and ``/process``), its OpenAPI schema, and
the Gradio page mounted at ``/``. Models are loaded once at start; every model call
goes through one bounded line (:class:`~vnsum.web.gate.Gate`), so a burst of requests
is answered with results or a clear 429/503 instead of piling up.

This package imports only its configuration eagerly: the CLI reads it without paying
for FastAPI and Gradio.
"""

from .config import Limits, ServerConfig

__all__ = ["Limits", "ServerConfig"]
