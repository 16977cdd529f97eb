"""Is this text in the language the user said it is in? A cheap, explainable check.

Vietnamese marks most syllables with a diacritic or a letter English never uses (ă, â,
đ, ê, ô, ơ, ư and the tones): in news prose about half of all words carry one, while
English text, even full of Vietnamese names, has a few percent. The share of such words
says which language a document is in well enough to warn a user who picked the wrong
source language; the document is still translated, since mixed Vietnamese/English text
is normal in this genre and the check only looks at letters.
"""

from __future__ import annotations

import re
import unicodedata

from .errors import InputError

# Diacritics Vietnamese uses (tones, circumflex, breve, horn) and its extra letter đ.
_VIETNAMESE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323\u0302\u0306\u031b")
_WORD = re.compile(r"[^\W\d_]+")
# Judged on the start of long documents; fewer words than this prove nothing.
_SAMPLE_CHARS, _MIN_WORDS = 100_000, 20
# Below this share a "Vietnamese" text is not Vietnamese; above the other an "English" one is not English.
_VI_AT_LEAST, _EN_AT_MOST = 0.15, 0.5

NAMES = {"vi": "Vietnamese", "en": "English"}
AUTO = "auto"  # as a source language: each document's own, detected


def other(lang: str) -> str:
    """The language a document in ``lang`` is translated into when no target is given."""
    return "en" if lang == "vi" else "vi"


def _is_vietnamese(word: str) -> bool:
    return "đ" in word.lower() or any(c in _VIETNAMESE_MARKS for c in unicodedata.normalize("NFD", word))


def vietnamese_share(text: str) -> tuple[float, int]:
    """The share of words with a Vietnamese letter or diacritic, and how many words were read."""
    words = _WORD.findall(text[:_SAMPLE_CHARS])
    if not words:
        return 0.0, 0
    return sum(map(_is_vietnamese, words)) / len(words), len(words)


def language_notice(text: str, lang: str) -> str | None:
    """A warning when ``text`` does not look like ``lang`` ("vi" or "en"), else None."""
    share, words = vietnamese_share(text)
    if words < _MIN_WORDS or lang not in NAMES:
        return None
    if lang == "vi" and share < _VI_AT_LEAST:
        return (f"this does not look like Vietnamese (only {share:.0%} of its words have Vietnamese "
                f"letters); is the source language right? It is treated as Vietnamese anyway")
    if lang == "en" and share > _EN_AT_MOST:
        return (f"this looks like Vietnamese, not English ({share:.0%} of its words have Vietnamese "
                f"letters); is the source language right? It is treated as English anyway")
    return None


# A text with at least this share of Vietnamese words is taken as Vietnamese by detect().
_VI_FROM = 0.25


def detect(text: str) -> tuple[str, float]:
    """The language of ``text`` ("vi" or "en") and a confidence from 0 to 100.

    For ``source: "auto"`` and ``/detect``: the further the share of Vietnamese words is
    from the boundary, and the more words there are, the surer; a text of a few words
    gets a low confidence rather than a guess that looks certain.
    """
    share, words = vietnamese_share(text)
    lang = "vi" if share >= _VI_FROM else "en"
    margin = (share - _VI_FROM) / (1 - _VI_FROM) if lang == "vi" else (_VI_FROM - share) / _VI_FROM
    return lang, round(100 * min(1.0, 0.5 + margin / 2) * min(1.0, words / _MIN_WORDS), 1)


def fixed_direction(src: str, tgt: str | None) -> tuple[str, str] | None:
    """The one (source, target) pair a run with ``src`` (perhaps AUTO) and ``tgt``
    (perhaps None) translates in, or None when each document's language decides: its
    model can be loaded before the first document."""
    pairs = [(lang, tgt or other(lang)) for lang in (NAMES if src == AUTO else [src]) if lang != tgt]
    return pairs[0] if len(pairs) == 1 else None


# Below this confidence a detected language is a guess, and the reader is told so.
_SURE = 50


def direction(text: str, src: str, tgt: str | None) -> tuple[str, str, str | None]:
    """The (source, target) languages to translate ``text`` with, and a notice when the
    source was a guess: ``src`` AUTO is the detected language (a text of a few words
    gets the notice), and ``tgt`` None the other one of the two.

    A document detected in the very language asked for (``-t en`` on an English file)
    has nothing to translate: it fails alone, saying so, and the others go on.
    """
    if src != AUTO:
        return src, tgt or other(src), None
    found, confidence = detect(text)
    if found == tgt:
        raise InputError(f"this reads as {NAMES[found]}, the language to translate into; give -s "
                         f"{other(found)} if it is {NAMES[other(found)]}")
    guess = (f"too few words to be sure of its language (confidence {confidence:.0f}/100): read as "
             f"{NAMES[found]}; give -s to say which it is") if confidence < _SURE else None
    return found, tgt or other(found), guess
