"""Term success rate (TSR) and term consistency, as in the WMT terminology tasks.

For every source sentence we know which glossary terms it holds and what the output
must contain: from a hand-annotated term test set (``eval/termset/*.tsv``) or, for a
plain source file, from the glossary itself. A term counts as rendered when its
required rendering or an accepted variant appears in the output:

- whole words only ("Police" does not match inside "Policeman"), any run of spaces
  between words, case-insensitive, after NFC and tone-mark folding;
- each occurrence needs its own hit: a term that occurs twice needs two hits, and two
  terms cannot share one span (longer renderings claim their spans first);
- a hit that lies inside a longer glossary rendering in the output is not a hit: when
  the source says "Bộ trưởng" ("Minister"), "Prime Minister" is not a success.

The score is reported in the three modes of the WMT terminology task: without a
glossary, with the glossary, and with a random glossary (see :func:`random_glossary`).
Consistency is the share of terms that occur several times in a document and are
rendered with the same accepted form every time.
"""

from __future__ import annotations

import csv
import io
import random
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from .. import __version__
from ..errors import InputError, MissingInputError
from ..glossary import Entry, Glossary
from ..text import match_key, nfc
from .bootstrap import SAMPLES, SEED, Interval, bootstrap_ci
from .signature import signature

TERMSET_COLUMNS = ("id", "doc", "source", "terms")
MODES = ("none", "glossary", "random")


@dataclass(frozen=True)
class TermRow:
    """One test sentence; ``terms`` are (source term, expected rendering) pairs, in order.

    ``annotated`` is False for sentences read from a plain file, whose terms come from
    the glossary instead.
    """

    id: str
    doc: str
    source: str
    terms: tuple[tuple[str, str], ...] = ()
    annotated: bool = True
    line: int = 0


@dataclass(frozen=True)
class Requirement:
    """One occurrence of a term in a source sentence and what the output must contain."""

    row: int  # index of the sentence
    source: str
    kind: str
    target: str
    accepted: tuple[str, ...]


def read_termset(path: str | Path) -> list[TermRow]:
    """Read a term test set: TSV ``id doc source terms``, terms as ``src=tgt; src=tgt``.

    Lines starting with ``#`` are comments. Errors name the file and the line.
    """
    path = Path(path)
    text = _read(path)
    rows: list[TermRow] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter="\t", quoting=csv.QUOTE_NONE)
    header_seen = False
    for lineno, cells in enumerate(reader, start=1):
        if not cells or cells[0].startswith("#") or not any(c.strip() for c in cells):
            continue
        if not header_seen:
            if tuple(c.strip().lower() for c in cells) != TERMSET_COLUMNS:
                raise InputError(f"{path}:{lineno}: header must be {' | '.join(TERMSET_COLUMNS)} "
                                 f"(tab-separated), got {cells!r}")
            header_seen = True
            continue
        if len(cells) != len(TERMSET_COLUMNS):
            raise InputError(f"{path}:{lineno}: expected 4 tab-separated columns, found {len(cells)}")
        rid, doc, source, terms = (nfc(c.strip()) for c in cells)
        rows.append(TermRow(rid, doc, source, _parse_terms(terms, path, lineno, source), True, lineno))
    if not rows:
        raise InputError(f"{path}: no test sentences (expected a header {' | '.join(TERMSET_COLUMNS)} and rows)")
    duplicates = [k for k, n in Counter(r.id for r in rows).items() if n > 1]
    if duplicates:
        raise InputError(f"{path}: duplicate ids: {', '.join(duplicates[:10])}")
    return rows


def _parse_terms(cell: str, path: Path, lineno: int, source: str) -> tuple[tuple[str, str], ...]:
    pairs = []
    for item in filter(None, (i.strip() for i in cell.split(";"))):
        src_term, sep, target = (p.strip() for p in item.partition("="))
        if not sep or not src_term or not target:
            raise InputError(f"{path}:{lineno}: term {item!r} must be written 'source term=rendering'")
        if match_key(src_term) not in match_key(source):
            raise InputError(f"{path}:{lineno}: term {src_term!r} does not occur in the sentence")
        pairs.append((src_term, target))
    return tuple(pairs)


def read_plain(path: str | Path) -> list[TermRow]:
    """A line-aligned source file as one document of unannotated sentences."""
    path = Path(path)
    return [TermRow(str(i), path.name, nfc(line), (), False, i)
            for i, line in enumerate(_read(path).splitlines(), start=1)]


def read_sentences(path: str | Path) -> list[TermRow]:
    """A term test set (``.tsv``) or a plain line-aligned source file."""
    return read_termset(path) if Path(path).suffix.lower() == ".tsv" else read_plain(path)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise MissingInputError(f"{path}: no such file") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not valid UTF-8 (byte offset {exc.start})") from None


def requirements(rows: Sequence[TermRow], glossary: Glossary, src: str, tgt: str) -> list[Requirement]:
    """What each sentence's output must contain, in sentence order.

    Annotated terms keep their expected rendering; unannotated sentences take their terms
    from the glossary (names included). Either way a term is also satisfied by every
    rendering the glossary gives for the same source term: the variants, and for en->vi
    the other rows that share the English side ("Director" is "Cục trưởng" or "Vụ
    trưởng"). A term the glossary does not know has kind ``?``.
    """
    renderings: dict[str, list[str]] = defaultdict(list)
    for entry in glossary.entries:
        renderings[match_key(entry.side(src))].extend(entry.accepted(tgt))
    out: list[Requirement] = []
    for i, row in enumerate(rows):
        if not row.annotated:
            out.extend(Requirement(i, m.text, m.entry.kind, m.target,
                                   _dedupe((*m.accepted, *renderings.get(match_key(m.text), ()))))
                       for m in glossary.find(row.source, src, tgt))
            continue
        for term, target in row.terms:
            found = glossary.find(term, src, tgt)
            whole = found[0] if len(found) == 1 and match_key(found[0].text) == match_key(term) else None
            others = (*whole.accepted, *renderings.get(match_key(term), ())) if whole else ()
            out.append(Requirement(i, term, whole.entry.kind if whole else "?", target, _dedupe((target, *others))))
    return out


def _dedupe(forms: Iterable[str]) -> tuple[str, ...]:
    """Forms in order, without repeats that differ only by case or tone-mark position."""
    first: dict[str, str] = {}
    for form in forms:
        first.setdefault(match_key(form), form)
    return tuple(first.values())


def random_glossary(glossary: Glossary, tgt: str, seed: int = SEED) -> Glossary:
    """The glossary with its ``tgt`` renderings shuffled among entries of the same kind.

    WMT 2023 built its random terminology from word alignments of the references; we
    have none, so ours keeps exactly the same source terms (the same spans are masked)
    and gives each a wrong rendering of the same kind. The gap between the glossary
    and random modes is then the part of the score owed to the glossary's content
    rather than to the mechanism. A kind with one entry keeps it unchanged.
    """
    rng = random.Random(seed)
    by_kind: dict[str, list[int]] = defaultdict(list)
    for i, entry in enumerate(glossary.entries):
        by_kind[entry.kind].append(i)
    entries = list(glossary.entries)
    for indices in by_kind.values():
        order = indices[:]
        rng.shuffle(order)
        rotated = order[1:] + order[:1]  # a cycle: no entry keeps its own rendering
        for mine, theirs in zip(order, rotated):
            entries[mine] = _with_rendering(glossary.entries[mine], glossary.entries[theirs], tgt)
    return Glossary(entries, name=f"{glossary.name}-random-seed{seed}")


def _with_rendering(entry: Entry, donor: Entry, tgt: str) -> Entry:
    if tgt == "en":
        return replace(entry, en=donor.en, variants=donor.variants)
    return replace(entry, vi=donor.vi)


def _span_pattern(phrase: str) -> re.Pattern:
    words = [re.escape(w) for w in match_key(phrase).split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)")


class TermMatcher:
    """Decides, sentence by sentence, which required renderings an output contains."""

    def __init__(self, glossary: Glossary, src: str, tgt: str):
        self.glossary, self.src, self.tgt = glossary, src, tgt
        self._entries = set(glossary.entries)
        self._patterns: dict[str, re.Pattern] = {}

    def _pattern(self, phrase: str) -> re.Pattern:
        if phrase not in self._patterns:
            self._patterns[phrase] = _span_pattern(phrase)
        return self._patterns[phrase]

    def check(self, output: str, reqs: Sequence[Requirement]) -> list[str | None]:
        """For each requirement, the accepted form found in ``output`` (folded), or None."""
        text = nfc(output)
        key = match_key(text)
        longer = [(m.start, m.end) for m in self.glossary.find(text, self.tgt, self.src) if m.entry in self._entries]
        taken: list[tuple[int, int]] = []
        found: list[str | None] = [None] * len(reqs)
        order = sorted(range(len(reqs)), key=lambda i: -max(len(a) for a in reqs[i].accepted))
        for i in order:
            for form in sorted(reqs[i].accepted, key=len, reverse=True):
                hit = next((h.span() for h in self._pattern(form).finditer(key)
                            if not any(a < h.end() and h.start() < b for a, b in taken)
                            and not any(s <= h.start() and h.end() <= e and e - s > h.end() - h.start()
                                        for s, e in longer)), None)
                if hit:
                    taken.append(hit)
                    found[i] = match_key(form)
                    break
        return found


@dataclass
class TermMiss:
    """A term that was not rendered at least once: the per-term breakdown of misses."""

    target: str
    source: str
    kind: str
    missed: int
    total: int
    sentences: list[str] = field(default_factory=list)  # ids of sentences where it was missed

    def to_dict(self) -> dict:
        return {"target": self.target, "source": self.source, "kind": self.kind, "missed": self.missed,
                "total": self.total, "sentences": self.sentences[:10]}


@dataclass
class TermScore:
    """Term success rate (percent, with a bootstrap interval over sentences) and consistency."""

    mode: str
    tsr: Interval | None
    hits: int
    total: int
    consistent: int
    repeated: int
    by_kind: dict[str, tuple[int, int]]
    misses: list[TermMiss]
    signature: str
    glossary: str | None = None  # the glossary the system translated with (name@sha)

    @property
    def consistency(self) -> float | None:
        return 100 * self.consistent / self.repeated if self.repeated else None

    def to_dict(self) -> dict:
        tsr = None if self.tsr is None else round(self.tsr.mean, 2)
        ci = None if self.tsr is None else [round(self.tsr.low, 2), round(self.tsr.high, 2)]
        consistency = None if self.consistency is None else round(self.consistency, 2)
        return {"mode": self.mode, "glossary": self.glossary, "tsr": tsr, "ci95": ci, "hits": self.hits,
                "total": self.total, "consistency": consistency, "consistent": self.consistent,
                "repeated": self.repeated,
                "by_kind": {k: {"hits": h, "total": t} for k, (h, t) in sorted(self.by_kind.items())},
                "misses": [m.to_dict() for m in self.misses], "signature": self.signature}


class TermSuccessRate:
    """Scores outputs against term requirements; the matching rules are in the signature."""

    def __init__(self, glossary: Glossary, src: str, tgt: str, *, samples: int = SAMPLES, seed: int = SEED):
        self.glossary, self.src, self.tgt = glossary, src, tgt
        self.samples, self.seed = samples, seed
        self.matcher = TermMatcher(glossary, src, tgt)

    def get_signature(self, source: str = "annotated") -> str:
        return signature("TSR", glossary=f"{self.glossary.name}@{self.glossary.sha}", dir=f"{self.src}-{self.tgt}",
                         terms=source, match="exact-word", case="insensitive", nfc=True, tone="folded",
                         variants=True, nested="longest", bs=self.samples, seed=self.seed, version=__version__)

    def score(self, rows: Sequence[TermRow], outputs: Sequence[str], mode: str = "glossary",
              used: Glossary | None = None) -> TermScore:
        """Score ``outputs`` (one per row) in ``mode``; ``used`` is the glossary the system had."""
        if len(rows) != len(outputs):
            raise ValueError(f"{len(rows)} sentences but {len(outputs)} outputs")
        reqs = requirements(rows, self.glossary, self.src, self.tgt)
        per_row: dict[int, list[int]] = defaultdict(list)
        for k, req in enumerate(reqs):
            per_row[req.row].append(k)
        found: list[str | None] = [None] * len(reqs)
        for row, ks in per_row.items():
            for k, form in zip(ks, self.matcher.check(outputs[row], [reqs[k] for k in ks])):
                found[k] = form
        hits = sum(f is not None for f in found)
        rates = [(sum(found[k] is not None for k in ks) / len(ks), len(ks)) for ks in per_row.values()]
        tsr = bootstrap_ci([100 * r for r, _ in rates], [w for _, w in rates], samples=self.samples,
                           seed=self.seed) if rates else None
        consistent, repeated = _consistency(rows, reqs, found)
        annotated = {r.annotated for r in rows}
        source = "annotated" if annotated == {True} else "glossary" if annotated == {False} else "mixed"
        return TermScore(mode, tsr, hits, len(reqs), consistent, repeated, _by_kind(reqs, found),
                         _misses(rows, reqs, found), self.get_signature(source),
                         None if used is None else f"{used.name}@{used.sha}")


def _consistency(rows: Sequence[TermRow], reqs: Sequence[Requirement],
                 found: Sequence[str | None]) -> tuple[int, int]:
    """(terms rendered one way throughout their document, terms occurring twice or more)."""
    forms: dict[tuple[str, str], list[str | None]] = defaultdict(list)
    for req, form in zip(reqs, found):
        forms[(rows[req.row].doc, match_key(req.target))].append(form)
    repeated = [fs for fs in forms.values() if len(fs) > 1]
    return sum(None not in fs and len(set(fs)) == 1 for fs in repeated), len(repeated)


def _by_kind(reqs: Iterable[Requirement], found: Sequence[str | None]) -> dict[str, tuple[int, int]]:
    hits: Counter = Counter()
    total: Counter = Counter()
    for req, form in zip(reqs, found):
        total[req.kind] += 1
        hits[req.kind] += form is not None
    return {k: (hits[k], total[k]) for k in total}


def _misses(rows: Sequence[TermRow], reqs: Sequence[Requirement], found: Sequence[str | None]) -> list[TermMiss]:
    groups: dict[str, TermMiss] = {}
    for req, form in zip(reqs, found):
        miss = groups.setdefault(match_key(req.target), TermMiss(req.target, req.source, req.kind, 0, 0))
        miss.total += 1
        if form is None:
            miss.missed += 1
            miss.sentences.append(rows[req.row].id)
    return sorted((m for m in groups.values() if m.missed), key=lambda m: (-m.missed, m.target))
