"""The passes a batch of sentences goes through: the first decoding, then the retries.

A small model loses glossary placeholders and drops parts of long sentences, so a
sentence that comes back with a term missed or something left out is decoded again,
differently. Every pass is a row of :data:`PASSES`, in order; each picks the sentences
it can help, decodes them in one batch with :func:`decode` (the retries with at most
two beams, :data:`RETRY_DECODING`) and keeps a new result only when it is better by the
pass's own test:

==========  ===========================================================  ===================
pass        sentences, decoded how                                        kept when
==========  ===========================================================  ===================
first       all, masked, cut to the input limit, the backend's beam      always
terms       a term missed: that term's treatment switched (unmasked for  no term fewer
            a model that dropped its placeholder, masked for one told
            its rendering that missed it)
clauses     still a term missed: cut into clauses of at most two          one term more
            placeholders each
codes       still a term missed: cut after every placeholder (a small     one term more
            model drops the last codes of a long list of officials)
omissions   a number, name, quote or clause left out                     less left out, no
            (:mod:`vnsum.omissions`): clause by clause                   term fewer
==========  ===========================================================  ===================

Inside every pass, an output that is degenerate (a loop, a runaway, nothing;
:mod:`vnsum.degenerate`) is decoded once more with settings against repeats, and only
those. A piece already decoded by an earlier pass of the same call is not decoded
again. :func:`run` returns a :class:`PassReport` per pass (what it tried, decoded, kept
and how long it took): the profile in eval/README.md is made of them.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace

from . import articles
from .backends import Backend
from .backends.base import Decoding, score_of
from .degenerate import DEGENERATE, RETRIED, RETRY, choose, problem
from .enforce import APPLIED, MISSED, PLACEHOLDER, PLACEHOLDER_PATTERN, REPAIRED, Masked, mask, repair, restore
from .glossary import TermMatch
from .literals import NUMERIC_KINDS, tidy
from .memory import TermRecord
from .omissions import left_out, omissions
from .segment import split_clauses, split_long

log = logging.getLogger(__name__)

# Room left under the model's input limit for prefixes and special tokens.
_TOKEN_MARGIN = 8
# How the retry passes decode: at most two beams. Measured on vlsp20-news-tst with vnsum-mini
# (eval/README.md §8): BLEU and term success as with the first pass's four beams, and the
# real article 1.49x -> 1.33x its raw decode; greedy retries cost en->vi 0.14 BLEU.
RETRY_DECODING = Decoding(beam_size=2)
# Placeholders per piece when a sentence that lost terms is cut into clauses.
CLAUSE_CODES = 2
# A placeholder and the punctuation and space after it: the end of a piece cut at codes.
_CODE_PIECE = re.compile(PLACEHOLDER_PATTERN.pattern + r"[,;:.!?]?\s*")
# Words a model capitalises at the start of a piece that is not the start of a sentence.
_FUNCTION_WORDS = frozenset("The A An And Or But In On At Of With About Between For To From By As "
                            "Các Những Và Của Với Tại Trong Về Cho Theo Là".split())
# Where a piece's own ending meets the source's: "Hoai,," and ";," read as one stop.
_DOUBLED_STOP = re.compile(r"([,;:])(?:\s*[,;:])+")


@dataclass
class Sentence:
    """Work state of one sentence while a batch of documents is translated."""

    doc: int
    line: int
    source: str
    matches: list[TermMatch] = field(default_factory=list)
    masked: Masked | None = None
    pieces: list[str] = field(default_factory=list)  # masked, cut to the input limit by the first pass
    target: str | None = None
    terms: list[TermRecord] = field(default_factory=list)
    by_rule: bool = False  # copied or rendered by rule, never sent to the model
    flag: str = ""  # retried / degenerate: how the decoding went
    confidence: float | None = None
    lost: list[str] = field(default_factory=list)  # "missing: clause 2": pieces that came back empty
    first_missed: frozenset[int] = frozenset()  # the terms the first pass lost: later finds are repairs
    flags: list[str] = field(default_factory=list)  # everything to check, set once the passes are done

    def enforced(self, candidate: Candidate) -> None:
        self.target, self.flag = candidate.text, candidate.flag
        self.confidence, self.lost = candidate.confidence, candidate.lost
        self.terms = [(m.text, m.target, m.entry.kind, s) for m, s in zip(self.matches, candidate.statuses)]

    def missed(self) -> frozenset[int]:
        """The matches whose rendering is not in the current target."""
        return frozenset(i for i, (*_, status) in enumerate(self.terms) if status == MISSED)

    def kept(self) -> int:
        return sum(status != MISSED for *_, status in self.terms)

    def omitted(self, src: str, tgt: str) -> list[str]:
        """What the current target lacks: empty pieces, then the checks of :mod:`vnsum.omissions`."""
        return missing(self.source, self.target or "", self.lost, src, tgt)

    def check(self, src: str, tgt: str) -> None:
        """Set ``flags``: the decoding's flag, lost terms, and what else is missing."""
        lost_terms = [f'missing: term "{source}"' for source, _, kind, status in self.terms
                      if status == MISSED and kind not in NUMERIC_KINDS]
        self.flags = [*([self.flag] if self.flag else []), *lost_terms, *self.omitted(src, tgt)]


@dataclass
class Candidate:
    """One decoding of a sentence, joined, restored and checked: what a pass may keep."""

    text: str
    statuses: list[str]
    flag: str
    confidence: float | None
    lost: list[str]

    @property
    def kept(self) -> int:
        return sum(s != MISSED for s in self.statuses)


@dataclass(frozen=True)
class Try:
    """A sentence to decode in a pass: its masking and the pieces it is sent in."""

    sentence: Sentence
    masked: Masked
    pieces: list[str]


@dataclass
class Context:
    """What the passes of one call share: the backend, the direction, and every piece
    decoded so far (a piece sent again by a later pass is not decoded twice)."""

    backend: Backend
    src: str
    tgt: str
    decoded: dict[str, tuple[str, str, float | None]] = field(default_factory=dict)
    degenerate: int = 0  # outputs decoded again because they were degenerate
    decoding: float = 0.0  # seconds spent in the backend's generate

    def cut(self, text: str, codes: int | None = None) -> list[str]:
        """``text`` cut at clause boundaries into pieces within the model's input limit and,
        if ``codes`` is given, holding at most that many placeholders each (0: cut after
        every placeholder)."""
        limit = self.backend.max_input_tokens - _TOKEN_MARGIN
        pieces = split_long(text, lambda piece: self.backend.count_tokens(piece) <= limit and (
            not codes or len(PLACEHOLDER_PATTERN.findall(piece)) <= codes))
        if codes == 0:
            pieces = [part for piece in pieces for part in _at_codes(piece)]
        return [p.strip() for p in pieces if p.strip()]


@dataclass(frozen=True)
class Pass:
    """One row of the ladder: which sentences it tries, and when it keeps the result."""

    name: str
    tries: Callable[[Context, list[Sentence]], list[Try]]
    better: Callable[[Context, Sentence, Candidate], bool]
    placeholders_only: bool = False  # cutting at placeholders helps only a model that gets them
    retry: bool = True  # decoded with RETRY_DECODING (the first pass: with the backend's own beam)


@dataclass(frozen=True)
class PassReport:
    """What one pass did in one call."""

    name: str
    sentences: int  # tried
    pieces: int  # sent, counting repeats
    decoded: int  # decoded by the model (new pieces, degenerate ones again included)
    kept: int  # sentences whose result the pass replaced
    seconds: float
    decoding: float  # of which in the model (the rest: cutting, restoring, checking)


def _first(ctx: Context, todo: list[Sentence]) -> list[Try]:
    for w in todo:
        w.pieces = ctx.cut(w.masked.text)
    return [Try(w, w.masked, w.pieces) for w in todo]


def _terms(ctx: Context, todo: list[Sentence]) -> list[Try]:
    tries = []
    for w in todo:
        w.first_missed = w.missed()
        if w.first_missed:
            masked = mask(w.source, w.matches, unmasked=told(ctx.backend, w.matches) ^ w.first_missed)
            tries.append(Try(w, masked, ctx.cut(masked.text)))
    return tries


def _at_most(codes: int) -> Callable[[Context, list[Sentence]], list[Try]]:
    def tries(ctx: Context, todo: list[Sentence]) -> list[Try]:
        return [Try(w, w.masked, pieces) for w in todo
                if w.missed() and len(pieces := ctx.cut(w.masked.text, codes)) > 1]
    return tries


def _omissions(ctx: Context, todo: list[Sentence]) -> list[Try]:
    return [Try(w, w.masked, pieces) for w in todo if left_out(w.omitted(ctx.src, ctx.tgt))
            and len(pieces := [c for p in w.pieces for c in split_clauses(p) if c.strip()]) > len(w.pieces)]


def _gains(gain: int) -> Callable[[Context, Sentence, Candidate], bool]:
    """Keep a candidate that gets at least ``gain`` more terms right than the sentence has now."""
    return lambda ctx, w, new: new.kept >= w.kept() + gain


def _leaves_out_less(ctx: Context, w: Sentence, new: Candidate) -> bool:
    return new.kept >= w.kept() and (len(left_out(missing(w.source, new.text, new.lost, ctx.src, ctx.tgt)))
                                     < len(left_out(w.omitted(ctx.src, ctx.tgt))))


PASSES: tuple[Pass, ...] = (
    Pass("first", _first, lambda ctx, w, new: True, retry=False),
    Pass("terms", _terms, _gains(0)),
    Pass("clauses", _at_most(CLAUSE_CODES), _gains(1), placeholders_only=True),
    Pass("codes", _at_most(0), _gains(1), placeholders_only=True),
    Pass("omissions", _omissions, _leaves_out_less),
)


def run(backend: Backend, todo: list[Sentence], src: str, tgt: str) -> list[PassReport]:
    """Put ``todo`` through :data:`PASSES` in order, then set every sentence's flags."""
    ctx = Context(backend, src, tgt)
    reports = []
    for row in PASSES:
        if row.placeholders_only and not backend.placeholders:
            continue
        started, decoded, decoding = time.perf_counter(), len(ctx.decoded) + ctx.degenerate, ctx.decoding
        tries = row.tries(ctx, todo)
        kept = _attempt(ctx, tries, row.better, RETRY_DECODING if row.retry else None) if tries else 0
        reports.append(PassReport(row.name, len(tries), sum(len(t.pieces) for t in tries),
                                  len(ctx.decoded) + ctx.degenerate - decoded, kept,
                                  time.perf_counter() - started, ctx.decoding - decoding))
    for w in todo:
        w.check(src, tgt)
    return reports


def _attempt(ctx: Context, tries: list[Try], better: Callable[[Context, Sentence, Candidate], bool],
             decoding: Decoding | None = None) -> int:
    """Decode every try's pieces in one batch; keep each result that is ``better`` than what
    its sentence has now (the first result of a sentence always). Returns how many were kept."""
    outputs = decode(ctx, [p for t in tries for p in t.pieces],
                     _renderings((t.pieces, t.masked, t.sentence.matches) for t in tries), decoding)
    kept = 0
    for t in tries:
        w = t.sentence
        joined = _joined(outputs, t.pieces)
        text, statuses = verify(joined.text, t.masked, w.matches, w.first_missed)
        if ctx.tgt == "en":
            text = articles.complete(text, [(m.target, m.entry.kind) for m, s in zip(w.matches, statuses)
                                            if s != MISSED])
        candidate = replace(joined, text=tidy(text, ctx.tgt), statuses=statuses,
                            flag=joined.flag or (w.flag if w.first_missed else ""))
        if w.target is None or better(ctx, w, candidate):
            w.enforced(candidate)
            kept += 1
    return kept


def told(backend: Backend, matches: list[TermMatch]) -> frozenset[int]:
    """The matches left in the text on the first pass: none for a model that copies
    placeholders; all for one told the renderings instead (``placeholders = False``)."""
    return frozenset() if backend.placeholders else frozenset(range(len(matches)))


def verify(output: str, masked: Masked, matches: list[TermMatch],
           lost: frozenset[int] = frozenset()) -> tuple[str, list[str]]:
    """The output with placeholders restored and renderings checked, and a status per match.

    A restored placeholder is applied. A term left in the text is searched for: applied
    when its rendering is there as the glossary writes it and the model was told it,
    repaired when a variant was rewritten. On the first pass a masked term whose
    placeholder is gone is missed (the retry deals with it); on the retry (``lost``: the
    terms missed the first time) every term not restored is searched for, and a lost
    term found now counts as repaired.
    """
    _, restored = restore(output, masked)
    told_ = frozenset(range(len(matches))) - frozenset(masked.terms.values())
    statuses = [(REPAIRED if i in lost else APPLIED) if i in restored else MISSED for i in range(len(matches))]
    searched = [i for i in range(len(matches)) if i not in restored and (lost or i in told_)]
    # Searched before the placeholders are put back, so that a restored rendering is
    # never taken for another occurrence of the same term.
    output, found = repair(output, [matches[i] for i in searched],
                           exact=[APPLIED if i in told_ - lost else REPAIRED for i in searched])
    for i, status in zip(searched, found):
        statuses[i] = status
    return restore(output, masked)[0], statuses


def _renderings(sentences: Iterable[tuple[list[str], Masked, list[TermMatch]]]) -> dict[str, dict[str, str]]:
    """Per piece of text, the glossary terms left in it (not masked) and their renderings:
    what a backend that takes renderings (an LLM) is told to write."""
    out: dict[str, dict[str, str]] = {}
    for pieces, masked, matches in sentences:
        told_ = [m for i, m in enumerate(matches) if i not in masked.terms.values()]
        for piece in pieces:
            out.setdefault(piece, {}).update({m.text: m.target for m in told_ if m.text in piece})
    return out


def decode(ctx: Context, pieces: list[str], renderings: dict[str, dict[str, str]],
           decoding: Decoding | None = None) -> Iterator[tuple[str, str, float | None]]:
    """Run the backend once over the pieces not decoded yet in this call and yield (output,
    flag, score) for every piece in input order (score: the model's, None when it gives
    none or nothing was decoded).

    The backend is also told each piece's ``renderings`` (an LLM's prompt lists them).
    Degenerate outputs (see :mod:`vnsum.degenerate`) are decoded again, in one call,
    with settings against repeats; the better candidate is kept and flagged.
    """
    done = ctx.decoded
    done.update({p: (p, "", None) for p in pieces if nothing_to_translate(p)})  # "ZZ6, " cut from a list
    unique = [p for p in dict.fromkeys(pieces) if p not in done]
    if not unique:
        return iter([done[p] for p in pieces])

    def generate(texts: list[str], decoding=None) -> list[tuple[str, float | None]]:
        sent = [_from_zero(t) for t in texts]
        started = time.perf_counter()
        outputs = ctx.backend.generate([text for text, _ in sent], ctx.src, ctx.tgt, decoding,
                                       renderings=[renderings.get(t, {}) for t in texts])
        ctx.decoding += time.perf_counter() - started
        return [(_numbered_back(output, codes), score_of(output)) for output, (_, codes) in zip(outputs, sent)]

    first = generate(unique, decoding)
    outputs, scores = [o for o, _ in first], [sc for _, sc in first]
    flags = [""] * len(unique)
    bad = [i for i, (piece, output) in enumerate(zip(unique, outputs)) if problem(piece, output)]
    if bad:
        ctx.degenerate += len(bad)
        again = generate([unique[i] for i in bad], RETRY)
        for i, (output, score) in zip(bad, again):
            outputs[i], flags[i] = choose(unique[i], outputs[i], output)
            if outputs[i] == output:
                scores[i] = score
        log.info("%d of %d outputs were degenerate: %d fixed by a second decoding", len(bad), len(unique),
                 sum(flags[i] == RETRIED for i in bad))
    done.update(zip(unique, zip(outputs, flags, scores)))
    return iter([done[p] for p in pieces])


def _from_zero(piece: str) -> tuple[str, list[str]]:
    """``piece`` with its placeholders numbered ZZ0, ZZ1… in order, and the numbers they
    had: a clause "giữa ZZ6 và ZZ7" is sent as "giữa ZZ0 và ZZ1", the numbering the model
    trained on (it drops the rarely seen high numbers even in a short piece)."""
    codes: list[str] = []

    def renumber(m: re.Match) -> str:
        codes.append(m.group(1))
        return PLACEHOLDER.format(len(codes) - 1)

    return PLACEHOLDER_PATTERN.sub(renumber, piece), codes


def _numbered_back(output: str, codes: list[str]) -> str:
    """The output with the numbers of :func:`_from_zero` put back; a placeholder the model
    invented gets a number no rendering has, so that restoring drops it (a run of
    thousands of digits too, which ``int`` would refuse). A piece sent without
    placeholders comes back as the model wrote it."""
    if not codes:
        return output

    def back(m: re.Match) -> str:
        digits = m.group(1)
        return PLACEHOLDER.format(codes[int(digits)] if len(digits) < 7 and int(digits) < len(codes) else 10**6)

    return PLACEHOLDER_PATTERN.sub(back, output)


def _at_codes(piece: str) -> list[str]:
    """``piece`` cut after each placeholder: "đồng chí ZZ5, ZZ6 đồng chủ trì." gives
    "đồng chí ZZ5, ", "ZZ6 " and "đồng chủ trì.": a code the model keeps dropping before
    a verb is copied, and the words before a code stay with it (a lone "đồng chí" is
    no sentence a small model can translate)."""
    cuts = sorted({0, len(piece), *(m.end() for m in _CODE_PIECE.finditer(piece))})
    return [piece[a:b] for a, b in zip(cuts, cuts[1:])]


def nothing_to_translate(piece: str) -> bool:
    """True for a piece of placeholders, numbers and punctuation only: it is its own
    translation (a lone title cut out of a list of officials)."""
    return not any(ch.isalpha() for ch in PLACEHOLDER_PATTERN.sub("", piece))


def _joined(outputs: Iterator[tuple[str, str, float | None]], pieces: list[str]) -> Candidate:
    """The next ``len(pieces)`` outputs joined into one sentence, with the worst flag and the
    lowest score among them (a sentence is as doubtful as its weakest piece), and
    ``missing: clause k`` for each piece with words that came back without any."""
    parts = [next(outputs) for _ in pieces]
    flags = {flag for _, flag, _ in parts}
    flag = DEGENERATE if DEGENERATE in flags else RETRIED if RETRIED in flags else ""
    texts = [_inside(text.strip(), piece.strip(), first=k == 0, last=k == len(pieces) - 1)
             for k, ((text, _, _), piece) in enumerate(zip(parts, pieces))]
    scores = [score for _, _, score in parts if score is not None]
    lost = [f"missing: clause {k}" for k, ((text, _, _), piece) in enumerate(zip(parts, pieces), 1)
            if len(pieces) > 1 and not nothing_to_translate(piece) and not any(c.isalpha() for c in text)]
    return Candidate(_DOUBLED_STOP.sub(r"\1", " ".join(t for t in texts if t)), [], flag,
                     min(scores) if scores else None, lost)


def missing(source: str, text: str, lost: list[str], src: str, tgt: str) -> list[str]:
    """Pieces that came back empty (``lost``), then what :func:`vnsum.omissions.omissions` finds."""
    return [*lost, *omissions(source, text, src, tgt)]


def _inside(output: str, piece: str, first: bool, last: bool) -> str:
    """A piece's output fitted to its place in the sentence: a model writes each piece as
    a sentence of its own ("On ZZ0, at ZZ1." for "Ngày ZZ0, tại ZZ1,"). Unless the piece
    ends the sentence, a closing full stop becomes the piece's own ending (a comma, or
    nothing); unless it starts it, a capitalised function word goes lower case."""
    if not last and output.endswith(".") and not piece.endswith((".", "!", "?", "…")):
        output = output[:-1] + (piece[-1] if piece[-1:] in ",;:" else "")
    head = output.split(maxsplit=1)[0] if output else ""
    if not first and head in _FUNCTION_WORDS and piece[:1].islower():
        output = head.lower() + output[len(head):]
    return output
