"""Back-translation: monolingual sentences in, a TSV of sentence and machine translation out.

Training en->vi on real Vietnamese news whose English side a model wrote (tagged
back-translation) teaches the decoder the genre's Vietnamese, which parallel data
has too little of. The output is a corpus ``vnsum train`` reads as it is
(``[[data.train]] tsv = …, synthetic = "en"``): a header naming the two languages,
then each input sentence beside its translation.

300,000 sentences take hours on two cores, so the run is resumable: the output file
itself is the state. Each finished chunk is appended and synced; a run that is stopped
keeps every complete line, and ``backtranslate`` called again with the same arguments
continues after the last one. A sidecar ``.meta.json`` records the model and the input,
so a continuation with another model cannot mix two models' output in one file unnoticed.

Outputs the degenerate-output check rejects (loops, runaway length, nothing) are
written as empty translations, which training skips.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from .. import degenerate
from ..errors import UsageError
from ..text import nfc
from .data import read_lines

CHUNK = 256  # sentences decoded and synced at a time: what a stop can lose at most


@dataclass(frozen=True)
class BacktranslateResult:
    """What a run did: sentences in the output now, sentences it translated, outputs rejected."""

    output: str
    total: int  # sentences the run covers (the input's lines, or its first --limit)
    done: int  # sentences in the output file now
    translated: int  # sentences this call translated
    resumed_from: int  # sentences that were already there
    rejected: int  # outputs of this call written as empty translations (degenerate)
    seconds: float

    def to_dict(self) -> dict:
        return asdict(self)


def read_sentences(path: Path, limit: int | None) -> list[str]:
    """The input's lines (the first ``limit``), NFC, whitespace (tabs too) made single spaces."""
    return [" ".join(nfc(line).split()) for line in read_lines(path)[:limit]]


def completed_rows(output: Path) -> int:
    """Sentences already in ``output`` (lines after the header); a partial last line (a run
    killed mid-write) is cut off."""
    if not output.exists():
        return 0
    data = output.read_bytes()
    keep = data.rfind(b"\n") + 1
    if keep < len(data):
        with open(output, "r+b") as f:
            f.truncate(keep)
    return max(data[:keep].count(b"\n") - 1, 0)


def _check_started(output: Path, meta_path: Path, meta: dict) -> None:
    """Refuse to touch a file that another model, input or program started."""
    if not output.exists() or not output.stat().st_size:
        return
    try:
        before = json.loads(meta_path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        raise UsageError(f"{output} already exists but has no readable {meta_path.name}: it was not written by "
                         "vnsum backtranslate; choose another output") from None
    changed = [k for k in ("model", "input", "src", "tgt") if before.get(k) != meta[k]]
    if changed:
        raise UsageError(f"{meta_path.name} says {output.name} was started with "
                         + ", ".join(f"{k}={before.get(k)!r}" for k in changed)
                         + f", not {', '.join(f'{k}={meta[k]!r}' for k in changed)}: continue with the same "
                           "settings, or choose another output")


def backtranslate(generate: Callable[[Sequence[str]], list[str]], model_key: str, source: Path, output: Path,
                  src: str, tgt: str, *, limit: int | None = None, progress: bool = True) -> BacktranslateResult:
    """Translate ``source`` (one sentence a line, in ``src``) into ``output`` (``src<TAB>tgt`` rows).

    ``generate`` translates a batch of sentences; ``model_key`` names what translates
    (the backend's memory key), so a continuation can check it is the same model.
    """
    import time

    from tqdm import tqdm

    started = time.monotonic()
    sentences = read_sentences(source, limit)
    output.parent.mkdir(parents=True, exist_ok=True)
    meta_path = output.with_name(output.name + ".meta.json")
    meta = {"model": model_key, "input": str(source.resolve()), "src": src, "tgt": tgt}
    _check_started(output, meta_path, meta)
    done = completed_rows(output)
    if done > len(sentences):
        raise UsageError(f"{output} has {done} sentences, more than the {len(sentences)} it would get from {source}")
    meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    if not done:
        output.write_text(f"{src}\t{tgt}\n", encoding="utf-8")
    rejected = 0
    with open(output, "a", encoding="utf-8") as out, tqdm(
            total=len(sentences), initial=done, unit="sent", file=sys.stderr, disable=not progress,
            dynamic_ncols=True, desc=f"back-translating {src}->{tgt}") as bar:
        for start in range(done, len(sentences), CHUNK):
            chunk = sentences[start:start + CHUNK]
            todo = [i for i, s in enumerate(chunk) if s]
            translations = [""] * len(chunk)
            for i, text in zip(todo, generate([chunk[i] for i in todo])):
                text = " ".join(text.split())
                if degenerate.problem(chunk[i], text) is None:
                    translations[i] = text
                else:
                    rejected += 1
            out.write("".join(f"{sentence}\t{line}\n" for sentence, line in zip(chunk, translations)))
            out.flush()
            os.fsync(out.fileno())
            bar.update(len(chunk))
    return BacktranslateResult(output=str(output), total=len(sentences), done=len(sentences),
                               translated=len(sentences) - done, resumed_from=done, rejected=rejected,
                               seconds=round(time.monotonic() - started, 1))
