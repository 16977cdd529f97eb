"""Training data: parallel files or TSV in, directional examples out.

A pair is one aligned sentence in ``src_lang`` and ``tgt_lang``; an example is one
direction of it (source, target, languages). With ``directions = "both"`` every pair
gives two examples, and the target-language tag tells the model which one it is.
Glossary entries are mixed in as short pairs of their own. A corpus with a machine-made
side (back-translations) gives only the direction out of that side, its sources tagged
with :data:`~vnsum.train.tags.SYNTHETIC`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import InputError, MissingInputError
from ..glossary import Glossary
from ..text import nfc
from .config import Corpus, DataConfig
from .tags import SYNTHETIC


@dataclass(frozen=True)
class Pair:
    """Aligned sentences: ``src`` in the config's src_lang, ``tgt`` in its tgt_lang."""

    src: str
    tgt: str


@dataclass(frozen=True)
class Example:
    """One training direction: translate ``source`` (in ``src``) into ``target`` (in ``tgt``)."""

    source: str
    target: str
    src: str
    tgt: str


def read_lines(path: Path) -> list[str]:
    """The lines of a UTF-8 file, without the newline after the last; errors name the file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise MissingInputError(f"{path}: no such file") from None
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[:exc.start].count(b"\n") + 1
        raise InputError(f"{path}:{line}: not UTF-8 text") from None
    lines = text.split("\n")
    return lines[:-1] if lines and lines[-1] == "" else lines


def read_corpus(corpus: Corpus, langs: tuple[str, str]) -> list[Pair]:
    """The non-empty pairs of a corpus, NFC-normalised. Misaligned files are an error.

    A TSV file's first line is a header when it names the two languages; it says the
    column order (``en<TAB>vi`` files, as ``vnsum backtranslate`` writes from English, are
    read the other way round).
    """
    if corpus.tsv is not None:
        rows = read_lines(corpus.tsv)
        header = [c.strip().lower() for c in rows[0].split("\t")[:2]] if rows else []
        swap = header == list(langs[::-1])
        if swap or header == list(langs):
            rows[0] = ""
        pairs = []
        for number, row in enumerate(rows, 1):
            if not row.strip():
                continue
            cells = row.split("\t")
            if len(cells) < 2:
                raise InputError(f"{corpus.tsv}:{number}: expected a source and a target separated by a tab")
            pairs.append((cells[1], cells[0]) if swap else (cells[0], cells[1]))
    else:
        src, tgt = read_lines(corpus.src), read_lines(corpus.tgt)
        if len(src) != len(tgt):
            raise InputError(f"{corpus.src} has {len(src)} lines but {corpus.tgt} has {len(tgt)}: "
                             "line-aligned files must have the same number of lines")
        pairs = list(zip(src, tgt))
    return [Pair(nfc(s.strip()), nfc(t.strip())) for s, t in pairs if s.strip() and t.strip()]


def directional(pairs: Iterable[Pair], config: DataConfig) -> list[Example]:
    """Examples for the configured directions, forward first for each pair."""
    a, b = config.src_lang, config.tgt_lang
    out = []
    for p in pairs:
        out.append(Example(p.src, p.tgt, a, b))
        if config.directions == "both":
            out.append(Example(p.tgt, p.src, b, a))
    return out


def corpus_examples(corpus: Corpus, pairs: Iterable[Pair], config: DataConfig) -> list[Example]:
    """The examples of one corpus: every configured direction of real pairs; for a corpus
    with a synthetic side, the direction from it with ``<bt>`` before the source (tagged
    back-translation), and the direction into it only with ``synthetic_targets``."""
    examples = directional(pairs, config)
    if corpus.synthetic is None:
        return examples
    return [replace(ex, source=f"{SYNTHETIC} {ex.source}") if ex.src == corpus.synthetic else ex
            for ex in examples if ex.src == corpus.synthetic or corpus.synthetic_targets]


def glossary_pairs(glossary: Glossary, config: DataConfig) -> list[Pair]:
    """The glossary's own entries as pairs, repeated ``glossary_repeat`` times."""
    pairs = [Pair(e.side(config.src_lang), e.side(config.tgt_lang)) for e in glossary.entries]
    return pairs * config.glossary_repeat
