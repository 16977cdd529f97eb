"""Dates, numbers and document numbers: literals a model must not rewrite, found by rule.

A small model garbles what it saw rarely in training: vnsum-mini turned "Ngày 14/4/2022"
into "On January 14/202" and "Chương trình số 38-CTr/BDVTW-BCA" into "38-CNT/BVTW-CA".
Such literals are therefore matched like glossary terms (masked, restored, verified and
reported, kind ``date``, ``number`` or ``code``), with a rendering written by rule:

- dates: "14/4/2022" or "14 tháng 4 năm 2022" become "14 April 2022" in English (British
  order, as the glossary's spelling), and "14 April 2022" or "April 14, 2022" become
  "14/4/2022" in Vietnamese; "ngày 14/4" and "tháng 4/2022" are dates only after
  "ngày"/"tháng", since "38/2016" alone may be a number of a decree;
- numbers with a thousands separator or decimals, whose marks the two languages swap:
  "2.000.000" and "98,5" in Vietnamese are "2,000,000" and "98.5" in English (numbers
  without marks, "320" or "2026", are left to the model: most come through, and every
  placeholder more makes a small model drop others);
- document numbers ("100/2019/NĐ-CP", "38-CTr/BDVTW-BCA"): a word with a digit, a capital
  letter and a slash, copied as written. The kind of document and "số" before it and
  "ngày DATE" after it are taken in and written as official translations write them:
  "Nghị định số 100/2019/NĐ-CP ngày 30/12/2019" is "Decree No. 100/2019/NĐ-CP dated
  30 December 2019", and back (the models made "the 100/2019/NĐ-CP Day 30 December 2019"
  and "Decree No. 100/2019/NĐ-CP ngày 30/12/2019 tháng 3" of them).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .glossary import Entry, TermMatch
from .text import match_key

# The kinds whose loss the omission checks report as a missing number (vnsum.omissions).
NUMERIC_KINDS = frozenset({"date", "number"})
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
_MONTH_NUMBER = {m.lower(): i for i, m in enumerate(MONTHS, 1)} | {
    m[:3].lower(): i for i, m in enumerate(MONTHS, 1)} | {"sept": 9}
_MONTH = r"(" + "|".join(sorted(_MONTH_NUMBER, key=len, reverse=True)) + r")\.?"
_DAY, _MON, _YEAR = r"(\d{1,2})", r"(\d{1,2})", r"(\d{4})"
_END = r"(?![\w/.-]\w)"  # not the start of a longer number or code ("14/4/2022/QĐ")

_VI_DATES = (  # (pattern, groups as day, month, year; 0 where absent)
    (re.compile(r"(?<![\w/.-])" + _DAY + r"([/.-])" + _MON + r"\2" + _YEAR + _END), (1, 3, 4)),
    (re.compile(r"(?<!\w)" + _DAY + r"\s+tháng\s+" + _MON + r"\s+năm\s+" + _YEAR + _END, re.I), (1, 2, 3)),
    (re.compile(r"(?<=ngày )" + _DAY + r"/" + _MON + _END, re.I), (1, 2, 0)),
    (re.compile(r"(?<=tháng )" + _MON + r"[/-]" + _YEAR + _END, re.I), (0, 1, 2)),
)
_EN_DATES = (
    (re.compile(r"(?<![\w/.-])" + _DAY + r"(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + r",?\s+" + _YEAR + _END,
                re.I), (1, 2, 3)),
    (re.compile(r"(?<!\w)" + _MONTH + r"\s+" + _DAY + r"(?:st|nd|rd|th)?,?\s+" + _YEAR + _END, re.I), (2, 1, 3)),
)
_NUMBERS = {  # grouped thousands, optional decimals; or decimals alone
    "vi": re.compile(r"(?<![\w.,])(?:\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+,\d+)(?![.,]?\w)"),
    "en": re.compile(r"(?<![\w.,])(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+)(?![.,]?\w)"),
}
_YEAR_BEFORE_DATE = re.compile(r"(?<!\w)(năm|tháng)\s+(?=\d{1,2}/\d{1,2}/\d{4}(?![\w/]))", re.I)
# A word of letters, digits, "-" and "/" with a slash inside; one that also holds a
# digit and a capital is a document number. Matched from the start of a word only, and
# tested for the digit and the capital afterwards, so that a 5,000-character run of
# "1,1,1…" costs one pass, not one per position.
_CODE = re.compile(r"(?<![\w/-])[\w-]*\w/[\w/-]*\w")
# Kinds of document that precede a number, as the official English translations of
# Vietnamese legal documents name them (e.g. "Circular 03/2009/TT-BNG"), and the words
# around the number.
_DOCUMENT_KINDS = (  # (vi, en)
    ("Luật", "Law"), ("Pháp lệnh", "Ordinance"), ("Nghị quyết", "Resolution"), ("Nghị định", "Decree"),
    ("Quyết định", "Decision"), ("Thông tư", "Circular"), ("Thông tư liên tịch", "Joint Circular"),
    ("Chỉ thị", "Directive"), ("Kết luận", "Conclusion"), ("Quy định", "Regulation"),
    ("Công văn", "Official Letter"), ("Công điện", "Official Dispatch"), ("Thông báo", "Notice"),
    ("Kế hoạch", "Plan"), ("Hướng dẫn", "Guidance"), ("Chương trình", "Programme"),
    ("Chương trình phối hợp", "Coordination Programme"))
DOCUMENTS_IN_ENGLISH = frozenset(en for _, en in _DOCUMENT_KINDS)
_NUMBER_WORD = {"vi": "số", "en": "No."}
_DATE_WORD = {"vi": "ngày", "en": "dated"}


def _either(words: Iterable[str]) -> str:
    """A regex alternation of ``words``, longest first ("Thông tư liên tịch" before "Thông tư")."""
    return "|".join(sorted((re.escape(w).replace(r"\ ", r"\s+") for w in words), key=len, reverse=True))


# The kind in the other language, by the folded kind as the source writes it.
_KIND_RENDERED = {lang: {match_key(pair[i]): pair[1 - i] for pair in _DOCUMENT_KINDS}
                  for i, lang in enumerate(("vi", "en"))}
_BEFORE_NUMBER = {lang: re.compile(r"(?i)(?:(?<!\w)(" + _either(pair[i] for pair in _DOCUMENT_KINDS) + r")\s+)?"
                                   r"(?:(?<!\w)(?:" + number + r")\s*)?$")
                  for i, (lang, number) in enumerate((("vi", "số"), ("en", r"No\.|Number")))}
# From the end of a word only ("(?<!\s)"), so that a search through a long run of spaces
# is one pass, not one per position.
_BEFORE_DATE = {"vi": re.compile(r"(?i)(?<!\s)\s+ngày\s+(?=\d)"),
                "en": re.compile(r"(?i)(?<![\s,]),?\s+(?:dated|of)\s+(?=\w)")}
_FULL_DATES = {"vi": _VI_DATES[:2], "en": _EN_DATES}


def find_literals(text: str, src: str, tgt: str) -> list[TermMatch]:
    """The dates, numbers and document numbers of ``text`` (NFC), in order, with their
    renderings in ``tgt``; where two overlap, the one that starts first (or is longer)."""
    found = [*_dates(text, src, tgt), *_numbers(text, src), *_codes(text, src, tgt)]
    found.sort(key=lambda m: (m.start, -m.end))
    out: list[TermMatch] = []
    for match in found:
        if not out or match.start >= out[-1].end:
            out.append(match)
    return out


def tidy(text: str, lang: str) -> str:
    """Words around a restored date put right: a model that read "On ZZ0" as a year
    writes "Vào năm 15/4/2026"; Vietnamese writes a full date after "ngày"."""
    if lang != "vi":
        return text
    return _YEAR_BEFORE_DATE.sub(lambda m: "Ngày " if m.group(1)[0].isupper() else "ngày ", text)


def rewrite(text: str, src: str, tgt: str) -> str:
    """``text`` with each literal replaced by its rendering: a line of nothing but dates
    and numbers (a dateline) follows the style of the translated body ("14/04/2022" ->
    "14 April 2022"), not the source's."""
    out, pos = [], 0
    for m in find_literals(text, src, tgt):
        out.extend((text[pos:m.start], m.target))
        pos = m.end
    return "".join(out) + text[pos:]


def merged(terms: list[TermMatch], literals: list[TermMatch]) -> list[TermMatch]:
    """``terms`` and ``literals`` in order of position; where they overlap, the term wins,
    unless the literal holds it whole and more ("Nghị quyết số 36-NQ/TW" holds the term
    "Nghị quyết")."""
    def holds(lit: TermMatch, t: TermMatch) -> bool:
        return lit.start <= t.start and t.end <= lit.end and lit.end - lit.start > t.end - t.start

    free = [lit for lit in literals
            if all(holds(lit, t) or not (t.start < lit.end and lit.start < t.end) for t in terms)]
    kept = [t for t in terms if not any(holds(lit, t) for lit in free)]
    return sorted([*kept, *free], key=lambda m: m.start)


def _dates(text: str, src: str, tgt: str):
    for pattern, (d, m, y) in _VI_DATES if src == "vi" else _EN_DATES:
        for hit in pattern.finditer(text):
            day = int(hit.group(d)) if d else 0
            month = _month(hit.group(m))
            year = hit.group(y) if y else ""
            if month and day <= 31 and (day or year):
                yield _match(hit, src, "date", _written(day, month, year, tgt), _accepted(day, month, year, tgt))


def _numbers(text: str, src: str):
    swap = str.maketrans(".,", ",.")
    for hit in _NUMBERS[src].finditer(text):
        written = hit.group().translate(swap)
        yield _match(hit, src, "number", written, (written,))


def _codes(text: str, src: str, tgt: str):
    for hit in _CODE.finditer(text):
        code = hit.group()
        if any(c.isdigit() for c in code) and any(c.isupper() for c in code):
            yield _reference(text, hit, src, tgt)


def _reference(text: str, hit: re.Match, src: str, tgt: str) -> TermMatch:
    """A document number, copied, with the kind of document and "số"/"No." before it and
    its date after it taken in and written the target's way: "Nghị định số 1/NĐ-CP ngày
    3/1/2020" <-> "Decree No. 1/NĐ-CP dated 3 January 2020"."""
    start, end, parts = hit.start(), hit.end(), [hit.group()]
    before = _BEFORE_NUMBER[src].search(text, max(0, start - 40), start)
    if before and before.group():
        start = before.start()
        kind = _KIND_RENDERED[src][match_key(before.group(1))] if before.group(1) else ""
        parts[:0] = [x for x in (kind, _NUMBER_WORD[tgt]) if x]
    dated = _BEFORE_DATE[src].match(text, end)
    for pattern, (d, m, y) in _FULL_DATES[src] if dated else ():
        date = pattern.match(text, dated.end())
        if date and (month := _month(date.group(m))) and int(date.group(d)) <= 31:
            end = date.end()
            parts += [_DATE_WORD[tgt], _written(int(date.group(d)), month, date.group(y), tgt)]
            break
    target = " ".join(parts)
    return _term(start, end, text[start:end], src, "code", target, (target,))


def _month(text: str) -> int:
    month = int(text) if text.isdigit() else _MONTH_NUMBER.get(text.lower().rstrip("."), 0)
    return month if 1 <= month <= 12 else 0


def _written(day: int, month: int, year: str, lang: str) -> str:
    """The date as ``lang`` writes it: "14 April 2022" / "14/4/2022"."""
    if lang == "en":
        return " ".join(str(x) for x in (day or "", MONTHS[month - 1], year) if x)
    return "/".join(str(x) for x in (day or "", month, year) if x)


def _accepted(day: int, month: int, year: str, lang: str) -> tuple[str, ...]:
    """The rendering first, then other ways of writing the same date that count as right."""
    numeric = _written(day, month, year, "vi")
    padded = "/".join(f"{x:02d}" if isinstance(x, int) else x for x in (day or "", month, year) if x)
    if lang == "en":
        name = MONTHS[month - 1]
        us = f"{name} {day}, {year}" if day and year else f"{name} {day}" if day else ""
        forms = (_written(day, month, year, "en"), us, numeric, padded)
    else:
        words = " ".join(x for x in (f"{day} tháng {month}" if day else f"tháng {month}",
                                     f"năm {year}" if year else "") if x)
        forms = (numeric, padded, words)
    return tuple(dict.fromkeys(f for f in forms if f))


def _match(hit: re.Match, src: str, kind: str, target: str, accepted: tuple[str, ...]) -> TermMatch:
    return _term(hit.start(), hit.end(), hit.group(), src, kind, target, accepted)


def _term(start: int, end: int, written: str, src: str, kind: str, target: str,
          accepted: tuple[str, ...]) -> TermMatch:
    vi, en = (written, target) if src == "vi" else (target, written)
    return TermMatch(start, end, written, Entry(vi=vi, en=en, kind=kind, source=kind), target, accepted)
