"""Extractive summaries that need no model weights and work on any machine.

Sentences are scored by position (news puts the essentials first), centrality
(TextRank over TF-IDF vectors of syllable unigrams and bigrams: Vietnamese words are
one or more space-separated syllables, so bigrams stand in for two-syllable words) and
how much of the headline they cover (the sentence that tells the headline's story is
the one a newspaper's lead paragraph retells),
then picked greedily with Maximal Marginal Relevance so the summary does not say the
same thing twice. Sentences are compressed first (:mod:`.compress`: title chains,
lists, parentheticals and document numbers deleted), and the word budget counts the
compressed sentences, so a short summary holds more of the article's content.
Everything is deterministic: ties go to the earlier sentence.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from ..glossary import Glossary
from ..segment import split_document
from ..text import nfc
from .base import Summary, length_target
from .candidates import candidates
from .compress import Compression, Compressor

_SYLLABLE = re.compile(r"\w+")


def syllables(text: str) -> list[str]:
    """Lower-cased syllables of ``text``."""
    return _SYLLABLE.findall(text.lower())


def features(sentence: str) -> list[str]:
    """Lower-cased syllables and syllable bigrams of a sentence."""
    units = syllables(sentence)
    return units + [f"{a}_{b}" for a, b in zip(units, units[1:])]


def coverage(sentences: list[str], title: str) -> np.ndarray:
    """Share of the title's distinct syllables that each sentence contains (0 without a title)."""
    wanted = set(syllables(title))
    if not wanted:
        return np.zeros(len(sentences))
    return np.array([len(wanted & set(syllables(s))) / len(wanted) for s in sentences])


def tfidf(sentences: list[str]) -> np.ndarray:
    """Row-normalised TF-IDF matrix (sentences x features) with smoothed IDF."""
    bags = [Counter(features(s)) for s in sentences]
    vocab = {f: i for i, f in enumerate(sorted({f for bag in bags for f in bag}))}
    df = Counter(f for bag in bags for f in bag)
    n = len(sentences)
    matrix = np.zeros((n, len(vocab)))
    for row, bag in enumerate(bags):
        for f, count in bag.items():
            matrix[row, vocab[f]] = (1 + math.log(count)) * (math.log((1 + n) / (1 + df[f])) + 1)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1, norms)


def textrank(similarity: np.ndarray, damping: float = 0.85, iterations: int = 100) -> np.ndarray:
    """PageRank over the sentence similarity graph (power iteration), scaled to [0, 1]."""
    n = len(similarity)
    weights = similarity - np.diag(np.diag(similarity))
    out_degree = weights.sum(axis=1, keepdims=True)
    transition = np.where(out_degree > 0, weights / np.where(out_degree == 0, 1, out_degree), 1 / n)
    rank = np.full(n, 1 / n)
    for _ in range(iterations):
        new = (1 - damping) / n + damping * transition.T @ rank
        if np.abs(new - rank).sum() < 1e-9:
            rank = new
            break
        rank = new
    span = rank.max() - rank.min()
    return (rank - rank.min()) / span if span > 0 else np.ones(n)


def bundled_compressor() -> Compressor:
    """Compression with the bundled ``vn-gov`` glossary, which knows the titles, ranks and
    bodies of this genre."""
    return Compressor(Glossary.load("vn-gov"))


@dataclass
class ExtractiveSummarizer:
    """Position + TextRank centrality, MMR for redundancy. No weights, deterministic."""

    name: str = "extractive"
    usage = None
    # Chosen on vims-dev (eval/README.md): more weight on position helps single articles,
    # more on centrality helps clusters; 0.35 keeps a clear lead bias and beats Lead-3.
    position_weight: float = 0.35  # share of the score from position vs centrality
    position_decay: float = 6.0  # sentences; the lead bias halves about every 4 sentences
    diversity: float = 0.4  # MMR: how strongly similarity to chosen sentences counts
    max_overlap: float = 0.6  # cosine similarity above which a sentence is a near-repeat
    # Chosen on the tune part of vietnews-test-1k (eval/README.md); 3 and 4 scored alike.
    # Without a title (ViMs clusters) the term is zero and the other weights decide.
    headline_weight: float = 3.0  # added to the score per unit of title coverage
    # Used under a word budget only: the words a cut saves buy room for more content.
    # Asked for N sentences, the summary gives N of the article's sentences as written.
    compressor: Compressor | None = field(default_factory=bundled_compressor)

    def summarize(self, text: str, lang: str = "vi", *, sentences: int | None = None,
                  words: int | None = None, title: str | None = None) -> Summary:
        """``title``, the article's headline, favours the sentences that tell its story."""
        sentences, words = length_target(sentences, words)
        doc = split_document(nfc(text), lang)
        pool = candidates(doc)
        if not pool:
            return Summary([], lang, self.name, notes=["no sentence fit for a summary"])
        short = compress_all([c.text for c in pool], self.compressor if words is not None else None, lang)
        vectors = tfidf([c.text for c in pool])
        similarity = vectors @ vectors.T
        rank_in_pool = np.arange(len(pool))
        position = np.exp(-rank_in_pool / self.position_decay)
        score = (self.position_weight * position + (1 - self.position_weight) * textrank(similarity)
                 + self.headline_weight * coverage([c.text for c in pool], nfc(title or "")))
        chosen = sorted(self._select(score, similarity, [len(c.text.split()) for c in short], sentences, words))
        return Summary([short[i].text for i in chosen], lang, self.name, indices=[pool[i].index for i in chosen],
                       cuts=[list(short[i].cuts) for i in chosen])

    def _select(self, score: np.ndarray, similarity: np.ndarray, lengths: list[int],
                sentences: int | None, words: int | None) -> list[int]:
        """Greedy MMR until the sentence count or the word budget is reached."""
        chosen: list[int] = []
        used = 0
        while len(chosen) < min(sentences or len(score), len(score)):
            redundancy = similarity[:, chosen].max(axis=1) if chosen else np.zeros(len(score))
            mmr = (1 - self.diversity) * score - self.diversity * redundancy
            mmr[chosen] = -np.inf
            mmr[redundancy > self.max_overlap] = -np.inf
            if words is not None:
                too_long = np.array([used + n > words for n in lengths])
                if chosen:
                    mmr[too_long] = -np.inf
            best = int(np.argmax(mmr))  # argmax returns the first maximum: earliest sentence
            if mmr[best] == -np.inf:
                break
            chosen.append(best)
            used += lengths[best]
        return chosen


def compress_all(texts: list[str], compressor: Compressor | None, lang: str) -> list[Compression]:
    """Each sentence compressed, or kept whole when there is no compressor."""
    if compressor is None:
        return [Compression(t, t) for t in texts]
    return [compressor.compress(t, lang) for t in texts]


@dataclass
class LeadSummarizer:
    """The first N content sentences, whole: the baseline every summarizer must beat on news."""

    name: str = "lead"
    usage = None

    def summarize(self, text: str, lang: str = "vi", *, sentences: int | None = None,
                  words: int | None = None, title: str | None = None) -> Summary:
        """The lead ignores the headline: it is the position-only baseline."""
        sentences, words = length_target(sentences, words)
        pool = candidates(split_document(nfc(text), lang))
        chosen, used = [], 0
        for c in pool:
            n = len(c.text.split())
            if (words is None and len(chosen) >= sentences) or (words is not None and chosen and used + n > words):
                break
            chosen.append(c)
            used += n
        return Summary([c.text for c in chosen], lang, self.name, indices=[c.index for c in chosen])
