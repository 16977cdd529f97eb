"""The direction found by itself (issue 25): ``-s auto`` by default, each file's language
detected and translated into the other; ``-s`` or ``-t`` alone implies the other one.

Translations use CopyBackend; the JSON records say which direction each document took.
"""

import json

import pytest

from vnsum.cli import main
from vnsum.cli.translate import direction
from vnsum.documents import output_name

VI = "Bộ Công an tổ chức hội nghị tổng kết công tác năm 2025 tại Hà Nội. Đại tướng Tô Lâm phát biểu chỉ đạo.\n"
EN = ("The Ministry of Public Security held a conference in Hanoi to review its work in 2025. "
      "General To Lam spoke at the meeting and gave directions for the coming year.\n")


@pytest.fixture(autouse=True)
def copy_backend(monkeypatch):
    from fakes import CopyBackend
    from vnsum import Translator

    real_init = Translator.__init__
    monkeypatch.setattr(Translator, "__init__",
                        lambda self, *a, **kw: real_init(self, *a, **{**kw, "backend": CopyBackend()}))


@pytest.fixture
def mixed(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a.vi.txt", "b.vi.txt", "c.vi.txt"):
        (folder / name).write_text(VI, encoding="utf-8")
    (folder / "crime.en.txt").write_text(EN, encoding="utf-8")
    return folder


def directions(text: str) -> dict[str, tuple[str, str]]:
    return {(r := json.loads(line))["file"].rsplit("/", 1)[1]: (r["src"], r["tgt"]) for line in text.splitlines()}


@pytest.mark.parametrize("given, expected", [
    ((None, None), ("auto", None)),
    (("auto", None), ("auto", None)),
    (("en", None), ("en", "vi")),
    ((None, "en"), ("vi", "en")),
    (("auto", "en"), ("auto", "en")),
    (("vi", "en"), ("vi", "en")),
])
def test_either_option_implies_the_other(given, expected):
    assert direction(*given) == expected


def test_a_folder_with_an_english_file_goes_each_way(mixed, tmp_path, capsys):
    assert main(["translate", str(mixed), "--format", "jsonl", "-q", "--no-tm"]) == 0
    assert directions(capsys.readouterr().out) == {
        "a.vi.txt": ("vi", "en"), "b.vi.txt": ("vi", "en"), "c.vi.txt": ("vi", "en"), "crime.en.txt": ("en", "vi")}
    out = tmp_path / "out"
    assert main(["translate", str(mixed), "-o", str(out), "-q", "--no-tm"]) == 0
    assert sorted(p.name for p in out.glob("*.txt")) == ["a.en.txt", "b.en.txt", "c.en.txt", "crime.vi.txt"]


def test_source_alone_takes_the_other_language_as_target(mixed, capsys):
    assert main(["translate", "-s", "en", str(mixed / "crime.en.txt"), "--format", "json", "-q", "--no-tm"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["src"], data["tgt"]) == ("en", "vi")


def test_a_document_already_in_the_target_fails_alone(mixed, capsys):
    assert main(["translate", "-s", "auto", "-t", "en", str(mixed), "--format", "jsonl", "-q", "--no-tm"]) == 1
    out, err = capsys.readouterr()
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["tgt"] for r in records if "error" not in r] == ["en"] * 3
    assert "this reads as English, the language to translate into" in err


def test_same_source_and_target_is_a_usage_error(mixed, capsys):
    assert main(["translate", "-s", "en", "-t", "en", str(mixed / "crime.en.txt")]) == 2
    assert "source and target are both 'en'" in capsys.readouterr().err


def test_auto_output_names_swap_the_files_own_tag(tmp_path):
    from pathlib import Path

    assert output_name(Path("news.en.txt"), "auto", None, None) == Path("news.vi.txt")
    assert output_name(Path("bai.vi.html"), "auto", None, None) == Path("bai.en.txt")
    assert output_name(Path("plain.txt"), "auto", None, ".json") == Path("plain.json")


def test_process_detects_each_article(mixed, tmp_path):
    out = tmp_path / "briefs"
    assert main(["process", str(mixed), "-o", str(out), "--format", "json", "-q", "--no-tm"]) == 0
    english = json.loads((out / "crime.vi.json").read_text(encoding="utf-8"))
    vietnamese = json.loads((out / "a.en.json").read_text(encoding="utf-8"))
    assert english["translation"]["src"] == "en" and vietnamese["translation"]["src"] == "vi"


def test_auto_loads_only_the_directions_its_documents_need(mixed, monkeypatch, capsys):
    from vnsum import Translator

    asked = []
    real = Translator.backend
    monkeypatch.setattr(Translator, "backend", lambda self, src, tgt: asked.append((src, tgt)) or real(self, src, tgt))
    (mixed / "crime.en.txt").unlink()
    assert main(["translate", str(mixed), "--format", "jsonl", "-q", "--no-tm"]) == 0
    assert set(asked) == {("vi", "en")}  # a Vietnamese folder never loads (or downloads) the en-vi model


def test_a_guess_from_a_few_words_is_a_notice(tmp_path, capsys):
    (tmp_path / "short.txt").write_text("Hội nghị.\n", encoding="utf-8")
    assert main(["translate", str(tmp_path / "short.txt"), "--format", "json", "--no-tm"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["src"] == "vi" and "too few words to be sure of its language" in err
    (tmp_path / "long.txt").write_text(VI, encoding="utf-8")
    assert main(["translate", str(tmp_path / "long.txt"), "--no-tm", "-q"]) == 0
    assert "too few words" not in capsys.readouterr().err
