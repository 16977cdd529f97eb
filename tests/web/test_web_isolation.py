"""An upload that reads for too long is stopped, not only answered (issue 27): the page
reads files in a worker process killed at the deadline. Before, the gate answered 503
while the reading thread went on using a core."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from gradio_client import Client, handle_file
from gradio_client.exceptions import AppError

import vnsum.web.ui
from fakes import CopyBackend
from vnsum import Translator
from vnsum.errors import InputError
from vnsum.web import Limits, ServerConfig
from vnsum.web.errors import RequestTimeout
from vnsum.web.isolation import Isolated
from vnsum.web.server import background, create_app

from slowread import BEAT, slow_read

def stopped(heartbeat: Path, within_s: float) -> bool:
    """Whether the heartbeat stops (stays a second unchanged) within ``within_s``."""
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        before = heartbeat.stat().st_mtime_ns
        time.sleep(1)
        if heartbeat.stat().st_mtime_ns == before:
            return True
    return False


def test_a_run_past_the_deadline_is_killed_and_the_next_gets_a_fresh_worker(tmp_path, monkeypatch):
    monkeypatch.setenv(BEAT, str(tmp_path / "beat"))
    reader = Isolated(timeout_s=1)
    try:
        with pytest.raises(RequestTimeout, match="took longer than this server's limit of 1 s"):
            reader.run(slow_read)
        assert stopped(tmp_path / "beat", 30)
        assert reader.run(len, "abc") == 3
        with pytest.raises(InputError, match="the document is empty"):
            reader.run(vnsum.web.ui.read_upload, _empty(tmp_path), 1000, "vi")
    finally:
        reader.close()


def _empty(folder: Path) -> Path:
    path = folder / "empty.txt"
    path.write_bytes(b"")
    return path


def test_a_page_upload_that_reads_too_long_is_stopped(tmp_path, monkeypatch):
    monkeypatch.setenv(BEAT, str(tmp_path / "beat"))
    monkeypatch.setattr(vnsum.web.ui, "read_upload", slow_read)
    app = create_app(ServerConfig(model="m", glossary=None, limits=Limits(timeout_s=3)),
                     {"m": Translator(backend=CopyBackend(), glossary=None)})
    (tmp_path / "a.txt").write_text("Bộ Công an họp.", encoding="utf-8")
    try:
        with background(app) as url:
            with pytest.raises(AppError, match="took longer than this server's limit of 3 s"):
                Client(url, verbose=False).predict(handle_file(str(tmp_path / "a.txt")), "Vietnamese → English",
                                                   api_name="/read_file")
            assert stopped(tmp_path / "beat", 60)
    finally:
        app.state.service.gate.close()
