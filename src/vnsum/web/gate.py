"""One bounded line in front of the models, shared by the page and the REST API.

A model is one big object in memory that should run one batch at a time; threads
that call it together only slow each other down. So model work runs on a small pool
of worker threads, with a fixed number of places to wait: a request that finds them
all taken is refused at once (ServerBusy -> 429) instead of holding memory and a
connection for minutes, and one that waits or runs past the deadline is answered
(RequestTimeout -> 503) while its work is cancelled if it has not started.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

from .errors import RequestTimeout, ServerBusy

T = TypeVar("T")


class Gate:
    """At most ``workers`` jobs run at once and ``waiting`` more are queued."""

    def __init__(self, workers: int = 1, waiting: int = 16, timeout_s: float = 120.0):
        self.capacity = workers + waiting
        self.timeout_s = timeout_s
        self._pool = ThreadPoolExecutor(workers, thread_name_prefix="vnsum-model")
        self._pending = 0
        self._lock = threading.Lock()

    @property
    def pending(self) -> int:
        """Jobs running or waiting now."""
        return self._pending

    def submit(self, job: Callable[[], T]) -> Future:
        """Queue ``job``, or raise ServerBusy when every place is taken."""
        with self._lock:
            if self._pending >= self.capacity:
                raise ServerBusy(
                    f"The server is busy: {self._pending} requests are running or waiting, the most it "
                    f"takes. Retry in a few seconds.")
            self._pending += 1
        try:
            future = self._pool.submit(job)
        except BaseException:
            self._release(None)
            raise
        future.add_done_callback(self._release)
        return future

    def run(self, job: Callable[[], T]) -> T:
        """Run ``job`` in line and wait for its result (for synchronous callers)."""
        future = self.submit(job)
        try:
            return future.result(timeout=self.timeout_s)
        except concurrent.futures.TimeoutError:
            raise self._timed_out(future) from None

    async def arun(self, job: Callable[[], T]) -> T:
        """Run ``job`` in line without blocking the event loop."""
        future = self.submit(job)
        try:
            return await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(future)), self.timeout_s)
        except asyncio.TimeoutError:
            raise self._timed_out(future) from None

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _timed_out(self, future: Future) -> RequestTimeout:
        started = not future.cancel()
        where = "still running (it finishes, but its result is dropped)" if started else "waiting; it was cancelled"
        return RequestTimeout(
            f"The request took longer than this server's limit of {self.timeout_s:g} s and was {where}. "
            "Send a shorter text, or use the command line (vnsum translate / vnsum process) for long documents.")

    def _release(self, _future: Future | None) -> None:
        with self._lock:
            self._pending -= 1
