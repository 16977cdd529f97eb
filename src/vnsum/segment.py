"""Split documents into lines and sentences, and over-long sentences into clauses.

A translated article must keep the shape of the original: every line break and blank
line comes back where it was, headings and photo captions stay on their own line, and
the sentences of a paragraph are re-joined with the whitespace that separated them.
Splitting is rule-based on purpose: this genre is full of abbreviations ("TP.HCM",
"PGS.TS."), dotted numbers ("1.000.000") and dates ("14/4/2022") that statistical
splitters trained on other text break on, and a rule can be read and fixed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from .names import looks_like_byline

# Abbreviations after which a period does not end a sentence, lower case, no period.
_ABBREVIATIONS = {
    "vi": {
        "tp", "tt", "q", "p", "tx", "h", "gs", "pgs", "ts", "ths", "th", "s", "bs", "ks",
        "cn", "ncs", "đ/c", "đc", "ubnd", "hđnd", "st", "tr", "vd", "v.v", "tk", "ct",
    },
    "en": {
        "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "sgt", "st",
        "no", "nos", "vs", "etc", "e.g", "i.e", "jan", "feb", "mar", "apr", "jun", "jul",
        "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.k", "inc", "ltd", "co", "jr",
        "sr", "dept", "gov", "assoc", "approx", "fig", "p", "pp", "vol",
    },
}

# A candidate boundary: terminal punctuation, optional closing quotes/brackets, spaces.
_BOUNDARY = re.compile(r"(?:\.{3}|[.!?…])+[\"”’»)\]]*(?=\s)")
# What may start the next sentence: a capital or a digit, perhaps after a quote or dash.
_SENTENCE_START = re.compile(r"\s+(?=[\"“‘«(\[\-–—]?\s?(\w))")
_QUOTED = re.compile(r"“[^“”]*”|\"[^\"\n]*\"")


@dataclass
class Line:
    """One line of a document: its sentences and the exact whitespace around them."""

    kind: str  # "blank", "text" or "byline"
    sentences: list[str] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)  # leading, between sentences, trailing
    raw: str = ""  # the whole line as written, without its line ending
    ending: str = ""

    def render(self, targets: list[str]) -> str:
        """Put ``targets`` (one per sentence) back between the original gaps."""
        if self.kind == "blank":
            return self.raw + self.ending
        parts = [self.gaps[0]]
        for target, gap in zip(targets, self.gaps[1:]):
            parts.extend((target, gap))
        return "".join(parts) + self.ending


@dataclass
class Document:
    """A document as lines; ``sentences`` flattens them in reading order."""

    lines: list[Line]

    @property
    def sentences(self) -> list[str]:
        return [s for line in self.lines for s in line.sentences]

    def render(self, targets: list[str]) -> str:
        """Rebuild the document with ``targets`` in place of its sentences, in order."""
        it: Iterator[str] = iter(targets)
        return "".join(line.render([next(it) for _ in line.sentences]) for line in self.lines)


def _is_abbreviation(token: str, lang: str) -> bool:
    known = _ABBREVIATIONS.get(lang, set())
    word = token.lower().rstrip(".")
    if word in known:
        return True
    parts = [p for p in word.split(".") if p]
    # "PGS.TS." and "Th.S." are chains of known titles; "TP.HCM." ends a sentence.
    if len(parts) > 1 and all(p in known for p in parts):
        return True
    # English initials ("J. Smith"); Vietnamese uses "Nguyễn Văn A." for anonymous people.
    return lang == "en" and len(word) == 1 and word.isalpha()


def split_sentences(text: str, lang: str = "vi") -> list[str]:
    """Split one paragraph into sentences; joining them with single spaces restores it
    up to whitespace (use :func:`split_line` to keep the exact gaps)."""
    return split_line(text, lang).sentences


def split_line(raw: str, lang: str = "vi", ending: str = "") -> Line:
    """Split a line into sentences, remembering every gap so the line can be rebuilt."""
    if not raw.strip():
        return Line(kind="blank", raw=raw, ending=ending)
    protected = [m.span() for m in _QUOTED.finditer(raw)]
    cuts: list[tuple[int, int]] = []  # (end of sentence, start of next)
    for m in _BOUNDARY.finditer(raw):
        end = m.end()
        if any(a < end < b for a, b in protected):
            continue
        nxt = _SENTENCE_START.match(raw, end)
        if not nxt or not (nxt.group(1).isupper() or nxt.group(1).isdigit()):
            continue
        if raw[m.start()] == "." and not m.group().startswith("..."):
            token = raw[:m.start() + 1].split()[-1] if raw[:m.start() + 1].split() else ""
            if _is_abbreviation(token, lang):
                continue
        cuts.append((end, nxt.end()))
    start = len(raw) - len(raw.lstrip())
    gaps, sentences = [raw[:start]], []
    for end, next_start in cuts:
        sentences.append(raw[start:end])
        gaps.append(raw[end:next_start])
        start = next_start
    body_end = len(raw.rstrip())
    sentences.append(raw[start:body_end])
    gaps.append(raw[body_end:])
    return Line(kind="text", sentences=sentences, gaps=gaps, raw=raw, ending=ending)


def split_document(text: str, lang: str = "vi") -> Document:
    """Split ``text`` (already NFC) into lines and sentences.

    Short name-only lines after the last sentence of the body are marked "byline" so
    they are rendered as names rather than sent to the model as sentences.
    """
    lines = []
    for chunk in text.splitlines(keepends=True):
        body = chunk.rstrip("\r\n")
        lines.append(split_line(body, lang, chunk[len(body):]))
    last_body = max(
        (i for i, line in enumerate(lines) if line.kind == "text" and line.raw.rstrip()[-1:] in ".!?…”\""),
        default=-1,
    )
    for line in lines[last_body + 1:]:
        if line.kind == "text" and lang == "vi" and looks_like_byline(line.raw.strip()):
            line.kind = "byline"
    return Document(lines)


# Clause boundaries for over-long sentences, strongest first. Each pattern matches the
# text that stays at the end of the left-hand piece.
_CLAUSE_BOUNDARIES = [
    re.compile(r"[.!?…]\s+"),
    re.compile(r";\s+"),
    re.compile(r"\s+[—–-]\s+"),
    re.compile(r":\s+"),
    re.compile(r",\s+"),
    re.compile(r"\s+(?=(?:và|nhưng|nhằm|để|trong khi|and|but|which|while|whereas)\s)"),
    re.compile(r"\s+"),
]


def split_long(sentence: str, fits: Callable[[str], bool]) -> list[str]:
    """Cut ``sentence`` into pieces that each satisfy ``fits`` (the model's input limit).

    Cuts go at the strongest clause boundary nearest the middle and recurse, so pieces
    stay balanced and meaningful. ``"".join(result) == sentence``: nothing is dropped,
    and a run with no boundary at all (a 5,000-character token) is cut by characters.
    """
    if fits(sentence) or len(sentence) < 2:
        return [sentence]
    middle = len(sentence) / 2
    for pattern in _CLAUSE_BOUNDARIES:
        cuts = [m.end() for m in pattern.finditer(sentence) if 0 < m.end() < len(sentence)]
        if cuts:
            cut = min(cuts, key=lambda c: abs(c - middle))
            break
    else:
        cut = len(sentence) // 2
    return split_long(sentence[:cut], fits) + split_long(sentence[cut:], fits)
