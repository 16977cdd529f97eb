"""Stacked glossaries: the reader's own terms on top of the bundled ones.

A reader keeps vn-gov for the official names and adds a file of their own; where both
render the same Vietnamese term, the later file wins, and the choice is reported, never
made silently. The stack is an ordinary :class:`~vnsum.glossary.Glossary`, so everything
that takes a glossary takes a stack.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from .glossary import Entry, Glossary, Problem, check, resolve_glossary
from .rules import Rule
from .text import match_key


@dataclass(frozen=True)
class Override:
    """A term two stacked glossaries render differently: the later rendering is used."""

    term: str
    kept: Entry
    kept_from: str
    replaced: Entry
    replaced_from: str

    def __str__(self) -> str:
        return (f"{self.term!r} is {self.kept.en!r} ({self.kept_from}, line {self.kept.line}), "
                f"not {self.replaced.en!r} ({self.replaced_from}, line {self.replaced.line})")


@dataclass
class Stack:
    """The stacked glossary and the terms on which a later file overrode an earlier one."""

    glossary: Glossary
    overrides: list[Override]


def stack(glossaries: Sequence[Glossary]) -> Stack:
    """One glossary from several, later ones winning per Vietnamese term.

    The winners come first, so a later file's English forms also win the other way
    round (en->vi), where several rows may share an English form.
    """
    if len(glossaries) == 1:
        return Stack(glossaries[0], [])
    owner: dict[str, tuple[Entry, int]] = {}
    overrides: list[Override] = []
    for n, glossary in enumerate(glossaries):
        for item in (*glossary.entries, *glossary.rules):
            entry = _row(item)
            key = match_key(entry.vi)
            if key in owner and match_key(owner[key][0].en) != match_key(entry.en):
                earlier, m = owner[key]
                overrides.append(Override(entry.vi, entry, glossary.name, earlier, glossaries[m].name))
            owner[key] = (entry, n)
    kept = [item for n in reversed(range(len(glossaries)))
            for item in (*glossaries[n].entries, *glossaries[n].rules) if owner[match_key(_row(item).vi)][1] == n]
    glossary = Glossary([e for e in kept if isinstance(e, Entry)], name="+".join(g.name for g in glossaries),
                        rules=tuple(r for r in kept if isinstance(r, Rule)))
    return Stack(glossary, overrides)


def _row(item: Entry | Rule) -> Entry:
    return item.entry if isinstance(item, Rule) else item


def load_stack(specs: Sequence[str | os.PathLike]) -> Stack:
    """Load glossaries by bundled name or path and stack them in order."""
    return stack([Glossary.load(spec) for spec in specs])


def check_stack(specs: Sequence[str | os.PathLike]) -> list[tuple[Path, Problem]]:
    """Each file's own problems, then, as warnings on the later file, every term that two
    stacked files render differently (what ``vnsum glossary check A B`` prints)."""
    paths = [resolve_glossary(spec) for spec in specs]
    found = [(path, problem) for path in paths for problem in check(path)]
    if len(paths) < 2 or any(p.level == "error" for _, p in found):
        return found
    loaded = [replace(Glossary.load(path), name=str(n)) for n, path in enumerate(paths)]
    for o in stack(loaded).overrides:
        later, earlier = paths[int(o.kept_from)], paths[int(o.replaced_from)]
        found.append((later, Problem(o.kept.line, "warning",
                                     f"{o.term!r} is {o.kept.en!r} here and {o.replaced.en!r} in {earlier} "
                                     f"(line {o.replaced.line}); stacked after it, this file wins")))
    return found
