"""Glossaries: official renderings of agencies, titles, ranks, names and terms.

A glossary is a UTF-8 TSV file with the header ``vi  en  kind  variants  source``.
Matching is longest-first, whole words only, without overlaps, case-insensitive and
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
from dataclasses import dataclass, field
from pathlib import Path

from .encodings import BomMismatch, decode_bom, guess_legacy
from .errors import GlossaryError
from .names import ADDRESS_WORDS, name_run, render_name
from .paths import project_dir
from .text import match_key, nfc

COLUMNS = ("vi", "en", "kind", "variants", "source")
KINDS = ("org", "title", "rank", "person", "place", "term")
LANGS = ("vi", "en")
# Kinds after which a capitalised run of syllables is a person's name.
_NAME_TRIGGERS = {"title", "rank"}
_TOKEN = re.compile(r"\w+|[^\w\s]")


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


def _tokens(key: str) -> list[tuple[str, int, int]]:
    return [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(key)]


@dataclass
class Glossary:
    """A set of entries with a token trie per direction for fast longest matching."""

    entries: list[Entry]
    name: str = "custom"
    _tries: dict[str, dict] = field(default_factory=dict, repr=False)

    @property
    def sha(self) -> str:
        """A short hash of the content, so results can say which glossary made them."""
        h = hashlib.sha256()
        for e in self.entries:
            h.update("\t".join((e.vi, e.en, e.kind, "|".join(e.variants))).encode() + b"\n")
        return h.hexdigest()[:12]

    @classmethod
    def load(cls, spec: str | os.PathLike) -> Glossary:
        """Load a glossary by bundled name (``"vn-gov"``) or by path."""
        path = resolve_glossary(spec)
        problems, entries = _parse(path)
        errors = [p for p in problems if p.level == "error"]
        if errors:
            listed = "\n".join(f"  {path}:{p.line}: {p.message}" for p in errors[:20])
            more = f"\n  … and {len(errors) - 20} more" if len(errors) > 20 else ""
            raise GlossaryError(f"Glossary {path} has {len(errors)} error(s):\n{listed}{more}")
        return cls(entries, name=path.stem)

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
        while i < len(toks):
            node, candidates, j = root, [], i
            while j < len(toks) and toks[j][0] in node:
                node = node[toks[j][0]]
                j += 1
                if None in node:
                    candidates.append((j, node[None]))
            best = next(((j, leaf) for j, leaf in reversed(candidates)
                         if src != "en" or _case_fits(leaf[1], text[toks[i][1]:toks[j - 1][2]])), None)
            if best:
                j, (entry, _, sharing) = best
                start, end = toks[i][1], toks[j - 1][2]
                accepted = tuple(dict.fromkeys(a for e in sharing for a in e.accepted(tgt)))
                found.append(TermMatch(start, end, text[start:end], entry, entry.side(tgt), accepted))
                i = j
            else:
                i += 1
        return _with_names(text, found) if src == "vi" else found


def _case_fits(form: str, written: str) -> bool:
    """A one-word capitalised glossary form needs a capital in the text too."""
    return " " in form.strip() or not form[:1].isupper() or written[:1].isupper()


def _with_names(text: str, found: list[TermMatch]) -> list[TermMatch]:
    """Add the personal names that sit between glossary matches, in order."""
    out: list[TermMatch] = []
    cursor, trigger = 0, False
    for match in [*found, None]:
        limit = match.start if match else len(text)
        out.extend(_names_between(text, cursor, limit, trigger))
        if match:
            out.append(match)
            cursor, trigger = match.end, match.entry.kind in _NAME_TRIGGERS
    return out


_WORD = re.compile(r"[^\s:,;]+")


def _names_between(text: str, start: int, limit: int, trigger: bool) -> list[TermMatch]:
    """Names in ``text[start:limit]``; ``trigger`` says a title or rank came just before.

    A form of address ("đồng chí", "ông") also makes the next words a name.
    """
    names: list[TermMatch] = []
    words = list(_WORD.finditer(text, start, limit))
    k = 0
    while k < len(words):
        for span in (2, 1):  # "các đồng chí" / "đồng chí" before "ông"
            phrase = words[k:k + span + 1] if span == 2 else words[k:k + span]
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
    raise GlossaryError(
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


def _header_problem(rows: list[list[str]]) -> Problem | None:
    """Why the first row is not the expected header, or None if it is."""
    if rows and [c.strip().lower() for c in rows[0][:5]] == list(COLUMNS):
        return None
    got = "\t".join(rows[0]) if rows else "(empty file)"
    hint = ""
    if rows and len(rows[0]) == 1 and any(sep in rows[0][0] for sep in ",;"):
        hint = "; the columns look separated by commas or semicolons: glossaries use tabs"
    return Problem(1, "error", f"header must be {' | '.join(COLUMNS)} (tab-separated), got: {got!r}{hint}")


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


def _parse(path: Path) -> tuple[list[Problem], list[Entry]]:
    """Read ``path`` into entries, collecting every problem with its line number."""
    text, problems = _read_text(path)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter="\t", quoting=csv.QUOTE_NONE))
    header = _header_problem(rows)
    if header:
        return [*problems, header], []
    entries: list[Entry] = []
    seen: dict[str, Entry] = {}
    for lineno, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row) or row[0].startswith("#"):
            continue
        if len(row) < 3 or len(row) > 5:
            problems.append(Problem(lineno, "error", f"expected 3 to 5 tab-separated columns, found {len(row)}"))
            continue
        row = row + [""] * (5 - len(row))
        vi, en, kind, variants, source = (c.strip() for c in row)
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
        key = match_key(entry.vi)
        if key in seen:
            first = seen[key]
            if match_key(first.en) == match_key(entry.en):
                problems.append(Problem(lineno, "warning", f"duplicate of line {first.line} ({vi!r})"))
            else:
                problems.append(Problem(
                    lineno, "error",
                    f"conflict with line {first.line}: {vi!r} is {first.en!r} there and {en!r} here"))
            continue
        seen[key] = entry
        entries.append(entry)
    return problems, entries


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
    problems, entries = _parse(resolve_glossary(path))
    return sorted([*problems, *_nesting(entries)], key=lambda p: p.line)
