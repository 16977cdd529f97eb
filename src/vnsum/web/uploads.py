"""Files sent to the server: which kinds are accepted, where they may be, and their text.

Uploads are read only from the folder the web framework saved them to; a path that
resolves anywhere else (``../../etc/passwd``, a symlink out) is refused, so no request
can make the server read a file of its choosing. Reading itself is
:func:`vnsum.documents.parse_document`, as for the command line.
"""

from __future__ import annotations

from pathlib import Path

from ..documents import DocumentText, parse_document
from ..errors import InputError
from ..formats import READERS
from .errors import RequestTooLarge

DOCUMENT_SUFFIXES = tuple(READERS)
GLOSSARY_SUFFIXES = (".tsv", ".txt", ".csv")


def inside(path: str | Path, root: str | Path) -> Path:
    """``path`` resolved, if it lies in ``root``; an InputError otherwise."""
    resolved, base = Path(path).resolve(), Path(root).resolve()
    if not resolved.is_relative_to(base):
        raise InputError(f"{Path(path).name}: not an uploaded file; only files uploaded to this page are read")
    if not resolved.is_file():
        raise InputError(f"{Path(path).name}: the uploaded file is gone; upload it again")
    return resolved


def check_size(path: Path, max_bytes: int) -> None:
    size = path.stat().st_size
    if size > max_bytes:
        raise RequestTooLarge(f"{path.name} is {size / 1e6:.1f} MB; this server accepts files up to "
                              f"{max_bytes / 1e6:.1f} MB")


def read_upload(path: Path, max_bytes: int, lang: str | None = None) -> DocumentText:
    """The text of an uploaded document and notices about how it was read."""
    if path.suffix.lower() not in DOCUMENT_SUFFIXES:
        raise InputError(f"{path.name}: {path.suffix or 'files without an extension'} cannot be read here; "
                         f"upload one of {', '.join(DOCUMENT_SUFFIXES)}")
    check_size(path, max_bytes)
    return parse_document(path.read_bytes(), path.name, lang=lang)
