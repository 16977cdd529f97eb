"""Glossaries: official renderings of agencies, titles, ranks, names and terms.

A glossary is a UTF-8 TSV file with the header ``vi  en  kind  variants  source``; a
reader's own list may also be a bare ``vi<TAB>en`` file or a CSV file (columns named by a
header, or just vi and en), whose rows are of kind ``term``. A row with slots ("Công an
tỉnh {place}") is a rule (:mod:`vnsum.rules`). Matching is longest-first, whole words only, without overlaps, case-insensitive and
blind to the old/new tone-mark convention, but never to diacritics themselves: "Bộ
Công an" matches "bộ công an" and not "bộ công án". The same file serves en->vi by
reading it the other way round.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from .encodings import BomMismatch, decode_bom, guess_legacy
from .errors import GlossaryError, UnknownGlossaryError
from .names import ADDRESS_WORDS, name_run, render_name
from .paths import project_dir
from .rules import PLACE, SLOT, SLOTS, Part, Rule, Token, slots_problem
from .text import INVISIBLE, match_key, nfc, without_invisible

COLUMNS = ("vi", "en", "kind", "variants", "source")
KINDS = ("org", "title", "rank", "person", "place", "term")
# The kind of rows from a file without a kind column: a reader's words, easy to switch off.
DEFAULT_KIND = "term"
LANGS = ("vi", "en")
# Kinds after which a capitalised run of syllables is a person's name.
_NAME_TRIGGERS = {"title", "rank"}
# A word may hold invisible characters (a soft hyphen, a zero-width space): it is
# matched as if they were not there, and offsets stay those of the text.
_TOKEN = re.compile(rf"\w+(?:[{INVISIBLE}]+\w+)*|[^\w\s{INVISIBLE}]")


@dataclass(frozen=True)
class Entry:
    """One glossary row. ``line`` is its line number in the file (0 for built ones)."""

    vi: str
    en: str
    kind: str
    variants: tuple[str, ...] = ()
    source: str = ""
    line: int = 0

    def side(self, lang: str) -> str:
        return self.vi if lang == "vi" else self.en

    def accepted(self, lang: str) -> tuple[str, ...]:
        """Renderings that count as correct in ``lang``: preferred first, then variants."""
        if lang == "en":
            return (self.en, *self.variants)
        return (self.vi,)


@dataclass(frozen=True)
class TermMatch:
    """A glossary term (or recognised name) found in a source sentence."""

    start: int
    end: int
    text: str  # as written in the source
    entry: Entry
    target: str  # the rendering the output must contain
    accepted: tuple[str, ...]  # target and the variants that count as correct


@dataclass
class Problem:
    """A finding of :func:`check`; errors stop loading, warnings and notes do not."""

    line: int
    level: str  # "error", "warning" or "info"
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.level}: {self.message}"


def _tokens(key: str) -> list[Token]:
    return [(without_invisible(m.group()), m.start(), m.end()) for m in _TOKEN.finditer(key)]


def term_tokens(term: str) -> list[str]:
    """The folded words of a term, as the matcher compares them."""
    return [t for t, _, _ in _tokens(match_key(term))]


@dataclass
class Glossary:
    """A set of entries with a token trie per direction for fast longest matching."""

    entries: list[Entry]
    name: str = "custom"
    rules: tuple[Rule, ...] = ()
    _tries: dict[str, dict] = field(default_factory=dict, repr=False)
    _rule_index: dict[str, dict[str, list[tuple[Rule, tuple[Part, ...]]]]] = field(default_factory=dict, repr=False)

    @property
    def sha(self) -> str:
        """A short hash of the content, so results can say which glossary made them."""
        h = hashlib.sha256()
        for e in (*self.entries, *(r.entry for r in self.rules)):
            h.update("\t".join((e.vi, e.en, e.kind, "|".join(e.variants))).encode() + b"\n")
        return h.hexdigest()[:12]

    @classmethod
    def load(cls, spec: str | os.PathLike) -> Glossary:
        """Load a glossary by bundled name (``"vn-gov"``) or by path."""
        path = resolve_glossary(spec)
        problems, entries, rules = _parse(path)
        errors = [p for p in problems if p.level == "error"]
        if errors:
            listed = "\n".join(f"  {path}:{p.line}: {p.message}" for p in errors[:20])
            more = f"\n  … and {len(errors) - 20} more" if len(errors) > 20 else ""
            raise GlossaryError(f"Glossary {path} has {len(errors)} error(s):\n{listed}{more}")
        return cls(entries, name=path.stem, rules=tuple(rules))

    def _trie(self, lang: str) -> dict:
        """Token trie of ``lang`` forms; a leaf holds (entry, form, every entry with that form).

        English variants are indexed too ("Hanoi" finds Hà Nội). Several rows may share
        an English form ("Director": Cục trưởng, Vụ trưởng): the first row gives the
        rendering and all of them count as accepted.
        """
        if lang not in self._tries:
            root: dict = {}
            for entry in self.entries:
                forms = (entry.side(lang), *(entry.variants if lang == "en" else ()))
                for form in forms:
                    node = root
                    for tok, _, _ in _tokens(match_key(form)):
                        node = node.setdefault(tok, {})
                    leaf = node.setdefault(None, (entry, form, []))  # first row wins
                    if entry not in leaf[2]:
                        leaf[2].append(entry)
            self._tries[lang] = root
        return self._tries[lang]

    def find(self, text: str, src: str, tgt: str) -> list[TermMatch]:
        """Glossary terms in ``text`` (and, for vi->en, personal names), in order.

        Names follow a title, rank or form of address, or start with a common family
        name; they are rendered without diacritics and may be written either way. In
        English, a one-word capitalised term ("General", "Head") matches only when
        capitalised, so ordinary words ("in general", "the head of") are left alone.
        """
        if src not in LANGS or tgt not in LANGS or src == tgt:
            raise GlossaryError(f"unsupported direction {src}->{tgt}")
        text = nfc(text)
        toks = _tokens(match_key(text))
        root, found, i = self._trie(src), [], 0
        scan = _Scan(text, toks, src, tgt)
        while i < len(toks):
            node, candidates, j = root, [], i
            while j < len(toks) and toks[j][0] in node:
                node = node[toks[j][0]]
                j += 1
                if None in node:
                    candidates.append((j, node[None]))
            best = next(((j, leaf) for j, leaf in reversed(candidates)
                         if _case_fits(src, leaf[0].kind, leaf[1], text, toks, i, j)), None)
            ruled = self._rule_match(scan, i)
            if ruled and (not best or ruled.end > toks[best[0] - 1][2]):
                found.append(ruled)
                i = next(k for k in range(i, len(toks) + 1) if k == len(toks) or toks[k][1] >= ruled.end)
            elif best:
                j, (entry, _, sharing) = best
                start, end = _around(text, toks[i][1], toks[j - 1][2], found[-1].end if found else 0)
                accepted = tuple(dict.fromkeys(a for e in sharing for a in e.accepted(tgt)))
                found.append(TermMatch(start, end, text[start:end], entry, entry.side(tgt), accepted))
                i = j
            else:
                i += 1
        return _with_unspoken_address(text, _with_names(text, found)) if src == "vi" else found

    def _rules_by_first_word(self, lang: str) -> dict[str | None, list[tuple[Rule, tuple[Part, ...]]]]:
        """Rules by the first word of their ``lang`` term; those that open with a slot
        ("{ordinal} National Party Congress") under None, tried at every word."""
        if lang not in self._rule_index:
            index: dict[str | None, list[tuple[Rule, tuple[Part, ...]]]] = {}
            for rule in self.rules:
                parts = rule.parts(lang, term_tokens)
                index.setdefault(parts[0].tokens[0] if parts[0].tokens else None, []).append((rule, parts))
            self._rule_index[lang] = index
        return self._rule_index[lang]

    def _rule_match(self, scan: _Scan, i: int) -> TermMatch | None:
        """The longest rule match starting at token ``i`` (the first rule of a tie), with
        its slots rendered in the target language."""
        index = self._rules_by_first_word(scan.src)
        best: tuple[int, Rule, dict[str, tuple[str, ...]]] | None = None
        for rule, parts in (*index.get(scan.toks[i][0], ()), *index.get(None, ())):
            for end, fills in self._fill(scan, parts, i, {}):
                if best is None or end > best[0]:
                    best = (end, rule, fills)
        if best is None:
            return None
        end, rule, fills = best
        start, stop = scan.toks[i][1], scan.toks[end - 1][2]
        written, rendered = scan.text[start:stop], rule.render(scan.tgt, fills)
        vi, en = (written, rendered[0]) if scan.src == "vi" else (rendered[0], written)
        entry = Entry(vi, en, rule.entry.kind, rendered[1:] if scan.tgt == "en" else (), rule.entry.source,
                      rule.entry.line)
        return TermMatch(start, stop, written, entry, rendered[0], rendered)

    def _fill(self, scan: _Scan, parts: tuple[Part, ...], i: int,
              fills: dict[str, tuple[str, ...]]) -> list[tuple[int, dict[str, tuple[str, ...]]]]:
        """Every way ``parts`` match from token ``i``: (end token, slot renderings)."""
        if not parts:
            return [(i, fills)]
        part, rest = parts[0], parts[1:]
        if part.tokens:
            words = tuple(t for t, _, _ in scan.toks[i:i + len(part.tokens)])
            return self._fill(scan, rest, i + len(part.tokens), fills) if words == part.tokens else []
        if i >= len(scan.toks):
            return []
        if (part.slot, i) not in scan.slots:
            finder = self._places if part.slot == PLACE else SLOTS[part.slot]
            scan.slots[part.slot, i] = finder(scan, i)
        return [way for end, values in scan.slots[part.slot, i]
                for way in self._fill(scan, rest, end, {**fills, part.slot: values})]

    def _places(self, scan: _Scan, i: int) -> list[tuple[int, tuple[str, ...]]]:
        """The glossary's places that start at token ``i``: (end token, renderings)."""
        node, out = self._trie(scan.src), []
        for j in range(i, len(scan.toks)):
            node = node.get(scan.toks[j][0])
            if node is None:
                break
            if None in node and node[None][0].kind == "place" and _case_fits(scan.src, "place", "", scan.text,
                                                                             scan.toks, i, j + 1):
                out.append((j + 1, node[None][0].accepted(scan.tgt)))
        return out


@dataclass
class _Scan:
    """One text being matched: what rules and their slots read, and the slot fillers
    found so far by (slot, token), so a slot several rules share is read once."""

    text: str
    toks: list[Token]
    src: str
    tgt: str
    slots: dict[tuple[str, int], list[tuple[int, tuple[str, ...]]]] = field(default_factory=dict)

# Kinds that are proper names in Vietnamese, written with capitals: "hòa bình" (peace)
# is not the province Hòa Bình, nor "thái bình" (peaceful) Thái Bình.
_PROPER = {"place", "person"}
# Kinds whose capitalised Vietnamese form needs its capital: "Hội nghị" is the event,
# "hội nghị" any meeting; "Bộ Công an" is the ministry, and so is "bộ công an" typed all
# in lower case, but "cán bộ Công an" (a police officer) holds no ministry.
_CAPITALISED = {"term", "org"}


def _around(text: str, start: int, end: int, floor: int) -> tuple[int, int]:
    """A term's span widened over the invisible characters right around it (not before
    ``floor``): a direction override around a term goes with it, so its rendering is
    never shown reversed."""
    while start > floor and text[start - 1] in INVISIBLE:
        start -= 1
    while end < len(text) and text[end] in INVISIBLE:
        end += 1
    return start, end


def _case_fits(src: str, kind: str, form: str, text: str, toks: list[Token], i: int, j: int) -> bool:
    """Whether ``toks[i:j]`` of ``text`` is written as the glossary ``form`` of ``kind`` needs.

    Vietnamese places and people need a capital, and so does a term or body the glossary
    writes with one: "Hội nghị" is the conference an article is about, "Nghị quyết" a
    named Resolution, while "hội nghị", "nghị quyết" in running text are left to the
    model (a longer term's own inner capitals also name it: "phong trào Toàn dân bảo vệ
    an ninh Tổ quốc" is the movement); a body typed all in lower case ("bộ công an") still counts, but the "bộ Công
    an" of "cán bộ Công an" is no ministry. Titles are written either way ("đại biểu Quốc
    hội").
    In English, a one-word capitalised form needs its capital ("in general" is no
    rank), and a title or rank ("General",
    "President", "Secretary") must also be used as one: before a name or "of", after
    "the", or alone; "In General case" of a headline is not a rank.
    """
    written = text[toks[i][1]:toks[j - 1][2]]
    if src == "vi":
        if kind in _PROPER:
            return any(ch.isupper() for ch in written)
        if kind not in _CAPITALISED or not form[:1].isupper() or written[:1].isupper():
            return True
        if kind == "term" and any(word[:1].isupper() for word in written.split()[1:]):
            return True  # a named movement keeps its inner capitals: "phong trào Toàn dân bảo vệ …"
        return kind != "term" and written.islower()  # a body typed all in lower case
    if " " in form.strip() or not form[:1].isupper():
        return True
    if not written[:1].isupper():
        return False
    if kind not in _NAME_TRIGGERS:
        return True
    if j == len(toks):  # the title alone, as a term looked up or a table cell
        return True
    following = text[toks[j][1]:toks[j][2]]
    return following[:1].isupper() or following == "of" or (i > 0 and toks[i - 1][0] == "the")


def _with_names(text: str, found: list[TermMatch]) -> list[TermMatch]:
    """Add the personal names that sit between glossary matches, in order.

    A place that ends a name is part of the name: "Nguyễn Hòa Bình" is a person, not
    "Nguyễn" and the province Hòa Bình.
    """
    out: list[TermMatch] = []
    cursor, trigger = 0, False
    for match in [*found, None]:
        if match and match.entry.kind == "place":
            names = _names_between(text, cursor, match.end, trigger)
            if names and names[-1].start < match.start and names[-1].end == match.end:
                out.extend(names)
                cursor, trigger = match.end, False
                continue
        limit = match.start if match else len(text)
        out.extend(_names_between(text, cursor, limit, trigger))
        if match:
            out.append(match)
            cursor, trigger = match.end, match.entry.kind in _NAME_TRIGGERS
    return out


_WORD = re.compile(r"[^\s:,;]+")


# The forms of address English news leaves out ("comrade", "comrades").
_ADDRESS_BEFORE = re.compile(r"(?i)(?<!\w)(?:các\s+)?đồng\s+chí\s+$")
_ADDRESSED = {"person", "title", "rank"}


def _with_unspoken_address(text: str, found: list[TermMatch]) -> list[TermMatch]:
    """Take a "Đồng chí" that opens a sentence into the person, title or rank after it.

    English news writes "X spoke" for "Đồng chí X phát biểu"; left to the model at the
    start of a sentence, the word alone became "The X magazine" or "In X" (issue 23).
    Inside a sentence the model drops it, so it is left there.
    """
    out = []
    for match in found:
        hit = _ADDRESS_BEFORE.search(text, max(0, match.start - 20), match.start) \
            if match.entry.kind in _ADDRESSED else None
        if hit and hit.group()[:1].isupper() and _opens_sentence(text, hit.start()):
            match = replace(match, start=hit.start(), text=text[hit.start():match.end])
        out.append(match)
    return out


def _opens_sentence(text: str, i: int) -> bool:
    while i > 0 and text[i - 1] in " \t":
        i -= 1
    return i == 0 or text[i - 1] in ".!?\n"


def _names_between(text: str, start: int, limit: int, trigger: bool) -> list[TermMatch]:
    """Names in ``text[start:limit]``; ``trigger`` says a title or rank came just before.

    A form of address ("đồng chí", "ông") also makes the next words a name.
    """
    names: list[TermMatch] = []
    words = list(_WORD.finditer(text, start, limit))
    k = 0
    while k < len(words):
        for span in (3, 2, 1):  # "các đồng chí" before "đồng chí" before "ông"
            phrase = words[k:k + span]
            if phrase and match_key(text[phrase[0].start():phrase[-1].end()]) in ADDRESS_WORDS:
                k, trigger = k + len(phrase), True
                break
        else:
            pos = words[k].start()
            adjacent = not text[start if k == 0 else words[k - 1].end():pos].strip(" :")
            end = name_run(text[:limit], pos, after_title=trigger and adjacent)
            trigger = False
            if end > pos:
                name = text[pos:end]
                entry = Entry(vi=name, en=render_name(name), kind="person", source="name")
                names.append(TermMatch(pos, end, name, entry, entry.en, (entry.en, name)))
                while k < len(words) and words[k].start() < end:
                    k += 1
            else:
                k += 1
    return names


def resolve_glossary(spec: str | os.PathLike) -> Path:
    """Turn a bundled glossary name or a path into an existing file path."""
    path = Path(spec)
    if path.is_file():
        return path
    candidates = [glossary_dir() / f"{spec}.tsv", glossary_dir() / str(spec)]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    bundled = ", ".join(sorted(p.stem for p in glossary_dir().glob("*.tsv"))) or "none"
    raise UnknownGlossaryError(
        f"Glossary '{spec}' not found: it is neither a file nor a bundled glossary "
        f"in {glossary_dir()} (bundled: {bundled})."
    )


def glossary_dir() -> Path:
    """Where bundled glossaries live: ``$VNSUM_GLOSSARIES`` or the project's ``glossary/``."""
    return Path(os.environ.get("VNSUM_GLOSSARIES") or project_dir() / "glossary")


def _read_text(path: Path) -> tuple[str, list[Problem]]:
    """The file's text: UTF-8, or UTF-16/32 with a byte-order mark (Excel's "Unicode text")."""
    data = path.read_bytes()
    try:
        marked = decode_bom(data)
    except BomMismatch as exc:
        raise GlossaryError(f"{path}:{exc.line}: {exc}; save the glossary as UTF-8.") from None
    if marked:
        text, name = marked
        return text, [] if name == "UTF-8" else [Problem(1, "info", f"read as {name} (byte-order mark)")]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        legacy = guess_legacy(data)
        looks = f"it looks like {legacy}; " if legacy else ""
        raise GlossaryError(
            f"{path}:{line}: not UTF-8 (byte offset {exc.start}); {looks}save the glossary as UTF-8."
        ) from None


_SEPARATORS = {"\t": "tab", ",": "comma", ";": "semicolon"}


def _rows(text: str, path: Path) -> tuple[list[list[str]], str]:
    """The cells of a glossary file and the name of its separator: tabs, or for ``.csv``
    commas or semicolons (what spreadsheets write, quotes included)."""
    if path.suffix.lower() != ".csv":
        return list(csv.reader(io.StringIO(text, newline=""), delimiter="\t", quoting=csv.QUOTE_NONE)), "tab"
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(_SEPARATORS, key=first.count)
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)), _SEPARATORS[delimiter]


def _layout(rows: list[list[str]]) -> tuple[tuple[str, ...], int] | Problem:
    """The column names of a file and the index of its first term row, or why it has none.

    A header names its columns (any of :data:`COLUMNS`, vi and en among them); a file
    without one is a bare two-column list, vi then en.
    """
    named = [c.strip().lower() for c in rows[0]] if rows else []
    while named and not named[-1]:
        named.pop()
    if {"vi", "en"} <= set(named) <= set(COLUMNS) and len(set(named)) == len(named):
        return tuple(named), 1
    if rows and len(rows[0]) == 2 and not set(named) & set(COLUMNS):  # "source, target" is a header gone wrong
        return ("vi", "en"), 0
    got = "\t".join(rows[0]) if rows else "(empty file)"
    hint = ""
    if rows and len(rows[0]) == 1 and any(sep in rows[0][0] for sep in ",;"):
        hint = "; the columns look separated by commas or semicolons: glossaries use tabs (or name the file .csv)"
    return Problem(1, "error", f"header must be {' | '.join(COLUMNS)} (tab-separated; vi and en at least), "
                               f"or the file must have just two columns, vi and en; got: {got!r}{hint}")


# Words in one term: the longest official name is a dozen; a row of thousands is a
# missing tab or line end, and would make checking and matching slow.
MAX_TERM_WORDS = 50


def _unusable(value: str) -> str | None:
    """Why a column can never match text: an invisible character, or far too many words."""
    for ch in "" if value.isprintable() else value:  # isprintable: the common case at C speed
        if unicodedata.category(ch) in ("Cc", "Cf"):
            return (f"an invisible control or formatting character (U+{ord(ch):04X}) that text will not match; "
                    "remove it")
    words = len(_tokens(value))
    if words > MAX_TERM_WORDS:
        return f"{words:,} words; a term has at most {MAX_TERM_WORDS} (is a tab or a line end missing?)"
    return None


def _parse(path: Path) -> tuple[list[Problem], list[Entry], list[Rule]]:
    """Read ``path`` into entries and rules, collecting every problem with its line number."""
    text, problems = _read_text(path)
    rows, separator = _rows(text, path)
    layout = _layout(rows)
    if isinstance(layout, Problem):
        return [*problems, layout], [], []
    columns, first = layout
    needed = max(columns.index(c) for c in ("vi", "en", "kind") if c in columns) + 1
    width = f"{needed}" if needed == len(columns) else f"{needed} to {len(columns)}"
    entries: list[Entry] = []
    rules: list[Rule] = []
    seen: dict[str, Entry] = {}
    for lineno, row in enumerate(rows[first:], start=first + 1):
        if not any(c.strip() for c in row) or row[0].startswith("#"):
            continue
        if not needed <= len(row) <= len(columns):
            problems.append(Problem(lineno, "error", f"expected {width} {separator}-separated columns, "
                                                     f"found {len(row)}"))
            continue
        cells = dict(zip(columns, (c.strip() for c in row)))
        vi, en, variants, source = (cells.get(c, "") for c in ("vi", "en", "variants", "source"))
        kind = cells.get("kind", DEFAULT_KIND)
        if not vi or not en:
            problems.append(Problem(lineno, "error", "empty vi or en column"))
            continue
        if kind not in KINDS:
            problems.append(Problem(lineno, "error", f"kind {kind!r} is not one of {', '.join(KINDS)}"))
            continue
        hidden = [f"{col} column has {problem}" for col, value in (("vi", vi), ("en", en), ("variants", variants))
                  if (problem := _unusable(value))]
        if hidden:
            problems.extend(Problem(lineno, "error", message) for message in hidden)
            continue
        for col, value in (("vi", vi), ("en", en), ("variants", variants)):
            if not unicodedata.is_normalized("NFC", value):
                problems.append(Problem(lineno, "warning", f"{col} column is not NFC; it was normalised"))
        entry = Entry(nfc(vi), nfc(en), kind, tuple(nfc(v.strip()) for v in variants.split("|") if v.strip()),
                      source, lineno)
        ruled = any(SLOT.search(value) for value in (entry.vi, entry.en, *entry.variants))
        if ruled and (problem := slots_problem(entry)):
            problems.append(Problem(lineno, "error", problem))
            continue
        key = match_key(entry.vi)
        if key in seen:
            first_row = seen[key]
            if match_key(first_row.en) == match_key(entry.en):
                problems.append(Problem(lineno, "warning", f"duplicate of line {first_row.line} ({vi!r})"))
            else:
                problems.append(Problem(
                    lineno, "error",
                    f"conflict with line {first_row.line}: {vi!r} is {first_row.en!r} there and {en!r} here"))
            continue
        seen[key] = entry
        if ruled:
            rules.append(Rule(entry))
        else:
            entries.append(entry)
    return problems, entries, rules


def _nesting(entries: Iterable[Entry]) -> list[Problem]:
    """Entries contained in longer entries: fine (longest match wins) but worth knowing.

    Every entry's tokens go into a trie, and each entry is walked through it from each
    of its positions: the cost is an entry's length times how far its runs match, not
    the cube of its length that slicing out every run cost (a 3,000-word row: 75 s).
    """
    keys: dict[tuple[str, ...], Entry] = {}
    for e in entries:
        keys.setdefault(tuple(t for t, _, _ in _tokens(match_key(e.vi))), e)
    trie: dict = {}
    for key in keys:
        node = trie
        for tok in key:
            node = node.setdefault(tok, {})
        node[None] = key
    inside: dict[tuple[str, ...], Entry] = {}
    for key, other in keys.items():
        for start in range(len(key)):
            node = trie
            for end in range(start + 1, len(key) + 1):
                node = node.get(key[end - 1])
                if node is None:
                    break
                part = node.get(None)
                if part is not None and end - start < len(key) and part not in inside:
                    inside[part] = other
    return [Problem(keys[key].line, "info", f"{keys[key].vi!r} is nested in line {other.line} ({other.vi!r})")
            for key, other in inside.items()]


def check(path: str | os.PathLike) -> list[Problem]:
    """All problems in a glossary file, sorted by line (what ``vnsum glossary check`` prints)."""
    problems, entries, _ = _parse(resolve_glossary(path))
    return sorted([*problems, *_nesting(entries)], key=lambda p: p.line)
