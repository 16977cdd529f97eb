"""A translation memory: sentences already translated, served again without the model.

Press releases repeat whole sentences — officials' titles, boilerplate openings and
closings — so exact reuse saves model time and keeps the wording of a corpus
consistent. An entry is keyed by everything that can change the result: the model
(engine, weights, precision, decoding options, vnsum version), the direction, the
glossary's content hash and the normalised source sentence. Change any of them and the
old entries are simply never looked up again: nothing stale is served.

The store is one SQLite file (standard library) in WAL mode: any number of readers,
in threads or processes, and one writer at a time (others wait up to ``timeout``).
WAL needs a local file system; on NFS give each machine its own file.

The memory only saves time, so a fault in it must not cost a translation: a file that
cannot be opened is refused at once, but a fault while in use (a write lock held
elsewhere past the timeout, a damaged page, a row that is not what vnsum writes) turns
the memory off for the rest of the run, with one warning that names the file.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .confidence import FILE as CALIBRATION
from .paths import cache_dir

from .errors import VnsumError
from .text import nfc

log = logging.getLogger(__name__)

# 2: the ``flag`` column (a degenerate first output, see vnsum.degenerate); a version 1
# file gets it, empty, when first opened.
# 3: ``flags`` (a JSON list: everything to check, vnsum.omissions) replaces ``flag``, and
# ``confidence`` (the model's score) is added; older files are upgraded when first opened.
SCHEMA_VERSION = 3
# SQLite's default limit on bound parameters is 999 in old builds: stay under it.
_CHUNK = 900
_SCHEMA = """
CREATE TABLE IF NOT EXISTS tm (
    model TEXT NOT NULL,
    direction TEXT NOT NULL,
    glossary TEXT NOT NULL,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    terms TEXT NOT NULL,
    flags TEXT NOT NULL DEFAULT '[]',
    confidence REAL,
    PRIMARY KEY (model, direction, glossary, source)
) WITHOUT ROWID
"""
# Files whose change means new weights: the config and every weights file.
_WEIGHT_SUFFIXES = (".json", ".safetensors", ".bin", ".model", ".spm")


class TranslationMemoryError(VnsumError):
    """The translation memory file cannot be used; the message names the file."""


# One term occurrence as stored: (source as written, rendering, kind, status).
TermRecord = tuple[str, str, str, str]


@dataclass(frozen=True)
class Remembered:
    """A stored translation: the enforced target sentence, its term report, its flags
    (what to check: see :class:`vnsum.translator.Segment`) and the model's score."""

    target: str
    terms: tuple[TermRecord, ...] = ()
    flags: tuple[str, ...] = ()
    confidence: float | None = None


@dataclass
class MemoryStats:
    """How many sentences were served without the model (hits: found in the memory, or a
    repeat of a sentence translated in the same call) or sent to it (misses)."""

    hits: int = 0
    misses: int = 0

    @property
    def hit_rate(self) -> float:
        looked = self.hits + self.misses
        return self.hits / looked if looked else 0.0

    def __str__(self) -> str:
        return f"{self.hits} hits, {self.misses} misses ({self.hit_rate:.0%} served from memory)"


def normalize(sentence: str) -> str:
    """The lookup form of a sentence: NFC, runs of whitespace made one space, trimmed."""
    return " ".join(nfc(sentence).split())


def default_path() -> Path:
    """``tm.sqlite`` in the cache folder (:func:`vnsum.paths.cache_dir`)."""
    return cache_dir() / "tm.sqlite"


def folder_digest(folder: Path) -> str:
    """A short hash of a model folder's files (names, sizes, modification times).

    It changes when the weights or the tokenizer are replaced, which is what the memory
    key and the CTranslate2 conversion must notice; reading only ``stat`` keeps it cheap
    for multi-gigabyte weights.
    """
    h = hashlib.sha256()
    for path in sorted(Path(folder).iterdir()):  # the confidence calibration is no weights: not converted again
        if path.is_file() and path.suffix in _WEIGHT_SUFFIXES and path.name != CALIBRATION:
            st = path.stat()
            h.update(f"{path.name}\t{st.st_size}\t{st.st_mtime_ns}\n".encode())
    return h.hexdigest()[:16]


# What a fault in use may raise: SQLite's errors, and a stored report that is not JSON or
# not a list of term records.
_FAULTS = (sqlite3.Error, TranslationMemoryError, ValueError, TypeError)


class TranslationMemory:
    """Look up and store enforced sentence translations in a SQLite file.

    Each thread gets its own connection, so one instance may be shared by the threads
    of a Translator; separate processes (Ray workers) open the same file themselves.
    ``fault`` says why the memory was turned off (None while it works): from then on a
    lookup finds nothing and a store keeps nothing.
    """

    def __init__(self, path: str | os.PathLike, *, timeout: float = 30.0):
        self.path = Path(path).expanduser()
        self.timeout = timeout
        self.fault: str | None = None
        self._fault_lock = threading.Lock()
        self._local = threading.local()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise TranslationMemoryError(f"translation memory {self.path}: cannot create its folder: {exc}") from None
        self._connection()  # create and check the file now, not at the first sentence

    def _connection(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            try:
                conn = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None)
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=NORMAL")
                version = conn.execute("PRAGMA user_version").fetchone()[0]
                if version not in (0, 1, 2, SCHEMA_VERSION):
                    raise TranslationMemoryError(
                        f"translation memory {self.path} has schema version {version}; this vnsum writes "
                        f"version {SCHEMA_VERSION}. Use another --tm file or delete this one.")
                if version == 0:
                    conn.execute(_SCHEMA)
                if version == 1:
                    conn.execute("ALTER TABLE tm ADD COLUMN flag TEXT NOT NULL DEFAULT ''")
                if version in (1, 2):
                    conn.execute("ALTER TABLE tm RENAME COLUMN flag TO flags")
                    conn.execute("UPDATE tm SET flags = CASE flags WHEN '' THEN '[]' ELSE json_array(flags) END")
                    conn.execute("ALTER TABLE tm ADD COLUMN confidence REAL")
                if version != SCHEMA_VERSION:
                    conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            except sqlite3.Error as exc:
                raise TranslationMemoryError(
                    f"translation memory {self.path}: not a usable SQLite file ({exc}). "
                    "Use another --tm file, delete this one, or pass --no-tm.") from None
            self._local.conn = conn
        return conn

    def lookup(self, model: str, direction: str, glossary: str,
               sentences: Sequence[str]) -> dict[str, Remembered]:
        """The stored translations of those ``sentences`` that have one, by sentence
        (none once the memory is off)."""
        if self.fault is not None:
            return {}
        try:
            return self._lookup(model, direction, glossary, sentences)
        except _FAULTS as exc:
            self._turn_off("cannot read it", exc)
            return {}

    def _lookup(self, model: str, direction: str, glossary: str,
                sentences: Sequence[str]) -> dict[str, Remembered]:
        by_key: dict[str, list[str]] = {}
        for s in sentences:
            by_key.setdefault(normalize(s), []).append(s)
        keys = list(by_key)
        found: dict[str, Remembered] = {}
        conn = self._connection()
        for i in range(0, len(keys), _CHUNK):
            chunk = keys[i:i + _CHUNK]
            rows = conn.execute(
                f"SELECT source, target, terms, flags, confidence FROM tm WHERE model=? AND direction=? AND glossary=? "
                f"AND source IN ({','.join('?' * len(chunk))})", (model, direction, glossary, *chunk))
            for source, target, terms, flags, confidence in rows:
                entry = Remembered(target, tuple(tuple(t) for t in json.loads(terms)), tuple(json.loads(flags)),
                                   confidence)
                found.update(dict.fromkeys(by_key[source], entry))
        return found

    def store(self, model: str, direction: str, glossary: str,
              entries: Iterable[tuple[str, Remembered]]) -> None:
        """Save (sentence, translation) pairs in one transaction; a newer entry replaces an
        older (nothing once the memory is off)."""
        rows = [(model, direction, glossary, normalize(s), r.target, json.dumps(r.terms, ensure_ascii=False),
                 json.dumps(r.flags, ensure_ascii=False), r.confidence) for s, r in entries]
        if not rows or self.fault is not None:
            return
        try:
            conn = self._connection()
            try:
                conn.execute("BEGIN IMMEDIATE")
                conn.executemany("INSERT OR REPLACE INTO tm (model, direction, glossary, source, target, terms, flags, "
                                 "confidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
                conn.execute("COMMIT")
            finally:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
        except _FAULTS as exc:
            self._turn_off("cannot write to it", exc)

    def _turn_off(self, what: str, exc: Exception) -> None:
        """Stop using the memory after a fault, and say so once."""
        if isinstance(exc, TranslationMemoryError):  # opening it in another thread: the message says all
            fault = f"{exc} Translating without it from now on."
        else:
            cause = exc if isinstance(exc, sqlite3.Error) else "an entry in it is not what vnsum writes"
            fault = (f"translation memory {self.path}: {what} ({cause}); translating without it from now on. "
                     "Delete or replace the file, or pass --no-tm or another --tm FILE.")
        with self._fault_lock:
            if self.fault is not None:
                return
            self.fault = fault
        log.warning("%s", fault)

    def __len__(self) -> int:
        return self._connection().execute("SELECT count(*) FROM tm").fetchone()[0]

    def close(self) -> None:
        """Close this thread's connection (others close when their thread ends)."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    def __getstate__(self) -> dict:
        """Pickled (e.g. sent to a Ray worker) as its path: the worker opens its own connection."""
        return {"path": self.path, "timeout": self.timeout}

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["path"], timeout=state["timeout"])
