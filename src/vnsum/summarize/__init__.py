"""Summarizers: one protocol, several implementations, chosen by name.

    from vnsum.summarize import get_summarizer
    summary = get_summarizer("extractive").summarize(text, lang="vi", sentences=3)
"""

from .base import Summarizer, Summary
from .registry import SUMMARIZERS, get_summarizer

__all__ = ["SUMMARIZERS", "Summarizer", "Summary", "get_summarizer"]
