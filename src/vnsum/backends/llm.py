"""Translation by an instruction-following LLM on an OpenAI-compatible server.

Behind the same :class:`~vnsum.backends.Backend` protocol as the seq2seq models, so the
Translator's segmentation, translation memory, degenerate-output retry and glossary
verification apply unchanged. What differs is how a batch is asked for:

- Sentences go in windows of ``LLMOptions.window`` (in document order, as the Translator
  hands them over), numbered ``[1]``, ``[2]``…, with the ``context`` sentences before
  the window shown but not translated; the answer must give each number on one line.
  An answer that does not (lines merged, split, missing, chatter in between) is not
  guessed at: its window is asked again in halves, down to single sentences. So every
  sentence keeps its own translation and the document keeps its line structure.
- The glossary terms in a window are listed as required renderings: the Translator
  passes them with each call (``renderings``), so one backend serves Translators
  with different glossaries (the web server, ``vnsum eval terms`` modes). By default
  terms stay in the text (``placeholders = False``): an LLM reads "Bộ Công an" better
  than "ZZ0", and the Translator then checks each rendering in the output; a term the
  model missed is asked again behind a placeholder. With ``placeholders`` the terms are
  masked on the first pass, as for seq2seq models, and a lost one is asked again named.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from .. import progress
from ..enforce import PLACEHOLDER_PATTERN
from .base import Decoding
from .openai import ChatClient, LLMOptions

log = logging.getLogger(__name__)

# Part of every memory key: a change of the prompt must not serve older translations.
PROMPT_VERSION = 1
LANGUAGES = {"vi": "Vietnamese", "en": "English"}
# A line number has at most 6 digits: a longer run is text (and int() refuses thousands).
_NUMBERED = re.compile(r"^\s*\[(\d{1,6})\]\s?(.*)$")
# Spaces before an inline "[n] ", matched only from the start of a run of spaces: from
# every space of a long run, each try would scan the rest of it (quadratic).
_INLINE_NUMBER = re.compile(r"(?<!\s)\s+(?=\[\d{1,6}\]\s)")
# The user message's section headings (a model that echoes the prompt is cut at them).
CONTEXT, RENDERINGS, TEXT = "Context", "Required renderings", "Text to translate into"
THINK_OPEN, THINK_CLOSE = "<think>", "</think>"

SYSTEM = """You translate {src} government and news text into {tgt} for publication.
Rules:
- Translate each numbered line of the text to translate. Answer with one line per number, in order, written "[n] translation", and nothing else: no notes, no source text.
- Never merge, split or skip lines.
- Where required renderings are listed, use each one exactly as written.
- Keep numbers, dates and names as they are in the source.{codes}"""
CODES = "\n- Codes such as ZZ0, ZZ1 stand for names: copy each one unchanged."


def messages(batch: Sequence[str], context: Sequence[str], renderings: dict[str, str],
             src: str, tgt: str) -> list[dict[str, str]]:
    """The chat for one window: rules, context, required renderings, numbered sentences."""
    codes = CODES if any(PLACEHOLDER_PATTERN.search(s) for s in batch) else ""
    parts = []
    if context:
        parts.append(f"{CONTEXT} (the sentences just before; do not translate):\n" + "\n".join(context))
    if renderings:
        parts.append(f"{RENDERINGS}:\n" + "\n".join(f"- {s} → {t}" for s, t in renderings.items()))
    parts.append(f"{TEXT} {LANGUAGES[tgt]}:\n"
                 + "\n".join(f"[{i}] {sentence}" for i, sentence in enumerate(batch, 1)))
    return [{"role": "system", "content": SYSTEM.format(src=LANGUAGES[src], tgt=LANGUAGES[tgt], codes=codes)},
            {"role": "user", "content": "\n\n".join(parts)}]


def without_thinking(answer: str) -> str:
    """``answer`` without its ``<think>…</think>`` blocks (a reasoning model's notes); an
    unclosed ``<think>`` is left as it is. One pass with ``str.find``: the regex
    ``<think>.*?</think>`` scans to the end from every unclosed tag (quadratic)."""
    kept, pos = [], 0
    while (start := answer.find(THINK_OPEN, pos)) >= 0:
        end = answer.find(THINK_CLOSE, start + len(THINK_OPEN))
        if end < 0:
            break
        kept.append(answer[pos:start])
        pos = end + len(THINK_CLOSE)
    kept.append(answer[pos:])
    return "".join(kept)


def without_echo(answer: str) -> str:
    """``answer`` up to where a model starts repeating the prompt's own sections (a small
    model continues the text it was given); empty if it begins there, so that the
    Translator sees a degenerate output and asks again."""
    cuts = [i for heading in (f"{CONTEXT} (", f"{RENDERINGS}:", TEXT) if (i := answer.find(heading)) >= 0]
    return answer[:min(cuts)] if cuts else answer


def numbered(answer: str, n: int) -> list[str] | None:
    """The ``n`` translations of an answer, or None when it does not give each number once.

    Text before the first numbered line is chatter and ignored; a line right after a
    numbered one continues it (a model that broke a sentence across lines). A number
    written inside a line starts a new one ("[1] One. [2] Two."), and numbers past ``n``
    are ignored with what follows them: a small model goes on inventing lines.
    """
    found: dict[int, list[str]] = {}
    current: int | None = None
    lines = (part for line in without_thinking(answer).splitlines() for part in _INLINE_NUMBER.split(line))
    for line in lines:
        match = _NUMBERED.match(line)
        if match and int(match.group(1)) > n:
            current = None
        elif match:
            current = int(match.group(1))
            if current in found:
                return None
            found[current] = [match.group(2).strip()]
        elif not line.strip():
            current = None
        elif current is not None:
            found[current].append(line.strip())
    if sorted(found) != list(range(1, n + 1)):
        return None
    return [" ".join(found[i]) for i in range(1, n + 1)]


class LLMBackend:
    """A model on an OpenAI-compatible server, translating windows of sentences.

    ``usage`` counts requests, retries and tokens for the run's report.
    """

    def __init__(self, client: ChatClient):
        from .. import __version__

        options = client.options
        if options.window < 1 or options.context < 0:
            raise ValueError("the window must hold at least one sentence and the context cannot be negative")
        client.check()
        self.client = client
        self.options: LLMOptions = options
        self.placeholders = options.placeholders
        self.name = f"openai:{client.model} ({client.url})"
        # Long enough for any sentence: the Translator cuts only runaway ones (no breaks for pages).
        self.max_input_tokens = 2048
        self.usage = client.usage
        self.memory_key = (f"LLMBackend|{client.url}|{client.model}|prompt={PROMPT_VERSION}|window={options.window}|"
                           f"context={options.context}|placeholders={options.placeholders}|vnsum={__version__}")

    def count_tokens(self, text: str) -> int:
        """An estimate (the server's tokenizer is not here): one token per 3 characters,
        on the high side for Vietnamese and English alike. It only decides where a very
        long sentence is cut."""
        return len(text) // 3 + 1

    def generate(self, sentences: Sequence[str], src: str, tgt: str, decoding: Decoding | None = None,
                 renderings: Sequence[Mapping[str, str]] | None = None) -> list[str]:
        """Translations of ``sentences``, one window per request, ``concurrency`` at a time;
        ``renderings[i]`` maps the glossary terms of sentence i to what they must become.

        ``decoding`` (the Translator's retry of a degenerate output) adds a frequency
        penalty: the chat API's counterpart of forbidding repeats.
        """
        params: dict[str, Any] = {"frequency_penalty": 0.5} if decoding is not None else {}
        terms = list(renderings) if renderings is not None else [{}] * len(sentences)
        size = self.options.window
        starts = range(0, len(sentences), size)
        pool = ThreadPoolExecutor(self.options.concurrency, thread_name_prefix="vnsum-llm")
        try:
            parts = pool.map(lambda start: self._window(sentences, terms, start, min(start + size, len(sentences)),
                                                        src, tgt, params), starts)
            out: list[str] = []
            for part in parts:  # in order, as each window's answer is in (reported from this thread)
                out += part
                progress.decoded(len(out), len(sentences))
            return out
        finally:
            pool.shutdown(cancel_futures=True)

    def _window(self, sentences: Sequence[str], terms: list[Mapping[str, str]], start: int, stop: int,
                src: str, tgt: str, params: dict[str, Any]) -> list[str]:
        batch = sentences[start:stop]
        context = sentences[max(0, start - self.options.context):start]
        required = {source: target for found in terms[start:stop] for source, target in found.items()}
        budget = sum(self.count_tokens(s) for s in batch) * 3 + 32 * len(batch)
        answer = self.client.chat(messages(batch, context, required, src, tgt), max_tokens=budget, **params)
        lines = numbered(answer, len(batch))
        if lines is not None:
            return lines
        if len(batch) == 1:
            return [" ".join(without_echo(without_thinking(answer)).split())]
        self.usage.add(split=1)
        log.info("the answer for %d sentences did not keep one numbered line each: asking in halves", len(batch))
        middle = (start + stop) // 2
        return (self._window(sentences, terms, start, middle, src, tgt, params)
                + self._window(sentences, terms, middle, stop, src, tgt, params))
