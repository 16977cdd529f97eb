"""The CLI keeps its word (issue 25): jsonl into folders, failures in the stream, exit
codes 0/1/2 as README and --help state them, numbers checked on parsing, reports on stdout.

Translations use CopyBackend: these tests check files, records and codes, not wording.
"""

import json

import pytest

from vnsum.cli import main
from vnsum.cli.batch import MANIFEST_NAME


@pytest.fixture
def copy_backend(monkeypatch):
    from fakes import CopyBackend
    from vnsum import Translator

    real_init = Translator.__init__
    monkeypatch.setattr(Translator, "__init__",
                        lambda self, *a, **kw: real_init(self, *a, **{**kw, "backend": CopyBackend()}))


@pytest.fixture
def inbox(tmp_path, copy_backend):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.vi.txt").write_text("Bộ Công an họp.\n", encoding="utf-8")
    (folder / "b.vi.txt").write_text("Hà Nội mưa.\n", encoding="utf-8")
    (folder / "bad.vi.txt").write_bytes(b"Ok \xff\xfe broken")
    return folder


def lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


@pytest.mark.parametrize("name", ["batchout/", "existing"])
def test_jsonl_into_a_folder_writes_a_file_per_document(inbox, tmp_path, capsys, name):
    (tmp_path / "existing").mkdir()
    out = tmp_path / name
    assert main(["translate", str(inbox), "-o", f"{tmp_path}/{name}", "--format", "jsonl", "-q", "--no-tm"]) == 1
    assert out.is_dir()
    assert sorted(p.name for p in out.iterdir()) == ["a.en.jsonl", "b.en.jsonl", MANIFEST_NAME]
    assert [r["file"] for r in lines((out / "a.en.jsonl").read_text(encoding="utf-8"))] == [str(inbox / "a.vi.txt")]
    assert "bad.vi.txt: not valid UTF-8" in capsys.readouterr().err


def test_an_existing_output_folder_is_written_into_and_resumed(inbox, tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.en.txt").write_text("old\n", encoding="utf-8")
    (out / "keep.txt").write_text("mine\n", encoding="utf-8")
    assert main(["translate", str(inbox), "-o", str(out), "-q", "--no-tm"]) == 1
    assert (out / "a.en.txt").read_text(encoding="utf-8") != "old\n"  # replaced, as --help says
    assert (out / "keep.txt").read_text(encoding="utf-8") == "mine\n"  # others left alone
    (inbox / "bad.vi.txt").write_text("Đã sửa.\n", encoding="utf-8")
    assert main(["translate", str(inbox), "-o", str(out), "--no-tm", "--resume"]) == 0
    assert "(2 skipped: already done)" in capsys.readouterr().err


def test_failed_documents_are_error_records_in_the_stream(inbox, tmp_path, capsys):
    assert main(["translate", *sorted(map(str, inbox.iterdir())), "--format", "jsonl", "-q", "--no-tm"]) == 1
    records = lines(capsys.readouterr().out)
    assert [r["file"].rsplit("/", 1)[1] for r in records] == ["a.vi.txt", "b.vi.txt", "bad.vi.txt"]
    assert "error" not in records[0] and "not valid UTF-8 (byte offset 3)" in records[2]["error"]
    out = tmp_path / "all.jsonl"
    assert main(["translate", str(inbox), "--format", "jsonl", "-o", str(out), "-q", "--no-tm"]) == 1
    assert [("error" in r) for r in lines(out.read_text(encoding="utf-8"))] == [False, False, True]


@pytest.mark.parametrize("argv, message", [
    (["--beam-size", "0"], "argument --beam-size: must be at least 1, got 0"),
    (["--batch-size", "-1", "--no-tm"], "argument --batch-size: must be at least 1, got -1"),
    (["--batch-size", "many"], "argument --batch-size: expected a whole number, got 'many'"),
    (["--llm-timeout", "0"], "argument --llm-timeout: must be more than 0 seconds, got 0"),
    (["--no-such-option"], "unrecognized arguments: --no-such-option"),
])
def test_a_wrong_number_or_option_is_one_line_and_exit_2(inbox, capsys, argv, message):
    with pytest.raises(SystemExit) as exc:
        main(["translate", str(inbox / "a.vi.txt"), *argv])
    err = capsys.readouterr().err
    assert exc.value.code == 2 and message in err and err.count("\n") == 1


@pytest.mark.parametrize("argv, message", [
    (["--model", "opus_mt_typo"], "No model 'opus_mt_typo': did you mean 'opus-mt'?"),
    (["-g", "no-such-glossary"], "Glossary 'no-such-glossary' not found"),
    (["MISSING"], "missing.vi.txt: no such file or folder"),
])
def test_a_wrong_command_exits_2(tmp_path, capsys, argv, message):
    """Nothing here reaches a model: each mistake is found before one loads."""
    (tmp_path / "a.vi.txt").write_text("Bộ Công an họp.\n", encoding="utf-8")
    argv = [str(tmp_path / "missing.vi.txt") if a == "MISSING" else a for a in argv]
    inputs = [] if argv[0].endswith("missing.vi.txt") else [str(tmp_path / "a.vi.txt")]
    assert main(["translate", *inputs, *argv, "--no-tm"]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_an_unknown_summarizer_is_a_wrong_command_not_a_failed_document(tmp_path, capsys):
    (tmp_path / "a.vi.txt").write_text("Bộ Công an họp.\n", encoding="utf-8")
    assert main(["summarize", str(tmp_path / "a.vi.txt"), "--summarizer", "vit5x"]) == 2
    assert "No model 'vit5x': did you mean 'vit5'?" in capsys.readouterr().err


def test_summary_lengths_are_checked_on_parsing(inbox, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["summarize", str(inbox / "a.vi.txt"), "--sentences", "0"])
    assert exc.value.code == 2 and "argument --summary-sentences/--sentences: must be at least 1" in \
        capsys.readouterr().err


def test_help_states_the_exit_codes_and_the_overwrite_rule(capsys):
    with pytest.raises(SystemExit):
        main(["translate", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "0 all done; 1 some documents failed" in text and "2 the command was wrong" in text
    assert "-o DIR may exist already" in text and "--resume" in text


def test_glossary_check_report_goes_to_stdout(tmp_path, capsys):
    bad = tmp_path / "g.tsv"
    bad.write_text("vi\ten\tkind\tvariants\tsource\nA b\tX\torg\t\ts\na B\tY\torg\t\ts\n", encoding="utf-8")
    assert main(["glossary", "check", str(bad)]) == 1
    out, err = capsys.readouterr()
    assert out.endswith("1 error(s), 0 warning(s), 0 note(s)\n") and err == ""


def test_a_model_that_cannot_load_stops_the_run_once(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("VNSUM_MODELS", str(tmp_path / "no-models"))
    for name in ("a.vi.txt", "b.vi.txt", "c.vi.txt"):
        (tmp_path / name).write_text("Bộ Công an họp.\n", encoding="utf-8")
    argv = [str(tmp_path / n) for n in ("a.vi.txt", "b.vi.txt", "c.vi.txt")]
    assert main(["translate", *argv, "--model", "opus-mt", "--format", "jsonl", "-q", "--no-tm"]) == 1
    err = capsys.readouterr().err
    assert err.count("No weights for model 'opus-mt'") == 1 and "Traceback" not in err
