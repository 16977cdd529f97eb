"""A client for OpenAI-compatible chat servers: vLLM, Ollama, llama.cpp's server, TGI, LM Studio.

Plain ``httpx``, not the official ``openai`` package: vnsum needs one endpoint
(``POST /chat/completions``, and ``GET /models`` to check the model at start) and must
decide itself what the official client decides for its caller: how many requests are
in flight, which failures are retried and how long to wait (429 and 5xx with
``Retry-After`` honoured, timeouts, a connection lost when a server restarts), and how
tokens are counted across those retries. httpx is already installed with Gradio, so
this adds no dependency; the official client would add one, and its own retry loop
would have to be switched off to count attempts.

The API key is read from ``VNSUM_API_KEY`` only (an option would end up in shell
histories and process lists) and sent as a bearer token. No log line, error message,
model name, memory key, manifest or report contains it, nor the credentials of a URL:
the address is shown and keyed without them, and whatever the server says is passed
through :func:`vnsum.redact.redact` (a server may repeat the request's headers).
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import ModelNotFoundError, UsageError, VnsumError
from ..redact import API_KEY_ENV, redact
from .base import Usage

if TYPE_CHECKING:
    from .bounded import Reply

log = logging.getLogger(__name__)

API_BASE_ENV = "VNSUM_API_BASE"
# Worth another try: rate limits, server errors, a model still loading (503).
RETRYABLE = frozenset({408, 409, 429, 500, 502, 503, 504})
_MAX_WAIT_S = 60.0
# An answer may take this many bytes per token it was allowed (JSON escapes, a reasoning
# field beside the content), plus an envelope; past that the server is not keeping to
# max_tokens, and reading stops. A request without max_tokens gets the default's room.
_BYTES_PER_TOKEN, _ENVELOPE_BYTES, _DEFAULT_MAX_TOKENS = 64, 64 * 1024, 4096
_MODELS_BYTES = 1024 * 1024
_MOST_TOKENS = 2**53
_JSON_TYPES = {bool: "a boolean", int: "a number", float: "a number", list: "an array", dict: "an object"}


class ServerError(VnsumError):
    """The LLM server cannot be reached, or failed a request after every retry; the
    message names the URL and the model."""


@dataclass(frozen=True)
class LLMOptions:
    """How to reach and use a model on an OpenAI-compatible server (``--model openai:NAME``).

    ``api_base`` defaults to ``$VNSUM_API_BASE``. ``concurrency`` bounds the requests in
    flight; a request that fails in a retryable way is tried ``retries`` more times,
    ``backoff`` seconds after the first failure, doubling each time (or what the server's
    ``Retry-After`` asks). The last three are for translation: ``window`` sentences per
    request with the ``context`` sentences before them shown, and ``placeholders``
    (mask glossary terms as ``ZZ0``… instead of listing their renderings in the prompt).
    """

    api_base: str | None = None
    timeout: float = 120.0
    concurrency: int = 4
    retries: int = 4
    backoff: float = 0.5
    window: int = 8
    context: int = 2
    placeholders: bool = False

    def base_url(self) -> str:
        url = self.api_base or os.environ.get(API_BASE_ENV)
        if not url:
            raise UsageError(f"a model served over HTTP needs the server's address: --api-base URL or "
                             f"{API_BASE_ENV} (e.g. http://127.0.0.1:8000/v1)")
        return url.rstrip("/")


class ChatClient:
    """One model on one server: chat completions with bounded concurrency and retries.

    ``url`` is the server's address as shown and keyed: without the user and password
    it may carry, which only the HTTP client keeps (as Basic authentication).
    """

    def __init__(self, model: str, options: LLMOptions):
        import httpx

        if not model:
            raise UsageError("name the server's model: --model openai:NAME")
        if options.concurrency < 1 or options.retries < 0 or options.timeout <= 0:
            raise UsageError("the LLM concurrency must be at least 1, retries at least 0 and the timeout positive")
        self.model = model
        self.options = options
        address = httpx.URL(options.base_url())
        self.url = str(address.copy_with(userinfo=b""))
        auth = (address.username, address.password) if address.userinfo else None
        self.usage = Usage()
        key = os.environ.get(API_KEY_ENV)
        # Credentials apart from the address, so that not even httpx's log shows them; a
        # connection per request, so that the deadline of :mod:`.bounded` sees it opened.
        headers = {"Accept-Encoding": "identity", **({"Authorization": f"Bearer {key}"} if key else {})}
        self._http = httpx.Client(base_url=self.url, auth=auth, headers=headers,
                                  timeout=httpx.Timeout(options.timeout, connect=min(options.timeout, 10.0)),
                                  limits=httpx.Limits(max_keepalive_connections=0))
        self._slots = threading.BoundedSemaphore(options.concurrency)

    def where(self) -> str:
        return f"the LLM server at {self.url} (model {self.model})"

    def check(self) -> None:
        """Fail now, naming the URL and the model, when the server is down or does not list the model.

        A server that does not answer ``/models`` (not all do) is given the benefit of
        the doubt: the first completion will tell.
        """
        from .bounded import NoAnswer

        try:
            reply = self._fetch("GET", "/models", _MODELS_BYTES)
        except NoAnswer as exc:
            raise ServerError(f"cannot reach {self.where()}: {redact(str(exc))}. Is the server running? "
                              f"Its address comes from --api-base or {API_BASE_ENV}.") from None
        if reply.status in (401, 403):
            raise ServerError(f"{self.where()} refused the request (HTTP {reply.status}): "
                              f"set {API_KEY_ENV} to a key it accepts")
        if reply.status != 200 or not reply.complete:
            return
        try:
            served = [str(m["id"]) for m in json.loads(reply.body)["data"]]
        except (ValueError, KeyError, TypeError, RecursionError):
            return
        if served and self.model not in served:
            raise ModelNotFoundError(redact(f"{self.where()}: the server has no model {self.model!r}; it serves "
                                            f"{', '.join(served[:20])}. Use --model openai:{served[0]}"))

    def chat(self, messages: list[dict[str, str]], **params: Any) -> str:
        """The assistant's answer to ``messages`` (temperature 0 unless ``params`` say otherwise).

        An answer that is not a chat completion (odd JSON, or longer than ``max_tokens``
        allows) is asked for once more, not ``retries`` times: a server that sends one
        usually sends it again.
        """
        body = {"model": self.model, "messages": messages, "temperature": 0, **params}
        malformed = False
        with self._slots:
            for attempt in range(self.options.retries + 1):
                result = self._attempt(body)
                if result.text is not None:
                    return result.text
                if attempt == self.options.retries or (malformed and result.malformed):
                    raise ServerError(f"{self.where()} failed {attempt + 1} time{'s' * (attempt > 0)}; "
                                      f"last: {result.failure}")
                malformed = malformed or result.malformed
                self.usage.add(retries=1)
                delay = min(self.options.backoff * 2 ** attempt if result.wait is None else result.wait, _MAX_WAIT_S)
                log.info("%s: %s; trying again in %.1f s", self.where(), result.failure, delay)
                time.sleep(delay)
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _fetch(self, method: str, path: str, max_bytes: int, **kwargs: Any) -> Reply:
        """One exchange, whole within the timeout and cut at ``max_bytes`` (:mod:`.bounded`)."""
        from .bounded import fetch

        return fetch(self._http, method, path, timeout_s=self.options.timeout, max_bytes=max_bytes, **kwargs)

    def _attempt(self, body: dict) -> _Attempt:
        """One request. Errors no retry can fix (a wrong model name, a refused key, a bad
        request) are raised; the others are returned to be retried."""
        from .bounded import NoAnswer

        self.usage.add(requests=1)
        most = reply_bytes(body.get("max_tokens"))
        try:
            reply = self._fetch("POST", "/chat/completions", most, json=body)
        except NoAnswer as exc:
            return _Attempt(failure=redact(str(exc)))
        if reply.status in RETRYABLE:
            return _Attempt(failure=f"HTTP {reply.status}: {_message(reply)}", wait=_retry_after(reply.headers))
        if reply.status == 404:
            raise ModelNotFoundError(f"{self.where()} answered 404: {_message(reply)}. Check the model "
                                     "name (GET /models lists them) and that --api-base ends in /v1")
        if reply.status != 200:
            raise ServerError(f"{self.where()} refused the request (HTTP {reply.status}): {_message(reply)}")
        if not reply.complete:
            return _Attempt(failure=f"an answer over {most:,} bytes, more than max_tokens allows; not read further",
                            malformed=True)
        try:
            text, tokens = completion(reply.body)
        except ValueError as exc:
            return _Attempt(failure=f"an answer that is not a chat completion: {exc}", malformed=True)
        self.usage.add(**tokens)
        return _Attempt(text=text)

    def close(self) -> None:
        self._http.close()


@dataclass(frozen=True)
class _Attempt:
    """One request's outcome: the answer, or why it failed, how long the server asked to
    wait, and whether the server answered with something that is not a chat completion."""

    text: str | None = None
    failure: str | None = None
    wait: float | None = None
    malformed: bool = False


def reply_bytes(max_tokens: Any) -> int:
    """The most bytes read of an answer to a request allowing ``max_tokens``."""
    tokens = max_tokens if isinstance(max_tokens, int) and max_tokens > 0 else _DEFAULT_MAX_TOKENS
    return _ENVELOPE_BYTES + _BYTES_PER_TOKEN * tokens


def completion(payload: bytes) -> tuple[str, dict[str, int]]:
    """The text of a chat completion and its token counts; a ValueError saying what is
    wrong when ``payload`` is not one. A token count that is not a whole number of a
    sane size counts 0: it only feeds the usage report."""
    shown = redact(payload[:120].decode("utf-8", "replace"))
    try:
        data = json.loads(payload)
    except (ValueError, RecursionError):
        raise ValueError(f"not JSON: {shown!r}") from None
    try:
        content = data["choices"][0]["message"]["content"]
    except (KeyError, IndexError, TypeError):
        raise ValueError(f"no choices[0].message.content in {shown!r}") from None
    if content is not None and not isinstance(content, str):
        raise ValueError(f"its content is {_JSON_TYPES.get(type(content), 'not a string')}, not text")
    usage = data.get("usage")
    counts = usage if isinstance(usage, dict) else {}
    return content or "", {name: _count(counts.get(name)) for name in ("prompt_tokens", "completion_tokens")}


def _count(value: Any) -> int:
    return value if type(value) is int and 0 <= value < _MOST_TOKENS else 0


def _message(reply: Reply) -> str:
    """The server's error message (OpenAI's ``{"error": {"message": …}}`` or plain text), short."""
    text = reply.body.decode("utf-8", "replace")
    try:
        error = json.loads(text).get("error")
        message = error.get("message") if isinstance(error, dict) else error
    except (ValueError, AttributeError, RecursionError):
        message = None
    return redact(str(message or text or f"HTTP {reply.status}"))[:300]


def _retry_after(headers: Mapping[str, str]) -> float | None:
    try:
        return max(0.0, float(headers["retry-after"]))
    except (KeyError, ValueError):
        return None
