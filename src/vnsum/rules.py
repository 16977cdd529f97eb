"""Glossary rules: rows whose terms have slots, for names a list cannot hold.

"Công an tỉnh {place}" → "{place} Provincial Police" covers every province with one row,
and "Đại hội Đảng toàn quốc lần thứ {ordinal}" → "{ordinal} National Party Congress"
every congress. A rule is an ordinary glossary row with slots in both columns; each slot
is filled from the text by the :data:`SLOTS` registry, read either way round, so the
same row serves vi->en and en->vi ("{place} Provincial Police" opens with its slot).
Rules are matched longest first alongside the glossary's own entries; an entry wins a
tie, so "Công an Thành phố Hà Nội" keeps its listed rendering.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from .text import match_key

if TYPE_CHECKING:
    from .glossary import Entry

SLOT = re.compile(r"\{(\w[\w-]*)\}")
Token = tuple[str, int, int]  # (folded token, start, end)


class Scan(Protocol):
    """What a slot reads: the folded tokens of a text and the direction."""

    toks: list[Token]
    src: str
    tgt: str


# A slot filler: (scan, token index) -> (end index, renderings in the target) per way to fill.
Finder = Callable[[Scan, int], list[tuple[int, tuple[str, ...]]]]

_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
_EN_WORDS = ("first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth "
             "fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth").split()
# Vietnamese counting words as they follow "lần thứ" ("lần thứ tám", "lần thứ tư"), and
# the units after "mười" ("mười lăm": 15).
_VI_WORDS = {match_key(w): n for w, n in (
    ("nhất", 1), ("hai", 2), ("ba", 3), ("tư", 4), ("bốn", 4), ("năm", 5), ("sáu", 6), ("bảy", 7),
    ("tám", 8), ("chín", 9), ("mười", 10))}
_VI_UNITS = {**{w: n for w, n in _VI_WORDS.items() if n < 10}, match_key("một"): 1, match_key("lăm"): 5}


def roman(n: int) -> str:
    """``n`` in Roman numerals, as Vietnamese writes Party congresses and terms ("XIII")."""
    out = []
    for value, digits in ((100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"),
                          (4, "IV"), (1, "I")):
        count, n = divmod(n, value)
        out.append(digits * count)
    return "".join(out)


def _from_roman(token: str) -> int | None:
    if not token or any(ch not in _ROMAN for ch in token):
        return None
    values = [_ROMAN[ch] for ch in token]
    n = sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))
    return n if 0 < n < 200 and roman(n).lower() == token else None


def ordinal_suffix(n: int) -> str:
    """English ordinal with a suffix, as VNA writes congresses: 13th, 21st, 112th."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _vi_number(tokens: Sequence[Token], i: int) -> tuple[int, int] | None:
    """A number written in Vietnamese at token ``i`` (13, XIII, tám): (value, end index)."""
    tok = tokens[i][0]
    if tok.isdigit():
        return int(tok), i + 1
    if (n := _from_roman(tok)) is not None:
        return n, i + 1
    if tok == "mười" and i + 1 < len(tokens) and tokens[i + 1][0] in _VI_UNITS:
        return 10 + _VI_UNITS[tokens[i + 1][0]], i + 2
    return (_VI_WORDS[tok], i + 1) if tok in _VI_WORDS else None


def _en_number(tokens: Sequence[Token], i: int) -> tuple[int, int] | None:
    """An English ordinal at token ``i`` ("13th", "eighth"): (value, end index)."""
    tok = tokens[i][0]
    if m := re.fullmatch(r"(\d+)(st|nd|rd|th)", tok):
        return int(m.group(1)), i + 1
    return (_EN_WORDS.index(tok) + 1, i + 1) if tok in _EN_WORDS else None


def _number_slot(vi_form: Callable[[int], str], en_forms: Callable[[int], tuple[str, ...]]) -> Finder:
    """A slot holding a number, written ``vi_form(n)`` in Vietnamese and ``en_forms(n)`` in English."""
    def find(scan: Scan, i: int) -> list[tuple[int, tuple[str, ...]]]:
        read = (_vi_number if scan.src == "vi" else _en_number)(scan.toks, i)
        if read is None or not 0 < read[0] < 200:
            return []
        n, end = read
        return [(end, (vi_form(n),) if scan.tgt == "vi" else en_forms(n))]
    return find


def _word_or_suffix(n: int) -> tuple[str, ...]:
    return (_EN_WORDS[n - 1], ordinal_suffix(n)) if n <= len(_EN_WORDS) else (ordinal_suffix(n),)


# Number slots; ``{place}`` is filled by the glossary itself (its place entries).
SLOTS: dict[str, Finder] = {
    # "khóa XIII", "lần thứ XII" <-> "13th", "12th"
    "ordinal": _number_slot(roman, lambda n: (ordinal_suffix(n),)),
    # "Hội nghị Trung ương 8", "lần thứ tám" <-> "eighth" (or "8th")
    "nth": _number_slot(str, _word_or_suffix),
}
PLACE = "place"


@dataclass(frozen=True)
class Part:
    """A piece of a rule's term: literal folded tokens, or one slot."""

    tokens: tuple[str, ...] = ()
    slot: str = ""


@dataclass(frozen=True)
class Rule:
    """A glossary row with slots; ``entry`` is the row as written."""

    entry: Entry

    def parts(self, lang: str, tokenize: Callable[[str], list[str]]) -> tuple[Part, ...]:
        """The ``lang`` term cut into literal tokens (as ``tokenize`` folds them) and slots."""
        out: list[Part] = []
        pos, form = 0, self.entry.side(lang)
        for m in SLOT.finditer(form):
            if literal := tuple(tokenize(form[pos:m.start()])):
                out.append(Part(literal))
            out.append(Part(slot=m.group(1)))
            pos = m.end()
        if literal := tuple(tokenize(form[pos:])):
            out.append(Part(literal))
        return tuple(out)

    def render(self, lang: str, fills: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
        """Every accepted ``lang`` form with the slots filled: preferred first."""
        forms = self.entry.accepted(lang) if lang == "en" else (self.entry.vi,)
        out: list[str] = []
        for form in forms:
            variants = [form]
            for name, values in fills.items():
                variants = [v.replace(f"{{{name}}}", value) for v in variants for value in values]
            out.extend(variants)
        return tuple(dict.fromkeys(out))


def slots_problem(entry: Entry) -> str | None:
    """Why a row with slots cannot be a rule, or None when it can."""
    vi, en = (tuple(SLOT.findall(side)) for side in (entry.vi, entry.en))
    unknown = sorted({s for s in (*vi, *en) if s not in SLOTS and s != PLACE})
    if unknown:
        return f"unknown slot(s) {', '.join('{' + s + '}' for s in unknown)}; slots are " + \
               ", ".join("{" + s + "}" for s in (PLACE, *SLOTS))
    if sorted(vi) != sorted(en) or len(set(vi)) != len(vi):
        return "the vi and en columns must hold the same slots, each once"
    if any(sorted(SLOT.findall(v)) != sorted(en) for v in entry.variants):
        return "every variant must hold the same slots as the en column"
    if not SLOT.sub("", entry.vi).strip() or not SLOT.sub("", entry.en).strip():
        return "a rule needs at least one word besides its slots"
    return None
