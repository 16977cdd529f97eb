"""The files behind the page's download buttons: the side-by-side HTML brief, Markdown, JSON.

They are written under a folder of the server's own, each result in a fresh folder,
and only the most recent ones are kept, so disk use stays bounded. A file is named after
the article's title, folded to ASCII letters, digits and hyphens, so a name from a
request can never leave its folder and saved files can be told apart. A file made
elsewhere from the same result (a Word file with the upload's layout) is written beside
them as bytes.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import threading
import unicodedata
import weakref
from collections import deque
from collections.abc import Mapping
from pathlib import Path

from ..pipeline import ArticleResult
from ..layout.wordfile import build_docx
from ..report import RENDERERS

MAX_NAME = 60


def file_stem(title: str) -> str:
    """"Công an tỉnh Quảng Ninh ra quân" -> "cong-an-tinh-quang-ninh-ra-quan": whole words, at most 60 characters."""
    folded = unicodedata.normalize("NFD", title.replace("đ", "d").replace("Đ", "D"))
    words = re.findall(r"[a-z0-9]+", "".join(c for c in folded if not unicodedata.combining(c)).lower())
    stem = ""
    for word in words:
        if len(stem) + len(word) + 1 > MAX_NAME:
            break
        stem = f"{stem}-{word}" if stem else word
    return stem or "vnsum-article"


def word_file(result: ArticleResult) -> bytes:
    """The translation as a new Word file: the translated title as its heading, then a
    paragraph per line (an uploaded .docx keeps its own layout instead, through
    :meth:`vnsum.web.service.Service.article_docx_job`)."""
    lines = [line.strip() for line in result.translation.text.splitlines() if line.strip()]
    return build_docx(result.title_translation, lines)


class Downloads:
    """Writes each result's files into a fresh sub-folder and removes the oldest ones."""

    def __init__(self, keep: int = 64):
        self.root = Path(tempfile.mkdtemp(prefix="vnsum-web-"))
        self.keep = keep
        self._folders: deque[Path] = deque()
        self._lock = threading.Lock()
        weakref.finalize(self, shutil.rmtree, self.root, True)

    def write(self, result: ArticleResult, made: Mapping[str, bytes] | None = None) -> dict[str, Path]:
        """Each format of :data:`~vnsum.report.RENDERERS` (and each of ``made``, bytes by
        suffix) written as ``<title>.<target language>.<suffix>``: their paths by suffix."""
        folder = Path(tempfile.mkdtemp(dir=self.root))
        name = f"{file_stem(result.title)}.{result.tgt}"
        paths = {}
        for suffix, render in RENDERERS.items():
            paths[suffix] = folder / f"{name}.{suffix}"
            paths[suffix].write_text(render(result), encoding="utf-8")
        for suffix, data in (made or {}).items():
            paths[suffix] = folder / f"{name}.{suffix}"
            paths[suffix].write_bytes(data)
        with self._lock:
            self._folders.append(folder)
            while len(self._folders) > self.keep:
                shutil.rmtree(self._folders.popleft(), ignore_errors=True)
        return paths
