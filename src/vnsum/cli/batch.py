"""Running one command over many documents: destinations, progress, failures, exit code.

Shared by ``translate`` and ``process`` so both behave the same: stdin to stdout by
default, a folder into ``-o OUT`` with the same relative names, a progress bar on
stderr, one failing document reported while the others are still written.

Nothing is lost when a run dies: every output is written atomically, and a manifest
(JSONL, one line per document: input, output, status, reason) records each document
as it finishes. ``--resume`` skips the documents it records as done, so a run killed
at any point and resumed translates every document exactly once.
"""

from __future__ import annotations

import argparse
import fcntl
import hashlib
import json
import os
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from ..documents import (DOCUMENT_SUFFIXES, Source, collect, load_bytes, output_name, remove_stale_temporaries,
                         write_atomic)
from ..engines.jobs import Outcome
from ..errors import InputError, ManifestError, OutputError, UsageError
from ..redact import redact
from .arguments import EXIT_CODES

# An engine's results: the outcome of each document it is given, in the same order.
Results = Callable[[Iterable[Source]], Iterator[Outcome]]

MANIFEST_NAME = "vnsum-manifest.jsonl"


OUTPUT_RULES = ("outputs: -o DIR may exist already: files of the names this run writes are replaced (each "
                "atomically), other files are left alone; --resume instead skips the documents DIR's manifest "
                "records as done and unchanged since.")


def add_batch_options(p: argparse.ArgumentParser, formats: dict[str, str | None], default: str | None,
                      format_help: str | None = None) -> None:
    p.epilog = f"{OUTPUT_RULES}\n\n{EXIT_CODES}"
    p.add_argument("inputs", nargs="*", metavar="FILE|DIR|-",
                   help=f"documents ({' '.join(DOCUMENT_SUFFIXES)}) or folders of them; default: standard input")
    p.add_argument("-o", "--output", metavar="FILE|DIR",
                   help="output file, or folder for several documents (with --format jsonl: one stream into FILE, "
                        "or a .jsonl per document into DIR, an existing folder or a name ending in /)")
    p.add_argument("--format", "-f", default=default, choices=list(formats), help=format_help)
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.add_argument("--manifest", metavar="FILE",
                   help=f"record each document's status here, one JSON line each (default with -o FOLDER: "
                        f"FOLDER/{MANIFEST_NAME})")
    p.add_argument("--resume", action="store_true",
                   help="skip documents the manifest records as done (after an interrupted run)")


@dataclass
class Manifest:
    """The JSONL record of a batch: one line per finished document, appended and synced
    as it finishes, so it is true up to the moment a run is killed."""

    path: Path
    _handle: IO[str] | None = field(default=None, repr=False)

    def done(self) -> dict[str, dict]:
        """The last record of each output (a line cut short by a kill is ignored).

        Keyed by output, not input: two inputs that are one file (a link, a path given
        twice) have two outputs, and each must be found done.
        """
        records: dict[str, dict] = {}
        if not self.path.is_file():
            return records
        for line in self.path.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(record, dict) and isinstance(record.get("output"), str):
                records[record["output"]] = record
        return records

    def open(self) -> None:
        """Open the file and lock it for the whole run, before anything is written.

        A second run into the same folder would translate everything again, interleave
        its lines with this one's and delete this one's files in progress: it is refused.
        """
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._handle = self.path.open("a", encoding="utf-8")
        except OSError as exc:
            raise ManifestError(f"{self.path}: cannot write the manifest ({exc.strerror or exc})") from None
        try:
            fcntl.flock(self._handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            self.close()
            raise UsageError(f"{self.path}: another vnsum run is writing into this folder now; wait for it to "
                             "finish, or choose another -o") from None

    def begin(self, resume: bool) -> None:
        """Start a new record, or continue the old one when resuming."""
        assert self._handle is not None, "open() the manifest first"
        try:
            if not resume:
                self._handle.truncate(0)
            elif self._handle.tell() > 0 and not self.path.read_bytes().endswith(b"\n"):
                self._handle.write("\n")  # a line cut short by a kill
        except OSError as exc:
            raise ManifestError(f"{self.path}: cannot write the manifest ({exc.strerror or exc})") from None

    def add(self, record: dict) -> None:
        assert self._handle is not None, "open() the manifest first"
        try:
            self._handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            self._handle.flush()
            os.fsync(self._handle.fileno())
        except OSError as exc:
            raise ManifestError(f"{self.path}: cannot record progress in the manifest ({exc.strerror or exc}); "
                              "stopped so that no work goes unrecorded") from None

    def close(self) -> None:
        """Close (and unlock) the file. Every record was flushed and synced as it was
        added, so a failure here (a full disk) loses nothing and must not hide the
        error that stopped the run."""
        if self._handle is not None:
            handle, self._handle = self._handle, None
            try:
                handle.close()
            except OSError:
                pass


def _names_folder(output: str) -> bool:
    """``-o`` names a folder when one is there or the name ends in a slash."""
    return Path(output).is_dir() or output.endswith(("/", os.sep))


def _one_stream(args: argparse.Namespace, streamable: str | None) -> bool:
    """The streamable format (jsonl) to stdout or ``-o FILE``, failures included as
    error records; ``-o FOLDER`` gets a file per document instead."""
    return args.format == streamable and not (args.output and _names_folder(args.output))


def _destination(args: argparse.Namespace, sources: list[Source], formats: dict[str, str],
                 streamable: str | None, tgt: str | None) -> Callable[[Source], Path | None]:
    """Where each document's result goes: None for stdout."""
    if args.output is None:
        if len(sources) > 1 and args.format != streamable:
            hint = f" (or --format {streamable} to stream to stdout)" if streamable else ""
            raise UsageError(f"several documents need -o FOLDER{hint}")
        return lambda source: None
    out = Path(args.output)
    from_folder = any(Path(i).is_dir() for i in args.inputs)
    if _one_stream(args, streamable) or (len(sources) == 1 and not from_folder and not _names_folder(args.output)):
        return lambda source: out
    if out.exists() and not out.is_dir():
        raise UsageError(f"-o {out} is an existing file, but the outputs of "
                         f"{'a folder' if from_folder else 'several documents'} go into a folder: give -o a "
                         "folder's name")
    return lambda source: out / output_name(source.relative, args.source, tgt, formats[args.format])


def _check_output_folder(args: argparse.Namespace) -> None:
    """Refuse ``-o`` naming an input folder (an output folder inside one is left out of it)."""
    folders = {Path(i).resolve() for i in args.inputs if i != "-" and Path(i).is_dir()}
    if args.output is not None and Path(args.output).resolve() in folders:
        raise UsageError(f"-o {args.output} is the input folder: the outputs would mix with the originals and "
                         "could replace them; choose another folder")


def _check_overwrites(args: argparse.Namespace, sources: list[Source], targets: list[Path | None],
                      manifest: Manifest | None) -> None:
    """Refuse a run that would write over one of its own inputs (``DIR -o DIR``, ``a.txt -o a.txt``)."""
    inputs = {source.path.resolve(): source for source in sources if source.path is not None}
    written = [*targets, manifest.path if manifest else None]
    clashes = sorted({str(t) for t in written if t is not None and t.resolve() in inputs})
    if clashes:
        raise UsageError(f"{', '.join(clashes[:5])}: the output would overwrite an input; choose another -o")


def _check_collisions(sources: list[Source], targets: list[Path | None]) -> None:
    """Two documents must never be written to one file (``a.vi.html`` and ``a.vi.txt``)."""
    first: dict[Path, Source] = {}
    clashes = []
    for source, target in zip(sources, targets):
        if target in first:
            clashes.append(f"{first[target].label} and {source.label} would both be written to {target}")
        first.setdefault(target, source)
    if clashes:
        raise UsageError("; ".join(clashes[:5]) + (f" (and {len(clashes) - 5} more)" if len(clashes) > 5 else "")
                         + ": rename one of them")


def _manifest(args: argparse.Namespace, into_folder: bool) -> Manifest | None:
    """``--manifest FILE``, else ``OUT/vnsum-manifest.jsonl`` when writing into a folder."""
    if getattr(args, "manifest", None):
        return Manifest(Path(args.manifest))
    return Manifest(Path(args.output) / MANIFEST_NAME) if into_folder else None


def _key(source: Source) -> str:
    return str(source.path.resolve()) if source.path else source.label


def _output_key(target: Path | None) -> str | None:
    return str(target.resolve()) if target else None


def _already_done(record: dict | None, source: Source, target: Path | None) -> bool:
    """The manifest says this input, unchanged since, was written to ``target``, still there."""
    if not (record is not None and record.get("status") == "ok" and target is not None
            and record.get("input") == _key(source) and target.is_file()):
        return False
    try:
        return hashlib.sha256(load_bytes(source)).hexdigest() == record.get("input_sha256")
    except InputError:
        return False  # translating it will fail and say why


@dataclass
class _Run:
    """Counts, failures and the manifest of one batch run."""

    total: int
    manifest: Manifest | None
    done: int = 0
    skipped: int = 0
    sentences: int = 0
    to_check: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)

    def record(self, source: Source, target: Path | None, status: str, reason: str | None = None,
               sha: str | None = None, sentences: int = 0, seconds: float | None = None, to_check: int = 0) -> None:
        reason = redact(reason) if reason else reason  # the manifest and stderr never hold a key
        if self.manifest is not None:
            self.manifest.add({
                "input": _key(source), "output": _output_key(target), "status": status, "reason": reason,
                "notices": list(source.notices), "sentences": sentences, "to_check": to_check, "input_sha256": sha,
                "seconds": None if seconds is None else round(seconds, 3),
                "finished": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())})
        if status == "ok":
            self.done += 1
            self.sentences += sentences
            self.to_check += to_check
        else:
            self.failures.append((source.label, reason or "failed"))

    def summary(self, quiet: bool) -> None:
        for label, message in self.failures:  # most messages name their document already
            named = message if message.startswith(f"{label}: ") else f"{label}: {message}"
            print(f"vnsum: failed: {named}", file=sys.stderr)
        if self.failures or (self.total > 1 and not quiet):
            skipped = f" ({self.skipped} skipped: already done)" if self.skipped else ""
            where = f"; manifest: {self.manifest.path}" if self.manifest else ""
            print(f"vnsum: {self.done + self.skipped} of {self.total} documents done, {len(self.failures)} failed"
                  f"{skipped}{where}", file=sys.stderr)
        if self.to_check and not quiet:
            print(f"vnsum: {self.to_check} of {self.sentences} sentences to check (level check or doubtful: "
                  "--mark marks them in text output, JSON lists why)", file=sys.stderr)


def run_batch(args: argparse.Namespace, results: Results, *, formats: dict[str, str],
              streamable: str | None, tgt: str | None, prepare: Callable[[], object] = lambda: None) -> int:
    """Write every input document's outcome from ``results``; return the exit code (1 if any failed).

    ``results`` gets the documents still to do (``--resume`` leaves out the finished
    ones) and yields their outcomes in the same order. ``prepare`` runs once after the
    arguments are checked and before the first document (loading the model there makes
    a missing model one clear error, not one per file).
    """
    _check_output_folder(args)
    sources = collect(args.inputs, leave_out=Path(args.output) if args.output else None)
    if not sources:
        raise UsageError(f"no documents ({', '.join(DOCUMENT_SUFFIXES)}) found in " + ", ".join(args.inputs))
    destination = _destination(args, sources, formats, streamable, tgt)
    targets = [destination(source) for source in sources]
    one_stream = _one_stream(args, streamable)
    per_document = args.output is not None and not one_stream
    if per_document:
        _check_collisions(sources, targets)
    resume = getattr(args, "resume", False)
    manifest = _manifest(args, per_document and targets[0] != Path(args.output))
    _check_overwrites(args, sources, targets, manifest)
    if resume and (manifest is None or not per_document):
        raise UsageError("--resume needs one output file per document: -o FOLDER"
                         + (" (an existing folder or a name ending in /)" if args.format == streamable else ""))
    if manifest:
        manifest.open()
    try:
        run = _Run(len(sources), manifest)
        _run_all(args, results, run, sources, targets, resume, prepare, one_stream)
    finally:
        if manifest:
            manifest.close()
    run.summary(args.quiet)
    return 1 if run.failures else 0


def _run_all(args: argparse.Namespace, results: Results, run: _Run, sources: list[Source],
             targets: list[Path | None], resume: bool, prepare: Callable[[], object], one_stream: bool) -> None:
    """The run itself, once its manifest (if any) is open and locked."""
    from tqdm import tqdm
    from tqdm.contrib.logging import logging_redirect_tqdm

    manifest = run.manifest
    earlier = manifest.done() if manifest and resume else {}
    removed = remove_stale_temporaries({t for t in targets if t is not None})
    if removed:
        print(f"vnsum: removed {removed} partial output(s) left by an interrupted run", file=sys.stderr)
    prepare()
    if manifest:
        manifest.begin(resume)
    streamed: list[Outcome] = []
    waiting: deque[Path | None] = deque()  # targets of the documents handed out, in order
    bar = tqdm(total=len(sources), unit="doc", file=sys.stderr, disable=args.quiet, dynamic_ncols=True)

    def pending() -> Iterator[Source]:
        for source, target in zip(sources, targets):
            if resume and _already_done(earlier.get(_output_key(target)), source, target):
                run.skipped += 1
                bar.update(1)
                continue
            waiting.append(target)
            yield source

    try:
        with logging_redirect_tqdm():  # a model loaded for its first document says so on a line of its own
            for outcome in results(pending()):
                target = waiting.popleft()
                for notice in outcome.source.notices:
                    tqdm.write(f"vnsum: notice: {outcome.source.label}: {notice}", file=sys.stderr)
                if one_stream and target is not None:
                    streamed.append(outcome)
                else:
                    _deliver(outcome, target, run, one_stream)
                bar.update(1)
                bar.set_postfix(sentences=run.sentences, failed=len(run.failures))
        bar.close()
        if streamed:
            _write_stream(targets[0], streamed, run)
    except KeyboardInterrupt:
        bar.close()
        if manifest is not None:
            print(f"vnsum: {run.done + run.skipped} documents are done and recorded in {manifest.path}; "
                  "run the same command with --resume to do the rest", file=sys.stderr)
        raise
    finally:
        bar.close()  # also when a model that cannot load stops the run


def _deliver(outcome: Outcome, target: Path | None, run: _Run, stream: bool) -> None:
    """Write one document's output (stdout or its file, atomically) and record it; in
    a stream, a failed document is written too, as its error record."""
    source, seconds = outcome.source, outcome.seconds
    if outcome.error is not None:
        run.record(source, target, "failed", outcome.error, outcome.sha, seconds=seconds)
        if stream:
            _write_stdout(error_record(outcome))
        return
    try:
        if target is None:
            _write_stdout(outcome.output)
        else:
            write_atomic(target, outcome.output)
    except OutputError as exc:
        run.record(source, target, "failed", str(exc), outcome.sha, seconds=seconds)
        return
    run.record(source, target, "ok", sha=outcome.sha, sentences=outcome.sentences, seconds=seconds,
               to_check=outcome.to_check)


def _write_stdout(text: str | bytes) -> None:
    if isinstance(text, bytes):  # a page or a Word file, written as it is
        sys.stdout.flush()
        sys.stdout.buffer.write(text)
        sys.stdout.buffer.flush()
        return
    sys.stdout.write(text)
    sys.stdout.flush()


def error_record(outcome: Outcome) -> str:
    """A failed document's line in a JSONL stream: a reader of the stream alone (not
    of stderr) must see every input, and why one has no result."""
    record = {"file": outcome.source.label, "error": redact(outcome.error or "failed"),
              "notices": list(outcome.source.notices)}
    return json.dumps(record, ensure_ascii=False) + "\n"


def _write_stream(target: Path, streamed: list[Outcome], run: _Run) -> None:
    """Write the streamed documents (``--format jsonl -o FILE``), failed ones as error
    records, as one file; then record each."""
    try:
        write_atomic(target, "".join(o.output if o.error is None else error_record(o) for o in streamed))
    except OutputError as exc:
        for o in streamed:
            run.record(o.source, target, "failed", o.error or str(exc), o.sha, seconds=o.seconds)
        return
    for o in streamed:
        run.record(o.source, target, "ok" if o.error is None else "failed", o.error, o.sha, sentences=o.sentences,
                   seconds=o.seconds, to_check=o.to_check)
