"""The command line end to end, on generated models (their output is not a translation:
these tests check files, formats, reports and exit codes, never wording)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from vnsum.cli import main

DATA = Path(__file__).parent / "data"


def run_cli(*args, env=None, stdin=None):
    return subprocess.run([sys.executable, "-m", "vnsum.cli", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, input=stdin, timeout=300)


@pytest.mark.slow
def test_article_end_to_end_through_the_console(with_models, tmp_path):
    out = tmp_path / "out.json"
    proc = run_cli("translate", str(DATA / "article.vi.txt"), "-s", "vi", "-t", "en", "--format", "json",
                   "-o", str(out), "--beam-size", "1", env={"VNSUM_MODELS": str(with_models)})
    assert proc.returncode == 0, proc.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    source = (DATA / "article.vi.txt").read_text(encoding="utf-8")
    assert data["text"].count("\n") == source.count("\n")
    assert data["model"].startswith("opus-mt (Helsinki-NLP/opus-mt-vi-en)")
    assert data["glossary"] == "vn-gov"
    # a random model loses placeholders, so every term went through the fallback path
    assert {t["status"] for t in data["terms"]} <= {"applied", "repaired", "missed"}
    assert {"Bộ Công an", "Đại tướng", "Ban Dân vận Trung ương"} <= {t["source"] for t in data["terms"]}
    assert sum(data["term_counts"].values()) == len(data["terms"])


def test_folder_batch_one_bad_document_does_not_stop_the_others(with_models, tmp_path, capsys):
    inbox = tmp_path / "in"
    (inbox / "sub").mkdir(parents=True)
    (inbox / "a.vi.txt").write_text("Bộ Công an họp.\n", encoding="utf-8")
    (inbox / "sub" / "b.vi.txt").write_text("Hà Nội.\n\nCâu hai.\n", encoding="utf-8")
    (inbox / "bad.txt").write_bytes(b"Ok \xff\xfe broken")
    (inbox / "empty.md").write_text("  \n", encoding="utf-8")
    (inbox / "ignored.pdf").write_bytes(b"%PDF")
    code = main(["translate", str(inbox), "-o", str(tmp_path / "out"), "--beam-size", "1", "-q"])
    err = capsys.readouterr().err
    assert code == 1
    assert (tmp_path / "out" / "a.en.txt").exists()
    assert (tmp_path / "out" / "sub" / "b.en.txt").read_text(encoding="utf-8").count("\n") == 3
    assert "bad.txt: not valid UTF-8 (byte offset 3)" in err
    assert "empty.md: the document is empty" in err
    assert "2 of 4 documents done, 2 failed" in err
    assert not list((tmp_path / "out").rglob("*.tmp")) and not (tmp_path / "out" / "bad.txt").exists()


def test_stdin_to_stdout_and_jsonl(with_models, tmp_path, capsys, monkeypatch):
    import io

    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO("Bộ Công an họp.\n".encode())))
    assert main(["translate", "--beam-size", "1", "-q"]) == 0
    assert capsys.readouterr().out.endswith("\n")
    (tmp_path / "x.txt").write_text("Một.", encoding="utf-8")
    (tmp_path / "y.txt").write_text("Hai.", encoding="utf-8")
    assert main(["translate", str(tmp_path / "x.txt"), str(tmp_path / "y.txt"), "--format", "jsonl", "-q",
                 "--beam-size", "1"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [json.loads(line)["file"] for line in lines] == [str(tmp_path / "x.txt"), str(tmp_path / "y.txt")]


def test_json_report_with_fake_model_is_exact(monkeypatch, tmp_path, capsys):
    from fakes import CopyBackend
    from vnsum import Translator

    real_init = Translator.__init__
    monkeypatch.setattr(Translator, "__init__",
                        lambda self, *a, **kw: real_init(self, *a, **{**kw, "backend": CopyBackend()}))
    src = tmp_path / "a.txt"
    src.write_text("Đại tướng Tô Lâm dự họp.\n", encoding="utf-8")
    assert main(["translate", str(src), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["text"] == "General To Lam dự họp.\n"
    assert [(t["source"], t["target"], t["status"]) for t in data["terms"]] == [
        ("Đại tướng", "General", "applied"), ("Tô Lâm", "To Lam", "applied")]


def test_usage_errors_exit_2(capsys, tmp_path):
    (tmp_path / "x.txt").write_text("a", encoding="utf-8")
    (tmp_path / "y.txt").write_text("b", encoding="utf-8")
    assert main(["translate", str(tmp_path / "x.txt"), str(tmp_path / "y.txt")]) == 2
    assert "several documents need -o" in capsys.readouterr().err
    assert main(["translate", str(tmp_path / "x.txt"), "-s", "vi", "-t", "vi"]) == 2
    with pytest.raises(SystemExit) as exc:
        main(["translate", "--format", "pdf"])
    assert exc.value.code == 2


def test_missing_model_is_one_clear_message_without_traceback(tmp_path):
    src = tmp_path / "a.vi.txt"
    src.write_text("Bộ Công an họp.", encoding="utf-8")
    proc = run_cli("translate", "--model", "opus-mt", str(src), env={"VNSUM_MODELS": str(tmp_path / "none")})
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert "No weights for model 'opus-mt'" in proc.stderr and "vnsum models pull opus-mt" in proc.stderr


def test_models_list_and_info(with_models, capsys):
    assert main(["models", "list"]) == 0
    listing = capsys.readouterr().out
    assert "nllb-600m" in listing and "non-commercial" in listing and "vi-en: project" in listing
    assert main(["models", "info", "envit5"]) == 0
    assert "VietAI/envit5-translation" in capsys.readouterr().out
    assert main(["models", "info", "nope"]) == 2


def test_models_pull_offline_says_what_to_do(tmp_path, capsys):
    assert main(["models", "pull", "opus-mt", "--dir", str(tmp_path)]) == 1
    assert "connected machine" in capsys.readouterr().err


def test_glossary_check(tmp_path, capsys):
    assert main(["glossary", "check", "vn-gov"]) == 0
    quiet = capsys.readouterr()  # the report is on stdout, so `> report.txt` keeps it
    assert quiet.err == "" and quiet.out.endswith("note(s) (listed with -v)\n")  # nested entries are notes
    assert main(["glossary", "check", "-v", "vn-gov"]) == 0
    assert "info: " in capsys.readouterr().out
    bad = tmp_path / "g.tsv"
    bad.write_text("vi\ten\tkind\tvariants\tsource\nA b\tX\torg\t\ts\na B\tY\torg\t\ts\n", encoding="utf-8")
    assert main(["glossary", "check", str(bad)]) == 1
    assert f"{bad}:line 3: error: conflict with line 2" in capsys.readouterr().out


def test_json_result_carries_the_reading_notices(monkeypatch, tmp_path, capsys):
    from fakes import CopyBackend
    from vnsum import Translator
    from vnsum.encodings import encode_legacy

    real_init = Translator.__init__
    monkeypatch.setattr(Translator, "__init__",
                        lambda self, *a, **kw: real_init(self, *a, **{**kw, "backend": CopyBackend()}))
    src = tmp_path / "cu.txt"
    src.write_bytes(encode_legacy("Bộ Công an tổ chức hội nghị tổng kết công tác năm 2025.\n", "TCVN3"))
    assert main(["translate", str(src), "--format", "json", "-q"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["text"].startswith("The Ministry of Public Security")
    assert any("TCVN3" in notice for notice in data["notices"])


def test_outputs_respect_the_umask_like_any_other_tool(tmp_path, article):
    from vnsum.documents import write_atomic

    previous = os.umask(0o022)
    try:
        write_atomic(tmp_path / "brief.md", article)
        assert (tmp_path / "brief.md").stat().st_mode & 0o777 == 0o644
        os.umask(0o077)
        (tmp_path / "shared.md").write_text("x")
        os.chmod(tmp_path / "shared.md", 0o664)
        write_atomic(tmp_path / "shared.md", article)  # a file it replaces keeps its mode
        write_atomic(tmp_path / "private.md", article)
        assert [(tmp_path / n).stat().st_mode & 0o777 for n in ("shared.md", "private.md")] == [0o664, 0o600]
    finally:
        os.umask(previous)
    assert main(["summarize", str(tmp_path / "brief.md"), "-l", "vi", "-o", str(tmp_path / "s.txt")]) == 0
    assert (tmp_path / "s.txt").stat().st_mode & 0o777 == 0o666 & ~previous


def test_models_list_columns_line_up(capsys):
    assert main(["models", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    for column in ("family", "size", "licence", "here"):
        at = lines[0].index(column)
        assert all(line[at - 2:at] == "  " and line[at] != " " for line in lines[2:]), column
