"""How far a model call has got, for whoever shows it (the web page's progress bar).

A long article is translated in one batched model call that runs for seconds; a reader
waiting for it should see the sentences go by, not a bar stuck at its first step. The
backends report after each batch they decode, to the sink the caller set for its own
context: a context variable, so two requests on two threads never see each other's
progress, and a call nobody watches (the command line) pays one lookup per batch.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

Sink = Callable[[int, int], None]  # (inputs decoded so far, inputs of this model call)

_sink: ContextVar[Sink | None] = ContextVar("vnsum_progress", default=None)


@contextmanager
def reporting(sink: Sink) -> Iterator[None]:
    """Send the progress of every model call made inside the block (in this thread) to ``sink``."""
    token = _sink.set(sink)
    try:
        yield
    finally:
        _sink.reset(token)


def watched() -> bool:
    """Whether a sink listens: a backend that decodes everything at once when nobody
    watches (the fastest) cuts its call into steps only for a reader."""
    return _sink.get() is not None


def decoded(done: int, total: int) -> None:
    """A backend's report: ``done`` of the ``total`` inputs of its current call are decoded."""
    sink = _sink.get()
    if sink is not None:
        sink(done, total)
