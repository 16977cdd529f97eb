"""Which words of one language are likely translations of which words of the other: the
lexicon behind the omission check for whole clauses (:func:`vnsum.omissions.missing_clauses`).

A dropped clause leaves no number or name behind to miss, and the length ratio misses a
short one. What it does leave is a stretch of source words none of whose translations is
in the output. This lexicon says, for a Vietnamese syllable or pair of syllables and for
an English word, which words of the other language translate it often enough to count:
the Dice coefficient of their co-occurrence in the training pairs, kept where it is at
least :data:`MIN_DICE` and the words are not so frequent that they are everywhere ("của",
"the"). It is fitted once (``python eval/omission_check.py fit-lexicon``) and shipped as
``models/lexicon.tsv.gz``; without that file the clause check is skipped, not guessed.
"""

from __future__ import annotations

import gzip
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .paths import project_dir

MIN_COUNT = 3  # pairs a word pair must share to be counted at all
MIN_DICE = 0.1
MAX_SHARE = 0.05  # a word in more than this share of the pairs is a function word here
TOP = 10  # translations kept per word, best first

_WORD = re.compile(r"[^\W\d_]+")


def lexicon_path() -> Path:
    return project_dir() / "models" / "lexicon.tsv.gz"


def stem(word: str) -> str:
    """An English word lower-cased, its plural ending cut: "ministries" -> "ministry"."""
    word = word.lower()
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def vi_units(text: str) -> list[str]:
    """The syllables of a Vietnamese text and each pair of neighbours ("công", "công an")."""
    syllables = [w.lower() for w in _WORD.findall(text)]
    return syllables + [f"{a} {b}" for a, b in zip(syllables, syllables[1:])]


def en_units(text: str) -> list[str]:
    return [stem(w) for w in _WORD.findall(text)]


UNITS = {"vi": vi_units, "en": en_units}


@dataclass(frozen=True)
class Lexicon:
    """Likely translations per word, both ways: ``translations["vi"]["công an"]`` are English
    words, ``translations["en"]["police"]`` Vietnamese syllables or pairs."""

    translations: dict[str, dict[str, tuple[str, ...]]]

    def coverage(self, clause: str, output: str, src: str) -> tuple[int, int]:
        """(words of ``clause`` the lexicon can translate, those with a translation in ``output``).

        A Vietnamese syllable counts once, covered when it or a pair it is part of has a
        translation there ("an" of "công an" is covered by "police").
        """
        table = self.translations[src]
        have = set(UNITS["en" if src == "vi" else "vi"](output))
        known = covered = 0
        if src == "vi":
            syllables = [w.lower() for w in _WORD.findall(clause)]
            for k, syllable in enumerate(syllables):
                units = [syllable] + ([f"{syllables[k - 1]} {syllable}"] if k else []) + (
                    [f"{syllable} {syllables[k + 1]}"] if k + 1 < len(syllables) else [])
                found = [table[u] for u in units if u in table]
                if found:
                    known += 1
                    covered += any(t in have for words in found for t in words)
        else:
            for word in en_units(clause):
                if word in table:
                    known += 1
                    covered += any(t in have for t in table[word])
        return known, covered

    def save(self, path: str | Path) -> None:
        """One line per word, its language first, then its translations, best first, all
        tab-separated: ``vi<TAB>công an<TAB>police<TAB>security``."""
        with gzip.open(path, "wt", encoding="utf-8") as out:
            for src in ("vi", "en"):
                out.writelines(f"{src}\t{word}\t" + "\t".join(targets) + "\n"
                               for word, targets in sorted(self.translations[src].items()))

    @classmethod
    def load(cls, path: str | Path) -> Lexicon:
        translations: dict[str, dict[str, tuple[str, ...]]] = {"vi": {}, "en": {}}
        with gzip.open(path, "rt", encoding="utf-8") as lines:
            for line in lines:
                src, word, *targets = line.rstrip("\n").split("\t")
                translations[src][word] = tuple(targets)
        return cls(translations)


@lru_cache(maxsize=1)
def bundled() -> Lexicon | None:
    """The shipped lexicon, read once; None when the file is not there."""
    path = lexicon_path()
    return Lexicon.load(path) if path.is_file() else None


def fit(pairs: Sequence[tuple[str, str]], *, max_share: float = MAX_SHARE) -> Lexicon:
    """The lexicon of (Vietnamese, English) ``pairs``: Dice over the pairs two words share.

    Counting runs in numpy (a hundred thousand pairs give about a hundred million word
    pairs), so it takes a couple of minutes and a few GB, once.
    """
    import numpy as np

    docs = [(set(vi_units(vi)), set(en_units(en))) for vi, en in pairs]
    df_vi = Counter(u for vi, _ in docs for u in vi)
    df_en = Counter(u for _, en in docs for u in en)
    limit = max_share * len(docs)
    vi_ids = {u: k for k, u in enumerate(u for u, c in df_vi.items() if MIN_COUNT <= c <= limit)}
    en_ids = {u: k for k, u in enumerate(u for u, c in df_en.items() if MIN_COUNT <= c <= limit)}
    width = len(en_ids)
    keys = [(np.fromiter((vi_ids[u] for u in vi if u in vi_ids), np.int64)[:, None] * width
             + np.fromiter((en_ids[u] for u in en if u in en_ids), np.int64)[None, :]).ravel()
            for vi, en in docs]
    pair_keys, counts = np.unique(np.concatenate(keys or [np.zeros(0, np.int64)]), return_counts=True)
    keep = counts >= MIN_COUNT
    pair_keys, counts = pair_keys[keep], counts[keep]
    vi_of, en_of = pair_keys // width, pair_keys % width
    vi_words, en_words = list(vi_ids), list(en_ids)
    df_v = np.array([df_vi[u] for u in vi_words])[vi_of]
    df_e = np.array([df_en[u] for u in en_words])[en_of]
    dice = 2 * counts / (df_v + df_e)
    order = [k for k in np.argsort(-dice, kind="stable") if dice[k] >= MIN_DICE]
    return Lexicon({"vi": _best(((vi_words[vi_of[k]], en_words[en_of[k]]) for k in order)),
                    "en": _best(((en_words[en_of[k]], vi_words[vi_of[k]]) for k in order))})


def _best(ranked: Iterable[tuple[str, str]]) -> dict[str, tuple[str, ...]]:
    """The first :data:`TOP` translations of each word from (word, translation), best first."""
    table: dict[str, list[str]] = {}
    for word, target in ranked:
        kept = table.setdefault(word, [])
        if len(kept) < TOP:
            kept.append(target)
    return {w: tuple(t) for w, t in table.items()}
