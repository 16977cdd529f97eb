"""Signatures: how a score was computed, printed next to it.

Two numbers are only comparable when they were computed the same way; sacrebleu prints
``nrefs:1|case:mixed|tok:13a|…`` for that reason and our own metrics do the same.
"""

from __future__ import annotations


def signature(name: str, **fields: object) -> str:
    """``NAME|key:value|…`` in the given order; ``True``/``False`` are written yes/no."""
    parts = [name]
    for key, value in fields.items():
        text = {True: "yes", False: "no"}.get(value, value) if isinstance(value, bool) else value
        parts.append(f"{key.replace('_', '-')}:{text}")
    return "|".join(parts)
