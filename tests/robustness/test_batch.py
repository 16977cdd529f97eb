"""Batch runs lose nothing: atomic outputs, a JSONL manifest of every document's status,
``--resume`` after a crash or SIGKILL, one failure never stopping the others, exit code 1."""

import errno
import json
import os
import signal
import subprocess
import sys
import time

import pytest

from fakes import CopyBackend
from vnsum import Translator
from vnsum.cli import main
from vnsum.cli.batch import MANIFEST_NAME
from vnsum.engines.jobs import GROUP_BYTES


def manifest(folder):
    return [json.loads(line) for line in (folder / MANIFEST_NAME).read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def inbox(tmp_path):
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.vi.txt").write_text("Bộ Công an họp.\n", encoding="utf-8")
    (folder / "sub" / "b.vi.txt").write_text("Hà Nội.\n", encoding="utf-8")
    (folder / "bad.vi.txt").write_bytes(b"Ok \xff\xfe broken")
    return folder


def test_manifest_records_each_document_and_failures_are_summarised(tmp_path, inbox, copy_cli, capsys):
    out = tmp_path / "out"
    assert main(["translate", str(inbox), "-o", str(out), "-q"]) == 1
    records = {r["input"]: r for r in manifest(out)}
    assert set(records) == {str(p.resolve()) for p in inbox.rglob("*.txt")}
    ok = records[str((inbox / "a.vi.txt").resolve())]
    assert ok["status"] == "ok" and ok["output"] == str((out / "a.en.txt").resolve()) and ok["reason"] is None
    assert ok["sentences"] == 1 and len(ok["input_sha256"]) == 64
    bad = records[str((inbox / "bad.vi.txt").resolve())]
    assert bad["status"] == "failed" and "not valid UTF-8 (byte offset 3)" in bad["reason"]
    err = capsys.readouterr().err
    assert f"vnsum: failed: {bad['reason']}" in err and bad["reason"].startswith(f"{inbox / 'bad.vi.txt'}: ")
    assert f"2 of 3 documents done, 1 failed; manifest: {out / MANIFEST_NAME}" in err


def test_resume_skips_what_is_done_and_redoes_failed_and_changed_documents(tmp_path, inbox, copy_cli, capsys):
    out = tmp_path / "out"
    main(["translate", str(inbox), "-o", str(out), "-q"])
    untouched = (out / "sub" / "b.en.txt").stat().st_mtime_ns
    (inbox / "bad.vi.txt").write_text("Công an xã họp.\n", encoding="utf-8")
    (inbox / "a.vi.txt").write_text("Bộ Công an họp lần hai.\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["translate", str(inbox), "-o", str(out), "--resume"]) == 0
    assert "3 of 3 documents done, 0 failed (1 skipped: already done)" in capsys.readouterr().err
    second_run = manifest(out)[3:]
    redone = sorted(str((inbox / name).resolve()) for name in ("a.vi.txt", "bad.vi.txt"))
    assert sorted(r["input"] for r in second_run) == redone
    assert all(r["status"] == "ok" for r in second_run)
    assert (out / "sub" / "b.en.txt").stat().st_mtime_ns == untouched
    assert (out / "a.en.txt").read_text(encoding="utf-8") == "The Ministry of Public Security họp lần hai.\n"


def test_resume_deletes_partial_outputs_and_survives_a_cut_manifest_line(tmp_path, inbox, copy_cli, capsys):
    out = tmp_path / "out"
    main(["translate", str(inbox), "-o", str(out), "-q"])
    (out / ".a.en.txt.k2j4h1x0.tmp").write_text("half a transl", encoding="utf-8")  # left by a kill
    (out / ".unrelated.txt.k2j4h1x0.tmp").write_text("not ours", encoding="utf-8")
    (out / "a.en.txt").unlink()
    with (out / MANIFEST_NAME).open("a", encoding="utf-8") as handle:
        handle.write('{"input": "/cut/short')  # the run died mid-line
    assert main(["translate", str(inbox), "-o", str(out), "-q", "--resume"]) == 1  # bad.vi.txt is still bad
    err = capsys.readouterr().err
    assert "removed 1 partial output(s) left by an interrupted run" in err
    assert not (out / ".a.en.txt.k2j4h1x0.tmp").exists() and (out / ".unrelated.txt.k2j4h1x0.tmp").exists()
    assert (out / "a.en.txt").exists()
    lines = (out / MANIFEST_NAME).read_text(encoding="utf-8").splitlines()
    assert lines[3] == '{"input": "/cut/short' and all(json.loads(line) for line in lines[4:])


class _FullDisk:
    """A file whose write stops half-way with ENOSPC, as on a full disk."""

    def __init__(self, handle):
        self.handle = handle

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.handle.close()

    def write(self, text):
        self.handle.write(text[:len(text) // 2])
        self.handle.flush()
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_a_full_disk_fails_that_document_cleanly_and_the_others_go_on(tmp_path, inbox, copy_cli, monkeypatch, capsys):
    (inbox / "bad.vi.txt").unlink()
    real_fdopen, opened = os.fdopen, []

    def fdopen(fd, *args, **kwargs):
        opened.append(fd)
        handle = real_fdopen(fd, *args, **kwargs)
        return _FullDisk(handle) if len(opened) == 1 else handle

    monkeypatch.setattr("vnsum.documents.os.fdopen", fdopen)
    out = tmp_path / "out"
    assert main(["translate", str(inbox), "-o", str(out), "-q"]) == 1
    err = capsys.readouterr().err
    assert f"vnsum: failed: {inbox / 'a.vi.txt'}: {out / 'a.en.txt'}: cannot write the output (no space left " \
           "on the disk); nothing was written" in err
    assert not (out / "a.en.txt").exists() and not list(out.rglob("*.tmp"))
    assert (out / "sub" / "b.en.txt").exists()
    assert [r["status"] for r in manifest(out)] == ["failed", "ok"]


def test_resume_needs_one_output_per_document(tmp_path, capsys):
    (tmp_path / "a.txt").write_text("Một.", encoding="utf-8")
    assert main(["translate", str(tmp_path / "a.txt"), "--resume"]) == 2
    assert "--resume needs one output file per document" in capsys.readouterr().err


def test_an_interrupt_says_how_to_resume(tmp_path, inbox, monkeypatch, capsys):
    class Interrupted(CopyBackend):
        def generate(self, sentences, src, tgt, decoding=None, renderings=None):
            if self.calls:
                raise KeyboardInterrupt
            return super().generate(sentences, src, tgt)

    backend = Interrupted()
    real_init = Translator.__init__
    monkeypatch.setattr(Translator, "__init__",
                        lambda self, *a, **kw: real_init(self, *a, **{**kw, "backend": backend}))
    (inbox / "bad.vi.txt").unlink()
    (inbox / "a.vi.txt").write_text("Bộ Công an họp.\n" * (GROUP_BYTES // 10), encoding="utf-8")  # a group alone
    (inbox / "sub" / "b.vi.txt").write_text("Trời mưa.\n", encoding="utf-8")  # ("Hà Nội." needs no model)
    out = tmp_path / "out"
    assert main(["translate", str(inbox), "-o", str(out), "-q", "--no-tm"]) == 130
    assert "run the same command with --resume to do the rest" in capsys.readouterr().err
    assert [r["status"] for r in manifest(out)] == ["ok"]


@pytest.mark.slow
def test_sigkill_mid_batch_then_resume_translates_every_document_exactly_once(tmp_path, with_models):
    inbox, out = tmp_path / "in", tmp_path / "out"
    inbox.mkdir()
    for i in range(200):  # one short sentence each: a random model's output is as long as it may be
        (inbox / f"tin-{i:03d}.vi.txt").write_text(f"Tin số {i}.\n", encoding="utf-8")
    command = [sys.executable, "-m", "vnsum.cli", "translate", str(inbox), "-o", str(out),
               "--beam-size", "1", "--backend", "hf", "--device", "cpu", "--no-glossary"]
    env = {**os.environ, "OMP_NUM_THREADS": "1"}  # a tiny model is slowest when threads fight
    first = subprocess.Popen([*command, "-q"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and first.poll() is None:
        path = out / MANIFEST_NAME
        if path.exists() and path.read_bytes().count(b"\n") >= 20:
            break
        time.sleep(0.01)
    first.send_signal(signal.SIGKILL)
    first.wait()
    assert first.returncode == -signal.SIGKILL, first.stderr.read().decode()
    killed = manifest(out)
    assert 20 <= len(killed) < 200
    before = {r["output"]: os.stat(r["output"]).st_mtime_ns for r in killed}

    second = subprocess.run([*command, "--resume"], capture_output=True, text=True, timeout=600, env=env)
    assert second.returncode == 0, second.stderr
    records = manifest(out)
    inputs = sorted(str(p.resolve()) for p in inbox.iterdir())
    assert sorted(r["input"] for r in records if r["status"] == "ok") == inputs  # each exactly once
    assert all(r["status"] == "ok" for r in records)
    outputs = sorted(p.name for p in out.iterdir() if p.name != MANIFEST_NAME)
    assert outputs == [f"tin-{i:03d}.en.txt" for i in range(200)]  # no partial, no duplicate
    assert all(os.stat(path).st_mtime_ns == mtime for path, mtime in before.items())  # done ones untouched
    assert f"({len(killed)} skipped: already done)" in second.stderr


def test_streamed_jsonl_is_recorded_once_written(tmp_path, copy_cli):
    for name in ("x.txt", "y.txt"):
        (tmp_path / name).write_text("Bộ Công an họp.\n", encoding="utf-8")
    out, record = tmp_path / "all.jsonl", tmp_path / "runs" / "record.jsonl"
    assert main(["translate", str(tmp_path / "x.txt"), str(tmp_path / "y.txt"), "--format", "jsonl", "-o", str(out),
                 "--manifest", str(record), "-q"]) == 0
    assert [json.loads(line)["file"] for line in out.read_text(encoding="utf-8").splitlines()] == [
        str(tmp_path / "x.txt"), str(tmp_path / "y.txt")]
    records = [json.loads(line) for line in record.read_text(encoding="utf-8").splitlines()]
    assert [(r["status"], r["output"]) for r in records] == [("ok", str(out.resolve()))] * 2
    assert all(0 <= r["seconds"] < 60 for r in records)
