"""Target-language tags: how one model learns both directions, and how it is told which.

A model trained by ``vnsum train`` for both directions reads ``>>en<< `` or ``>>vi<< ``
before its source (:class:`~vnsum.backends.adapters.TargetTagAdapter`), the convention
of multilingual OPUS-MT models. Training data goes through the same adapter as
inference, so the two cannot drift apart.

Synthetic sources (back-translations) start with one more tag, :data:`SYNTHETIC`, after
the target tag (tagged back-translation, Caswell et al. 2019): the model learns from
machine-made sources without learning to write like them, and real input never
carries the tag.
"""

from __future__ import annotations

from ..backends.adapters import TARGET_TAGS as TAGS

__all__ = ["SYNTHETIC", "TAGS", "has_tags"]

SYNTHETIC = "<bt>"


def has_tags(vocabulary: dict[str, int] | set[str]) -> bool:
    return all(tag in vocabulary for tag in TAGS.values())
