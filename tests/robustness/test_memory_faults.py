"""A translation memory that breaks while in use (issue 27): a write lock held elsewhere,
a damaged page, a row vnsum did not write. The memory only saves time: every document
is still translated, and one warning names the file and the way out."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import pytest

from fakes import CopyBackend
from vnsum import Translator
from vnsum.cli import main
from vnsum.memory import Remembered, TranslationMemory

DOCUMENTS = ["Bộ Công an họp.", "Hà Nội mưa to.", "Câu thứ ba."]
KEY = ("model", "vi-en", "no-glossary")


def translated_with(memory: TranslationMemory) -> list[str]:
    translator = Translator(backend=CopyBackend(), glossary=None, memory=memory)
    return [translator.translate(text) for text in DOCUMENTS]


def warnings_about(path: Path, caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING and str(path) in r.getMessage()]


def test_a_write_lock_held_elsewhere_turns_the_memory_off(tmp_path, caplog):
    """Before, each document waited for the lock and then failed (30 s each by default)."""
    path = tmp_path / "tm.sqlite"
    TranslationMemory(path).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        memory = TranslationMemory(path, timeout=0.2)
        assert translated_with(memory) == DOCUMENTS
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    [warning] = warnings_about(path, caplog)
    assert "cannot write to it (database is locked)" in warning and "--no-tm" in warning
    assert memory.fault == warning


def damaged(path: Path) -> Path:
    """A memory of 2,000 entries with one page overwritten."""
    memory = TranslationMemory(path)
    memory.store(*KEY, [(f"câu {i} " + "x" * 200, Remembered("y" * 200)) for i in range(2_000)])
    memory.close()
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    data[3 * 4096:3 * 4096 + 600] = b"\xff" * 600
    path.write_bytes(bytes(data))
    return path


def poisoned(path: Path) -> Path:
    """A memory whose stored term reports are not JSON."""
    Translator(backend=CopyBackend(), glossary=None, memory=path).translate(DOCUMENTS[0])
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE tm SET terms = '{not json'")
    return path


@pytest.mark.parametrize("make, cause", [(damaged, "database disk image is malformed"),
                                         (poisoned, "an entry in it is not what vnsum writes")])
def test_a_damaged_memory_is_turned_off_with_one_warning(tmp_path, caplog, make, cause):
    path = make(tmp_path / "tm.sqlite")
    memory = TranslationMemory(path)
    assert translated_with(memory) == DOCUMENTS
    assert translated_with(memory) == DOCUMENTS  # off: no second warning
    [warning] = warnings_about(path, caplog)
    assert cause in warning and "translating without it from now on" in warning


def test_a_batch_run_over_a_damaged_memory_translates_every_document(tmp_path, copy_cli, caplog):
    path = damaged(tmp_path / "tm.sqlite")
    (tmp_path / "in").mkdir()
    for n, text in enumerate(DOCUMENTS):
        (tmp_path / "in" / f"{n}.txt").write_text(text, encoding="utf-8")
    assert main(["translate", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--tm", str(path), "-q"]) == 0
    assert len(list((tmp_path / "out").glob("*.txt"))) == 3
    assert len(warnings_about(path, caplog)) == 1
