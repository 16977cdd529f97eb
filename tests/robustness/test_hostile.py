"""Hostile and careless input (issue 13): files built to hang or crash a reader, outputs
that would overwrite their inputs, runs that collide. Each answer is a clear error
naming the file, within a bounded time."""

from __future__ import annotations

import errno
import fcntl
import io
import json
import time

import pytest

from vnsum.cli import main
from vnsum.cli.batch import MANIFEST_NAME, Manifest
from vnsum.documents import parse_document
from vnsum.errors import InputError
from vnsum.formats import MAX_DOCX_PARAGRAPHS
from vnsum.glossary import check

from . import hostile


def timed(fn, *args):
    start = time.perf_counter()
    try:
        return fn(*args), time.perf_counter() - start
    except InputError as exc:
        return exc, time.perf_counter() - start


# --- Word files (items 1, 2, 9) ------------------------------------------------------------

def test_a_style_based_on_itself_is_read():
    data = hostile.docx_with({"word/styles.xml": hostile.self_based_styles(),
                              "word/document.xml": hostile.body(
                                  '<w:p><w:pPr><w:pStyle w:val="A"/></w:pPr><w:r><w:t>Bộ Công an họp.</w:t></w:r></w:p>'
                                  '<w:p><w:r><w:t>Hà Nội.</w:t></w:r></w:p>')})
    doc, seconds = timed(parse_document, data, "vong.docx")
    assert doc.text == "Bộ Công an họp.\nHà Nội.\n" and seconds < 2


def test_5000_empty_paragraphs_take_well_under_a_second():
    data = hostile.docx_with({"word/document.xml": hostile.body("<w:p/>" * 5000 + "<w:p><w:r><w:t>Họp.</w:t></w:r></w:p>")})
    doc, seconds = timed(parse_document, data, "rong.docx")
    assert len(data) < 60_000 and doc.text == "\n" * 5000 + "Họp.\n"
    assert seconds < 3  # 17 to 33 s when python-docx looked each paragraph's style up


def test_a_docx_with_too_many_paragraphs_or_bytes_is_refused_at_once():
    many = hostile.docx_with({"word/document.xml": hostile.body("<w:p/>" * (MAX_DOCX_PARAGRAPHS + 1))})
    error, seconds = timed(parse_document, many, "nhieu.docx")
    assert str(error).startswith(f"nhieu.docx: this Word file has {MAX_DOCX_PARAGRAPHS + 1:,} paragraphs")
    assert seconds < 2
    bomb = hostile.docx_with({"word/document.xml": hostile.body("<w:p/>") + b" " * 80_000_000})
    error, seconds = timed(parse_document, bomb, "bom.docx")
    assert len(bomb) < 200_000 and "bom.docx: this Word file unpacks to 81 MB, more than the 64 MB" in str(error) and seconds < 2


@pytest.mark.parametrize("make", [
    lambda: hostile.docx_with({"word/document.xml": b"<w:document"}),
    lambda: hostile.docx_with({"word/document.xml": hostile.billion_laughs()}),
    lambda: hostile.docx_with({"word/document.xml": hostile.body(hostile.nested_tables(2000))}),
    hostile.bad_deflate,
    lambda: hostile.plain_docx()[:2000],
], ids=["malformed-xml", "billion-laughs", "tables-2000-deep", "bad-deflate", "cut-short"])
def test_a_damaged_docx_is_one_clear_error(make):
    with pytest.raises(InputError, match=r"^hong\.docx: not a valid Word \.docx file \(.+\); save it again"):
        parse_document(make(), "hong.docx")


# --- Web pages (item 3) ----------------------------------------------------------------------

@pytest.mark.parametrize("tag, text", [("footer", None), ("article", "Bộ Công an họp.\n"),
                                       ("div", "Bộ Công an họp.\n")])
def test_a_page_nested_20000_deep_reads_in_linear_time(tag, text):
    result, seconds = timed(parse_document, hostile.nested_html(tag, 20_000), "sau.html")
    if text is None:
        assert "no article text found" in str(result)
    else:
        assert result.text == text
    assert seconds < 10  # 102 s for <footer> when each tag looked for an <article> above it


def test_inline_elements_nested_20000_deep_with_text_at_each_level():
    page = ("<html><body><div>" + "<span>chữ " * 20_000 + "</span>" * 20_000 + "</div></body></html>").encode()
    doc, seconds = timed(parse_document, page, "span.html")
    assert doc.text == "chữ " * 19_999 + "chữ\n" and seconds < 10


# --- Glossaries (item 4; control characters) -------------------------------------------------

HEADER = "vi\ten\tkind\tvariants\tsource\n"


def test_a_3000_word_term_is_refused_quickly(tmp_path):
    path = tmp_path / "dai.tsv"
    path.write_text(HEADER + " ".join(["từ"] * 3000) + "\tword\tterm\t\t\n", encoding="utf-8")
    problems, seconds = timed(check, path)
    assert [str(p) for p in problems] == [
        "line 2: error: vi column has 3,000 words; a term has at most 50 (is a tab or a line end missing?)"]
    assert seconds < 1  # 75 s when every run of every term was sliced out


def test_nesting_is_found_without_slicing_every_run(tmp_path):
    long = " ".join(f"từ{i}" for i in range(50))
    path = tmp_path / "long.tsv"
    rows = [f"{long}\tlong\tterm", "từ7 từ8\tshort\tterm", "từ49\tlast\tterm"]
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    assert [p.message for p in check(path)] == [f"'từ7 từ8' is nested in line 2 ({long!r})",
                                                f"'từ49' is nested in line 2 ({long!r})"]


@pytest.mark.parametrize("char", ["\u202e", "\u200b", "\x07"])
def test_a_term_with_an_invisible_character_is_an_error(tmp_path, char):
    path = tmp_path / "an.tsv"
    path.write_text(HEADER + f"Bộ Công{char} an\tMinistry of Public Security\torg\n", encoding="utf-8")
    problems = check(path)
    assert [p.level for p in problems] == ["error"]
    assert f"(U+{ord(char):04X})" in problems[0].message


# --- Documents -------------------------------------------------------------------------------

def test_zero_width_only_text_is_empty():
    with pytest.raises(InputError, match="^z.txt: the document is empty \\(only zero-width or other invisible"):
        parse_document("\u200b\u200c\u200d \u2060\n\u200e".encode(), "z.txt")


# --- Output paths (item 6 and the smaller ones) ----------------------------------------------

@pytest.fixture
def inbox(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Bộ Công an họp.\n", encoding="utf-8")
    (folder / "b.vi.txt").write_text("Hà Nội.\n", encoding="utf-8")
    return folder


def test_output_folder_same_as_input_is_refused(inbox, copy_cli, capsys):
    for command in ("translate", "process"):
        assert main([command, str(inbox), "-o", str(inbox), "-q"]) == 2
        assert f"-o {inbox} is the input folder" in capsys.readouterr().err
    assert (inbox / "a.txt").read_text(encoding="utf-8") == "Bộ Công an họp.\n"


def test_output_file_same_as_input_is_refused(inbox, copy_cli, capsys):
    original = inbox / "a.txt"
    assert main(["translate", str(original), "-o", str(inbox / "." / "a.txt")]) == 2
    assert "the output would overwrite an input" in capsys.readouterr().err
    assert original.read_text(encoding="utf-8") == "Bộ Công an họp.\n"


def test_output_folder_inside_the_input_folder_is_left_out(inbox, copy_cli):
    out = inbox / "out"
    for _ in range(2):
        assert main(["translate", str(inbox), "-o", str(out), "-q", "--no-tm"]) == 0
    assert sorted(p.relative_to(inbox).as_posix() for p in inbox.rglob("*.txt")) == [
        "a.txt", "b.vi.txt", "out/a.txt", "out/b.en.txt"]


def test_an_existing_file_as_output_folder_is_a_usage_error(inbox, tmp_path, copy_cli, capsys):
    (tmp_path / "taken").write_text("x", encoding="utf-8")
    assert main(["translate", str(inbox), "-o", str(tmp_path / "taken"), "-q"]) == 2
    assert f"-o {tmp_path / 'taken'} is an existing file, but the outputs of a folder go into a folder" in \
        capsys.readouterr().err


def test_resume_skips_two_inputs_that_are_one_file(inbox, tmp_path, copy_cli, capsys):
    (inbox / "link.txt").symlink_to(inbox / "a.txt")
    out = tmp_path / "out"
    assert main(["translate", str(inbox), "-o", str(out), "-q", "--no-tm"]) == 0
    assert main(["translate", str(inbox), "-o", str(out), "--no-tm", "--resume"]) == 0
    assert "3 of 3 documents done, 0 failed (3 skipped: already done)" in capsys.readouterr().err


def test_a_second_run_into_the_same_folder_is_refused(inbox, tmp_path, copy_cli, capsys):
    out = tmp_path / "out"
    out.mkdir()
    (out / MANIFEST_NAME).write_text('{"input": "earlier"}\n', encoding="utf-8")
    with open(out / MANIFEST_NAME, "a") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)  # the first run
        assert main(["translate", str(inbox), "-o", str(out), "-q"]) == 2
    assert "another vnsum run is writing into this folder now" in capsys.readouterr().err
    assert (out / MANIFEST_NAME).read_text(encoding="utf-8") == '{"input": "earlier"}\n'
    assert not list(out.glob("*.txt"))


def test_a_full_disk_under_the_manifest_is_one_message(inbox, tmp_path, copy_cli, monkeypatch, capsys):
    class FullDisk(io.StringIO):
        def write(self, text):
            raise OSError(errno.ENOSPC, "No space left on device")

        def close(self):
            raise OSError(errno.ENOSPC, "No space left on device")

    def opened(self):
        real_open(self)
        self._handle.close()
        self._handle = FullDisk()

    real_open = Manifest.open
    monkeypatch.setattr(Manifest, "open", opened)
    assert main(["translate", str(inbox), "-o", str(tmp_path / "out"), "-q", "--resume"]) == 1
    err = capsys.readouterr().err
    assert err.count("vnsum: error:") == 1 and "Traceback" not in err
    assert "cannot record progress in the manifest (No space left on device)" in err


def test_an_interrupt_after_resume_counts_what_is_recorded(inbox, tmp_path, copy_cli, monkeypatch, capsys):
    out = tmp_path / "out"
    assert main(["translate", str(inbox), "-o", str(out), "-q", "--no-tm"]) == 0
    (inbox / "c.txt").write_text("Mới.\n", encoding="utf-8")

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("vnsum.cli.batch._deliver", interrupted)
    assert main(["translate", str(inbox), "-o", str(out), "-q", "--no-tm", "--resume"]) == 130
    assert "vnsum: 2 documents are done and recorded in" in capsys.readouterr().err
    assert len([json.loads(line) for line in (out / MANIFEST_NAME).read_text().splitlines()]) == 2


@pytest.mark.parametrize("run", ["1,", "1.", "1/", "a/", "Ab1/"])
def test_a_20000_character_run_of_number_marks_is_read_in_linear_time(run):
    from vnsum.literals import find_literals

    text = run * (20_000 // len(run))
    for src, tgt in (("vi", "en"), ("en", "vi")):
        _, seconds = timed(find_literals, text, src, tgt)
        assert seconds < 2  # 20 s for "1,1,1…" when every position looked ahead for a capital
