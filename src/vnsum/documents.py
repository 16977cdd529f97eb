"""Reading documents and writing results without losing work.

Documents come as text in any encoding vnsum recognises, web pages or Word files (see
:mod:`vnsum.formats`); each is read into NFC text with notices about what was done to
it (a legacy encoding converted, control characters removed, the wrong language). The
CLI, the Python API and the web app all read through :func:`parse_document`.

Output files are written to a temporary name and renamed into place, so an
interrupted run never leaves a half-written translation that looks finished.
"""

from __future__ import annotations

import errno
import os
import re
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from .errors import InputError, MissingInputError, OutputError
from .formats import READERS, reader_for
from .language import AUTO, NAMES, language_notice, other
from .text import is_blank, nfc

DOCUMENT_SUFFIXES = tuple(READERS)  # what a folder is searched for: .txt .md .html .htm .docx
# Web pages and Word files are read as text, so their text output is a .txt file
# (a --format docx or html output gets that format's extension instead).
_BECOME_TEXT = (".html", ".htm", ".docx")



@dataclass(frozen=True)
class Source:
    """A document to process: where it comes from and its name relative to its root.

    ``notices`` are what reading it found and ``lang`` its language (both set by the
    batch runner once it is read).
    """

    path: Path | None  # None for standard input
    relative: Path
    notices: tuple[str, ...] = ()
    lang: str | None = None  # the language it was read as (detected with source "auto")

    @property
    def label(self) -> str:
        return str(self.path) if self.path else "<stdin>"

    @property
    def name(self) -> str:
        """The file name its format is judged by (``stdin.txt`` for standard input)."""
        return self.path.name if self.path else self.relative.name


class DocumentText(NamedTuple):
    """A document's text (NFC) and what the user should know about how it was read."""

    text: str
    notices: tuple[str, ...]


def collect(inputs: list[str], leave_out: Path | None = None) -> list[Source]:
    """Expand files, folders (their documents, recursively) and "-" into sources.

    Documents under ``leave_out`` (the output folder, when it lies inside an input
    folder) are not searched for: a rerun must not translate its own earlier outputs.
    """
    skipped = leave_out.resolve() if leave_out is not None else None
    sources: list[Source] = []
    for item in inputs or ["-"]:
        if item == "-":
            sources.append(Source(None, Path("stdin.txt")))
            continue
        path = Path(item)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in DOCUMENT_SUFFIXES
                           and not (skipped and p.resolve().is_relative_to(skipped)))
            sources.extend(Source(p, p.relative_to(path)) for p in files)
        elif path.exists():
            sources.append(Source(path, Path(path.name)))
        else:
            raise MissingInputError(f"{item}: no such file or folder")
    return sources


def load_bytes(source: Source) -> bytes:
    """The raw bytes of a source; an InputError naming it when it cannot be read."""
    if source.path is None:
        return sys.stdin.buffer.read()
    try:
        return source.path.read_bytes()
    except IsADirectoryError:
        raise InputError(f"{source.label}: is a folder, not a document") from None
    except OSError as exc:
        raise InputError(f"{source.label}: cannot be read ({exc.strerror or exc})") from None


# C0/C1 control characters other than tab and line ends; the vertical tab is Word's
# line break inside a paragraph and the form feed a page break: both become line ends.
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ufeff]")


def clean_text(text: str) -> tuple[str, tuple[str, ...]]:
    """``text`` in NFC without control characters, and a notice if any were removed."""
    text = nfc(text).replace("\x0b", "\n").replace("\x0c", "\n")
    cleaned, removed = _CONTROLS.subn("", text)
    return cleaned, (f"removed {removed} control character(s)",) if removed else ()


def parse_document(data: bytes, name: str, *, label: str | None = None, lang: str | None = None) -> DocumentText:
    """Read a document's bytes by the extension of ``name`` (.txt, .md, .html, .htm, .docx;
    anything else as text) into NFC text and notices.

    ``lang`` ("vi" or "en"), when given, adds a notice if the text does not look like
    it. Raises InputError (naming ``label``, default ``name``) for anything that is not
    a document: empty, binary, undecodable, an unreadable format.
    """
    label = label or name
    suffix = Path(name).suffix
    decoded = reader_for(suffix, label)(data, label)
    text, cleaned = clean_text(decoded.text)
    if is_blank(text):
        why = ("" if not data else " (only whitespace)" if not decoded.text.strip()
               else " (only control characters)" if not text.strip()
               else " (only zero-width or other invisible characters)")
        raise InputError(f"{label}: the document is empty{why}")
    notices = (*decoded.notices, *cleaned)
    if lang is not None and (warning := language_notice(text, lang)):
        notices = (*notices, warning)
    return DocumentText(text, notices)


def read_source(source: Source, *, lang: str | None = None) -> DocumentText:
    """Read a :class:`Source` (a file or standard input): see :func:`parse_document`."""
    return parse_document(load_bytes(source), source.name, label=source.label, lang=lang)


def read_document(path: str | os.PathLike, *, lang: str | None = None) -> DocumentText:
    """Read a document file for the Python API: ``text, notices = read_document("a.docx")``."""
    path = Path(path)
    return read_source(Source(path, Path(path.name)), lang=lang)


def read_text(source: Source) -> str:
    """The document's text in NFC, without its notices (prefer :func:`read_source`)."""
    return read_source(source).text


def _new_file_mode() -> int:
    """0o666 less the process's umask, which can only be read by setting it."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def write_atomic(path: Path, text: str | bytes) -> None:
    """Write ``text`` (UTF-8; bytes as they are: a Word file) to ``path`` via a temporary
    file in the same folder and a rename.

    Either the whole file is there or nothing is: a full disk, a missing permission or
    a killed process leaves no partial output (at worst a hidden ``.NAME.*.tmp`` that
    :func:`remove_stale_temporaries` clears). The file gets the mode any other tool would
    give it (that of the file it replaces, else 0666 less the umask), not mkstemp's 0600:
    colleagues and web servers must be able to read what vnsum writes.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        os.fchmod(fd, path.stat().st_mode & 0o777 if path.is_file() else _new_file_mode())
    except OSError as exc:
        raise OutputError(f"{path}: cannot write the output ({_why(exc)})") from None
    try:
        with (os.fdopen(fd, "wb") if isinstance(text, bytes)
              else os.fdopen(fd, "w", encoding="utf-8", newline="")) as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"{path}: cannot write the output ({_why(exc)}); nothing was written") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _why(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "no space left on the disk"
    return exc.strerror or str(exc)


_TEMPORARY = re.compile(r"^\.(?P<name>.+)\.[^.]+\.tmp$")


def remove_stale_temporaries(outputs: Iterable[Path]) -> int:
    """Delete temporary files a killed run left beside these outputs; return how many.

    Only names :func:`write_atomic` makes for exactly these outputs are touched.
    """
    wanted: dict[Path, set[str]] = {}
    for path in outputs:
        wanted.setdefault(path.parent, set()).add(path.name)
    removed = 0
    for folder, names in wanted.items():
        if not folder.is_dir():
            continue
        for entry in folder.iterdir():
            match = _TEMPORARY.match(entry.name)
            if match and match.group("name") in names and entry.is_file():
                entry.unlink(missing_ok=True)
                removed += 1
    return removed


def output_name(relative: Path, src: str, tgt: str | None, suffix: str | None) -> Path:
    """``bai-viet.vi.txt`` -> ``bai-viet.en.txt``; ``suffix`` replaces the extension.

    With ``src`` "auto" (named before the file is read and its language detected) the
    name's own language tag is swapped: ``news.en.txt`` -> ``news.vi.txt``; ``tgt`` None
    is the other language. Web pages and Word files become text, so with no ``suffix``
    they get ``.txt``.
    """
    parts = relative.name.split(".")
    if len(parts) >= 3 and (parts[-2] == src or (src == AUTO and parts[-2] in NAMES)):
        parts[-2] = tgt or other(parts[-2])
    name = ".".join(parts)
    if suffix is None and Path(name).suffix.lower() in _BECOME_TEXT:
        suffix = ".txt"
    if suffix:
        name = str(Path(name).with_suffix(suffix))
    return relative.with_name(name)
