"""Hostile and careless input (issue 13): files built to hang or crash a reader, outputs
that would overwrite their inputs, runs that collide. Each answer is a clear error
naming the file, within a bounded time."""

from __future__ import annotations

import errno
import fcntl
import io
import json
import re
import time

import pytest

from fakes import CopyBackend
from vnsum import Translator
from vnsum.cli import main
from vnsum.cli.batch import MANIFEST_NAME, Manifest
from vnsum.documents import parse_document
from vnsum.errors import InputError
from vnsum.formats import MAX_DOCX_PARAGRAPHS
from vnsum.glossary import check

from . import hostile
from .test_encodings import cp1258


def timed(fn, *args):
    start = time.perf_counter()
    try:
        return fn(*args), time.perf_counter() - start
    except InputError as exc:
        return exc, time.perf_counter() - start


def read_in_linear_time(make, size: int, name: str):
    """Parse ``make(size // 4)`` and ``make(size)`` and return the second result, after
    checking that four times the input cost at most eight times the time: linear work
    grows about 4x, the quadratic readers these tests guard against grew 16x. A ratio in
    the same test, not a number of seconds, so a busy machine slows both sizes alike; the
    half second of slack absorbs the noise of a small input's few milliseconds."""
    _, small = timed(parse_document, make(size // 4), name)
    result, large = timed(parse_document, make(size), name)
    assert large < 8 * small + 0.5, f"{size:,}: {large:.2f} s, {size // 4:,}: {small:.2f} s (not linear)"
    return result


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


# --- Word files, round 3 (issue 27, items 2, 3, 5) ------------------------------------------

@pytest.mark.parametrize("rows, chain", [(2_000, 900), (20_000, 20_000)])
def test_vertically_merged_cells_are_read_once_in_linear_time(rows, chain):
    # 2,000 rows in chains of 900: 97 s before; chains of 20,000: RecursionError
    doc = read_in_linear_time(lambda n: hostile.docx_with({"word/document.xml": hostile.body(
        hostile.merged_column(n, chain * n // rows))}), rows, "gop.docx")
    expected = "".join((f"Gộp {i}\n" if i % chain == 0 else "") + f"{i}\n" for i in range(rows))
    assert doc.text == expected


def test_a_chain_of_20000_based_on_styles_is_read_in_linear_time():
    ids = [f"s{i}" for i in range(20_000)]
    flat = hostile.docx_with({"word/styles.xml": hostile.based_on_chain(1, ".VnTime"),
                              "word/document.xml": hostile.body(hostile.styled_paragraphs(["s0"] * 20_000))})
    chained = hostile.docx_with({"word/styles.xml": hostile.based_on_chain(20_000, ".VnTime"),
                                 "word/document.xml": hostile.body(hostile.styled_paragraphs(ids))})
    _, baseline = timed(parse_document, flat, "phang.docx")
    doc, seconds = timed(parse_document, chained, "chuoi.docx")
    assert doc.text == "Họ\n" * 20_000  # each paragraph's font found at the end of its chain
    assert doc.notices == ("converted 20000 run(s) in the .VnTime font from TCVN3 to Unicode (check names and "
                           "capitals)",)
    assert seconds < 3 * baseline + 1  # 57 s before, when each style walked its chain again


@pytest.mark.parametrize("part, message", [
    (f'<?xml version="1.0"?><document xmlns="{hostile.W}"><body>{"<p/>" * 8_000_000}</body></document>',
     r"has 8,\d{3},\d{3} XML tags, more than the 2,000,000 vnsum reads"),
    (f'<?xml version="1.0"?><x:document xmlns:x="{hostile.W}"><x:body>{"<x:p/>" * 100_001}</x:body></x:document>',
     "has 100,001 paragraphs, more than the 100,000"),
    (hostile.body("<w:p>" + "<w:r/>" * 500_001 + "</w:p>").decode(), "has 500,001 runs of text, more than the 500,000"),
], ids=["default-namespace", "other-prefix", "runs"])
def test_the_limits_count_elements_by_namespace_and_runs_too(part, message):
    data = hostile.docx_with({"word/document.xml": part.encode()})
    error, seconds = timed(parse_document, data, "nhieu.docx")
    assert isinstance(error, InputError) and re.search(f"^nhieu.docx: this Word file {message}", str(error))
    assert len(data) < 100_000 and seconds < 5  # 8M paragraphs: 72 s and 1.8 GB before


def test_a_docx_without_a_body_is_one_clear_error():
    data = hostile.docx_with({"word/document.xml": f'<w:document xmlns:w="{hostile.W}"/>'.encode()})
    with pytest.raises(InputError, match=r"^hong\.docx: not a valid Word \.docx file \(it has no document body\)"):
        parse_document(data, "hong.docx")


# --- Web pages (item 3) ----------------------------------------------------------------------

@pytest.mark.parametrize("tag, text", [("footer", None), ("article", "Bộ Công an họp.\n"),
                                       ("div", "Bộ Công an họp.\n")])
def test_a_page_nested_20000_deep_reads_in_linear_time(tag, text):
    # 102 s for <footer> when each tag looked for an <article> above it
    result = read_in_linear_time(lambda n: hostile.nested_html(tag, n), 20_000, "sau.html")
    if text is None:
        assert "no article text found" in str(result)
    else:
        assert result.text == text


def test_inline_elements_nested_20000_deep_with_text_at_each_level():
    doc = read_in_linear_time(
        lambda n: ("<html><body><div>" + "<span>chữ " * n + "</span>" * n + "</div></body></html>").encode(),
        20_000, "span.html")
    assert doc.text == "chữ " * 19_999 + "chữ\n"


# --- Web pages, round 3 (issue 27, items 4 and 14) -------------------------------------------

VI_PARAGRAPH = "Bộ Công an họp tại Hà Nội về công tác bảo đảm an ninh trật tự."


def page(charset: str, body: str, encode=str.encode) -> bytes:
    return encode(f'<html><head><meta charset="{charset}"></head><body><p>{body}</p></body></html>')


@pytest.mark.parametrize("data, text, notice", [
    (page("punycode", "a" * 600_000 + "-"), "a" * 600_000 + "-", "declares charset 'punycode', which web browsers "
                                                                 "do not know"),
    (page("unicode_escape", "xin \\ud800 chào"), "xin \\ud800 chào", "'unicode_escape', which web browsers do"),
    (page("utf-7", "Hi +2ADYAA- there"), "Hi +2ADYAA- there", "'utf-7', which web browsers do not know"),
    (page("cp037", "Ministry met."), "Ministry met.", "'cp037', which web browsers do not know"),
    (page("utf-16le", "Ministry met."), "Ministry met.", None),  # a <meta> UTF-16 means UTF-8
    (page("windows-1258", VI_PARAGRAPH), VI_PARAGRAPH, "not valid windows-1258 as the page declares"),
    (page("windows-1258", VI_PARAGRAPH, cp1258), VI_PARAGRAPH, None),
    (page("ISO-8859-1", VI_PARAGRAPH, cp1258), VI_PARAGRAPH, "converted from Windows-1258"),
    (page("windows-1251", "Министерство провело заседание.", lambda s: s.encode("cp1251")),
     "Министерство провело заседание.", None),
], ids=["punycode-600KB", "unicode-escape", "utf-7", "ebcdic", "utf-16-meta-on-ascii", "utf-8-says-1258",
        "windows-1258", "latin-1-says-but-1258", "windows-1251"])
def test_a_declared_charset_is_read_as_browsers_read_it(data, text, notice):
    doc, seconds = timed(parse_document, data, "trang.html")
    assert doc.text == text + "\n" and seconds < 5  # punycode: 46 s before; utf-7: UnicodeEncodeError
    about_encoding = [n for n in doc.notices if not n.startswith("no <article> element")]
    assert [notice in n for n in about_encoding] == ([] if notice is None else [True])


def test_paragraphs_each_in_a_div_of_their_own_are_all_kept():
    paragraphs = [f"Đoạn thứ {i} của bài viết về công tác bảo đảm an ninh." for i in range(1, 5)]
    page = ("<html><body><h1>Tiêu đề</h1><div class='noi-dung'>"
            + "".join(f"<div><div><p>{p}</p></div></div>" if i == 2 else f"<div><p>{p}</p></div>"
                      for i, p in enumerate(paragraphs))
            + "</div><div><p>Liên hệ</p></div></body></html>").encode()
    doc = parse_document(page, "bai.html")
    assert doc.text == "\n\n".join(["Tiêu đề", *paragraphs]) + "\n"  # 1 of 4 paragraphs before


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


@pytest.mark.parametrize("written", ["Bộ Công\u00ad an", "Bộ Cô\u200bng an", "Bộ Công a\u200dn", "\u202eBộ Công an\u202c"],
                         ids=["soft-hyphen", "zero-width-space", "zero-width-joiner", "right-to-left-override"])
def test_a_term_with_invisible_characters_in_the_text_is_applied(written):
    result = Translator(backend=CopyBackend(), glossary="vn-gov").translate_document(f"Ông nói {written} họp.")
    assert result.text == "Ông nói Ministry of Public Security họp."  # no override left around the rendering
    assert [(h.target, h.status) for h in result.terms] == [("Ministry of Public Security", "applied")]


def test_an_eth_written_for_d_with_stroke_still_matches():
    result = Translator(backend=CopyBackend(), glossary="vn-gov").translate_document("Ðại tướng Tô Lâm dự họp.")
    assert result.text == "General To Lam dự họp."


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
