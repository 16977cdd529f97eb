"""Unknown paths answered ``{"error": ...}`` like every other error of the API.

The page is mounted at ``/``, so a request for a path nothing serves reaches Gradio,
whose FastAPI answers ``{"detail": "Not Found"}``. LibreTranslate clients read the
``error`` key; this rewrites exactly that answer and lets every other response through.
"""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

_GRADIO_NOT_FOUND = {"detail": "Not Found"}


class JsonNotFound:
    """ASGI middleware: a bare 404 from the app below becomes ``{"error": "..."}``."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        held: list[Message] = []

        async def rewriting(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 404:
                held.append(message)
                return
            if not held:
                return await send(message)
            held.append(message)
            if message.get("more_body"):
                return
            body = b"".join(m.get("body", b"") for m in held[1:])
            if _is_bare(body):
                await _send_error(send, held[0], f"Not found: {scope['method']} {scope['path']}. The API's "
                                                 "endpoints are listed at /docs and /openapi.json.")
            else:
                for m in held:
                    await send(m)
            held.clear()

        await self.app(scope, receive, rewriting)


def _is_bare(body: bytes) -> bool:
    try:
        return json.loads(body) == _GRADIO_NOT_FOUND
    except ValueError:
        return False


async def _send_error(send: Send, start: Message, error: str) -> None:
    body = json.dumps({"error": error}).encode()
    headers = [(k, v) for k, v in start.get("headers", []) if k.lower() not in (b"content-length", b"content-type")]
    await send({"type": "http.response.start", "status": 404,
                "headers": [*headers, (b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
