"""Sentence compression by deletion, so a short summary reads like a news lead.

Sentences in government news are long for a few structural reasons: a person is
followed by every post they hold ("Đại tướng Tô Lâm, Ủy viên Bộ Chính trị, Bí thư …,
Bộ trưởng Bộ Công an"), a colon or "gồm"/"như" opens a list of goals or attendees,
and documents are cited with their number and date. Each rule below finds one such
span from the sentence's structure and the glossary's kinds (title, rank, org), and the
span is deleted. Nothing is reworded, nothing inside a quotation is touched, and no
rule may delete a predicate, so who did what is never changed. Every deletion is
returned as a :class:`Cut` so a reader can check it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ..glossary import Glossary, TermMatch

TITLE_CHAIN, ENUMERATION, PARENTHETICAL, DOCUMENT_NUMBER = "title-chain", "enumeration", "parenthetical", "document-number"

# Words that open a list of examples or members; a colon does the same in both languages.
_LIST_OPENERS = {"vi": ("gồm", "bao gồm", "như"), "en": ("including", "such as")}
# Kinds that may continue a title item: "Phó trưởng Ban Thường trực" + "Ban Dân vận Trung ương".
_TITLE_PARTS = {"title", "org", "place", "term"}
_MAX_LIST_ITEM_WORDS = 6  # a longer comma item may hold a predicate: the list is left alone
_MIN_LIST_ITEMS = 3

_QUOTE_PAIRS = {"“": "”", "‘": "’", "«": "»"}
_STRAIGHT_QUOTE = '"'
# A document number: digits, then a slash or dash, then a code with a capital letter
# ("38-CTr/BDVTW-BCA", "100/2019/NĐ-CP"), with the "số"/"No." before it and the date of
# the document after it.
_DOCUMENT_NUMBER = re.compile(
    r"(?<!\s)(?:\s+(?:số|No\.))?\s+\d+[-/][\w./-]*[A-ZĐ][\w./-]*(?:\s+(?:ngày|dated)\s+\d{1,2}/\d{1,2}/\d{2,4})?")
# Patterns that open with a run of spaces or stops start only where the run starts:
# tried inside it too, they cost the square of its length.
_PARENTHESES = re.compile(r"(?<!\s)\s*\([^()]*\)")
_SEPARATOR = re.compile(r"(?<!\s)\s*([,;])\s*")
_TERMINAL = re.compile(r"(?<![\s.!?…:;,])[\s.!?…:;,]*$")
_NEXT_WORD = re.compile(r"(?<! ) +([^\s,;:.!?…()]+)")
_LIST_ITEM_SEPARATOR = re.compile(r"(?<!\s)(?:\s*,\s*|\s+(?:và|and)\s+)")


@dataclass(frozen=True)
class Cut:
    """A span deleted from a sentence: offsets into the original sentence, and why."""

    start: int
    end: int
    text: str
    reason: str


@dataclass(frozen=True)
class Compression:
    """A sentence, its compressed form and what was deleted."""

    source: str
    text: str
    cuts: tuple[Cut, ...] = field(default=())


Rule = Callable[[str, list[TermMatch], str], list[tuple[int, int, str]]]


def quoted_spans(sentence: str) -> list[tuple[int, int]]:
    """Spans inside quotation marks. An unclosed quote runs to the end of the sentence,
    and an odd number of straight quotes protects the whole sentence: a quotation that
    started in an earlier sentence cannot be told apart from one that starts here."""
    if sentence.count(_STRAIGHT_QUOTE) % 2:
        return [(0, len(sentence))]
    spans, i = [], 0
    while i < len(sentence):
        ch = sentence[i]
        close = _QUOTE_PAIRS.get(ch, _STRAIGHT_QUOTE if ch == _STRAIGHT_QUOTE else None)
        if close is None:
            apostrophe = 0 < i < len(sentence) - 1 and sentence[i - 1].isalpha() and sentence[i + 1].isalpha()
            if ch in _QUOTE_PAIRS.values() and not apostrophe:  # a quote opened before this sentence
                spans.append((0, i + 1))
            i += 1
            continue
        end = sentence.find(close, i + 1)
        end = len(sentence) if end < 0 else end + 1
        spans.append((i, end))
        i = end
    return spans


def _title_item_end(sentence: str, start: int, terms: dict[int, TermMatch]) -> int | None:
    """End of a title item starting at ``start`` ("Phó trưởng Ban Thường trực Ban Dân vận
    Trung ương"), or None when no glossary title starts there.

    After the title come only glossary bodies, places and titles, and capitalised words:
    Vietnamese verbs are never capitalised, so a predicate is never inside the item. A
    person's name ends it: that is the next person, not this one's post.
    """
    first = terms.get(start)
    if first is None or first.entry.kind != "title":
        return None
    end = first.end
    while word := _NEXT_WORD.match(sentence, end):
        term = terms.get(word.start(1))
        if term is not None and term.entry.kind in _TITLE_PARTS:
            end = term.end
        elif term is None and word.group(1)[0].isupper():
            end = word.end(1)
        else:
            break
    return end


def title_chains(sentence: str, terms: list[TermMatch], lang: str) -> list[tuple[int, int, str]]:
    """Posts listed after a person, all but the last: the rank and name stay, and so does
    the post named last, the one protocol puts last because the person acts in it
    (Party posts come first, the state or agency post last).

    "Đại tướng Tô Lâm, Ủy viên Bộ Chính trị, Bộ trưởng Bộ Công an chủ trì" loses
    ", Ủy viên Bộ Chính trị". The chain ends at the first item that is not a title,
    so the predicate after it is never inside a cut.
    """
    cuts, by_start = [], {t.start: t for t in terms}
    for person in (t for t in terms if t.entry.kind == "person"):
        items: list[tuple[int, int]] = []  # (separator start, item end)
        pos = person.end
        while (sep := _SEPARATOR.match(sentence, pos)) and sep.group(1) == ",":
            end = _title_item_end(sentence, sep.end(), by_start)
            if end is None:
                break
            items.append((sep.start(), end))
            pos = end
        if len(items) > 1:
            cuts.append((items[0][0], items[-1][0], TITLE_CHAIN))
    return cuts


def enumerations(sentence: str, terms: list[TermMatch], lang: str) -> list[tuple[int, int, str]]:
    """A list cut to its head, its first item.

    After a colon, a list whose items are separated by semicolons runs to the end of the
    sentence, so everything from the first semicolon on goes. After "gồm"/"như", a list
    of at least three short comma items that ends the sentence keeps its first item; a
    long item may hold the sentence's verb, so such a list is left alone.
    """
    body_end = _TERMINAL.search(sentence).start()
    cuts = []
    colon = sentence.find(": ")
    if colon >= 0 and (semicolon := sentence.find(";", colon)) >= 0:
        cuts.append((semicolon, body_end, ENUMERATION))
    openers = "|".join(re.escape(o) for o in _LIST_OPENERS.get(lang, ()))
    for opener in re.finditer(rf"(?<!\w)(?:{openers})(?!\w)\s+", sentence, re.IGNORECASE) if openers else ():
        items = _LIST_ITEM_SEPARATOR.split(sentence[opener.end():body_end])
        if len(items) >= _MIN_LIST_ITEMS and all(0 < len(i.split()) <= _MAX_LIST_ITEM_WORDS for i in items):
            first_end = opener.end() + len(items[0])
            cuts.append((first_end, body_end, ENUMERATION))
    return cuts


def parentheticals(sentence: str, terms: list[TermMatch], lang: str) -> list[tuple[int, int, str]]:
    """Text in parentheses, with the space before it; one that opens the sentence stays."""
    return [(m.start(), m.end(), PARENTHETICAL) for m in _PARENTHESES.finditer(sentence) if m.start() > 0]


def document_numbers(sentence: str, terms: list[TermMatch], lang: str) -> list[tuple[int, int, str]]:
    """Document numbers with their "số"/"No." and their date: the document's name stays."""
    return [(m.start(), m.end(), DOCUMENT_NUMBER) for m in _DOCUMENT_NUMBER.finditer(sentence)]


RULES: dict[str, Rule] = {TITLE_CHAIN: title_chains, ENUMERATION: enumerations,
                          PARENTHETICAL: parentheticals, DOCUMENT_NUMBER: document_numbers}


class Compressor:
    """Deletes the spans the rules find, never inside a quotation and never overlapping."""

    def __init__(self, glossary: Glossary | None = None, rules: tuple[str, ...] = tuple(RULES)):
        self.glossary = glossary
        self.rules = [RULES[name] for name in rules]

    def terms(self, sentence: str, lang: str) -> list[TermMatch]:
        if self.glossary is None:
            return []
        return self.glossary.find(sentence, lang, "en" if lang == "vi" else "vi")

    def compress(self, sentence: str, lang: str = "vi") -> Compression:
        terms = self.terms(sentence, lang)
        quoted = quoted_spans(sentence)
        found = sorted((c for rule in self.rules for c in rule(sentence, terms, lang)),
                       key=lambda c: (c[0], -c[1]))
        cuts: list[Cut] = []
        for start, end, reason in found:
            overlaps = cuts and start < cuts[-1].end
            in_quote = any(start < q_end and q_start < end for q_start, q_end in quoted)
            if end > start and not overlaps and not in_quote:
                cuts.append(Cut(start, end, sentence[start:end], reason))
        text, pos = [], 0
        for cut in cuts:
            text.append(sentence[pos:cut.start])
            pos = cut.end
        text.append(sentence[pos:])
        return Compression(sentence, "".join(text), tuple(cuts))
