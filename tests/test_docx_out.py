"""Word and HTML out, layout kept: a .docx translated into a .docx keeps its styles,
runs, lists, tables, headers, footers and images; a page keeps its markup.

The fake backend shouts (upper-cases every sentence), so what was translated, and
where it went, can be read in the output; the bundled vnsum-mini runs end to end once,
and LibreOffice (when installed) renders a result to show that Word-compatible
software opens it.
"""

import io
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from fakes import CopyBackend
from test_bundled_model import vnsum, vietnamese_words
from vnsum import Translator, translate_docx, translate_file, translate_html
from vnsum.cli import main
from vnsum.encodings import encode_legacy
from vnsum.errors import UsageError

docx = pytest.importorskip("docx")
from docx.shared import Pt, RGBColor  # noqa: E402 - after the skip

DATA = Path(__file__).parent / "data"


class Shout(CopyBackend):
    """Translates by upper-casing: placeholders (ZZ0) come back as they went."""

    name = "shout"

    def transform(self, sentence: str) -> str:
        return sentence.upper()


def tiny_png() -> bytes:
    """A 4x4 red PNG, written byte by byte."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * 4 for _ in range(4))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def saved(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def report() -> bytes:
    """A report as offices write them: heading, mixed runs, a numbered item, a table,
    header and footer, an image with its caption, text on both sides of an image."""
    d = docx.Document()
    d.sections[0].header.paragraphs[0].text = "Đầu trang báo cáo"
    d.sections[0].footer.paragraphs[0].text = "Chân trang báo cáo"
    d.add_heading("Báo cáo tổng kết năm", level=1)
    p = d.add_paragraph()
    p.add_run("Câu đầu in đậm. ").bold = True
    p.add_run("Câu hai thường, có số ")
    p.add_run("1.200").underline = True
    p.add_run(" người.")
    p = d.add_paragraph()
    for part in ("Một đoạn ", "cùng định ", "dạng."):
        run = p.add_run(part)
        run.italic, run.font.size, run.font.name = True, Pt(14), "Arial"
        run.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    item = d.add_paragraph("Mục thứ nhất của danh sách.", style="List Number")
    numbering = item._p.get_or_add_pPr().get_or_add_numPr()
    numbering.get_or_add_ilvl().val, numbering.get_or_add_numId().val = 0, 1
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Họ tên", "Chức vụ"
    table.cell(1, 0).text = "Dòng một"
    table.cell(1, 0).add_paragraph("Dòng hai")
    d.add_paragraph().add_run().add_picture(io.BytesIO(tiny_png()))
    d.add_paragraph("Ảnh: hội nghị tổng kết.", style="Caption")
    p = d.add_paragraph()
    run = p.add_run("Trước ảnh là hội trường.")
    run.add_picture(io.BytesIO(tiny_png()))
    run.add_text("Sau ảnh là danh sách.")
    return saved(d)


@pytest.fixture
def shout() -> Translator:
    return Translator(backend=Shout(), glossary=None)


def runs(paragraph) -> list[tuple]:
    return [(r.text, r.bold, r.italic, r.underline) for r in paragraph.runs]


def test_a_report_keeps_its_layout_and_its_text_is_translated(shout):
    out = docx.Document(io.BytesIO(translate_docx(report(), shout, "vi", "en")))
    body = out.paragraphs
    assert (body[0].style.name, body[0].text) == ("Heading 1", "BÁO CÁO TỔNG KẾT NĂM")
    # a sentence takes the format of most of its source; a number keeps its own
    assert runs(body[1]) == [("CÂU ĐẦU IN ĐẬM. ", True, None, None), ("CÂU HAI THƯỜNG, CÓ SỐ ", None, None, None),
                             ("1.200", None, None, True), (" NGƯỜI.", None, None, None)]
    # a paragraph in one format is one run, with all of it: italic, size, font, colour
    [run] = body[2].runs
    assert (run.text, run.italic, run.font.size, run.font.name) == ("MỘT ĐOẠN CÙNG ĐỊNH DẠNG.", True, Pt(14), "Arial")
    assert run.font.color.rgb == RGBColor(0xC0, 0x00, 0x00)
    assert (body[3].style.name, body[3].text) == ("List Number", "MỤC THỨ NHẤT CỦA DANH SÁCH.")
    numbering = body[3]._p.pPr.numPr
    assert (numbering.ilvl.val, numbering.numId.val) == (0, 1)
    cells = out.tables[0]._cells
    assert [c.text for c in cells] == ["HỌ TÊN", "CHỨC VỤ", "DÒNG MỘT\nDÒNG HAI", ""]
    assert out.sections[0].header.paragraphs[0].text == "ĐẦU TRANG BÁO CÁO"
    assert out.sections[0].footer.paragraphs[0].text == "CHÂN TRANG BÁO CÁO"
    # images stay, with their bytes, where they were; the caption is translated
    assert len(out.inline_shapes) == 2
    images = [p.blob for p in out.part.package.iter_parts() if p.content_type == "image/png"]
    assert images and all(blob == tiny_png() for blob in images)
    assert (body[5].style.name, body[5].text) == ("Caption", "ẢNH: HỘI NGHỊ TỔNG KẾT.")
    mixed = body[6]._p
    assert [(r.text, bool(r.findall(".//" + docx.oxml.ns.qn("w:drawing")))) for r in mixed.r_lst] == [
        ("TRƯỚC ẢNH LÀ HỘI TRƯỜNG.", False), ("", True), ("SAU ẢNH LÀ DANH SÁCH.", False)]


def test_a_glossary_term_keeps_its_format_on_its_rendering():
    d = docx.Document()
    p = d.add_paragraph("Hôm nay, ")
    p.add_run("Bộ Công an").bold = True
    p.add_run(" tổ chức hội nghị.")
    translator = Translator(backend=Shout(), glossary="vn-gov")
    out = docx.Document(io.BytesIO(translate_docx(saved(d), translator, "vi", "en"))).paragraphs[0]
    bold = [r.text for r in out.runs if r.bold]
    assert bold == ["Ministry of Public Security"], runs(out)
    assert out.text.startswith("HÔM NAY, ") and out.text.endswith(" TỔ CHỨC HỘI NGHỊ.")


def test_legacy_font_runs_are_read_converted_and_written_in_a_unicode_font(shout):
    d = docx.Document()
    d.add_paragraph().add_run(encode_legacy("Bộ Công an họp", "TCVN3").decode("cp1252")).font.name = ".VnTime"
    d.add_paragraph().add_run(encode_legacy("thông báo", "TCVN3").decode("cp1252")).font.name = ".VnTimeH"
    first, second = docx.Document(io.BytesIO(translate_docx(saved(d), shout, "vi", "en"))).paragraphs
    assert (first.text, first.runs[0].font.name) == ("BỘ CÔNG AN HỌP", "Times New Roman")
    assert (second.text, second.runs[0].font.name, second.runs[0].font.all_caps) == (
        "THÔNG BÁO", "Times New Roman", True)


def test_text_asked_for_as_docx_or_html_becomes_a_plain_new_document(shout):
    text = "Tiêu đề bài báo\n\nĐoạn một.\nĐoạn hai.\n".encode()
    made = translate_file(text, "bai.vi.txt", shout, "vi", "en", fmt="docx")
    paragraphs = docx.Document(io.BytesIO(made.data)).paragraphs
    assert [(p.style.name, p.text) for p in paragraphs] == [
        ("Heading 1", "TIÊU ĐỀ BÀI BÁO"), ("Normal", "ĐOẠN MỘT."), ("Normal", "ĐOẠN HAI.")]
    assert made.translation.text.startswith("TIÊU ĐỀ BÀI BÁO")
    page = translate_file(text, "bai.vi.txt", shout, "vi", "en", fmt="html").data.decode()
    assert '<html lang="en">' in page and "<h1>TIÊU ĐỀ BÀI BÁO</h1>" in page and "<p>ĐOẠN HAI.</p>" in page
    with pytest.raises(UsageError, match="docx or .html"):
        translate_file(text, "bai.vi.txt", shout, "vi", "en")


PAGE = """<!doctype html>
<html lang="vi"><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1258">
<title>Báo cáo tổng kết</title><style>p { color: red }</style></head>
<body class="trang">
<nav><a href="/">Trang chủ</a></nav>
<article id="bai"><h1>Hội nghị tổng kết</h1>
<p class="dau">Hôm nay đơn vị <b>1.200</b> họp. <a href="https://bocongan.gov.vn">Xem chi tiết</a></p>
<ul><li>Dòng một<br>dòng hai</li></ul>
<p><img src="anh.png" alt="ảnh"> Ảnh: hội nghị.</p>
<p translate="no">Không dịch đoạn này.</p><pre>mã nguồn</pre>
<script>var s = "không dịch";</script></article>
</body></html>
"""


def test_a_page_keeps_its_markup_and_its_text_is_translated(shout):
    from bs4 import BeautifulSoup

    legacy = PAGE.replace("windows-1258", "utf-8").encode("utf-8")
    out = translate_html(legacy, shout, "vi", "en")
    soup = BeautifulSoup(out.decode("utf-8"), "html.parser")
    assert soup.html["lang"] == "en" and soup.body["class"] == ["trang"] and soup.style.string == "p { color: red }"
    assert "charset=utf-8" in soup.find("meta")["content"]
    assert soup.title.string == "BÁO CÁO TỔNG KẾT" and soup.h1.string == "HỘI NGHỊ TỔNG KẾT"
    assert soup.nav.a["href"] == "/" and soup.nav.a.string == "Trang chủ"  # site chrome: kept as written
    lead = soup.find("p", class_="dau")
    assert str(lead) == ('<p class="dau">HÔM NAY ĐƠN VỊ <b>1.200</b> HỌP. '
                         '<a href="https://bocongan.gov.vn">XEM CHI TIẾT</a></p>')
    assert [str(s) for s in soup.li.contents] == ["DÒNG MỘT", "<br/>", "DÒNG HAI"]
    assert soup.img["alt"] == "ảnh" and soup.img.next_sibling == " ẢNH: HỘI NGHỊ."
    assert soup.find("p", translate="no").string == "Không dịch đoạn này." and soup.pre.string == "mã nguồn"
    assert soup.script.string == 'var s = "không dịch";'


def test_a_page_in_a_legacy_charset_is_written_in_utf8(shout):
    page = "<html><head><meta charset='windows-1258'></head><body><p>{}</p></body></html>"
    data = page.format("Bộ Công an họp.").encode("cp1258", errors="ignore").replace(
        "Bộ Công an họp.".encode("cp1258", errors="ignore"), "Bộ Công an họp.".encode("utf-8"))
    out = translate_html(data, shout, "vi", "en").decode("utf-8")
    assert "BỘ CÔNG AN HỌP." in out and "windows-1258" not in out.lower()


def folder(tmp_path: Path) -> Path:
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "bao-cao.vi.docx").write_bytes(report())
    (inbox / "tin.vi.txt").write_text("Tiêu đề tin\n\nBộ Công an họp.\n", encoding="utf-8")
    (inbox / "hong.docx").write_bytes(b"PK\x03\x04 not a zip at all")
    return inbox


def test_a_folder_batch_writes_word_files_and_a_bad_one_fails_alone(with_models, tmp_path, capsys):
    code = main(["translate", str(folder(tmp_path)), "-o", str(tmp_path / "out"), "--format", "docx", "-s", "vi",
                 "--beam-size", "1", "-q", "--no-tm"])
    err = capsys.readouterr().err
    assert code == 1
    assert sorted(p.name for p in (tmp_path / "out").glob("*.docx")) == ["bao-cao.en.docx", "tin.en.docx"]
    kept = docx.Document(tmp_path / "out" / "bao-cao.en.docx")
    assert kept.paragraphs[0].style.name == "Heading 1" and len(kept.inline_shapes) == 2 and kept.tables
    assert docx.Document(tmp_path / "out" / "tin.en.docx").paragraphs[0].style.name == "Heading 1"
    assert "hong.docx: not a valid Word .docx file" in err and "2 of 3 documents done, 1 failed" in err


def test_the_output_format_follows_the_output_name(with_models, tmp_path):
    source = tmp_path / "bao-cao.vi.docx"
    source.write_bytes(report())
    assert main(["translate", str(source), "-o", str(tmp_path / "report.docx"), "-s", "vi", "--beam-size", "1",
                 "-q", "--no-tm"]) == 0
    assert docx.Document(tmp_path / "report.docx").tables
    page = tmp_path / "tin.vi.html"
    page.write_text(PAGE.replace("windows-1258", "utf-8"), encoding="utf-8")
    assert main(["translate", str(page), "-o", str(tmp_path / "tin.en.htm"), "-s", "vi", "--beam-size", "1",
                 "-q", "--no-tm"]) == 0
    assert (tmp_path / "tin.en.htm").read_text(encoding="utf-8").count('<a href="https://bocongan.gov.vn">') == 1


def test_docx_output_without_python_docx_is_one_clear_line(with_models, tmp_path, capsys, monkeypatch):
    source = tmp_path / "tin.vi.txt"
    source.write_text("Bộ Công an họp.\n", encoding="utf-8")
    monkeypatch.setitem(__import__("sys").modules, "docx", None)
    assert main(["translate", str(source), "-o", str(tmp_path / "tin.en.docx")]) == 2
    err = capsys.readouterr().err.strip()
    assert err == "vnsum: error: writing Word .docx files needs the python-docx package (pip install python-docx)"
    assert not (tmp_path / "tin.en.docx").exists()


def test_strip_chrome_is_refused_for_a_layout(with_models, tmp_path, capsys):
    source = tmp_path / "tin.vi.txt"
    source.write_text("Bộ Công an họp.\n", encoding="utf-8")
    assert main(["translate", str(source), "--format", "html", "--strip-chrome"]) == 2
    assert "takes no --strip-chrome" in capsys.readouterr().err


@pytest.mark.slow
def test_the_bundled_model_translates_a_word_file_into_a_word_file(tmp_path):
    source = tmp_path / "bao-cao.vi.docx"
    d = docx.Document(io.BytesIO(report()))
    p = d.add_paragraph("Hôm nay, ")
    p.add_run("Bộ Công an").bold = True
    p.add_run(" tổ chức hội nghị tại Hà Nội.")
    source.write_bytes(saved(d))
    proc = vnsum("translate", str(source), "-o", str(tmp_path / "report.en.docx"), tmp_path=tmp_path)
    assert proc.returncode == 0, proc.stderr
    out = docx.Document(tmp_path / "report.en.docx")
    text = "\n".join(p.text for p in out.paragraphs)
    assert not vietnamese_words(text), text
    assert out.paragraphs[0].style.name == "Heading 1" and len(out.inline_shapes) == 2 and out.tables
    assert [r.text for r in out.paragraphs[-1].runs if r.bold] == ["Ministry of Public Security"]
    assert "Ha Noi" in out.paragraphs[-1].text


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftoppm") is None,
                    reason="LibreOffice (soffice) and poppler (pdftoppm) are not installed: "
                           "apt-get install libreoffice-writer-nogui poppler-utils")
def test_libreoffice_opens_and_renders_the_translated_file(shout, tmp_path):
    image = pytest.importorskip("PIL.Image")
    translated = tmp_path / "report.en.docx"
    translated.write_bytes(translate_docx(report(), shout, "vi", "en"))
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(translated)],
                   check=True, capture_output=True, timeout=240)
    subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(tmp_path / "report.en.pdf"),
                    str(tmp_path / "page")], check=True, capture_output=True, timeout=60)
    [png] = tmp_path.glob("page*.png")
    with image.open(png) as page:
        colours = page.convert("RGB").getcolors(maxcolors=1 << 16)
    dark = sum(n for n, (r, g, b) in colours if r + g + b < 300)
    red = sum(n for n, (r, g, b) in colours if r > 150 and g < 80 and b < 80)
    assert dark > 200 and red > 0, "page 1 shows no text or no image"
