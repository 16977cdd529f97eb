"""The English words a glossary name needs around it: "the" before an institution, and
"of the" between a title and the body it heads.

A placeholder carries the name but not its article, and a small model often leaves the
article out: "at Ha Noi, Ministry of Public Security collaborated with …", "Standing
Deputy Head Party Central Committee's Commission for Mass Mobilisation". Both are put
right here by rule, on the English output, around the renderings the glossary applied:

- an institution (kind ``org``, a rendering with a capital: "Ministry of Public Security",
  "Quang Ninh Provincial Police") gets "the" when it opens the sentence or follows a
  preposition, a conjunction, a form of "be"/"have", a past-tense verb or a punctuation
  mark. Anything else before it is left alone: a determiner or possessive already there
  ("its", "Vietnam's"), a capitalised word that may belong to the name, an adjective
  ("former") the article would have to go before. Lower-case renderings ("provincial
  police") are generic and keep what the model wrote;
- a congress ("12th National Party Congress"), a numbered plenum ("8th plenum of the 13th
  Party Central Committee"), a named movement ("All People Protect National Security
  movement") and the event an article reports (the glossary's "Hội nghị"
  and "Đại hội": "conference", "Congress") are one of a kind and get "the" by the same
  rule ("Speaking at the conference");
- a title with no "of" ("Director", "Standing Deputy Head"), or the kind of a document
  ("Resolution"), directly followed by an institution, congress or plenum gets "of the"
  between them ("Resolution of the 12th National Party Congress"). Both names stay whole, as the term report
  says they were applied ("Permanent Deputy Minister of the Ministry of Public Security";
  the shorter "Deputy Minister of Public Security" is the glossary's own row for the pair).

A name that ends in "s" takes the possessive apostrophe alone ("the Ministry of Foreign
Affairs' spokesperson", not "Affairs's"): the model writes "'s" after a placeholder without
seeing the word it stands for. That holds in headlines too.

Headlines and captions (a sentence with no closing stop) keep headline style, untouched.
An institution inside a longer applied rendering ("Politburo" in "Politburo member") is
part of that rendering and is skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .literals import DOCUMENTS_IN_ENGLISH

# Words after which an institution's name needs "the" in running English.
_INTRODUCERS = frozenset("""
    of by to from with for at in on under between and or nor but about within across through into onto over
    as among against before after per via toward towards including like than upon beside besides behind beyond
    near during despite without throughout regarding concerning
    is are was were be been being has have had will would shall should can could must may might
    said told met held led sent made gave took became set thanked
""".split())
_OPENERS = ",;:(\"“‘«—–-"
_QUOTES = "\"“‘«"
# The renderings of the glossary's event rows ("Hội nghị", "Đại hội", kind term): written
# with a capital in Vietnamese, they name the one event the article reports.
_EVENTS = frozenset({"conference", "Congress"})
_CLOSING_STOP = re.compile(r"[.!?…][\"”’»)\]]*\s*$")


def complete(text: str, names: Iterable[tuple[str, str]]) -> str:
    """``text`` (one English sentence) with the articles its glossary names need.

    ``names`` are the (rendering, kind) pairs of the terms applied in it.
    """
    names = list(dict.fromkeys(names))
    for rendering, _kind in names:
        if rendering.endswith("s"):
            text = re.sub(rf"(?<!\w)({re.escape(rendering)})(['’])s(?!\w)", r"\1\2", text)
    if not _CLOSING_STOP.search(text):
        return text
    titles = [r for r, kind in names
              if (kind == "title" and " of " not in r) or (kind == "term" and r in DOCUMENTS_IN_ENGLISH)]
    orgs = [r for r, kind in names if _takes_the(r, kind)]
    for title in titles:
        for org in orgs:
            text = re.sub(rf"(?<!\w){re.escape(title)}\s+(?=(?:the\s+)?{re.escape(org)}(?!\w))",
                          f"{title} of ", text)
            text = re.sub(rf"(?<!\w)({re.escape(title)} of )(?={re.escape(org)}(?!\w))", r"\1the ", text)
    for org in sorted(orgs, key=len, reverse=True):
        text = _the_before(text, org, [r for r, _ in names if len(r) > len(org) and org in r])
    return text


def _takes_the(rendering: str, kind: str) -> bool:
    """Whether a name applied by the glossary is one that running English puts "the" before:
    an institution with a capital, a numbered congress or plenum, a named congress or
    movement, the event an article reports."""
    if kind == "org":
        return rendering[:1].isupper() or rendering[:1].isdigit()
    return kind == "term" and (rendering[:1].isdigit() or rendering in _EVENTS
                               or (rendering[:1].isupper() and rendering.endswith(("Congress", "movement"))))


def _the_before(text: str, org: str, longer: list[str]) -> str:
    inside = [(m.start(), m.end()) for r in longer for m in re.finditer(re.escape(r), text)]
    out, pos = [], 0
    for m in re.finditer(rf"(?<!\w){re.escape(org)}(?!\w)", text, re.IGNORECASE):
        if m.group()[1:] != org[1:] or any(a <= m.start() and m.end() <= b for a, b in inside):
            continue
        before = text[:m.start()].rstrip()
        opening = not before.strip(" " + _OPENERS)
        word = before.rsplit(None, 1)[-1] if before else ""
        needed = opening or (bool(word) and (word[-1] in _OPENERS or word.lower() in _INTRODUCERS
                                             or (word.islower() and word.endswith("ed") and len(word) > 3)))
        if needed:
            capital = opening or before[-1:] in _QUOTES  # a sentence or a quotation opens with it
            name = org if org[:1].islower() else m.group()  # "Conference" opening a sentence -> "The conference"
            out.append(text[pos:m.start()] + ("The " if capital else "the ") + name)
            pos = m.end()
    return "".join(out) + text[pos:]
