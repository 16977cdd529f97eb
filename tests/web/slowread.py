"""A reader that never finishes, for the isolation tests: a module of its own, light to
import, since the worker process imports it to unpickle the function."""

from __future__ import annotations

import os
import time
from pathlib import Path

BEAT = "VNSUM_TEST_HEARTBEAT"


def slow_read(*_args, **_kwargs) -> None:
    """Touch the file named in $VNSUM_TEST_HEARTBEAT every tenth of a second, forever."""
    while True:
        Path(os.environ[BEAT]).touch()
        time.sleep(0.1)
