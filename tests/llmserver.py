"""A real HTTP server on 127.0.0.1 that speaks the OpenAI chat-completions protocol,
with deterministic, scripted answers (no model anywhere).

It "translates" as ``fakes.CopyBackend`` does: each numbered line comes back as
written, except that ``translate_line`` may change it; the default puts each listed
required rendering in place of its source term, as an obedient model would. Faults are
scripted per request (``faults``, consumed in arrival order): ``"429"`` (with
``Retry-After: 0``), ``"500"``, ``"slow"`` (answers after ``slow_s``, past a client's
timeout) and ``"drop"`` (closes the connection without an answer, as a crashing
server does) and ``"crash"`` (drops it and stops for good, as ``crash()`` does). Every request body and header is kept.

Hostile servers (issue 27) are scripted the same way: ``"echo"`` (a 500 whose message
repeats the request's headers, API key included, as some proxies do), ``"trickle"``
(the whole response, headers too, one byte every ``trickle_s``), ``"huge"`` (an answer
of ``huge_chars`` characters) and a ``bytes`` fault, sent as the 200 response body as it
is (odd JSON shapes).
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

_NUMBERED = re.compile(r"^\[(\d+)\] (.*)$")
_RENDERING = re.compile(r"^- (.+) → (.+)$")


def obedient(line: str, renderings: dict[str, str]) -> str:
    """Each required rendering in place of its source term; everything else copied."""
    for source in sorted(renderings, key=len, reverse=True):
        line = line.replace(source, renderings[source])
    return line


def ignores_renderings(line: str, renderings: dict[str, str]) -> str:
    return line


def sections(content: str) -> tuple[dict[str, str], list[tuple[int, str]]]:
    """The required renderings and the numbered lines of a translation request."""
    renderings, lines, part = {}, [], ""
    for row in content.splitlines():
        if row.endswith(":") and not row.startswith(("-", "[")):
            part = row
        elif part.startswith("Required renderings") and (m := _RENDERING.match(row)):
            renderings[m.group(1)] = m.group(2)
        elif part.startswith("Text to translate") and (m := _NUMBERED.match(row)):
            lines.append((int(m.group(1)), m.group(2)))
    return renderings, lines


class FakeLLM:
    """Start with ``with FakeLLM() as server:``; ``server.url`` is its ``/v1`` base."""

    def __init__(self, models: tuple[str, ...] = ("fake-llm",)):
        self.models = list(models)
        self.requests: list[dict] = []
        self.headers: list[dict[str, str]] = []
        self.faults: list[str | bytes] = []
        self.translate_line: Callable[[str, dict[str, str]], str] = obedient
        self.merge_lines = False  # windows of 2+ sentences come back with lines 1 and 2 as one
        self.summary = "Tóm tắt."
        self.slow_s = 2.0
        self.trickle_s = 0.5
        self.huge_chars = 10_000_000
        self.delay_s = 0.0  # every answer takes this long (to see requests overlap)
        self.in_flight = self.max_in_flight = 0
        self.dead = False
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._server.handle_error = lambda *_: None  # a client that hung up early (a size cap) is no error here

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def __enter__(self) -> FakeLLM:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.crash()

    def crash(self) -> None:
        """Stop answering: open connections are dropped, new ones refused (safe to call twice)."""
        self.dead = True
        self._server.shutdown()
        self._server.server_close()

    def translation_requests(self) -> list[dict]:
        return [r for r in self.requests if "Text to translate" in r["messages"][-1]["content"]]

    def answer(self, body: dict) -> str:
        content = body["messages"][-1]["content"]
        if "summar" in body["messages"][0]["content"].lower():
            return self.summary
        renderings, lines = sections(content)
        out = [(n, self.translate_line(text, renderings)) for n, text in lines]
        if self.merge_lines and len(out) > 1:
            out = [(1, f"{out[0][1]} {out[1][1]}"), *out[2:]]
        return "Here is the translation:\n" + "\n".join(f"[{n}] {text}" for n, text in out)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:
                pass

            def send(self, status: int, data: dict, headers: dict[str, str] | None = None) -> None:
                self.send_raw(status, json.dumps(data, ensure_ascii=False).encode(), headers)

            def do_GET(self) -> None:
                if fake.dead:
                    self.close_connection = True
                elif self.path == "/v1/models":
                    self.send(200, {"object": "list", "data": [{"id": m, "object": "model"} for m in fake.models]})
                else:
                    self.send(404, {"error": {"message": f"no route {self.path}"}})

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                if fake.dead:
                    self.close_connection = True
                    return
                with fake._lock:
                    fake.requests.append(body)
                    fake.headers.append(dict(self.headers))
                    fault = fake.faults.pop(0) if fake.faults else ""
                    fake.in_flight += 1
                    fake.max_in_flight = max(fake.max_in_flight, fake.in_flight)
                try:
                    self.respond(body, fault)
                except OSError:
                    pass  # the client gave up (a timeout): nothing to answer
                finally:
                    with fake._lock:
                        fake.in_flight -= 1

            def send_raw(self, status: int, payload: bytes, headers: dict[str, str] | None = None) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)

            def trickle(self, payload: bytes) -> None:
                """The whole response, status line and headers too, a byte at a time."""
                head = (f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                        f"Content-Length: {len(payload)}\r\n\r\n").encode()
                for i, byte in enumerate(head + payload):
                    if fake.dead or i > 10_000:
                        break
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(fake.trickle_s)
                self.close_connection = True

            def respond(self, body: dict, fault: str | bytes) -> None:
                if isinstance(fault, bytes):
                    return self.send_raw(200, fault)
                if fault == "echo":
                    return self.send(500, {"error": {"message": f"bad gateway; request headers: {dict(self.headers)}"}})
                if fault == "trickle":
                    return self.trickle(json.dumps(completion(body["model"], "[1] One.")).encode())
                if fault == "huge":
                    return self.send(200, completion(body["model"], "[1] " + "x" * fake.huge_chars))
                if fault in ("drop", "crash"):
                    self.close_connection = True
                    if fault == "crash":
                        threading.Thread(target=fake.crash).start()
                    return
                if fault == "429":
                    return self.send(429, {"error": {"message": "rate limited"}}, {"Retry-After": "0"})
                if fault == "500":
                    return self.send(500, {"error": {"message": "internal error"}})
                if body.get("model") not in fake.models:
                    return self.send(404, {"error": {"message": f"model {body.get('model')!r} not found"}})
                time.sleep(fake.slow_s if fault == "slow" else fake.delay_s)
                prompt = sum(len(m["content"]) for m in body["messages"])
                self.send(200, completion(body["model"], fake.answer(body), prompt))

        return Handler


def completion(model: str, text: str, prompt_chars: int = 0) -> dict:
    """A chat-completion response body answering ``text``."""
    return {"id": "chatcmpl-fake", "object": "chat.completion", "model": model,
            "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": text}}],
            "usage": {"prompt_tokens": prompt_chars // 4, "completion_tokens": len(text) // 4,
                      "total_tokens": prompt_chars // 4 + len(text) // 4}}
