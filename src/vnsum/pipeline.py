"""The article pipeline: everything a press officer needs from one article.

Title and body are translated in one batched pass (the title on its own, so it is not
merged with the first sentence); the summary is made in the source language, and the
summary in the other language is, by default, the glossary-enforced translations of
exactly the chosen sentences, so the two summaries say the same thing with the same
official names and no extra model.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field

from .chrome import is_chrome
from .enforce import TermHit
from .errors import UsageError
from .summarize import Summarizer, Summary, get_summarizer
from .text import nfc
from .translator import Translation, Translator

# How the summary in the target language is made.
ALIGNED, TRANSLATE, SUMMARIZE = "aligned", "translate", "summarize"
OTHER_SUMMARY_MODES = (ALIGNED, TRANSLATE, SUMMARIZE)


@dataclass
class ArticleResult:
    """Title, translation, both summaries, the term report, timings and model names."""

    src: str
    tgt: str
    title: str
    title_translation: str
    translation: Translation
    summary_vi: Summary
    summary_en: Summary
    title_terms: list[TermHit] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    models: dict[str, str] = field(default_factory=dict)

    @property
    def terms(self) -> list[TermHit]:
        """Every glossary term occurrence, title first."""
        return self.title_terms + self.translation.terms

    def to_dict(self) -> dict:
        data = asdict(self)
        data["summary_vi"]["text"] = self.summary_vi.text
        data["summary_en"]["text"] = self.summary_en.text
        data["translation"]["term_counts"] = self.translation.term_counts
        return data


def split_title(text: str) -> tuple[str, str]:
    """The first non-blank line that is not site chrome is the title; the rest, from its
    next non-blank line, is the body, after the chrome above the title if any (a saved
    page's menus: kept as written there, not made the title).

    The blank lines between them only separate the two: kept, they would start the
    translation's text with a newline.
    """
    lines = text.splitlines(keepends=True)
    title = next((i for i, line in enumerate(lines) if line.strip() and not is_chrome(line)), None)
    if title is None:
        return "", text if text.strip() else ""  # nothing, or nothing but chrome
    body = next((i for i in range(title + 1, len(lines)) if lines[i].strip()), len(lines))
    above = lines[:title] if any(line.strip() for line in lines[:title]) else []
    return lines[title].strip(), "".join(above + lines[body:])


class Pipeline:
    """Translate and summarize articles; one Translator and one Summarizer, reused."""

    def __init__(self, translator: Translator | str | None = None, summarizer: Summarizer | str | None = None, *,
                 other_summary: str = ALIGNED, other_summarizer: Summarizer | str | None = None):
        """Names are accepted where objects are, as on the command line: a model for the
        translator (``"opus-mt"``, a hub id or a folder; None: the default model with the
        default glossary) and ``"extractive"``, ``"lead"`` or a model for the summarizers."""
        if other_summary not in OTHER_SUMMARY_MODES:
            raise UsageError(f"other_summary must be one of {', '.join(OTHER_SUMMARY_MODES)}")
        self.translator = translator if isinstance(translator, Translator) else Translator(
            *([translator] if translator else []))
        self.summarizer = _summarizer(summarizer or "extractive")
        self.other_summary = other_summary
        self.other_summarizer = _summarizer(other_summarizer) if other_summarizer else self.summarizer

    def process(self, text: str, src: str = "vi", *, sentences: int | None = None,
                words: int | None = None) -> ArticleResult:
        """Translate ``text`` (title on the first line) and summarize it in both languages
        (by default about 60 words: :data:`vnsum.summarize.base.DEFAULT_WORDS`)."""
        tgt = "en" if src == "vi" else "vi"
        title, body = split_title(nfc(text))
        timings: dict[str, float] = {}
        start = time.perf_counter()
        title_tr, body_tr = self.translator.translate_documents([title, body], src, tgt)
        timings["translate_s"] = time.perf_counter() - start
        start = time.perf_counter()
        source_summary = self.summarizer.summarize(body, src, sentences=sentences, words=words, title=title)
        other = self._other_summary(source_summary, body_tr, tgt, sentences, words, title_tr.text)
        timings["summarize_s"] = time.perf_counter() - start
        by_lang = {src: source_summary, tgt: other}
        return ArticleResult(
            src=src, tgt=tgt, title=title, title_translation=title_tr.text, translation=body_tr,
            summary_vi=by_lang["vi"], summary_en=by_lang["en"], title_terms=title_tr.terms, timings=timings,
            models={"translation": body_tr.model, "summarizer": self.summarizer.name,
                    "glossary": body_tr.glossary or "none"})

    def _other_summary(self, summary: Summary, translation: Translation, tgt: str,
                       sentences: int | None, words: int | None, title: str) -> Summary:
        mode = self.other_summary
        if mode == ALIGNED and not summary.indices:
            mode = TRANSLATE  # an abstractive summary has no source sentences to align
        if mode == ALIGNED:
            return Summary(self._aligned(summary, translation, tgt), tgt, f"{summary.method}+aligned-translation",
                           indices=summary.indices)
        if mode == TRANSLATE:
            texts = self.translator.translate(summary.sentences, src=summary.lang, tgt=tgt) if summary.sentences else []
            return Summary(texts, tgt, f"{summary.method}+translation", notes=summary.notes)
        return self.other_summarizer.summarize(translation.text, tgt, sentences=sentences, words=words, title=title)

    def _aligned(self, summary: Summary, translation: Translation, tgt: str) -> list[str]:
        """The translation of each summary sentence as the summary has it: a sentence kept
        whole reuses the article's translation, a shortened one is translated as shortened
        (all in one call), so both summaries leave out the same spans."""
        cuts = summary.cuts or [[] for _ in summary.indices]
        texts = [translation.segments[i].target for i in summary.indices]
        shortened = [k for k, dropped in enumerate(cuts) if dropped]
        if shortened:
            done = self.translator.translate([summary.sentences[k] for k in shortened], src=summary.lang, tgt=tgt)
            for k, text in zip(shortened, done):
                texts[k] = text
        return texts


def _summarizer(spec: Summarizer | str) -> Summarizer:
    return get_summarizer(spec) if isinstance(spec, str) else spec
