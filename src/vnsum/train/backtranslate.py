"""Back-translation: monolingual sentences in, a line-aligned file of machine translations out.

Training en->vi on real Vietnamese news whose English side a model wrote (tagged
back-translation) teaches the decoder the genre's Vietnamese, which parallel data
has too little of. 300,000 sentences take hours on two cores, so the run is resumable:
the output file itself is the state. Each finished chunk is appended and synced; a
run that is stopped keeps every complete line, and ``backtranslate`` called again with
the same arguments continues after the last one. A sidecar ``.meta.json`` records the
model and the input, so a continuation with another model cannot mix two models' output
in one file unnoticed.

Outputs the degenerate-output check rejects (loops, runaway length, nothing) are
written as empty lines: the line alignment stays, and training skips pairs with an
empty side.
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
    """What a run did: lines in the output now, lines it translated, lines left empty."""

    output: str
    total: int  # lines the run covers (the input, or its first --limit lines)
    done: int  # lines in the output file now
    translated: int  # lines this call translated
    resumed_from: int  # lines that were already there
    rejected: int  # outputs of this call written as empty lines (degenerate)
    seconds: float

    def to_dict(self) -> dict:
        return asdict(self)


def read_sentences(path: Path, limit: int | None) -> list[str]:
    """The input's lines (the first ``limit``), stripped and NFC."""
    return [nfc(line.strip()) for line in read_lines(path)[:limit]]


def completed_lines(output: Path) -> int:
    """Complete lines already in ``output``; a partial last line (a run killed mid-write) is cut off."""
    if not output.exists():
        return 0
    data = output.read_bytes()
    keep = data.rfind(b"\n") + 1
    if keep < len(data):
        with open(output, "r+b") as f:
            f.truncate(keep)
    return data[:keep].count(b"\n")


def _check_meta(output: Path, meta_path: Path, meta: dict, done: int) -> None:
    """Refuse to continue a file that another model or input started."""
    if not done:
        return
    try:
        before = json.loads(meta_path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        raise UsageError(f"{output} already has {done} lines but no readable "
                         f"{meta_path.name}: it was not written by vnsum backtranslate; choose another output") from None
    changed = [k for k in ("model", "input", "src", "tgt") if before.get(k) != meta[k]]
    if changed:
        raise UsageError(f"{meta_path.name} says the first {done} lines were made with "
                         + ", ".join(f"{k}={before.get(k)!r}" for k in changed)
                         + f", not {', '.join(f'{k}={meta[k]!r}' for k in changed)}: continue with the same "
                           "settings, or choose another output")


def backtranslate(generate: Callable[[Sequence[str]], list[str]], model_key: str, source: Path, output: Path,
                  src: str, tgt: str, *, limit: int | None = None, progress: bool = True) -> BacktranslateResult:
    """Translate ``source`` (one sentence a line, in ``src``) into ``output`` (``tgt``), line for line.

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
    done = completed_lines(output)
    if done > len(sentences):
        raise UsageError(f"{output} has {done} lines, more than the {len(sentences)} it would get from {source}")
    _check_meta(output, meta_path, meta, done)
    meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    rejected = 0
    with open(output, "a", encoding="utf-8") as out, tqdm(
            total=len(sentences), initial=done, unit="sent", file=sys.stderr, disable=not progress,
            dynamic_ncols=True, desc=f"back-translating {src}->{tgt}") as bar:
        for start in range(done, len(sentences), CHUNK):
            chunk = sentences[start:start + CHUNK]
            todo = [i for i, s in enumerate(chunk) if s]
            lines = [""] * len(chunk)
            for i, text in zip(todo, generate([chunk[i] for i in todo])):
                text = " ".join(text.split())
                if degenerate.problem(chunk[i], text) is None:
                    lines[i] = text
                else:
                    rejected += 1
            out.write("".join(line + "\n" for line in lines))
            out.flush()
            os.fsync(out.fileno())
            bar.update(len(chunk))
    return BacktranslateResult(output=str(output), total=len(sentences), done=len(sentences),
                               translated=len(sentences) - done, resumed_from=done, rejected=rejected,
                               seconds=round(time.monotonic() - started, 1))
