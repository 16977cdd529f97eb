"""Target-language tags: how one model learns both directions, and how it is told which.

A model trained by ``vnsum train`` for both directions reads ``>>en<< `` or ``>>vi<< ``
before its source (:class:`~vnsum.backends.adapters.TargetTagAdapter`), the convention
of multilingual OPUS-MT models. Training data goes through the same adapter as
inference, so the two cannot drift apart.
"""

from __future__ import annotations

from ..backends.adapters import TARGET_TAGS as TAGS

__all__ = ["TAGS", "has_tags"]


def has_tags(vocabulary: dict[str, int] | set[str]) -> bool:
    return all(tag in vocabulary for tag in TAGS.values())
