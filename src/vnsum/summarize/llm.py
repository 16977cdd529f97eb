"""Abstractive summaries from a model on an OpenAI-compatible server (``--summarizer openai:NAME``).

The model reads the whole article (title first) and writes the summary in the
article's language, told to state only what the article says and to write names,
numbers and dates as the article writes them. It is then checked
(:mod:`vnsum.summarize.facts`): whatever name, number or date of the summary the article
does not contain is listed in ``Summary.unsupported`` and in a note. The summary in the
other language is the Translator's (``Pipeline`` translates an abstractive summary), so
official names get the glossary renderings, verified as in any translation.
"""

from __future__ import annotations

from ..backends.llm import LANGUAGES, without_thinking
from ..backends.openai import ChatClient
from ..degenerate import problem
from ..segment import split_sentences
from ..text import nfc
from .abstractive import within
from .base import Summary, length_target
from .facts import unsupported

SYSTEM = """You write short summaries of {lang} government and news articles, in {lang}.
State only what the article states. Write every name, number and date exactly as the article writes it.
Answer with the summary alone: no title, no list, no notes."""


WORDS_PER_SENTENCE = 30
THINKING_TOKENS = 256


class LLMSummarizer:
    """Summaries by a chat model, checked against the article; ``usage`` counts its requests and tokens."""

    def __init__(self, client: ChatClient):
        client.check()
        self.client = client
        self.name = f"openai:{client.model}"
        self.usage = client.usage

    def summarize(self, text: str, lang: str = "vi", *, sentences: int | None = None,
                  words: int | None = None, title: str | None = None) -> Summary:
        sentences, words = length_target(sentences, words)
        article = nfc(text).strip()
        if not article:
            return Summary([], lang, self.name, notes=["no sentence fit for a summary"])
        length = f"about {words} words" if words is not None else f"{sentences} sentence{'s' * (sentences != 1)}"
        heading = f"Title: {nfc(title)}\n\n" if title else ""
        # A stop for a model that rambles or loops: four tokens a word, and room to think.
        budget = 4 * (words if words is not None else WORDS_PER_SENTENCE * sentences) + THINKING_TOKENS
        answer = without_thinking(self.client.chat([
            {"role": "system", "content": SYSTEM.format(lang=LANGUAGES[lang])},
            {"role": "user", "content": f"Summarize this article in {length}.\n\n{heading}Article:\n{article}"}],
            max_tokens=budget))
        unusable = problem(article, answer)
        if unusable:  # a model in a loop ("ọn ọn ọn…") or with nothing to say: no summary, and why
            return Summary([], lang, self.name, notes=[f"the model's summary was unusable ({unusable}): none given"])
        produced = split_sentences(" ".join(answer.split()), lang)
        kept = within(produced, sentences, words)
        notes = [f"kept {len(kept)} of the {len(produced)} sentences the model wrote (length target)"] \
            if len(kept) < len(produced) else []
        missing = unsupported(kept, f"{title or ''}\n{article}", lang)
        if missing:
            notes.append(f"not in the article, check before use: {', '.join(missing)}")
        return Summary(kept, lang, self.name, notes=notes, unsupported=missing)
