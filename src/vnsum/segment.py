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
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from .chrome import chrome_lines
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

# A candidate boundary: a whole run of terminal punctuation, optional closing quotes or
# brackets, then a space. One character class, tried only where a run starts: an
# ellipsis spelled as an alternative of its own ("\.{3}|[.]") gave a run of n dots
# 1.43**n ways to split, and a dot leader ("Họ và tên:......") froze the splitter.
_BOUNDARY = re.compile(r"(?<![.!?…])[.!?…]+[\"”’»)\]]*(?=\s)")
# What may start the next sentence: a capital or a digit, perhaps after a quote or dash.
# A pattern that opens with a run of spaces starts only where the run starts ("(?<!\s)"):
# tried inside the run too, 10,000 tabs cost 50 million steps for nothing.
_SENTENCE_START = re.compile(r"(?<!\s)\s+(?=[\"“‘«(\[\-–—]?\s?(\w))")
_QUOTED = re.compile(r"“[^“”]*”|\"[^\"\n]*\"")
# No sentence is longer: a line without punctuation (a dump, a failed extraction) is cut
# at clause boundaries, so no unit of work grows with the document.
MAX_SENTENCE_CHARS = 5000
# No abbreviation is longer; a longer token before a period is not looked up.
_MAX_TOKEN = 32
_SPACES = re.compile(r"\s*")
_URL_OR_EMAIL = re.compile(r"(?:https?://|www\.)\S+|(?<![\w.+-])[\w.+-]+@[\w-]+\.[\w.-]+", re.IGNORECASE)


@dataclass
class Line:
    """One line of a document: its sentences and the exact whitespace around them."""

    kind: str  # "blank", "text", "byline" or "chrome" (site navigation: kept as written, no sentences)
    sentences: list[str] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)  # leading, between sentences, trailing
    raw: str = ""  # the whole line as written, without its line ending
    ending: str = ""

    def render(self, targets: list[str]) -> str:
        """Put ``targets`` (one per sentence) back between the original gaps."""
        if not self.sentences:  # a blank line, or site chrome kept as it is
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
    """Split a line into sentences, remembering every gap so the line can be rebuilt.

    Linear in the length of the line, so a 10 MB line is no harder than many short ones.
    """
    if not raw.strip():
        return Line(kind="blank", raw=raw, ending=ending)
    protected = [m.span() for m in _QUOTED.finditer(raw)]
    starts = [a for a, _ in protected]
    cuts: list[tuple[int, int]] = []  # (end of sentence, start of next)
    for m in _BOUNDARY.finditer(raw):
        end = m.end()
        inside = bisect_right(starts, end - 1) - 1
        if inside >= 0 and end < protected[inside][1]:
            continue
        nxt = _SENTENCE_START.match(raw, end)
        if not nxt or not (nxt.group(1).isupper() or nxt.group(1).isdigit()):
            continue
        if raw[m.start()] == "." and not m.group().startswith("..."):
            if _is_abbreviation(_token_before(raw, m.start() + 1), lang):
                continue
        cuts.append((end, nxt.end()))
    start = len(raw) - len(raw.lstrip())
    gaps, sentences = [raw[:start]], []
    for end, next_start in cuts:
        _add_capped(raw[start:end], raw[end:next_start], sentences, gaps)
        start = next_start
    body_end = len(raw.rstrip())
    _add_capped(raw[start:body_end], raw[body_end:], sentences, gaps)
    return Line(kind="text", sentences=sentences, gaps=gaps, raw=raw, ending=ending)


def _token_before(raw: str, end: int) -> str:
    """The whitespace-delimited token ending at ``end``; "" when it is too long to matter."""
    start = end
    while start > 0 and not raw[start - 1].isspace():
        start -= 1
        if end - start > _MAX_TOKEN:
            return ""
    return raw[start:end]


def _add_capped(sentence: str, gap_after: str, sentences: list[str], gaps: list[str]) -> None:
    """Append ``sentence`` (cut into pieces of at most MAX_SENTENCE_CHARS) and the gap after it."""
    start = 0
    while len(sentence) - start > MAX_SENTENCE_CHARS:
        cut = _clause_cut(sentence, start)
        piece, following = sentence[start:cut], _SPACES.match(sentence, cut).end()
        body = piece.rstrip()
        sentences.append(body)  # a piece starts at a non-space, so it is never blank
        gaps.append(piece[len(body):] + sentence[cut:following])
        start = following
    sentences.append(sentence[start:])
    gaps.append(gap_after)


def _clause_cut(sentence: str, start: int) -> int:
    """Where to end the piece that starts at ``start``: the strongest clause boundary in the
    second half of the next MAX_SENTENCE_CHARS characters, else a hard cut."""
    window = sentence[start:start + MAX_SENTENCE_CHARS]
    for pattern in _CLAUSE_BOUNDARIES:
        ends = [m.end() for m in pattern.finditer(window, MAX_SENTENCE_CHARS // 2)]
        if ends:
            return start + ends[-1]
    return start + MAX_SENTENCE_CHARS


def is_verbatim(sentence: str) -> bool:
    """True for a sentence a model must not rewrite: nothing but numbers, dates,
    punctuation, links and e-mail addresses."""
    return not any(ch.isalpha() for ch in _URL_OR_EMAIL.sub("", sentence))


def split_document(text: str, lang: str = "vi") -> Document:
    """Split ``text`` (already NFC) into lines and sentences.

    Short name-only lines after the last sentence of the body are marked "byline" so
    they are rendered as names rather than sent to the model as sentences. Site chrome
    (:mod:`vnsum.chrome`: counters, menus, share buttons, related-article lists) is
    marked "chrome" and holds no sentences: it is kept as written, never translated or
    summarized.
    """
    chunks = text.splitlines(keepends=True)
    bodies = [chunk.rstrip("\r\n") for chunk in chunks]
    chrome = chrome_lines(bodies)
    lines = [Line(kind="chrome", raw=body, ending=chunk[len(body):]) if i in chrome
             else split_line(body, lang, chunk[len(body):]) for i, (chunk, body) in enumerate(zip(chunks, bodies))]
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
    re.compile(r"(?<!\s)\s+[—–-]\s+"),
    re.compile(r":\s+"),
    re.compile(r",\s+"),
    re.compile(r"(?<!\s)\s+(?=(?:và|nhưng|nhằm|để|trong khi|and|but|which|while|whereas)\s)"),
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


def split_clauses(sentence: str, shortest: int = 30) -> list[str]:
    """``sentence`` cut at its sentence, semicolon, dash, colon and comma boundaries into
    clauses, none cut shorter than about ``shortest`` characters: what a small model
    translates whole when it drops part of the sentence. ``"".join(result) == sentence``."""
    strong = _CLAUSE_BOUNDARIES[:5]
    pieces = split_long(sentence, lambda piece: len(piece) < 2 * shortest
                        or not any(b.search(piece.strip()) for b in strong))
    clauses: list[str] = []
    for piece in pieces:  # "Năm 2025, " is no clause to translate alone: it joins the next
        if clauses and len(clauses[-1]) < shortest:
            clauses[-1] += piece
        else:
            clauses.append(piece)
    if len(clauses) > 1 and len(clauses[-1]) < shortest:
        clauses[-2:] = [clauses[-2] + clauses[-1]]
    return clauses
