"""Summarizers by name: the built-in ones, or any summarization model."""

from __future__ import annotations

from ..backends.openai import LLMOptions
from ..backends.remote import client_for, is_remote
from .abstractive import AbstractiveSummarizer
from .base import Summarizer
from .extractive import ExtractiveSummarizer, LeadSummarizer

SUMMARIZERS: dict[str, type] = {"extractive": ExtractiveSummarizer, "lead": LeadSummarizer}


def get_summarizer(name: str = "extractive", *, llm: LLMOptions | None = None, **model_options) -> Summarizer:
    """A built-in summarizer by name; a served model (``openai:NAME``, reached as ``llm``
    says); any other name is a local model (preset, hub id or folder) with ``model_options``."""
    if name in SUMMARIZERS:
        return SUMMARIZERS[name]()
    if is_remote(name):
        from .llm import LLMSummarizer

        return LLMSummarizer(client_for(name, llm))
    return AbstractiveSummarizer(name, **model_options)
