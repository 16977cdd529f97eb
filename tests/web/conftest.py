"""Servers for the web tests: the real app on 127.0.0.1, with a fake backend or a generated model.

The servers are started once per module (starting Gradio costs a second or two) and
run in a thread of the test process, so tests can look at the backend's calls.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from dataclasses import dataclass

import pytest

from vnsum import Translator
from vnsum.web import Limits, ServerConfig
from vnsum.web.server import background, create_app

from fakes import CopyBackend

class Recording:
    """Forwards to a loaded backend and records the sentences of each ``generate`` call."""

    def __init__(self, inner):
        self.inner = inner
        self.name = inner.name
        self.max_input_tokens = inner.max_input_tokens
        self.memory_key, self.placeholders, self.usage = inner.memory_key, inner.placeholders, inner.usage
        self.calls: list[list[str]] = []
        self.decodings: list = []  # None for a first decoding, the retry settings for a second

    def count_tokens(self, text: str) -> int:
        return self.inner.count_tokens(text)

    def generate(self, sentences, src, tgt, decoding=None, renderings=None):
        self.calls.append(list(sentences))
        self.decodings.append(decoding)
        return self.inner.generate(sentences, src, tgt, decoding, renderings)


class Blocking(CopyBackend):
    """A copy backend whose ``generate`` waits until the test opens ``gate``."""

    def __init__(self):
        super().__init__()
        self.gate = threading.Event()

    def generate(self, sentences, src, tgt, decoding=None, renderings=None):
        self.gate.wait(30)
        return super().generate(sentences, src, tgt)


@dataclass
class Live:
    """A running server: its URL, its service, and the backend behind its only model."""

    url: str
    app: object
    backend: object

    @property
    def service(self):
        return self.app.state.service


@contextmanager
def _live(backend, limits: Limits | None = None, model: str = "test-model"):
    app = create_app(ServerConfig(model=model, limits=limits or Limits()),
                     {model: Translator(backend=backend, glossary=None)})
    with background(app) as url:
        yield Live(url, app, backend)
    app.state.service.gate.close()


@pytest.fixture(scope="module")
def copy_server():
    """The app with the copy backend: every displayed text can be checked exactly."""
    with _live(CopyBackend(), Limits(max_chars=5_000, max_batch=60, max_body_bytes=64 * 1024,
                                     max_upload_bytes=200 * 1024)) as live:
        yield live


@pytest.fixture(scope="module")
def tiny_server(model_root):
    """The app with a generated tiny Marian model (its output is noise: only shapes are checked)."""
    loaded = Translator(str(model_root / "opus-mt" / "vi-en"), glossary=None, backend="hf", device="cpu",
                        beam_size=1).backend("vi", "en")
    with _live(Recording(loaded)) as live:
        yield live


@pytest.fixture(scope="module")
def busy_server():
    """One worker, one place in line, a one-second deadline, and a backend the test holds."""
    backend = Blocking()
    with _live(backend, Limits(workers=1, max_waiting=1, timeout_s=1.0)) as live:
        yield live
        backend.gate.set()


@pytest.fixture
def copy_live(copy_server):
    copy_server.backend.calls.clear()
    return copy_server
