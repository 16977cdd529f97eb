"""The Markdown and JSON files behind the page's download buttons.

They are written under a folder of the server's own, with fixed names (never a name
from a request), and only the most recent ones are kept, so disk use stays bounded.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
import weakref
from collections import deque
from pathlib import Path

from ..pipeline import ArticleResult
from ..report import to_json, to_markdown


class Downloads:
    """Writes each result's files into a fresh sub-folder and removes the oldest ones."""

    def __init__(self, keep: int = 64):
        self.root = Path(tempfile.mkdtemp(prefix="vnsum-web-"))
        self.keep = keep
        self._folders: deque[Path] = deque()
        self._lock = threading.Lock()
        weakref.finalize(self, shutil.rmtree, self.root, True)

    def write(self, result: ArticleResult) -> tuple[Path, Path]:
        """Paths of the Markdown brief and the JSON of ``result``."""
        folder = Path(tempfile.mkdtemp(dir=self.root))
        name = f"vnsum-{result.src}-{result.tgt}"
        markdown, data = folder / f"{name}.md", folder / f"{name}.json"
        markdown.write_text(to_markdown(result), encoding="utf-8")
        data.write_text(to_json(result), encoding="utf-8")
        with self._lock:
            self._folders.append(folder)
            while len(self._folders) > self.keep:
                shutil.rmtree(self._folders.popleft(), ignore_errors=True)
        return markdown, data
