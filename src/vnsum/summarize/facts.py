"""Checking an abstractive summary against its article: every name, number and date in
the summary must be in the article.

A model that summarizes may invent a figure or a name, and a press officer cannot paste
a summary that says something the article does not. The check is literal, so it
reports rather than blocks: what it lists is for a person to look at.

- Numbers and dates are runs of digits with their separators ("15/12/2025", "98,5%",
  "1.000.000"); one is supported when the article has the same digits in a number.
- Names are runs of capitalised words ("Bộ Công an" gives "Bộ Công", "Tô Lâm",
  "Ministry of Public Security" gives "Ministry", "Public Security"); in Vietnamese,
  runs of two or more, as Vietnamese names are (a lone capital starts a title such as
  "Thượng tướng"). A sentence's first word is capitalised anyway: it counts only with
  the name it starts, and the run is also accepted without it.
"""

from __future__ import annotations

import re

from ..text import nfc

_NUMBER = re.compile(r"\d+(?:[.,/:\-]\d+)*")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_NAME_WORDS = {"vi": 2, "en": 1}


def unsupported(summary: list[str], article: str, lang: str) -> list[str]:
    """The names, numbers and dates of ``summary`` (its sentences) not found in ``article``, in order."""
    text = _folded(article)
    digits = {_digits(n) for n in _NUMBER.findall(article)}
    missing: list[str] = []
    for sentence in summary:
        claims = [(n, _digits(n) in digits) for n in _NUMBER.findall(sentence)]
        claims += [(name, _found(name, first, text)) for name, first in names(nfc(sentence), _NAME_WORDS[lang])]
        missing += [claim for claim, ok in claims if not ok and claim not in missing]
    return missing


def names(sentence: str, shortest: int = 1) -> list[tuple[str, bool]]:
    """Runs of at least ``shortest`` capitalised words in a sentence, each with whether it
    starts the sentence. A lone capitalised first word is not a name ("The meeting…")."""
    runs: list[list[re.Match]] = []
    previous_end = None
    for word in _WORD.finditer(sentence):
        capital = word.group()[0].isupper()
        joined = previous_end is not None and sentence[previous_end:word.start()].strip() == ""
        if capital and runs and joined and runs[-1][-1].end() == previous_end:
            runs[-1].append(word)
        elif capital:
            runs.append([word])
        previous_end = word.end()
    first = next(_WORD.finditer(sentence), None)
    out = []
    for run in runs:
        starts = first is not None and run[0].start() == first.start()
        if len(run) >= max(shortest, 2 if starts else 1):
            out.append((sentence[run[0].start():run[-1].end()], starts))
    return out


def _found(name: str, starts_sentence: bool, folded_article: str) -> bool:
    """The name is in the article (case and spacing aside), or, at a sentence start,
    the name without its first word is."""
    candidates = [name] + ([name.split(maxsplit=1)[1]] if starts_sentence else [])
    return any(re.search(rf"(?<!\w){re.escape(_folded(c))}(?!\w)", folded_article) for c in candidates)


def _folded(text: str) -> str:
    return " ".join(nfc(text).lower().split())


def _digits(number: str) -> str:
    return re.sub(r"\D", "", number)

