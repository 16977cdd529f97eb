"""Summarizers by name: the built-in ones, or any summarization model."""

from __future__ import annotations

from .abstractive import AbstractiveSummarizer
from .base import Summarizer
from .extractive import ExtractiveSummarizer, LeadSummarizer

SUMMARIZERS: dict[str, type] = {"extractive": ExtractiveSummarizer, "lead": LeadSummarizer}


def get_summarizer(name: str = "extractive", **model_options) -> Summarizer:
    """A built-in summarizer by name; any other name is a model (preset, hub id or folder)."""
    if name in SUMMARIZERS:
        return SUMMARIZERS[name]()
    return AbstractiveSummarizer(name, **model_options)
