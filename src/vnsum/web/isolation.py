"""Untrusted files are read in a worker process that is killed at the deadline.

The gate answers a request that runs past its time limit, but a thread cannot be
stopped: a reader busy with a file built to be slow would keep a core, and the gate's
worker, long after its visitor was told it timed out. A process can be: uploads are read
in one, started on first use as ``python -m vnsum.web.isolation`` (a fresh interpreter:
no model or lock of the server is copied into it, and unlike multiprocessing's spawn it
does not import the server's ``__main__`` again), with its address space capped; a read
still running at the deadline kills it, and the next read starts a fresh one. One read
at a time. Functions and results travel pickled over two pipes.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from ..errors import VnsumError
from .errors import RequestTimeout

T = TypeVar("T")
# The reader's address space: far above what reading a 10 MB document takes (a few
# hundred MB), far below what would crowd out the models.
MEMORY_BYTES = 2 * 1024**3
# Starting the interpreter and importing the readers takes seconds on a busy machine;
# that does not count against a read's deadline.
_START_S = 60.0


class ReaderCrashed(VnsumError):
    """The worker died while reading (out of memory, a crash in a parser)."""


class Isolated:
    """Runs functions of untrusted input in a worker process, each within ``timeout_s``."""

    def __init__(self, timeout_s: float):
        self.timeout_s = timeout_s
        self._lock = threading.Lock()
        self._worker: subprocess.Popen | None = None
        self._to: Connection | None = None
        self._back: Connection | None = None

    def run(self, fn: Callable[..., T], *args: Any) -> T:
        """``fn(*args)`` in the worker: its result, or the VnsumError it raised. ``fn`` and
        its arguments must be picklable (a module-level function)."""
        with self._lock:
            self._start()
            try:
                self._to.send((fn, args))
                if not self._back.poll(self.timeout_s):
                    self.close()
                    raise RequestTimeout(
                        f"Reading the file took longer than this server's limit of {self.timeout_s:g} s, and was "
                        "stopped. Save it again (as .docx or UTF-8 text) and retry, or use the command line "
                        "(vnsum translate / vnsum process).")
                failed, value = self._back.recv()
            except (EOFError, OSError):
                self.close()
                raise ReaderCrashed("Reading the file stopped the reader (it may need more memory than this "
                                    "server allows); save it again as .docx or UTF-8 text and retry.") from None
        if failed:
            raise value
        return value

    def close(self) -> None:
        """Stop the worker (the next run starts another)."""
        if self._worker is not None:
            self._worker.kill()
            self._worker.wait()
            self._to.close()
            self._back.close()
            self._worker = self._to = self._back = None

    def _start(self) -> None:
        if self._worker is not None and self._worker.poll() is None:
            return
        self.close()
        theirs_in, mine_out = os.pipe()
        mine_in, theirs_out = os.pipe()
        # The same modules as this process sees (a test's helpers, a source checkout).
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
        try:
            self._worker = subprocess.Popen([sys.executable, "-m", __name__, str(theirs_in), str(theirs_out)],
                                            pass_fds=(theirs_in, theirs_out), env=env, stdin=subprocess.DEVNULL)
        finally:
            os.close(theirs_in)
            os.close(theirs_out)
        self._to, self._back = Connection(mine_out, readable=False), Connection(mine_in, writable=False)
        try:
            ready = self._back.poll(_START_S) and self._back.recv()
        except (EOFError, OSError):
            ready = False
        if not ready:
            self.close()
            raise ReaderCrashed(f"The file reader did not start within {_START_S:g} s; retry later.")


def _serve(requests: Connection, answers: Connection) -> None:
    """The worker: run each function sent, answer (failed, result or error)."""
    try:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    except (ValueError, OSError):
        pass  # a platform without the limit still gets the deadline
    answers.send(True)  # ready
    while True:
        try:
            fn, args = requests.recv()
        except EOFError:
            return
        try:
            answer = (False, fn(*args))
        except VnsumError as exc:
            answer = (True, exc)
        except Exception as exc:  # noqa: BLE001 - reported to the server, which shows it as an internal error
            answer = (True, RuntimeError(f"{type(exc).__name__}: {exc}"))
        answers.send(answer)


if __name__ == "__main__":
    _serve(Connection(int(sys.argv[1]), writable=False), Connection(int(sys.argv[2]), readable=False))
