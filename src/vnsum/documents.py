"""Reading documents and writing results without losing work.

Output files are written to a temporary name and renamed into place, so an
interrupted run never leaves a half-written translation that looks finished.
"""

from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError
from .text import nfc

DOCUMENT_SUFFIXES = (".txt", ".md")


@dataclass(frozen=True)
class Source:
    """A document to process: where it comes from and its name relative to its root."""

    path: Path | None  # None for standard input
    relative: Path

    @property
    def label(self) -> str:
        return str(self.path) if self.path else "<stdin>"


def collect(inputs: list[str]) -> list[Source]:
    """Expand files, folders (their .txt/.md files, recursively) and "-" into sources."""
    sources: list[Source] = []
    for item in inputs or ["-"]:
        if item == "-":
            sources.append(Source(None, Path("stdin.txt")))
            continue
        path = Path(item)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in DOCUMENT_SUFFIXES)
            sources.extend(Source(p, p.relative_to(path)) for p in files)
        elif path.exists():
            sources.append(Source(path, Path(path.name)))
        else:
            raise InputError(f"{item}: no such file or folder")
    return sources


def read_text(source: Source) -> str:
    """The document's text in NFC; a clear InputError for anything that is not text."""
    data = sys.stdin.buffer.read() if source.path is None else source.path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{source.label}: not valid UTF-8 (byte offset {exc.start}); convert it to UTF-8 first"
        ) from None
    if "\x00" in text:
        raise InputError(f"{source.label}: looks like a binary file (it contains NUL bytes)")
    if not text.strip():
        raise InputError(f"{source.label}: the document is empty")
    return nfc(text)


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file in the same folder and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def output_name(relative: Path, src: str, tgt: str, suffix: str | None) -> Path:
    """``bai-viet.vi.txt`` -> ``bai-viet.en.txt``; ``suffix`` replaces the extension."""
    parts = relative.name.split(".")
    if len(parts) >= 3 and parts[-2] == src:
        parts[-2] = tgt
    name = ".".join(parts)
    if suffix:
        name = str(Path(name).with_suffix(suffix))
    return relative.with_name(name)
