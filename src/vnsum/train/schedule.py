"""Learning-rate schedules: linear warm-up, then a decay. Each maps a step to a factor of lr.

``inverse_sqrt`` needs no planned length, which suits runs stopped by a wall-clock
budget; ``linear`` decays to zero at ``max_steps``.
"""

from __future__ import annotations

from collections.abc import Callable

Schedule = Callable[[int], float]


def inverse_sqrt(warmup: int, max_steps: int) -> Schedule:
    warmup = max(warmup, 1)
    return lambda step: min((step + 1) / warmup, (warmup / (step + 1)) ** 0.5)


def linear(warmup: int, max_steps: int) -> Schedule:
    warmup = max(warmup, 1)
    return lambda step: min((step + 1) / warmup, max(0.0, (max_steps - step) / max(max_steps - warmup, 1)))


SCHEDULES: dict[str, Callable[[int, int], Schedule]] = {"inverse_sqrt": inverse_sqrt, "linear": linear}
