"""What a translation left out, found without the model: the reader's list of what to check.

A small model drops things silently: a number, a name, a quoted sentence, the second
half of a long sentence. These checks compare each source sentence with its output by
rule, in both directions, and name what is missing, so a reader knows which sentences
to check and for what:

- numbers (dates, amounts, document numbers): every number of the source must be in
  the output as a value, whichever marks the language uses ("1.200" = "1,200"; "2
  triệu" = "2 million" = "2,000,000"; "tháng 4" = "April"; "ba" and "three" count);
- Vietnamese personal and place names (:mod:`vnsum.names`), compared without
  diacritics and spaces ("Hà Nội" = "Hanoi", "Bùi Thị Minh Hoài" = "Bui Thi Minh Hoai");
- quoted spans: the output must quote as many times as the source;
- clauses: a clause of the source of which the output has hardly a word's translation
  (:mod:`vnsum.lexicon`), when the output is also shorter than translations usually are;
- the length of the output against the source's, outside the range the training data
  allows (:data:`LENGTH_RATIO`): what is left when most of a sentence goes missing.

Glossary terms are checked where they are enforced (:mod:`vnsum.enforce`), and a piece
of a cut sentence that came back empty is named by the Translator (``missing: clause
2``); both end up in the same list of flags.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

from . import lexicon
from .literals import MONTHS
from .names import SURNAMES
from .segment import split_clauses
from .text import strip_diacritics

# The output's length in characters over the source's, per direction: the 1st, 50th and
# 99th percentiles over the training pairs (train-vi-en) whose source has at least
# MIN_RATIO_CHARS characters; `python eval/omission_check.py fit-length` prints them.
LENGTH_RATIO = {("vi", "en"): (0.56, 0.92, 1.41), ("en", "vi"): (0.67, 1.07, 1.63)}
MIN_RATIO_CHARS = 40
# A clause is missing when the lexicon knows at least CLAUSE_WORDS of its words and finds
# fewer than CLAUSE_COVERED of them translated, in an output shorter than CLAUSE_SHORTER
# times the median length: measured on deletions from references (eval/README.md §7).
CLAUSE_WORDS, CLAUSE_COVERED, CLAUSE_SHORTER = 4, 0.25, 0.9
CLAUSE_SHORTEST = 12  # characters: split_clauses' shortest piece for this check

# A number as written, with thousands marks or decimals in either language's style.
_NUMBER = re.compile(r"(?<![\d.,])\d+(?:[.,]\d+)*")
_SCALES = {"nghìn": 10**3, "ngàn": 10**3, "thousand": 10**3, "triệu": 10**6, "million": 10**6,
           "tỷ": 10**9, "tỉ": 10**9, "billion": 10**9}
_SCALE_AFTER = re.compile(r" ?(" + "|".join(_SCALES) + r")\b", re.IGNORECASE)
_CLOCK_AFTER = re.compile(r" ?[ap]\.?m\b", re.IGNORECASE)  # "9.40 a.m." is 9 and 40, as "9 giờ 40"
_YEAR_BEFORE = re.compile(r"(\d\d)\d\d[–-]$")  # the "20" of "2019–20" is 2020
_NUMBER_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split())} | {
    w: i for i, w in enumerate("không một hai ba bốn năm sáu bảy tám chín mười".split())} | {
    w: i for i, w in enumerate("zeroth first second third fourth fifth sixth seventh eighth ninth tenth "
                               "eleventh twelfth".split())} | {
    "tư": 4, "mốt": 1, "a": 1, "an": 1, "once": 1, "twice": 2}
_WORDS = re.compile(r"[^\W\d_]+")
_ROMAN = re.compile(r"\b[IVXLC]{2,7}\b")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_QUOTE = re.compile(r"“[^“”]*”|\"[^\"\n]*\"|«[^«»]*»|‘[^‘’]*’|(?<!\w)'[^'\n]+'(?!\w)")
_MONTH_WORDS = {m.lower(): i for i, m in enumerate(MONTHS, 1)}
# One syllable a Vietnamese name can have once its diacritics are gone: an English
# capitalised word ("Prime", "Street") is not one, so "Thai Prime Minister" is no name.
_SYLLABLE = re.compile(r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?"
                       r"[aeiouy]{1,3}(?:ng|nh|ch|[cmnpt])?", re.IGNORECASE)
# A word of letters only, as names are written (no digits, hyphens or apostrophes in it).
_LETTERS = re.compile(r"(?<![\w'-])[^\W\d_]+(?![\w'-])")
_ADDRESS = {"vi": frozenset({"ông", "bà", "anh", "chị", "đồng chí"}),
            "en": frozenset({"mr", "mr.", "ms", "ms.", "mrs", "mrs.", "comrade"})}
# Places led by a family name that English calls otherwise (oceans; "Hồ Chí Minh" is also HCMC).
_EXONYMS = frozenset({"Thái Bình Dương", "Đại Tây Dương", "Ấn Độ Dương", "Hồ Chí Minh"})
_SURNAMES = {"vi": frozenset(s.capitalize() for s in SURNAMES),
             "en": frozenset(strip_diacritics(s).capitalize() for s in SURNAMES)}


def omissions(source: str, output: str, src: str, tgt: str) -> list[str]:
    """Flags for what ``output`` lacks of ``source`` (empty: nothing found missing)."""
    if not any(ch.isalpha() for ch in output):
        return ["missing: everything"] if any(ch.isalpha() for ch in source) else []
    flags = [f'missing: "{n}"' for n in missing_numbers(source, output, src, tgt)]
    flags += [f'missing: name "{n}"' for n in missing_names(source, output, src)]
    quoted = _QUOTE.findall(source)
    if len(_QUOTE.findall(output)) < len(quoted):
        flags.append(f"missing: quote {_short(quoted[-1])}")
    flags += [f"missing: clause {_short(clause.strip())}" for clause in missing_clauses(source, output, src, tgt)]
    ratio = length_flag(source, output, src, tgt)
    return flags + ([ratio] if ratio else [])


def left_out(flags: Iterable[str]) -> list[str]:
    """The flags that say something was left out (not ``long:``, which no retry in
    clauses can mend: a runaway output is :mod:`vnsum.degenerate`'s to catch)."""
    return [f for f in flags if f.startswith(("missing:", "short:"))]


def missing_numbers(source: str, output: str, src: str, tgt: str) -> list[str]:
    """The numbers of ``source`` (as written there) whose value ``output`` does not have."""
    found = set().union(*(values for _, values in _numbers(output, tgt)), _word_values(output))
    return list(dict.fromkeys(text for text, values in _numbers(source, src, marks=False) if not values & found))


def missing_names(source: str, output: str, src: str) -> list[str]:
    """The Vietnamese names in ``source`` that ``output`` does not have, diacritics aside.

    A name is there when its last two or more syllables are: a capitalised word before a
    name may be no part of it ("Ông Nguyễn Văn An" is "Mr Nguyen Van An", "Từ Hà Nội" is
    "From Hanoi").
    """
    have = _fold(output)
    return [name for name in _names(source, src)
            if not any(_fold(" ".join(name.split()[k:])) in have for k in range(max(len(name.split()) - 1, 1)))]


def missing_clauses(source: str, output: str, src: str, tgt: str) -> list[str]:
    """The clauses of ``source`` of which ``output`` has fewer than :data:`CLAUSE_COVERED`
    of the known words translated, when ``output`` is shorter than :data:`CLAUSE_SHORTER`
    times the median: a free translation of the same length drops no clause, a short
    one may have. Nothing is checked without the lexicon file."""
    if (src, tgt) not in LENGTH_RATIO or len(output) >= CLAUSE_SHORTER * LENGTH_RATIO[(src, tgt)][1] * len(source):
        return []
    table = lexicon.bundled()  # read on first need (0.1 s)
    if table is None:
        return []
    missing = []
    for clause in split_clauses(source, CLAUSE_SHORTEST):
        known, covered = table.coverage(clause, output, src)
        if known >= CLAUSE_WORDS and covered < CLAUSE_COVERED * known:
            missing.append(clause)
    return missing


def length_flag(source: str, output: str, src: str, tgt: str) -> str | None:
    """A flag when the output is shorter or longer than translations of this length are."""
    if len(source) < MIN_RATIO_CHARS or (src, tgt) not in LENGTH_RATIO:
        return None
    low, _, high = LENGTH_RATIO[(src, tgt)]
    ratio = len(output) / len(source)
    if ratio < low:
        return f"short: {ratio:.2f}× the source's length (translations run {low:.2f}–{high:.2f}×)"
    if ratio > high:
        return f"long: {ratio:.2f}× the source's length (translations run {low:.2f}–{high:.2f}×)"
    return None


def _numbers(text: str, lang: str, *, marks: bool = True) -> Iterable[tuple[str, frozenset[Decimal | int]]]:
    """Each number of ``text`` as written, with every value it may stand for (Decimal:
    exact, and equal to the int of the same value; a run of more than 30 digits is no
    number a reader checks); footnote marks too unless ``marks`` is false."""
    for m in _NUMBER.finditer(text):
        written = m.group()
        if len(written) > 30 or (not marks and _footnote(text, m.start(), m.end())):
            continue
        scale = _SCALE_AFTER.match(text, m.end())
        factor = _SCALES[scale.group(1).lower()] if scale else 1
        values = frozenset(v * factor for v in _values(written)) | _values(written)
        if _CLOCK_AFTER.match(text, m.end()):
            values |= {Decimal(part) for part in re.split(r"[.,]", written)}
        if len(written) == 2 and (year := _YEAR_BEFORE.search(text, 0, m.start())):
            values |= {Decimal(year.group(1) + written)}
        yield written, values
    if lang == "en":  # "April" stands for the 4 of "tháng 4" or "14/4/2022"
        for word in _WORDS.findall(text):
            if word[0].isupper() and word.lower() in _MONTH_WORDS:
                yield word, frozenset({_MONTH_WORDS[word.lower()]})


def _footnote(text: str, start: int, end: int) -> bool:
    """A footnote mark glued to the word it annotates ("prohibited1", "shade(1)"): no
    number a translation must carry. A code in capitals ("VND2", "SE12") and the minutes
    of "9h30" are numbers."""
    if text[start - 1:start] == "(" and text[end:end + 1] == ")":
        start -= 1
    before = text[max(0, start - 2):start]
    return len(before) == 2 and before.isalpha() and before[-1].islower()


def _values(written: str) -> frozenset[Decimal]:
    """The values "1.200" or "98,5" may have: read with either language's marks, and as
    its digits alone (a document number "38/2016" gives 38 and 2016 separately)."""
    values = {Decimal(re.sub(r"\D", "", written))}
    for thousands, decimal in ((".", ","), (",", ".")):
        whole, _, fraction = written.partition(decimal)
        whole = whole.replace(thousands, "")
        if whole.isdigit() and (not fraction or fraction.isdigit()):
            values.add(Decimal(f"{whole}.{fraction}" if fraction else whole))
    return frozenset(values)


def _word_values(text: str) -> set[int]:
    """Numbers an output writes as words ("three", "hai") or Roman numerals ("XIII")."""
    values = {_NUMBER_WORDS[w.lower()] for w in _WORDS.findall(text) if w.lower() in _NUMBER_WORDS}
    values |= {_roman(m.group()) for m in _ROMAN.finditer(text)}
    return values | {_MONTH_WORDS[w.lower()] for w in _WORDS.findall(text) if w.lower() in _MONTH_WORDS}


def _roman(numeral: str) -> int:
    total = 0
    for ch, after in zip(numeral, [*numeral[1:], ""]):
        value = _ROMAN_VALUES[ch]
        total += -value if after and _ROMAN_VALUES[after] > value else value
    return total


def _names(text: str, lang: str) -> list[str]:
    """Vietnamese names in ``text``: the capitalised syllables after a form of address
    ("Ông Sơn", "đồng chí Bùi Thị Minh Hoài"), or a run led by a family name, of three
    syllables or more in Vietnamese (two-syllable runs are mostly places, many with an
    English name of their own: "Vũ Hán" is Wuhan) and of two or more in English, where
    every syllable must be one a Vietnamese name can have."""
    names = []
    for start, words in _capitalised_runs(text):
        before = text[max(0, start - 9):start].lower().split()
        if words[0].lower() in _ADDRESS[lang]:
            words = words[1:]
        elif not (before and before[-1] in _ADDRESS[lang] or " ".join(before[-2:]) in _ADDRESS[lang]):
            if lang == "en":  # "General To Lam": the name starts at the family name
                words = _syllables(words[next((k for k, w in enumerate(words) if w in _SURNAMES["en"]), 0):])
            if (not words or words[0] not in _SURNAMES[lang] or len(words) < (2 if lang == "en" else 3)
                    or " ".join(words) in _EXONYMS or words[0] == "Châu"):
                continue
        if words:
            names.append(" ".join(words))
    return list(dict.fromkeys(names))


def _capitalised_runs(text: str) -> list[tuple[int, list[str]]]:
    """(offset, words) of each run of capitalised words one space apart."""
    runs: list[tuple[int, list[str]]] = []
    end = -2
    for m in _LETTERS.finditer(text):
        if not m.group()[0].isupper() or len(m.group()) > 7:
            end = -2
            continue
        if m.start() == end + 1 and text[end] == " ":
            runs[-1][1].append(m.group())
        else:
            runs.append((m.start(), [m.group()]))
        end = m.end()
    return runs


def _syllables(words: list[str]) -> list[str]:
    """The longest start of ``words`` whose every word a Vietnamese syllable can be."""
    for k, word in enumerate(words):
        if not _SYLLABLE.fullmatch(word):
            return words[:k]
    return words


def _fold(text: str) -> str:
    """Lower case, no diacritics, letters only: "Hà Nội" and "Hanoi" both give "hanoi"."""
    return re.sub(r"[^a-z]", "", strip_diacritics(text).lower())


def _short(quote: str, limit: int = 40) -> str:
    """``quote`` cut to about ``limit`` characters at a word's end."""
    return quote if len(quote) <= limit else quote[:limit].rsplit(None, 1)[0].rstrip(",;:") + "…"
