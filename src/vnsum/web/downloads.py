"""The Markdown and JSON files behind the page's download buttons.

They are written under a folder of the server's own, each result in a fresh folder,
and only the most recent ones are kept, so disk use stays bounded. A file is named after
the article's title, folded to ASCII letters, digits and hyphens, so a name from a
request can never leave its folder and saved files can be told apart.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import threading
import unicodedata
import weakref
from collections import deque
from pathlib import Path

from ..pipeline import ArticleResult
from ..report import to_json, to_markdown

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


class Downloads:
    """Writes each result's files into a fresh sub-folder and removes the oldest ones."""

    def __init__(self, keep: int = 64):
        self.root = Path(tempfile.mkdtemp(prefix="vnsum-web-"))
        self.keep = keep
        self._folders: deque[Path] = deque()
        self._lock = threading.Lock()
        weakref.finalize(self, shutil.rmtree, self.root, True)

    def write(self, result: ArticleResult) -> tuple[Path, Path]:
        """Paths of the Markdown brief and the JSON of ``result``: ``<title>.<target language>.md|json``."""
        folder = Path(tempfile.mkdtemp(dir=self.root))
        name = f"{file_stem(result.title)}.{result.tgt}"
        markdown, data = folder / f"{name}.md", folder / f"{name}.json"
        markdown.write_text(to_markdown(result), encoding="utf-8")
        data.write_text(to_json(result), encoding="utf-8")
        with self._lock:
            self._folders.append(folder)
            while len(self._folders) > self.keep:
                shutil.rmtree(self._folders.popleft(), ignore_errors=True)
        return markdown, data
