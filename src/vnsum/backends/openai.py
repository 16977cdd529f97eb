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
histories and process lists) and sent as a bearer token; no log line, error message,
model name, memory key, manifest or report contains it.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass
from typing import Any

from ..errors import ModelNotFoundError, UsageError, VnsumError
from .base import Usage

log = logging.getLogger(__name__)

API_BASE_ENV, API_KEY_ENV = "VNSUM_API_BASE", "VNSUM_API_KEY"
# Worth another try: rate limits, server errors, a model still loading (503).
RETRYABLE = frozenset({408, 409, 429, 500, 502, 503, 504})
_MAX_WAIT_S = 60.0


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
    """One model on one server: chat completions with bounded concurrency and retries."""

    def __init__(self, model: str, options: LLMOptions):
        import httpx

        if not model:
            raise UsageError("name the server's model: --model openai:NAME")
        if options.concurrency < 1 or options.retries < 0 or options.timeout <= 0:
            raise UsageError("the LLM concurrency must be at least 1, retries at least 0 and the timeout positive")
        self.model = model
        self.options = options
        self.url = options.base_url()
        self.usage = Usage()
        key = os.environ.get(API_KEY_ENV)
        self._http = httpx.Client(base_url=self.url, headers={"Authorization": f"Bearer {key}"} if key else {},
                                  timeout=httpx.Timeout(options.timeout, connect=min(options.timeout, 10.0)))
        self._slots = threading.BoundedSemaphore(options.concurrency)

    def where(self) -> str:
        return f"the LLM server at {self.url} (model {self.model})"

    def check(self) -> None:
        """Fail now, naming the URL and the model, when the server is down or does not list the model.

        A server that does not answer ``/models`` (not all do) is given the benefit of
        the doubt: the first completion will tell.
        """
        import httpx

        try:
            response = self._http.get("/models")
        except httpx.HTTPError as exc:
            raise ServerError(f"cannot reach {self.where()}: {_reason(exc)}. Is the server running? "
                              f"Its address comes from --api-base or {API_BASE_ENV}.") from None
        if response.status_code in (401, 403):
            raise ServerError(f"{self.where()} refused the request (HTTP {response.status_code}): "
                              f"set {API_KEY_ENV} to a key it accepts")
        if response.status_code != 200:
            return
        try:
            served = [m["id"] for m in response.json()["data"]]
        except (ValueError, KeyError, TypeError):
            return
        if served and self.model not in served:
            raise ModelNotFoundError(f"{self.where()}: the server has no model {self.model!r}; it serves "
                                     f"{', '.join(served)}. Use --model openai:{served[0]}")

    def chat(self, messages: list[dict[str, str]], **params: Any) -> str:
        """The assistant's answer to ``messages`` (temperature 0 unless ``params`` say otherwise)."""
        body = {"model": self.model, "messages": messages, "temperature": 0, **params}
        with self._slots:
            for attempt in range(self.options.retries + 1):
                result = self._attempt(body)
                if result.text is not None:
                    return result.text
                if attempt == self.options.retries:
                    raise ServerError(f"{self.where()} failed {attempt + 1} times; last: {result.failure}")
                self.usage.add(retries=1)
                delay = min(self.options.backoff * 2 ** attempt if result.wait is None else result.wait, _MAX_WAIT_S)
                log.info("%s: %s; trying again in %.1f s", self.where(), result.failure, delay)
                time.sleep(delay)
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _attempt(self, body: dict) -> _Attempt:
        """One request. Errors no retry can fix (a wrong model name, a refused key, a bad
        request) are raised; the others are returned to be retried."""
        import httpx

        self.usage.add(requests=1)
        try:
            response = self._http.post("/chat/completions", json=body)
        except httpx.TimeoutException:
            return _Attempt(failure=f"no answer within {self.options.timeout:g} s")
        except httpx.HTTPError as exc:
            return _Attempt(failure=_reason(exc))
        if response.status_code in RETRYABLE:
            return _Attempt(failure=f"HTTP {response.status_code}: {_message(response)}",
                            wait=_retry_after(response))
        if response.status_code == 404:
            raise ModelNotFoundError(f"{self.where()} answered 404: {_message(response)}. Check the model "
                                     "name (GET /models lists them) and that --api-base ends in /v1")
        if response.status_code != 200:
            raise ServerError(f"{self.where()} refused the request (HTTP {response.status_code}): "
                              f"{_message(response)}")
        try:
            data = response.json()
            text = data["choices"][0]["message"]["content"] or ""
        except (ValueError, KeyError, IndexError, TypeError):
            return _Attempt(failure=f"an answer that is not a chat completion: {response.text[:200]!r}")
        usage = data.get("usage") or {}
        self.usage.add(prompt_tokens=int(usage.get("prompt_tokens") or 0),
                       completion_tokens=int(usage.get("completion_tokens") or 0))
        return _Attempt(text=text)

    def close(self) -> None:
        self._http.close()


@dataclass(frozen=True)
class _Attempt:
    """One request's outcome: the answer, or why it failed and how long the server asked to wait."""

    text: str | None = None
    failure: str | None = None
    wait: float | None = None


def _reason(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def _message(response) -> str:
    """The server's error message (OpenAI's ``{"error": {"message": …}}`` or plain text), short."""
    try:
        error = response.json().get("error")
        text = error.get("message") if isinstance(error, dict) else error
    except (ValueError, AttributeError):
        text = None
    return str(text or response.text or response.reason_phrase)[:300]


def _retry_after(response) -> float | None:
    try:
        return max(0.0, float(response.headers["retry-after"]))
    except (KeyError, ValueError):
        return None
