"""Every regular expression vnsum compiles at import time, run on input built against it
(issue 27): a run of dots froze the sentence splitter for hours, because "\\.{3}|[.]"
under "+" gave each run of n dots 1.43**n ways to split. Nested quantifiers over
overlapping alternatives are exponential; a pattern that opens with a run of spaces
("\\s+X") and is tried at every position is quadratic.

Patterns are found, not listed: each module that compiles one at module level is
imported and its patterns collected, those in tuples, lists and dicts too, so a new
one is tested the day it is written. Each is run on runs of the characters and words
it names; the slowest runs are then timed on input 16 times longer, where a linear
pattern takes a few milliseconds and a quadratic one seconds.
"""

from __future__ import annotations

import ast
import importlib
import re
import signal
import time
from pathlib import Path

import pytest

try:
    import re._constants as sre
    import re._parser as sre_parse
except ImportError:  # Python < 3.11
    import sre_constants as sre
    import sre_parse

SRC = Path(__file__).parents[2] / "src"
SCREEN, LONG = 2_000, 32_000
# A linear pass over 32,000 characters takes milliseconds, even on a busy machine; a
# quadratic one takes seconds.
LIMIT = 0.25
# Characters that stand for a class: spaces, letters (one Vietnamese), digits, a stop.
_CATEGORY = {sre.CATEGORY_SPACE: " \t\n", sre.CATEGORY_NOT_SPACE: "a.", sre.CATEGORY_WORD: "aA1_ệ",
             sre.CATEGORY_NOT_WORD: " .-", sre.CATEGORY_DIGIT: "1", sre.CATEGORY_NOT_DIGIT: "a "}
# Runs that defeated patterns before: number marks, codes, spaced stops.
_UNITS = ("1.", "1,", "1/", "a/", "Ab1/", ". ", "a ", " -", ", ", "\t ", "<a", "ZZ1 ")
_ENDINGS = ("", "\x00")  # the end of the text, or a character almost nothing matches


def _compiled_at_import(path: Path) -> bool:
    """Whether a module calls re.compile outside any function or class."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    inner = {id(n) for f in ast.walk(tree) if isinstance(f, (ast.FunctionDef, ast.ClassDef, ast.Lambda))
             for n in ast.walk(f)}
    return any(isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "compile"
               and id(n) not in inner for n in ast.walk(tree))


def _patterns() -> dict[str, re.Pattern]:
    found: dict[str, re.Pattern] = {}
    for path in sorted((SRC / "vnsum").rglob("*.py")):
        if not _compiled_at_import(path):
            continue
        name = ".".join(path.relative_to(SRC).with_suffix("").parts)
        stack = list(vars(importlib.import_module(name)).items())
        while stack:
            attr, value = stack.pop()
            if isinstance(value, re.Pattern):
                found.setdefault(f"{name}.{attr}", value)
            elif isinstance(value, (tuple, list)) and len(value) < 100:
                stack += [(f"{attr}[{i}]", v) for i, v in enumerate(value)]
            elif isinstance(value, dict) and len(value) < 100:
                stack += [(f"{attr}[{k!r}]", v) for k, v in value.items()]
    return found


def _built() -> dict[str, re.Pattern]:
    """Patterns built from glossary terms at run time, from a term of each shape."""
    from vnsum.enforce import phrase_pattern
    from vnsum.metrics.terms import _span_pattern

    return {"enforce.phrase_pattern": phrase_pattern("Ministry of Public Security"),
            "metrics.terms._span_pattern": _span_pattern("Bộ Công an")}


PATTERNS = {**_patterns(), **_built()}


def _atoms(parsed, chars: set[str], words: set[str]) -> None:
    """The characters a parsed pattern names (one for each class) and its literal words."""
    run: list[str] = []
    for op, arg in parsed:
        if op is sre.LITERAL:
            chars.add(chr(arg))
            run.append(chr(arg))
            continue
        if len(run) > 1:
            words.add("".join(run))
        run = []
        if op is sre.IN:
            for kind, value in arg:
                if kind is sre.LITERAL:
                    chars.add(chr(value))
                elif kind is sre.RANGE:
                    chars.update(map(chr, value))
                elif kind is sre.CATEGORY:
                    chars.update(_CATEGORY.get(value, ""))
        elif op is sre.CATEGORY:
            chars.update(_CATEGORY.get(arg, ""))
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            _atoms(arg[2], chars, words)
        elif op is sre.SUBPATTERN:
            _atoms(arg[-1], chars, words)
        elif op is sre.BRANCH:
            for branch in arg[1]:
                _atoms(branch, chars, words)
        elif op in (sre.ASSERT, sre.ASSERT_NOT):
            _atoms(arg[1], chars, words)
        elif op is sre.ATOMIC_GROUP:
            _atoms(arg, chars, words)
    if len(run) > 1:
        words.add("".join(run))


def _attacks(pattern: re.Pattern) -> list[tuple[str, str, str]]:
    """(opening word, repeated unit, ending) triples built from the pattern itself."""
    source = pattern.pattern if isinstance(pattern.pattern, str) else pattern.pattern.decode("latin-1")
    chars, words = set(" a1."), set()
    _atoms(sre_parse.parse(source, pattern.flags), chars, words)
    units = sorted(chars) + list(_UNITS)
    return [(word, unit, end) for word in ["", *sorted(words)] for unit in units for end in _ENDINGS]


class _TooSlow(Exception):
    pass


def _seconds(pattern: re.Pattern, attack: tuple[str, str, str], size: int) -> float:
    """Time to find every match in the attack of about ``size`` characters (the regex
    engine checks for signals, so an exponential run is stopped after a second)."""
    word, unit, end = attack
    text = word + unit * (size // len(unit)) + end
    data = text if isinstance(pattern.pattern, str) else text.encode("utf-8")
    signal.setitimer(signal.ITIMER_REAL, 1.0)
    start = time.perf_counter()
    try:
        for _ in pattern.finditer(data):
            pass
    except _TooSlow:
        return float("inf")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    return time.perf_counter() - start


@pytest.fixture(autouse=True)
def _alarm():
    def stop(*_):
        raise _TooSlow

    previous = signal.signal(signal.SIGALRM, stop)
    yield
    signal.signal(signal.SIGALRM, previous)


def test_the_patterns_are_found():
    assert {"vnsum.segment._BOUNDARY", "vnsum.segment._CLAUSE_BOUNDARIES[2]", "vnsum.literals._NUMBERS['vi']",
            "vnsum.literals._VI_DATES[0][0]", "vnsum.summarize.compress._DOCUMENT_NUMBER"} <= set(PATTERNS)
    assert len(PATTERNS) > 50


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_each_pattern_runs_in_linear_time_on_input_built_against_it(name):
    pattern = PATTERNS[name]
    screened = sorted(((_seconds(pattern, attack, SCREEN), attack) for attack in _attacks(pattern)), reverse=True)
    slowest = [(_seconds(pattern, attack, LONG), attack) for _, attack in screened[:3]]
    seconds, (word, unit, end) = max(slowest)
    assert seconds < LIMIT, f"{name}: {seconds:.2f} s on {word!r} + {unit!r} * {LONG // len(unit):,} + {end!r}"


@pytest.mark.parametrize("text", [
    "Họ và tên:" + "." * 60,  # hours before the fix: 1.43 times longer per dot
    "Chương I" + "." * 10_000 + "5",
    "Xong" + "!?…." * 2_500,
    "Ký tên" + ". " * 5_000,
    "a" + "\t" * 10_000 + "b",
])
def test_the_splitter_is_linear_on_dots_and_spaces(text):
    from vnsum.segment import split_line

    start = time.perf_counter()
    line = split_line(text)
    seconds = time.perf_counter() - start
    assert line.render(line.sentences) == text
    assert seconds < 1  # 60 dots: hours before the fix; 10,000 now take milliseconds
