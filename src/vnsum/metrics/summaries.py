"""Summarization test sets (ViMs clusters, plain pairs) and ROUGE of summarizers on them.

ViMs (Tran et al. 2020) is multi-document: ``data/Cluster_NNN/K.txt`` are the articles
of a cluster, each starting with its title, and ``summary/Cluster_NNN/*.txt`` are two
or three human summaries exported from MDSWriter, with header lines ("Cluster_001",
"=Einleitung=", "=Content=") that are not part of the summary. A summarizer sees the
cluster's article bodies (titles dropped) joined in file-number order with blank lines,
and Lead-3 sees exactly the same text, so the two are compared on equal terms.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from .bootstrap import Interval, bootstrap_ci
from .rouge import Rouge, RougeResult

# MDSWriter export headers: the cluster id and wiki-style "=Section=" lines.
_HEADER = re.compile(r"^\s*(Cluster_\d+|=[^=].*=)\s*$")


@dataclass
class SummaryCase:
    """One document (or cluster) to summarize, its human summaries and its headline."""

    id: str
    text: str
    references: list[str]
    title: str = ""  # the article's first line in the pairs layout; ViMs clusters have none


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not valid UTF-8 (byte offset {exc.start})") from None


def article_body(text: str) -> str:
    """A ViMs article without its first non-empty line (the title)."""
    lines = text.strip().splitlines()
    return "\n".join(lines[1:]).strip()


def clean_reference(text: str) -> str:
    """A ViMs summary without the MDSWriter header lines."""
    return "\n".join(line for line in text.splitlines() if not _HEADER.match(line)).strip()


def _number(path: Path) -> tuple[int, str]:
    return (int(path.stem), "") if path.stem.isdigit() else (1 << 30, path.stem)


def read_vims(docs: Path, refs: Path) -> list[SummaryCase]:
    """Clusters of ``docs`` (one folder each) with the summaries in ``refs/<cluster>/``."""
    cases = []
    for cluster in sorted(d for d in docs.iterdir() if d.is_dir()):
        articles = sorted(cluster.glob("*.txt"), key=_number)
        bodies = [b for b in (article_body(_read(a)) for a in articles) if b]
        summaries = [clean_reference(_read(p)) for p in sorted((refs / cluster.name).glob("*.txt"))]
        summaries = [s for s in summaries if s]
        if not bodies:
            raise InputError(f"{cluster}: no articles with text")
        if not summaries:
            raise InputError(f"{refs / cluster.name}: no summaries for cluster {cluster.name}")
        cases.append(SummaryCase(cluster.name, "\n\n".join(bodies), summaries))
    return cases


def read_pairs(docs: Path, refs: Path) -> list[SummaryCase]:
    """``docs/NAME.txt`` summarized against ``refs/NAME.txt`` (same file names).

    The first line of a document is its title, as in every article file vnsum reads:
    summarizers get it as the headline, and only the body as text, so a title is never
    picked as a summary sentence.
    """
    cases, missing = [], []
    for doc in sorted(docs.glob("*.txt")):
        ref = refs / doc.name
        if not ref.is_file():
            missing.append(doc.name)
            continue
        text = _read(doc).strip()
        cases.append(SummaryCase(doc.stem, article_body(text), [_read(ref).strip()], title=text.splitlines()[0]))
    if missing:
        raise InputError(f"{refs}: no reference for {len(missing)} document(s): {', '.join(missing[:10])}")
    return cases


LAYOUTS: dict[str, Callable[[Path, Path], list[SummaryCase]]] = {"vims": read_vims, "pairs": read_pairs}


def read_cases(docs: str | Path, refs: str | Path, layout: str = "auto") -> tuple[str, list[SummaryCase]]:
    """Read a test set; ``auto`` picks ViMs when ``docs`` holds folders, pairs otherwise."""
    docs, refs = Path(docs), Path(refs)
    for folder in (docs, refs):
        if not folder.is_dir():
            raise InputError(f"{folder}: not a folder")
    if layout == "auto":
        layout = "vims" if any(p.is_dir() for p in docs.iterdir()) else "pairs"
    cases = LAYOUTS[layout](docs, refs)
    if not cases:
        raise InputError(f"{docs}: no documents found ({layout} layout)")
    return layout, cases


PARTS = ("all", "tune", "report")


def split_cases(cases: list[SummaryCase], part: str = "all", tune_share: float = 0.3) -> list[SummaryCase]:
    """The ``tune`` or ``report`` part of a test set, or ``all`` of it.

    A case belongs to the tune part when the hash of its id falls in the first
    ``tune_share`` of the range: the split is the same on every machine and for every
    ordering of the files, so settings chosen on one part are reported on the other.
    """
    if part == "all":
        return cases
    if part not in PARTS:
        raise ValueError(f"part must be one of {', '.join(PARTS)}")
    in_tune = [int(hashlib.sha256(c.id.encode()).hexdigest()[:8], 16) < tune_share * 16 ** 8 for c in cases]
    return [c for c, tune in zip(cases, in_tune) if tune == (part == "tune")]


@dataclass
class SystemScore:
    """ROUGE of one summarizer, and its difference from the baseline with an interval."""

    name: str
    rouge: dict[str, RougeResult]
    delta: dict[str, Interval] = field(default_factory=dict)  # F1 minus the baseline's, per document

    def to_dict(self) -> dict:
        out: dict = {"name": self.name, **{k: r.to_dict() for k, r in self.rouge.items()}}
        if self.delta:
            out["delta_vs_baseline"] = {k: {"f1": round(d.mean, 2), "ci95": [round(d.low, 2), round(d.high, 2)]}
                                        for k, d in self.delta.items()}
        return out


def score_summarizers(cases: list[SummaryCase], summarizers: Mapping[str, object], *, lang: str = "vi",
                      sentences: int | None = 3, words: int | None = None, baseline: str | None = None,
                      rouge: Rouge | None = None) -> list[SystemScore]:
    """ROUGE of each summarizer on the same cases; ``baseline`` names the one to compare to.

    The difference to the baseline is bootstrapped over documents (paired), so an
    interval that excludes 0 means the gap is not an accident of this sample.
    """
    rouge = rouge or Rouge()
    refs = [c.references for c in cases]
    scores = {}
    for name, summarizer in summarizers.items():
        hyps = [summarizer.summarize(c.text, lang=lang, sentences=sentences, words=words, title=c.title).text
                for c in cases]
        scores[name] = SystemScore(name, rouge.corpus_score(hyps, refs))
    if baseline is not None:
        base = scores[baseline].rouge
        for name, system in scores.items():
            if name != baseline:
                system.delta = {k: bootstrap_ci([100 * (a - b) for a, b in zip(r.per_document, base[k].per_document)],
                                                samples=rouge.samples, seed=rouge.seed)
                                for k, r in system.rouge.items()}
    return list(scores.values())
