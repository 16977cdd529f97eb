"""Outputs that are not translations: loops, runaway length, nothing at all.

Small models do this now and then ("the the the …", a phrase repeated to the length
limit, an empty string for a real sentence). Such an output is never returned
silently: the sentence is decoded again with settings that forbid repeats, the better
of the two candidates is kept, and a loop that survives both is cut to one copy. The
translation's segments say which sentences needed this.
"""

from __future__ import annotations

import re

from .backends.base import Decoding

# Settings of the second try: no trigram twice. Neither a repetition penalty (transformers
# and CTranslate2 apply it to different tokens) nor another beam size (their beam
# searches differ in details): the two backends must give the same translations.
RETRY = Decoding(no_repeat_ngram_size=3)

RETRIED, DEGENERATE = "retried", "degenerate"

_TOKEN = re.compile(r"\w+|[^\w\s]")
_MAX_NGRAM = 4
# An output this many times longer than its source (in characters, plus slack for
# short inputs) is runaway generation: translations vi<->en stay within about 1.5x.
_LENGTH_RATIO, _LENGTH_SLACK = 3.0, 30


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


def longest_loop(tokens: list[str]) -> tuple[int, int, int]:
    """(repeats, start, n) of the n-gram repeated most often back to back (words only)."""
    best = (1, 0, 1)
    for n in range(1, _MAX_NGRAM + 1):
        i = 0
        while i + 2 * n <= len(tokens):
            gram = tokens[i:i + n]
            repeats = 1
            while tokens[i + repeats * n:i + (repeats + 1) * n] == gram:
                repeats += 1
            if repeats > best[0] and any(t[0].isalnum() for t in gram):
                best = (repeats, i, n)
            i += max(1, (repeats - 1) * n) if repeats > 1 else 1
    return best


def problem(source: str, output: str) -> str | None:
    """Why ``output`` is not a plausible translation of ``source``, or None."""
    if not any(c.isalnum() for c in output):
        return "empty" if any(c.isalnum() for c in source) else None
    if len(output) > _LENGTH_RATIO * len(source) + _LENGTH_SLACK:
        return "too long"
    repeats = longest_loop(_tokens(output))[0]
    if repeats >= 3 and repeats > longest_loop(_tokens(source))[0]:
        return "repetition"
    return None


def badness(source: str, output: str) -> float:
    """0 for a plausible output; otherwise larger for worse ones (to pick the lesser evil)."""
    reason = problem(source, output)
    if reason is None:
        return 0.0
    if reason == "empty":
        return float("inf")
    return longest_loop(_tokens(output))[0] + len(output) / max(len(source), 1)


def collapse(output: str) -> str:
    """``output`` with every back-to-back repeat of a word n-gram cut to one copy."""
    words = output.split()
    changed = True
    while changed:
        changed = False
        repeats, start, n = longest_loop([w.lower() for w in words])
        if repeats >= 2 and n >= 1 and repeats * n > 2:
            del words[start + n:start + repeats * n]
            changed = True
    return " ".join(words)


def choose(source: str, first: str, second: str) -> tuple[str, str]:
    """The better of a degenerate ``first`` output and its retry, and its flag."""
    better = min((first, second), key=lambda o: badness(source, o))
    if problem(source, better) is None:
        return better, RETRIED
    return collapse(better), DEGENERATE
